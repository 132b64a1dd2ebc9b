import { decodeChirpStackUplink } from 'src/ingest/payload/chirpstack-uplink';

const APP = '9e7b4c1a-2f3d-4c5e-8a6b-7c8d9e0f1a2b';
const EUI = '0018b20000001234';
const uplink = (overrides: Record<string, unknown> = {}) =>
  Buffer.from(
    JSON.stringify({
      deduplicationId: '3ac4b9de-8c5f-4c8b-9c5a-1f2e3d4c5b6a',
      time: '2026-11-24T10:00:00.123456+00:00',
      deviceInfo: { tenantId: '52f14cd4-c6f1-4fbd-8f87-4025e1d49242', applicationId: APP, deviceName: 'brygga-3', devEui: EUI.toUpperCase() },
      devAddr: '00189440',
      fCnt: 10,
      fPort: 2,
      data: 'AQID',
      object: { water: { temperature: 14.2 }, battery: 97 },
      rxInfo: [
        { gatewayId: '0016c001ff10a235', rssi: -112, snr: -3.5 },
        { gatewayId: '0016c001ff10a236', rssi: -97, snr: 6.2 },
      ],
      ...overrides,
    }),
  );

describe('ChirpStack v4 uplinks', () => {
  it('reads paths into the decoded object, the best rssi and snr, and the time in UTC', () => {
    const decoded = decodeChirpStackUplink(uplink(), APP, EUI);
    if (!decoded.ok) throw new Error(decoded.reason);
    expect(decoded.value.observedAt).toBe('2026-11-24T10:00:00.123Z');
    expect(decoded.value.deduplicationId).toBe('3ac4b9de-8c5f-4c8b-9c5a-1f2e3d4c5b6a');
    expect(decoded.value.read('water.temperature')).toBe(14.2);
    expect(decoded.value.read('battery')).toBe(97);
    expect(decoded.value.read('rxInfo.rssi')).toBe(-97);
    expect(decoded.value.read('rxInfo.snr')).toBe(6.2);
    expect(decoded.value.read('fCnt')).toBeUndefined();
  });

  it('refuses an uplink without a codec result, with a reason that says what to do', () => {
    expect(decodeChirpStackUplink(uplink({ object: undefined }), APP, EUI)).toEqual({ ok: false, reason: expect.stringMatching(/no decoded "object".*codec/) });
  });

  it('refuses an event whose deviceInfo contradicts its topic', () => {
    expect(decodeChirpStackUplink(uplink(), 'another-app', EUI)).toMatchObject({ ok: false, reason: expect.stringMatching(/applicationId/) });
    expect(decodeChirpStackUplink(uplink(), APP, '0018b20000009999')).toMatchObject({ ok: false, reason: expect.stringMatching(/devEui/) });
  });

  it('does without time and rxInfo', () => {
    const decoded = decodeChirpStackUplink(uplink({ time: undefined, rxInfo: undefined }), APP, EUI);
    expect(decoded.ok && decoded.value.observedAt).toBeUndefined();
    expect(decoded.ok && decoded.value.read('rxInfo.rssi')).toBeUndefined();
    expect(decodeChirpStackUplink(uplink({ time: 'noon' }), APP, EUI)).toMatchObject({ ok: false });
  });
});
