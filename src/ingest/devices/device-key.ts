import { issueSecret, parseApiKey, secretMatches } from 'src/auth/api-keys/api-key-secret';

/*
 * Device keys are made and checked as API keys are (`vgdsdev_<device id without dashes>_<secret>`,
 * a SHA-256 of the secret stored, compared in constant time): the id says which device the key
 * claims to be, the secret proves it.
 */

export interface IssuedDeviceKey {
  readonly key: string;
  readonly keyHash: string;
}

export function issueDeviceKey(deviceId: string): IssuedDeviceKey {
  const { token, secretHash } = issueSecret(deviceId, 'vgdsdev');
  return { key: token, keyHash: secretHash };
}

/** Whether a presented key is the current key of the device with this id and stored hash. */
export function deviceKeyMatches(presented: string, deviceId: string, keyHash: string): boolean {
  const parsed = parseApiKey(presented.trim(), 'vgdsdev');
  return parsed !== undefined && parsed.keyId === deviceId.toLowerCase() && secretMatches(parsed.secret, keyHash);
}
