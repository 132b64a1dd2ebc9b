import { decodePlainPayload } from 'src/ingest/payload/plain-payload';
import { utcDateTime } from 'src/ingest/payload/decoded';

const json = (value: unknown) => Buffer.from(JSON.stringify(value));

describe('plain JSON payloads', () => {
  it('separates the fields from observedAt and the device key', () => {
    const decoded = decodePlainPayload(json({ temperature: 12.5, observedAt: '2026-11-24T11:00:00+01:00', deviceKey: 'vgdsdev_x' }));
    expect(decoded).toEqual({ ok: true, value: { fields: { temperature: 12.5 }, observedAt: '2026-11-24T10:00:00.000Z', deviceKey: 'vgdsdev_x' } });
  });

  it('leaves observedAt out when the payload has none (the receive time is used)', () => {
    expect(decodePlainPayload(json({ t: 1 }))).toEqual({ ok: true, value: { fields: { t: 1 }, deviceKey: undefined } });
  });

  it('refuses what is not a JSON object, and bad observedAt or deviceKey', () => {
    expect(decodePlainPayload(Buffer.from('12.5'))).toEqual({ ok: false, reason: 'the payload is not a JSON object' });
    expect(decodePlainPayload(Buffer.from('{"t": 1'))).toEqual({ ok: false, reason: 'the payload is not JSON' });
    expect(decodePlainPayload(json({ t: 1, observedAt: 'yesterday' }))).toMatchObject({ ok: false, reason: expect.stringMatching(/^observedAt/) });
    expect(decodePlainPayload(json({ t: 1, deviceKey: 7 }))).toEqual({ ok: false, reason: 'deviceKey must be a string' });
    expect(decodePlainPayload(Buffer.alloc(300 * 1024, 32))).toMatchObject({ ok: false, reason: expect.stringMatching(/larger than/) });
  });
});

describe('utcDateTime', () => {
  it('reads RFC 3339 date-times with a zone into UTC, nanoseconds cut to milliseconds', () => {
    expect(utcDateTime('2026-11-24T10:00:00.123456789Z')).toBe('2026-11-24T10:00:00.123Z');
    expect(utcDateTime('2026-11-24T10:00:00-02:30')).toBe('2026-11-24T12:30:00.000Z');
  });

  it('refuses dates that do not exist and times without a zone', () => {
    for (const text of ['2026-02-30T10:00:00Z', '2026-13-01T00:00:00Z', '2026-11-24T24:00:00Z', '2026-11-24T10:00:00', '2026-11-24', '1700000000']) {
      expect(utcDateTime(text)).toBeUndefined();
    }
  });
});
