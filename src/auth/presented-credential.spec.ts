import { IncomingHttpHeaders } from 'node:http';
import { presentedCredential } from 'src/auth/presented-credential';

const A = 'vgds_0123456789abcdef0123456789abcdef_AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA';
const B = 'vgds_fedcba9876543210fedcba9876543210_BBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBB';

/** Headers as Node presents them: repeated X-API-Key joined with ", ", only the first Authorization kept. */
function credentialOf(raw: [string, string][]) {
  const headers: IncomingHttpHeaders = {};
  for (const [name, value] of raw) {
    const key = name.toLowerCase();
    if (key === 'authorization') headers.authorization ??= value;
    else headers[key] = headers[key] === undefined ? value : `${String(headers[key])}, ${value}`;
  }
  return presentedCredential(headers, raw.flat());
}

describe('the credential a request presents', () => {
  it('is none without credential headers', () => {
    expect(credentialOf([['Accept', 'application/json']])).toEqual({ kind: 'none' });
  });

  it.each<[string, [string, string][]]>([
    ['X-API-Key', [['X-API-Key', A]]],
    ['Authorization: ApiKey', [['Authorization', `ApiKey ${A}`]]],
    ['the same key in X-API-Key twice', [['X-API-Key', A], ['X-API-Key', A]]],
    ['the same key in X-API-Key and Authorization', [['X-API-Key', A], ['Authorization', `apikey  ${A}`]]],
  ])('is the one key in %s', (_what, raw) => {
    expect(credentialOf(raw)).toEqual({ kind: 'api-key', key: A });
  });

  it('is a bearer token, sent once or the same twice', () => {
    expect(credentialOf([['Authorization', 'Bearer t.o.k']])).toEqual({ kind: 'bearer', token: 't.o.k' });
    expect(credentialOf([['Authorization', 'Bearer t.o.k'], ['Authorization', 'bearer t.o.k']])).toEqual({ kind: 'bearer', token: 't.o.k' });
  });

  it.each<[string, [string, string][], RegExp]>([
    ['two keys in X-API-Key', [['X-API-Key', A], ['X-API-Key', B]], /^Two different API keys were sent \(in X-API-Key\); send one$/],
    ['two keys in one X-API-Key', [['X-API-Key', `${A}, ${B}`]], /^Two different API keys were sent \(in X-API-Key\)/],
    ['X-API-Key and Authorization: ApiKey', [['X-API-Key', A], ['Authorization', `ApiKey ${B}`]], /^Two different API keys were sent \(in X-API-Key and Authorization\)/],
    ['two ApiKey Authorization headers', [['Authorization', `ApiKey ${A}`], ['Authorization', `ApiKey ${B}`]], /^Two different API keys were sent \(in Authorization\)/],
    ['three keys', [['X-API-Key', A], ['X-API-Key', B], ['Authorization', 'ApiKey vgds_c']], /^3 different API keys/],
    ['two bearer tokens', [['Authorization', 'Bearer a'], ['Authorization', 'Bearer b']], /^Two different bearer tokens/],
    ['a key beside a bearer token', [['X-API-Key', A], ['Authorization', 'Bearer t']], /one credential/],
    ['an unknown scheme', [['Authorization', 'Basic dXNlcjpwdw==']], /Unsupported authorization scheme "Basic"/],
    ['a scheme without a credential', [['Authorization', 'Bearer']], /must be "Bearer <token>"/],
  ])('refuses %s with 401', (_what, raw, detail) => {
    expect(() => credentialOf(raw)).toThrow(expect.objectContaining({ status: 401, detail: expect.stringMatching(detail) }));
  });

  it('treats an empty X-API-Key as a wrong key, not as no credential', () => {
    expect(credentialOf([['X-API-Key', '']])).toEqual({ kind: 'api-key', key: '' });
  });
});
