import { randomUUID } from 'node:crypto';
import { deviceKeyMatches, issueDeviceKey } from 'src/ingest/devices/device-key';

describe('device keys', () => {
  it('match the device they were issued for, and only while their hash is the stored one', () => {
    const id = randomUUID();
    const { key, keyHash } = issueDeviceKey(id);
    expect(key).toMatch(/^vgdsdev_[0-9a-f]{32}_[A-Za-z0-9_-]{43}$/);
    expect(keyHash).not.toContain(key.slice(-43)); // the secret (base64url, which may hold "_")
    expect(deviceKeyMatches(key, id, keyHash)).toBe(true);
    expect(deviceKeyMatches(key, id, issueDeviceKey(id).keyHash)).toBe(false); // rotated
  });

  it("refuse another device's key, even a valid one, and anything not shaped like a key", () => {
    const id = randomUUID();
    const other = randomUUID();
    const mine = issueDeviceKey(id);
    const theirs = issueDeviceKey(other);
    expect(deviceKeyMatches(theirs.key, id, mine.keyHash)).toBe(false);
    expect(deviceKeyMatches(theirs.key, id, theirs.keyHash)).toBe(false);
    expect(deviceKeyMatches('', id, mine.keyHash)).toBe(false);
    expect(deviceKeyMatches(mine.key.slice(0, -1), id, mine.keyHash)).toBe(false);
  });
});
