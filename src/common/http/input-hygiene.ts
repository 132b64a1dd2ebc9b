import { parse as parseContentType } from 'content-type';
import { FastifyInstance, FastifyRequest } from 'fastify';
import secureJsonParse from 'secure-json-parse';

/** An error Fastify hands to the error handler with its status; the problem filter names its type by path. */
class ClientInputError extends Error {
  constructor(
    readonly statusCode: number,
    message: string,
  ) {
    super(message);
  }
}

/** The JSON media types bodies may come as; anything else is 415. */
export const JSON_MEDIA_TYPES = ['application/json', 'application/ld+json', 'application/merge-patch+json'];

/**
 * Bodies: JSON in UTF-8, not compressed, parsed by Fastify's own parser (which refuses prototype
 * poisoning), and every string well-formed Unicode without NUL, which PostgreSQL cannot store.
 * Parameters: the same check on path and query values. Nothing ill-formed reaches the database.
 */
export function installInputHygiene(fastify: FastifyInstance, bodyLimit: number): void {
  fastify.removeAllContentTypeParsers();
  fastify.addContentTypeParser(JSON_MEDIA_TYPES, { parseAs: 'string', bodyLimit }, (request, body, done) => {
    const refused = refusedEncoding(request);
    if (refused) return done(refused, undefined);
    if ((body as string).trim().length === 0) return done(new ClientInputError(400, 'The body is empty; a JSON document is expected'), undefined);
    let parsed: unknown;
    try {
      // The parser Fastify uses, refusing keys that would poison prototypes.
      parsed = secureJsonParse.parse(body as string, undefined, { protoAction: 'error', constructorAction: 'error' });
    } catch (error) {
      const message = (error as Error).message;
      const reason = /prototype/i.test(message) ? 'it uses a reserved key (__proto__ or constructor.prototype)' : message;
      return done(new ClientInputError(400, `The body is not valid JSON: ${reason}`), undefined);
    }
    const bad = illFormed(parsed);
    if (bad) return done(new ClientInputError(400, `The body contains ${bad}`), undefined);
    done(null, parsed);
  });
  fastify.addHook('preValidation', async (request) => {
    for (const [where, values] of [
      ['path', request.params],
      ['query', request.query],
    ] as const) {
      const bad = illFormed(values);
      if (bad) throw new ClientInputError(400, `The ${where} contains ${bad}`);
    }
  });
}

function refusedEncoding(request: FastifyRequest): ClientInputError | undefined {
  const encoding = request.headers['content-encoding'];
  if (encoding !== undefined && encoding !== 'identity') {
    return new ClientInputError(415, `Content-Encoding ${encoding} is not accepted; send the body uncompressed`);
  }
  const charset = parseContentType(request.headers['content-type'] ?? 'application/json').parameters.charset;
  if (charset !== undefined && charset.toLowerCase() !== 'utf-8') {
    return new ClientInputError(415, `charset=${charset} is not accepted; JSON is read as UTF-8`);
  }
  return undefined;
}

/** What is wrong with the strings in a value, or undefined. Keys count as strings too. */
function illFormed(value: unknown, depth = 0): string | undefined {
  if (typeof value === 'string') {
    if (value.includes('\0')) return 'a NUL character, which is not allowed';
    if (!value.isWellFormed()) return 'text that is not well-formed Unicode (a lone surrogate)';
    return undefined;
  }
  if (typeof value !== 'object' || value === null || depth > 256) return undefined;
  for (const [key, child] of Object.entries(value)) {
    const problem = illFormed(key, depth + 1) ?? illFormed(child, depth + 1);
    if (problem) return problem;
  }
  return undefined;
}
