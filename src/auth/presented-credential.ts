import { IncomingHttpHeaders } from 'node:http';
import { Unauthorized } from 'src/governance/problems';

/** What a request offers as proof of who it is: nothing, one API key or one bearer token. */
export type PresentedCredential =
  | { readonly kind: 'none' }
  | { readonly kind: 'api-key'; readonly key: string }
  | { readonly kind: 'bearer'; readonly token: string };

const NONE: PresentedCredential = Object.freeze({ kind: 'none' });

/**
 * The one credential of a request, from `X-API-Key` and `Authorization` (`Bearer <token>` or
 * `ApiKey <key>`). A key may come more than once (a shell alias adds one to every command that
 * already sends it): the same key twice is one credential, two different keys are refused with a
 * message that says so, as is a key beside a bearer token.
 *
 * `rawHeaders` are read because Node keeps only the first of repeated `Authorization` headers;
 * repeated `X-API-Key` headers Node joins with commas, which keys never contain.
 */
export function presentedCredential(headers: IncomingHttpHeaders, rawHeaders: readonly string[]): PresentedCredential {
  const keys = new Map<string, Set<string>>(); // key -> the headers it came in
  const tokens = new Set<string>();
  const addKey = (key: string, header: string) => keys.set(key, (keys.get(key) ?? new Set()).add(header));

  const apiKeyHeader = headers['x-api-key'];
  if (apiKeyHeader !== undefined) {
    const values = [apiKeyHeader].flat().flatMap((v) => v.split(',')).map((v) => v.trim());
    const given = values.filter((v) => v.length > 0);
    // An empty X-API-Key is a credential that is wrong, not an absent one.
    for (const key of given.length > 0 ? given : ['']) addKey(key, 'X-API-Key');
  }
  for (const authorization of authorizationValues(headers, rawHeaders)) {
    const [scheme, credential, ...rest] = authorization.trim().split(/\s+/);
    if (!credential || rest.length > 0) throw new Unauthorized('The Authorization header must be "Bearer <token>" or "ApiKey <key>"');
    switch (scheme.toLowerCase()) {
      case 'bearer':
        tokens.add(credential);
        break;
      case 'apikey':
        addKey(credential, 'Authorization');
        break;
      default:
        throw new Unauthorized(`Unsupported authorization scheme "${scheme}"; use Bearer or ApiKey`);
    }
  }

  if (tokens.size > 0 && keys.size > 0) throw new Unauthorized('Send one credential: a bearer token or an API key, not both');
  if (tokens.size > 1) throw new Unauthorized(`${count(tokens.size)} different bearer tokens were sent; send one`);
  if (keys.size > 1) {
    const where = [...new Set([...keys.values()].flatMap((h) => [...h]))].join(' and ');
    throw new Unauthorized(`${count(keys.size)} different API keys were sent (in ${where}); send one`);
  }
  const [token] = tokens;
  if (token !== undefined) return { kind: 'bearer', token };
  const [key] = keys.keys();
  return key !== undefined ? { kind: 'api-key', key } : NONE;
}

/** Every Authorization value: those Node kept, and the repeats it dropped. */
function authorizationValues(headers: IncomingHttpHeaders, rawHeaders: readonly string[]): Set<string> {
  const values = new Set<string>();
  if (headers.authorization !== undefined) values.add(headers.authorization);
  for (let i = 0; i + 1 < rawHeaders.length; i += 2) {
    if (rawHeaders[i].toLowerCase() === 'authorization') values.add(rawHeaders[i + 1]);
  }
  return values;
}

function count(n: number): string {
  return n === 2 ? 'Two' : String(n);
}
