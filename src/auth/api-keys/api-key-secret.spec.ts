import { randomUUID } from 'node:crypto';
import { issueSecret, parseApiKey, secretMatches } from 'src/auth/api-keys/api-key-secret';

describe('API key secrets', () => {
  it('round-trips: the issued token parses back to its key id, and its secret matches the stored hash', () => {
    const keyId = randomUUID();
    const { token, secretHash } = issueSecret(keyId);
    const parsed = parseApiKey(token)!;
    expect(parsed.keyId).toBe(keyId);
    expect(secretMatches(parsed.secret, secretHash)).toBe(true);
    expect(secretHash).not.toContain(parsed.secret);
  });

  it('refuses a wrong secret and tokens of the wrong shape', () => {
    const keyId = randomUUID();
    const { token, secretHash } = issueSecret(keyId);
    const other = parseApiKey(issueSecret(keyId).token)!;
    expect(secretMatches(other.secret, secretHash)).toBe(false);
    expect(parseApiKey(token.slice(0, -1))).toBeUndefined();
    expect(parseApiKey(`x${token}`)).toBeUndefined();
    expect(parseApiKey('')).toBeUndefined();
  });
});
