import crypto from 'node:crypto';
import request from 'supertest';
import { eventually } from 'test/support/eventually';
import { startTestBroker, TestBroker, TestPublisher } from 'test/support/mqtt-broker';
import { IdentityProvider, startIdentityProvider, TokenClaims } from 'test/support/identity-provider';
import { startTestApp, TestApp } from 'test/support/test-app';

/*
 * Device messages over MQTT, end to end: a real broker (Mosquitto, else an embedded aedes), the
 * service subscribed to it, devices registered through /api/v1/devices, and what arrives read back
 * through NGSI-LD and the device status. Organisation "molndal" owns the devices.
 */

// Messages and an embedded database take their time; the polls inside have their own deadlines.
jest.setTimeout(30_000);

const CALLERS = {
  admin: { sub: 'admin-m', organisation: 'molndal', roles: ['admin'], amr: ['pwd', 'otp'] },
  writer: { sub: 'writer-m', organisation: 'molndal', roles: ['writer'] },
} satisfies Record<string, TokenClaims>;

let idp: IdentityProvider;
let broker: TestBroker;
let t: TestApp;
let device: TestPublisher;
const auth: Record<keyof typeof CALLERS, Record<string, string>> = {} as never;
let datasetId: string;

interface Registered {
  id: string;
  key: string;
  topic: string;
  entityId: string;
}

async function register(name: string, overrides: Record<string, unknown> = {}): Promise<Registered> {
  const entityId = `urn:ngsi-ld:WaterQualityObserved:${name}`;
  const res = await request(t.http)
    .post('/api/v1/devices')
    .set(auth.writer)
    .send({
      deviceId: name,
      entity: { id: entityId, type: 'WaterQualityObserved' },
      dataset: datasetId,
      mapping: [
        { field: 'temperature', attribute: 'temperature', type: 'number', unitCode: 'CEL', min: -5, max: 40 },
        { field: 'battery', attribute: 'batteryLevel', type: 'number', scale: 0.01, min: 0, max: 1 },
        { field: 'door', attribute: 'doorOpen', type: 'boolean' },
      ],
      ...overrides,
    });
  expect(res.status).toBe(201);
  return { id: res.body.id, key: res.body.key, topic: res.body.topics[0], entityId };
}

/** The entity's keyValues once `ready` holds for it. */
function entityOnce(entityId: string, ready: (entity: Record<string, any>) => boolean): Promise<Record<string, any>> {
  return eventually(async () => {
    const res = await request(t.http).get(`/ngsi-ld/v1/entities/${encodeURIComponent(entityId)}`).set(auth.writer);
    return res.status === 200 && ready(res.body) ? res.body : undefined;
  });
}

function statusOnce(deviceId: string, ready: (status: Record<string, any>) => boolean): Promise<Record<string, any>> {
  return eventually(async () => {
    const res = await request(t.http).get(`/api/v1/devices/${deviceId}/status`).set(auth.writer).expect(200);
    return ready(res.body) ? res.body : undefined;
  });
}

beforeAll(async () => {
  idp = await startIdentityProvider();
  broker = await startTestBroker();
  t = await startTestApp({ ...idp.env, ...broker.env }, { caller: 'anonymous' });
  for (const [name, claims] of Object.entries(CALLERS)) auth[name as keyof typeof CALLERS] = { authorization: `Bearer ${await idp.token(claims)}` };
  const dataset = await request(t.http)
    .post('/api/v1/datasets')
    .set(auth.admin)
    .send({ title: { sv: 'Badvatten' }, description: { sv: 'Temperaturer vid bryggorna' }, classification: { confidentiality: 2, integrity: 1, availability: 1 } })
    .expect(201);
  datasetId = dataset.body.id;
  device = await broker.publisher();
  await eventually(async () => ((await request(t.http).get('/api/v1/ingest/status')).body.connections.connected === Number(broker.env.MQTT_CONNECTIONS) ? true : undefined));
}, 60_000);

afterAll(async () => {
  await device?.close();
  await t?.close();
  await broker?.close();
  await idp?.close();
}, 60_000);

describe('plain JSON messages', () => {
  it('arrive as the current value of the entity, scaled, with unit and observation time', async () => {
    const d = await register('brygga-1');
    await device.publish(d.topic, { temperature: 12.5, battery: 87, observedAt: '2026-11-24T10:00:00Z', deviceKey: d.key });
    const entity = await entityOnce(d.entityId, (e) => e.temperature !== undefined);
    expect(entity).toMatchObject({
      id: d.entityId,
      type: 'WaterQualityObserved',
      temperature: { type: 'Property', value: 12.5, unitCode: 'CEL', observedAt: '2026-11-24T10:00:00.000Z' },
      batteryLevel: { type: 'Property', value: 0.87 },
    });
    const status = await statusOnce(d.id, (s) => s.accepted === 1);
    expect(status).toMatchObject({ accepted: 1, rejected: 0 });
    expect(status.lastSeen).toMatch(/^\d{4}-\d\d-\d\dT.*Z$/);
  });

  it('take the key from the MQTT 5 user property vgds-device-key', async () => {
    if (!broker.supportsMqtt5) return; // aedes speaks MQTT 3.1.1 only
    const d = await register('brygga-2');
    await device.publish(d.topic, { temperature: 8 }, { properties: { userProperties: { 'vgds-device-key': d.key } } });
    await entityOnce(d.entityId, (e) => e.temperature?.value === 8);
  });

  it('are refused without the right key, from unknown devices, when not JSON, out of range or of the wrong type; good ones still land', async () => {
    const d = await register('brygga-3');
    const other = await register('brygga-4');
    const refused = [
      { temperature: 1 },
      { temperature: 2, deviceKey: other.key },
      'warm today',
      { temperature: 99, deviceKey: d.key },
      { temperature: 'cold', deviceKey: d.key },
      { humidity: 40, deviceKey: d.key },
    ];
    for (const payload of refused) await device.publish(d.topic, payload);
    await device.publish(`${broker.env.MQTT_TOPIC_PREFIX}/molndal/no-such-device/attrs`, { temperature: 3, deviceKey: d.key });
    await device.publish(d.topic, { temperature: 17.5, door: true, deviceKey: d.key });
    const entity = await entityOnce(d.entityId, (e) => e.temperature !== undefined);
    expect(entity).toMatchObject({ temperature: { value: 17.5 }, doorOpen: { value: true } });
    const status = await statusOnce(d.id, (s) => s.accepted + s.rejected === refused.length + 1);
    expect(status).toMatchObject({ accepted: 1, rejected: refused.length });
    expect(status.lastError.reason).toMatch(/none of the mapped fields/);
    expect((await request(t.http).get(`/api/v1/devices/${other.id}/status`).set(auth.writer)).body).toMatchObject({ accepted: 0, rejected: 0 });
  });
});

describe('ChirpStack uplinks', () => {
  const applicationId = crypto.randomUUID();
  const uplink = (devEui: string, object?: Record<string, unknown>) => ({
    deduplicationId: crypto.randomUUID(),
    time: '2026-11-24T10:05:00.123456+00:00',
    deviceInfo: { tenantId: crypto.randomUUID(), applicationId, applicationName: 'badvatten', deviceName: 'boj', devEui, deviceProfileName: 'Elsys ELT' },
    devAddr: '01a2b3c4',
    fCnt: 7,
    fPort: 5,
    data: 'AQID',
    ...(object ? { object } : {}),
    rxInfo: [{ gatewayId: '0016c001ff10a235', rssi: -110, snr: -2 }, { gatewayId: '0016c001ff10a236', rssi: -95, snr: 7.5 }],
  });
  const registerLoRa = (name: string) => {
    const devEui = crypto.randomUUID().replaceAll('-', '').slice(0, 16);
    return register(name, {
      chirpstack: { applicationId, devEui: devEui.toUpperCase() },
      mapping: [
        { field: 'water.temperature', attribute: 'temperature', type: 'number', unitCode: 'CEL' },
        { field: 'rxInfo.rssi', attribute: 'rssi', type: 'number', unitCode: '2N' },
      ],
    }).then((d) => ({ ...d, devEui }));
  };

  it('arrive without a key, mapped from the decoded object and the best gateway, at the uplink time', async () => {
    const d = await registerLoRa('boj-1');
    await device.publish(`application/${applicationId}/device/${d.devEui}/event/up`, uplink(d.devEui, { water: { temperature: 14.2 } }));
    const entity = await entityOnce(d.entityId, (e) => e.temperature !== undefined);
    expect(entity).toMatchObject({
      temperature: { value: 14.2, unitCode: 'CEL', observedAt: '2026-11-24T10:05:00.123Z' },
      rssi: { value: -95, unitCode: '2N' },
    });
  });

  it("are refused from another ChirpStack application than the device's, and without a codec's object", async () => {
    const d = await registerLoRa('boj-2');
    const otherApplication = crypto.randomUUID();
    await device.publish(`application/${otherApplication}/device/${d.devEui}/event/up`, { ...uplink(d.devEui, { water: { temperature: 1 } }), deviceInfo: { applicationId: otherApplication, devEui: d.devEui } });
    let status = await statusOnce(d.id, (s) => s.rejected === 1);
    expect(status.lastError.reason).toBe(`the device is not registered under ChirpStack application ${otherApplication}`);
    await device.publish(`application/${applicationId}/device/${d.devEui}/event/up`, uplink(d.devEui));
    status = await statusOnce(d.id, (s) => s.rejected === 2);
    expect(status.lastError.reason).toMatch(/no decoded "object".*codec/);
    expect(status.accepted).toBe(0);
  });
});

describe('batches', () => {
  it('store every one of many messages from many devices, several messages per transaction', async () => {
    const devices = await Promise.all(Array.from({ length: 10 }, (_, i) => register(`flotte-${i}`)));
    const before = (await request(t.http).get('/api/v1/ingest/status').expect(200)).body;
    const perDevice = 30;
    await Promise.all(
      devices.map(async (d) => {
        for (let n = 1; n <= perDevice; n++) await device.publish(d.topic, { temperature: n, observedAt: new Date(Date.UTC(2026, 10, 24, 12, 0, n)).toISOString(), deviceKey: d.key });
      }),
    );
    for (const d of devices) {
      await statusOnce(d.id, (s) => s.accepted === perDevice);
      expect((await entityOnce(d.entityId, (e) => e.temperature?.value === perDevice)).temperature.observedAt).toBe('2026-11-24T12:00:30.000Z');
    }
    const after = (await request(t.http).get('/api/v1/ingest/status').expect(200)).body;
    expect(after.messages.accepted - before.messages.accepted).toBe(devices.length * perDevice);
    if (Number(broker.env.MQTT_CONNECTIONS) > 1) expect(after.batches - before.batches).toBeLessThan(devices.length * perDevice);
    expect(after).toMatchObject({ enabled: true, connected: true, failedCommits: 0 });
  }, 60_000);
});
