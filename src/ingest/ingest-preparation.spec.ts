import { randomUUID } from 'node:crypto';
import { issueDeviceKey } from 'src/ingest/devices/device-key';
import { IngestDeviceRecord } from 'src/ingest/devices/devices.repository';
import { prepareMessage, ReceivedMessage, statusDeltas } from 'src/ingest/ingest-preparation';
import { DeviceAddress } from 'src/ingest/mqtt/ingest-topics';

const TEMPERATURE = 'https://uri.etsi.org/ngsi-ld/default-context/temperature';
const RSSI = 'https://uri.etsi.org/ngsi-ld/default-context/rssi';
const id = randomUUID();
const { key, keyHash } = issueDeviceKey(id);
const device: IngestDeviceRecord = {
  id,
  organisation: 'goteborg',
  deviceId: 'brygga-3',
  tenant: '',
  entityId: 'urn:ngsi-ld:WaterQualityObserved:brygga-3',
  entityType: 'https://uri.etsi.org/ngsi-ld/default-context/WaterQualityObserved',
  datasetId: randomUUID(),
  mapping: [
    { field: 'temperature', attribute: TEMPERATURE, type: 'number', unitCode: 'CEL', max: 40 },
    { field: 'rxInfo.rssi', attribute: RSSI, type: 'number' },
  ],
  chirpstack: { applicationId: 'app-1', devEui: '0018b20000001234' },
  keyHash,
};
const plain: DeviceAddress = { kind: 'plain', organisation: 'goteborg', deviceId: 'brygga-3' };
const receivedAt = new Date('2026-11-24T10:00:05Z');
const message = (payload: unknown, deviceKey?: string): ReceivedMessage => ({ topic: 't', payload: Buffer.from(JSON.stringify(payload)), deviceKey, receivedAt });

describe('prepareMessage: plain JSON', () => {
  it('maps a message with the key as a member, at the receive time when it names none', () => {
    const prepared = prepareMessage(message({ temperature: 12.5, deviceKey: key }), plain, device);
    expect(prepared).toMatchObject({ ok: true, measurement: { device: { id, entityId: device.entityId, datasetId: device.datasetId }, observedAt: '2026-11-24T10:00:05.000Z' } });
    expect(prepared.ok && [...prepared.measurement.attributes]).toEqual([[TEMPERATURE, { value: 12.5, unitCode: 'CEL' }]]);
  });

  it('takes the key from the MQTT user property, and the time from observedAt', () => {
    const prepared = prepareMessage(message({ temperature: 9, observedAt: '2026-11-24T09:00:00Z' }, key), plain, device);
    expect(prepared.ok && prepared.measurement.observedAt).toBe('2026-11-24T09:00:00.000Z');
  });

  it('refuses messages without a key, with a wrong key, or with a second key that is wrong', () => {
    expect(prepareMessage(message({ temperature: 9 }), plain, device)).toMatchObject({ ok: false, device, reason: expect.stringMatching(/^no device key/) });
    expect(prepareMessage(message({ temperature: 9, deviceKey: issueDeviceKey(id).key }), plain, device)).toMatchObject({ ok: false, reason: 'wrong device key' });
    expect(prepareMessage(message({ temperature: 9, deviceKey: 'x' }, key), plain, device)).toMatchObject({ ok: false, reason: 'wrong device key' });
  });

  it('refuses unknown devices, payloads that are not JSON and values out of range, saying why', () => {
    expect(prepareMessage(message({ temperature: 9, deviceKey: key }), plain, undefined)).toEqual({ ok: false, reason: 'no device brygga-3 in organisation goteborg' });
    expect(prepareMessage({ ...message({}), payload: Buffer.from('warm') }, plain, device)).toMatchObject({ ok: false, device, reason: 'the payload is not JSON' });
    expect(prepareMessage(message({ temperature: 99, deviceKey: key }), plain, device)).toMatchObject({ ok: false, reason: expect.stringMatching(/above the declared maximum 40/) });
  });
});

describe('prepareMessage: ChirpStack', () => {
  const uplink = { deviceInfo: { applicationId: 'app-1', devEui: '0018b20000001234' }, time: '2026-11-24T09:59:59Z', object: { temperature: 14 }, rxInfo: [{ rssi: -100 }, { rssi: -90 }] };

  it('needs no key, and maps object members and the best rssi', () => {
    const prepared = prepareMessage(message(uplink), { kind: 'chirpstack', applicationId: 'app-1', devEui: '0018b20000001234' }, device);
    expect(prepared.ok && [...prepared.measurement.attributes]).toEqual([[TEMPERATURE, { value: 14, unitCode: 'CEL' }], [RSSI, { value: -90 }]]);
    expect(prepared.ok && prepared.measurement.observedAt).toBe('2026-11-24T09:59:59.000Z');
  });

  it("refuses uplinks from another ChirpStack application than the device's", () => {
    const prepared = prepareMessage(message({ ...uplink, deviceInfo: undefined }), { kind: 'chirpstack', applicationId: 'app-2', devEui: '0018b20000001234' }, device);
    expect(prepared).toMatchObject({ ok: false, device, reason: 'the device is not registered under ChirpStack application app-2' });
  });
});

describe('statusDeltas', () => {
  it('adds up a batch per device, with the latest sighting and the latest error', () => {
    const at = (s: number) => new Date(Date.UTC(2026, 10, 24, 10, 0, s));
    const deltas = statusDeltas([
      { deviceId: 'a', receivedAt: at(1) },
      { deviceId: 'a', receivedAt: at(3), rejection: 'wrong device key' },
      { deviceId: 'a', receivedAt: at(2) },
      { deviceId: 'b', receivedAt: at(1), rejection: 'the payload is not JSON' },
    ]);
    expect(deltas).toEqual([
      { deviceId: 'a', accepted: 2, rejected: 1, lastSeen: at(2).toISOString(), lastError: { at: at(3).toISOString(), reason: 'wrong device key' } },
      { deviceId: 'b', accepted: 0, rejected: 1, lastSeen: null, lastError: { at: at(1).toISOString(), reason: 'the payload is not JSON' } },
    ]);
  });
});
