import crypto from 'node:crypto';
import { Client } from 'pg';
import request from 'supertest';
import { ContextServer, startContextServer } from 'test/support/context-server';
import { IdentityProvider, startIdentityProvider, TokenClaims } from 'test/support/identity-provider';
import { startTestApp, TestApp } from 'test/support/test-app';

/*
 * The device registry under /api/v1/devices: validation, who may do what, keys shown once,
 * names expanded with the device's @context, audit records. Organisation "kungalv" owns the
 * devices; "ale" is another member organisation. No broker is needed for any of this.
 */

// Messages and an embedded database take their time; the polls inside have their own deadlines.
jest.setTimeout(30_000);

const ERRORS = 'https://uri.etsi.org/ngsi-ld/errors/';
const FORBIDDEN = 'urn:vg-datashare:problem:forbidden';
const UNAUTHORIZED = 'urn:vg-datashare:problem:unauthorized';
const MFA = ['pwd', 'otp'];
const CALLERS = {
  admin: { sub: 'admin-k', organisation: 'kungalv', roles: ['admin'], amr: MFA },
  writer: { sub: 'writer-k', organisation: 'kungalv', roles: ['writer'] },
  member: { sub: 'member-k', organisation: 'kungalv' },
  otherWriter: { sub: 'writer-a', organisation: 'ale', roles: ['writer'] },
  otherAdmin: { sub: 'admin-a', organisation: 'ale', roles: ['admin'], amr: MFA },
  platform: { sub: 'platform', roles: ['platform-admin'], amr: MFA },
} satisfies Record<string, TokenClaims>;
type Caller = keyof typeof CALLERS | 'anonymous';

let idp: IdentityProvider;
let contexts: ContextServer;
let t: TestApp;
const as: Record<string, Record<string, string>> = { anonymous: {} };
const datasets = {} as { k2: string; open: string; retired: string; other: string };

const call = (method: 'get' | 'post' | 'patch' | 'delete', path: string, who: Caller, body?: object) => {
  const req = request(t.http)[method](path).set(as[who]);
  return body === undefined ? req : req.send(body);
};

function expectProblem(res: request.Response, status: number, type: string, detail?: RegExp) {
  expect(res.status).toBe(status);
  expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
  expect(res.body.type).toBe(type.includes(':') ? type : ERRORS + type);
  if (detail) expect(res.body.detail).toMatch(detail);
}

const deviceBody = (overrides: Record<string, unknown> = {}) => ({
  deviceId: `sensor-${Math.random().toString(36).slice(2, 10)}`,
  entity: { id: 'urn:ngsi-ld:WeatherObserved:kungalv-1', type: 'WeatherObserved' },
  dataset: datasets.k2,
  mapping: [{ field: 'temp', attribute: 'temperature', type: 'number', unitCode: 'CEL', scale: 0.1 }],
  ...overrides,
});

async function createDevice(overrides: Record<string, unknown> = {}, who: Caller = 'writer'): Promise<Record<string, any>> {
  const res = await call('post', '/api/v1/devices', who, deviceBody(overrides));
  expect(res.status).toBe(201);
  return res.body;
}

async function createDataset(who: Caller, body: Record<string, unknown> = {}): Promise<string> {
  const res = await call('post', '/api/v1/datasets', who, { title: { sv: 'Väder' }, description: { sv: 'Väderstationer' }, classification: { confidentiality: 2, integrity: 1, availability: 1 }, ...body });
  expect(res.status).toBe(201);
  return res.body.id;
}

async function stored<T>(sql: string, params: unknown[]): Promise<T[]> {
  const client = new Client({ connectionString: t.config.database.url });
  await client.connect();
  try {
    return (await client.query(sql, params)).rows as T[];
  } finally {
    await client.end();
  }
}

beforeAll(async () => {
  idp = await startIdentityProvider();
  contexts = await startContextServer();
  t = await startTestApp(idp.env, { caller: 'anonymous' });
  for (const [name, claims] of Object.entries(CALLERS)) as[name] = { authorization: `Bearer ${await idp.token(claims)}` };
  datasets.k2 = await createDataset('admin');
  datasets.open = await createDataset('admin', { classification: { confidentiality: 0, integrity: 1, availability: 1 }, open: true });
  datasets.retired = await createDataset('admin');
  await call('delete', `/api/v1/datasets/${datasets.retired}`, 'admin').expect(204);
  datasets.other = await createDataset('otherAdmin', { classification: { confidentiality: 0, integrity: 1, availability: 1 } });
}, 60_000);

afterAll(async () => {
  await t?.close();
  await contexts?.close();
  await idp?.close();
}, 60_000);

describe('registering a device', () => {
  it('answers 201 with Location, the key once (no-store), compact names and the topic to publish on', async () => {
    const res = await call('post', '/api/v1/devices', 'writer', deviceBody({ deviceId: 'vader-1' })).expect(201);
    expect(res.headers.location).toBe(`/api/v1/devices/${res.body.id}`);
    expect(res.headers['cache-control']).toBe('no-store');
    expect(res.body.key).toMatch(new RegExp(`^vgdsdev_${res.body.id.replaceAll('-', '')}_[A-Za-z0-9_-]{43}$`));
    expect(res.body).toMatchObject({
      deviceId: 'vader-1',
      organisation: 'kungalv',
      tenant: '',
      entity: { id: 'urn:ngsi-ld:WeatherObserved:kungalv-1', type: 'WeatherObserved' },
      dataset: datasets.k2,
      mapping: [{ field: 'temp', attribute: 'temperature', type: 'number', unitCode: 'CEL', scale: 0.1 }],
      topics: ['vgds/kungalv/vader-1/attrs'],
    });
    const again = await call('get', `/api/v1/devices/${res.body.id}`, 'member').expect(200);
    expect(again.body).not.toHaveProperty('key');
    expect(JSON.stringify(again.body)).not.toContain(res.body.key.slice(-43)); // the secret (base64url, which may hold "_")
  });

  it('lists every problem of an invalid body in one 400', async () => {
    const res = await call('post', '/api/v1/devices', 'writer', {
      deviceId: 'has space',
      entity: { id: 'not a uri', type: 'WeatherObserved' },
      dataset: 'x',
      mapping: [
        { field: 'temp', attribute: 'temperature', type: 'string', scale: 2 },
        { field: 'hum', attribute: 'relativeHumidity', type: 'number', unitCode: 'percent', min: 5, max: 1 },
      ],
      chirpstack: { applicationId: 'app', devEui: '12' },
      colour: 'red',
    });
    expectProblem(res, 400, 'BadRequestData');
    for (const path of ['deviceId', 'entity.id', 'dataset', 'mapping.0.scale', 'mapping.1.unitCode', 'mapping.1.min', 'chirpstack.devEui', 'colour']) {
      expect(res.body.detail).toContain(path);
    }
  });

  it('refuses names that do not expand or that NGSI-LD reserves', async () => {
    const res = await call('post', '/api/v1/devices', 'writer', deviceBody({ mapping: [{ field: 'a', attribute: 'location', type: 'number' }, { field: 'b', attribute: 'id', type: 'string' }] }));
    expectProblem(res, 400, 'BadRequestData', /mapping.0.attribute: "location" is a name NGSI-LD reserves/);
    expect(res.body.detail).toMatch(/mapping.1.attribute "id" does not expand to an IRI/);
  });

  it('refuses an attribute name longer than the history can index, instead of failing every message', async () => {
    const res = await call('post', '/api/v1/devices', 'writer', deviceBody({ mapping: [{ field: 'a', attribute: `urn:x:${'a'.repeat(600)}`, type: 'number' }] }));
    expectProblem(res, 400, 'BadRequestData', /mapping.0.attribute: its IRI has 606 characters, at most 512/);
  });

  it("expands names with the device's @context, keeps the IRIs, and shows the short names back", async () => {
    const jsonldContext = contexts.url('weather.jsonld');
    const device = await createDevice({ jsonldContext, mapping: [{ field: 'rh', attribute: 'relativeHumidity', type: 'number', min: 0, max: 100 }] });
    expect(device.entity.type).toBe('WeatherObserved');
    expect(device.mapping[0].attribute).toBe('relativeHumidity');
    const [row] = await stored<{ entity_type: string; mapping: { attribute: string }[] }>('SELECT entity_type, mapping FROM device WHERE id = $1', [device.id]);
    expect(row.entity_type).toBe('https://smartdatamodels.org/dataModel.Weather/WeatherObserved');
    expect(row.mapping[0].attribute).toBe('https://smartdatamodels.org/dataModel.Weather/relativeHumidity');
  });

  it('needs a dataset of the organisation that is active and that the caller may write', async () => {
    expectProblem(await call('post', '/api/v1/devices', 'writer', deviceBody({ dataset: datasets.retired })), 400, 'BadRequestData', /retired/);
    expectProblem(await call('post', '/api/v1/devices', 'writer', deviceBody({ dataset: datasets.other })), 400, 'BadRequestData', /belongs to ale/);
    expectProblem(await call('post', '/api/v1/devices', 'writer', deviceBody({ dataset: crypto.randomUUID() })), 400, 'BadRequestData', /No dataset/);
    expectProblem(await call('post', '/api/v1/devices', 'member', deviceBody()), 403, FORBIDDEN, /may not write into dataset/);
    // Another organisation's writer: the K2 dataset does not exist for it, the open one is not its own.
    expectProblem(await call('post', '/api/v1/devices', 'otherWriter', deviceBody()), 400, 'BadRequestData', /No dataset/);
    expectProblem(await call('post', '/api/v1/devices', 'otherWriter', deviceBody({ dataset: datasets.open, organisation: 'kungalv' })), 403, FORBIDDEN);
    expectProblem(await call('post', '/api/v1/devices', 'anonymous', deviceBody()), 401, UNAUTHORIZED);
  });

  it('refuses a second device of the same name in the organisation, and a DevEUI already taken', async () => {
    await createDevice({ deviceId: 'twin', chirpstack: { applicationId: 'app-1', devEui: 'A1B2C3D4E5F60718' } });
    expectProblem(await call('post', '/api/v1/devices', 'writer', deviceBody({ deviceId: 'twin' })), 409, 'AlreadyExists', /named twin/);
    const clash = deviceBody({ chirpstack: { applicationId: 'app-1', devEui: 'a1b2c3d4e5f60718' } });
    expectProblem(await call('post', '/api/v1/devices', 'writer', clash), 409, 'AlreadyExists', /DevEUI a1b2c3d4e5f60718/);
  });
});

describe('reading devices', () => {
  it("shows a device to its organisation's members and platform admins, and to nobody else", async () => {
    const device = await createDevice();
    for (const who of ['writer', 'member', 'platform'] as const) await call('get', `/api/v1/devices/${device.id}`, who).expect(200);
    expectProblem(await call('get', `/api/v1/devices/${device.id}`, 'otherWriter'), 404, 'ResourceNotFound');
    expectProblem(await call('get', `/api/v1/devices/${device.id}`, 'anonymous'), 401, UNAUTHORIZED);
    expectProblem(await call('get', '/api/v1/devices/not-a-uuid', 'writer'), 404, 'ResourceNotFound');
  });

  it("lists the organisation's devices a page at a time with X-Total-Count; other organisations' stay hidden", async () => {
    const res = await call('get', '/api/v1/devices?limit=2&offset=1', 'member').expect(200);
    const total = Number(res.headers['x-total-count']);
    expect(total).toBeGreaterThanOrEqual(3);
    expect(res.body).toHaveLength(2);
    expect(res.body.every((d: { organisation: string }) => d.organisation === 'kungalv')).toBe(true);
    expect((await call('get', '/api/v1/devices', 'otherWriter').expect(200)).headers['x-total-count']).toBe('0');
    expect((await call('get', '/api/v1/devices?organisation=kungalv', 'otherWriter').expect(200)).body).toEqual([]);
    expect((await call('get', '/api/v1/devices?organisation=kungalv', 'platform').expect(200)).headers['x-total-count']).toBe(String(total));
    expectProblem(await call('get', '/api/v1/devices?colour=red', 'member'), 400, 'BadRequestData');
    expectProblem(await call('get', '/api/v1/devices', 'anonymous'), 401, UNAUTHORIZED);
  });

  it('shows the status to its own organisation only', async () => {
    const device = await createDevice();
    expect((await call('get', `/api/v1/devices/${device.id}/status`, 'member').expect(200)).body).toEqual({ id: device.id, deviceId: device.deviceId, accepted: 0, rejected: 0 });
    expectProblem(await call('get', `/api/v1/devices/${device.id}/status`, 'otherWriter'), 404, 'ResourceNotFound');
  });
});

describe('changing devices', () => {
  it('changes what a writer of its dataset asks, and audits it', async () => {
    const device = await createDevice();
    const res = await call('patch', `/api/v1/devices/${device.id}`, 'writer', { mapping: [{ field: 't', attribute: 'temperature', type: 'number', max: 50 }], chirpstack: null }).expect(200);
    expect(res.body.mapping).toEqual([{ field: 't', attribute: 'temperature', type: 'number', max: 50 }]);
    expect(res.body.entity.type).toBe('WeatherObserved');
    const audit = await call('get', `/api/v1/audit-log?organisation=kungalv&event=device.updated`, 'admin').expect(200);
    expect(audit.body.some((e: { target: string; details: { changed: string[] } }) => e.target === device.id && e.details.changed.includes('mapping'))).toBe(true);
  });

  it('refuses members who may not write (403), other organisations (404) and anonymous callers (401)', async () => {
    const device = await createDevice();
    for (const method of ['patch', 'delete'] as const) {
      expectProblem(await call(method, `/api/v1/devices/${device.id}`, 'member', { deviceId: 'x' }), 403, FORBIDDEN);
      expectProblem(await call(method, `/api/v1/devices/${device.id}`, 'otherWriter', { deviceId: 'x' }), 404, 'ResourceNotFound');
      expectProblem(await call(method, `/api/v1/devices/${device.id}`, 'anonymous', { deviceId: 'x' }), 401, UNAUTHORIZED);
    }
    expectProblem(await call('post', `/api/v1/devices/${device.id}/key`, 'member'), 403, FORBIDDEN);
    expectProblem(await call('patch', `/api/v1/devices/${device.id}`, 'writer', { dataset: datasets.retired }), 400, 'BadRequestData', /retired/);
    expectProblem(await call('patch', `/api/v1/devices/${device.id}`, 'writer', { organisation: 'ale' }), 400, 'BadRequestData', /organisation/);
  });

  it('issues a new key that replaces the old one, shown once', async () => {
    const device = await createDevice();
    const [before] = await stored<{ key_hash: string }>('SELECT key_hash FROM device WHERE id = $1', [device.id]);
    const res = await call('post', `/api/v1/devices/${device.id}/key`, 'writer').expect(200);
    expect(res.headers['cache-control']).toBe('no-store');
    expect(res.body.key).toMatch(/^vgdsdev_/);
    expect(res.body.key).not.toBe(device.key);
    const [after] = await stored<{ key_hash: string }>('SELECT key_hash FROM device WHERE id = $1', [device.id]);
    expect(after.key_hash).not.toBe(before.key_hash);
  });

  it('deletes a device, and audits its creation and deletion', async () => {
    const device = await createDevice();
    await call('delete', `/api/v1/devices/${device.id}`, 'writer').expect(204);
    expectProblem(await call('get', `/api/v1/devices/${device.id}`, 'writer'), 404, 'ResourceNotFound');
    const audit = await call('get', '/api/v1/audit-log?organisation=kungalv&limit=1000', 'admin').expect(200);
    const events = audit.body.filter((e: { target: string }) => e.target === device.id).map((e: { event: string; actor: string }) => [e.event, e.actor]);
    expect(events).toEqual([
      ['device.created', 'writer-k'],
      ['device.deleted', 'writer-k'],
    ]);
  });
});
