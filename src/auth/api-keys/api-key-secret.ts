import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';

/*
 * API keys look like `vgds_<key id without dashes>_<secret>` (device keys the same with
 * `vgdsdev_`). The id finds the record, the secret proves possession; only a SHA-256 of the
 * secret is stored. (A slow password hash buys nothing for 256 random bits, and would cost every
 * request.)
 */
export type KeyPrefix = 'vgds' | 'vgdsdev';
const SHAPES: Readonly<Record<KeyPrefix, RegExp>> = {
  vgds: /^vgds_([0-9a-f]{32})_([A-Za-z0-9_-]{43})$/,
  vgdsdev: /^vgdsdev_([0-9a-f]{32})_([A-Za-z0-9_-]{43})$/,
};

export interface IssuedSecret {
  readonly token: string;
  readonly secretHash: string;
}

/** A new key for the record `keyId` (a UUID). */
export function issueSecret(keyId: string, prefix: KeyPrefix = 'vgds'): IssuedSecret {
  const secret = randomBytes(32).toString('base64url');
  return { token: `${prefix}_${keyId.replaceAll('-', '')}_${secret}`, secretHash: hashSecret(secret) };
}

/** The key id and secret of a presented key, or undefined when it is not shaped like one of ours. */
export function parseApiKey(token: string, prefix: KeyPrefix = 'vgds'): { keyId: string; secret: string } | undefined {
  const match = SHAPES[prefix].exec(token);
  if (!match) return undefined;
  const hex = match[1];
  const keyId = `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
  return { keyId, secret: match[2] };
}

export function secretMatches(secret: string, secretHash: string): boolean {
  const presented = Buffer.from(hashSecret(secret), 'hex');
  const stored = Buffer.from(secretHash, 'hex');
  return presented.length === stored.length && timingSafeEqual(presented, stored);
}

function hashSecret(secret: string): string {
  return createHash('sha256').update(secret).digest('hex');
}
