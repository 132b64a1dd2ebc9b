import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';

/*
 * Device keys look like `vgdsdev_<device id without dashes>_<secret>`, as API keys do: the id
 * says which device the key claims to be, the secret proves it. Only a SHA-256 of the secret is
 * stored (256 random bits need no slow hash), and it is compared in constant time.
 */
const KEY = /^vgdsdev_([0-9a-f]{32})_([A-Za-z0-9_-]{43})$/;

export interface IssuedDeviceKey {
  readonly key: string;
  readonly keyHash: string;
}

export function issueDeviceKey(deviceId: string): IssuedDeviceKey {
  const secret = randomBytes(32).toString('base64url');
  return { key: `vgdsdev_${deviceId.replaceAll('-', '')}_${secret}`, keyHash: hash(secret) };
}

/** Whether a presented key is the current key of the device with this id and stored hash. */
export function deviceKeyMatches(presented: string, deviceId: string, keyHash: string): boolean {
  const match = KEY.exec(presented.trim());
  if (!match || match[1] !== deviceId.replaceAll('-', '').toLowerCase()) return false;
  const given = Buffer.from(hash(match[2]), 'hex');
  const stored = Buffer.from(keyHash, 'hex');
  return given.length === stored.length && timingSafeEqual(given, stored);
}

function hash(secret: string): string {
  return createHash('sha256').update(secret).digest('hex');
}
