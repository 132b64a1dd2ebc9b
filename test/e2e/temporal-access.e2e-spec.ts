import request from 'supertest';
import { Sql } from 'src/database/sql';
import { HistoryPartitions } from 'src/ngsi-ld/temporal/history-partitions';
import { IdentityProvider, startIdentityProvider } from 'test/support/identity-provider';
import { startTestApp, TestApp } from 'test/support/test-app';

/*
 * Who reads and writes history: the datasets, grants and combination rules of current-state reads
 * apply to history too; and where history rows are stored (retention classes, month partitions).
 * Göteborg publishes an open K0 dataset of beaches and a K2 dataset of water meters; Borås is
 * another member organisation.
 */

const ERRORS = 'https://uri.etsi.org/ngsi-ld/errors/';
const FORBIDDEN = 'urn:vg-datashare:problem:forbidden';
let idp: IdentityProvider;
let t: TestApp;
const auth = {} as Record<'gbgAdmin' | 'gbgWriter' | 'gbgMember' | 'borasWriter' | 'borasMember' | 'analyst', Record<string, string>>;
const datasets = {} as Record<'beaches' | 'meters', string>;

const BEACH = 'urn:ngsi-ld:Beach:askim';
const METER = 'urn:ngsi-ld:Meter:house-1';
const property = (value: unknown, observedAt: string) => ({ type: 'Property', value, observedAt });
const day = (n: number) => `2026-06-${String(n).padStart(2, '0')}T08:00:00.000Z`;

async function dataset(body: Record<string, unknown>): Promise<string> {
  const res = await request(t.http)
    .post('/api/v1/datasets')
    .set(auth.gbgAdmin)
    .send({ title: { sv: 'Data' }, description: { sv: 'Data' }, classification: { confidentiality: 1, integrity: 1, availability: 1 }, ...body })
    .expect(201);
  return res.body.id;
}

function send(method: 'post' | 'patch', path: string, body: unknown, headers: Record<string, string>) {
  return request(t.http)[method](`/ngsi-ld/v1${path}`).set({ ...headers, 'content-type': 'application/json' }).send(JSON.stringify(body));
}

const history = (id: string, headers: Record<string, string> = {}, params = '') =>
  request(t.http).get(`/ngsi-ld/v1/temporal/entities/${encodeURIComponent(id)}${params}`).set(headers);
const query = (params: string, headers: Record<string, string> = {}) => request(t.http).get(`/ngsi-ld/v1/temporal/entities?${params}`).set(headers);
const valuesOf = (instances: { value: unknown }[] | undefined) => (instances ?? []).map((i) => i.value);
const sql = () => t.app.get(Sql);

function expectProblem(res: request.Response, status: number, type: string) {
  expect(res.status).toBe(status);
  expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
  expect(res.body.type).toBe(type);
}

beforeAll(async () => {
  idp = await startIdentityProvider();
  t = await startTestApp({ ...idp.env, LOG_LEVEL: 'error' }, { caller: 'anonymous' });
  auth.gbgAdmin = await idp.bearer({ sub: 'admin-gbg', organisation: 'goteborg', roles: ['admin'], amr: ['pwd', 'otp'] });
  auth.gbgWriter = await idp.bearer({ sub: 'writer-gbg', organisation: 'goteborg', roles: ['writer'] });
  auth.gbgMember = await idp.bearer({ sub: 'member-gbg', organisation: 'goteborg' });
  auth.borasWriter = await idp.bearer({ sub: 'writer-boras', organisation: 'boras', roles: ['writer'] });
  auth.borasMember = await idp.bearer({ sub: 'member-boras', organisation: 'boras' });
  auth.analyst = await idp.bearer({ sub: 'analyst', organisation: 'boras' });
  datasets.beaches = await dataset({ entities: [{ type: 'Beach' }], classification: { confidentiality: 0, integrity: 1, availability: 1 }, open: true, retentionPeriod: 'P30D' });
  datasets.meters = await dataset({ entities: [{ type: 'Meter' }], classification: { confidentiality: 2, integrity: 2, availability: 1 }, retentionPeriod: 'P2Y' });
  await send('post', '/temporal/entities', { id: BEACH, type: 'Beach', temperature: [property(16, day(1)), property(18, day(2))] }, auth.gbgWriter).expect(201);
  await send('post', '/temporal/entities', { id: METER, type: 'Meter', volume: [property(100, day(1)), property(130, day(2))] }, auth.gbgWriter).expect(201);
}, 60_000);
afterAll(async () => {
  await t?.close();
  await idp?.close();
}, 60_000);

describe('reading history', () => {
  it('lets anyone, without credentials, read the history of an open K0 dataset', async () => {
    expect(valuesOf((await history(BEACH).expect(200)).body.temperature)).toEqual([16, 18]);
    expect((await query('type=Beach').expect(200)).body.map((e: { id: string }) => e.id)).toEqual([BEACH]);
  });

  it('hides the history of a K2 dataset from anonymous callers and other organisations, as if absent', async () => {
    for (const caller of [{}, auth.borasMember, auth.borasWriter]) {
      expectProblem(await history(METER, caller), 404, `${ERRORS}ResourceNotFound`);
      expect((await query('type=Meter', caller).expect(200)).body).toEqual([]);
      const counted = await query('type=Meter&count=true', caller).expect(200);
      expect(counted.headers['ngsild-results-count']).toBe('0');
      const aggregated = await history(METER, caller, '?format=aggregatedValues&aggrMethods=sum');
      expect(aggregated.status).toBe(404);
    }
  });

  it('shows the history of a K2 dataset to its own organisation', async () => {
    expect(valuesOf((await history(METER, auth.gbgMember).expect(200)).body.volume)).toEqual([100, 130]);
    expect((await query('type=Meter&format=aggregatedValues&aggrMethods=sum', auth.gbgMember).expect(200)).body[0].volume.sum[0][0]).toBe(230);
  });

  it('shows it to a principal granted the dataset, and hides it again on the request after the grant is revoked', async () => {
    expectProblem(await history(METER, auth.analyst), 404, `${ERRORS}ResourceNotFound`);
    const grant = await request(t.http).post(`/api/v1/datasets/${datasets.meters}/grants`).set(auth.gbgAdmin).send({ principal: 'analyst' }).expect(201);
    expect(valuesOf((await history(METER, auth.analyst).expect(200)).body.volume)).toEqual([100, 130]);
    expect((await query('type=Meter', auth.analyst).expect(200)).body).toHaveLength(1);
    await request(t.http).delete(`/api/v1/datasets/${datasets.meters}/grants/${grant.body.id}`).set(auth.gbgAdmin).expect(204);
    expectProblem(await history(METER, auth.analyst), 404, `${ERRORS}ResourceNotFound`);
    expect((await query('type=Meter', auth.analyst).expect(200)).body).toEqual([]);
  });
});

describe('an entity that moves to another dataset', () => {
  const LAMP = 'urn:ngsi-ld:Lamp:1';
  let restricted: string;
  let open: string;
  beforeAll(async () => {
    restricted = await dataset({ entities: [{ type: 'Lamp' }], classification: { confidentiality: 2, integrity: 1, availability: 1 } });
    await send('post', '/temporal/entities', { id: LAMP, type: 'Lamp', power: [property(10, day(1)), property(11, day(2))] }, auth.gbgWriter).expect(201);
    // A more specific rule of an open dataset claims the lamp: it moves there, its history stays where it was written.
    open = await dataset({ entities: [{ type: 'Lamp', idPattern: '^urn:ngsi-ld:Lamp:1$' }], classification: { confidentiality: 0, integrity: 1, availability: 1 }, open: true });
    await send('patch', `/entities/${LAMP}/attrs`, { power: property(12, day(3)) }, auth.gbgWriter).expect(204);
  });

  it('is now in the open dataset, its current state public', async () => {
    const rows = await sql().query<{ dataset_id: string }>('SELECT dataset_id FROM entity WHERE id = $1', [LAMP]);
    expect(rows.rows[0].dataset_id).toBe(open);
    expect((await request(t.http).get(`/ngsi-ld/v1/entities/${LAMP}?options=keyValues`).expect(200)).body.power).toBe(12);
  });

  it('shows anonymous callers only the history written since it moved: older values keep the restricted dataset', async () => {
    expect(valuesOf((await history(LAMP).expect(200)).body.power)).toEqual([12]);
    expect(valuesOf((await history(LAMP, auth.borasMember).expect(200)).body.power)).toEqual([12]);
  });

  it('shows its own organisation the whole history', async () => {
    expect(valuesOf((await history(LAMP, auth.gbgMember).expect(200)).body.power)).toEqual([10, 11, 12]);
  });

  it('leaves it out of a query whose time window holds only values the caller may not read', async () => {
    const window = `type=Lamp&timerel=before&timeAt=${day(3)}&count=true`;
    const anonymous = await query(window).expect(200);
    expect(anonymous.body).toEqual([]);
    expect(anonymous.headers['ngsild-results-count']).toBe('0');
    const own = await query(window, auth.gbgMember).expect(200);
    expect(own.body.map((e: { id: string }) => e.id)).toEqual([LAMP]);
    expect(valuesOf(own.body[0].power)).toEqual([10, 11]);
  });

  it('hides the whole history when it moves (VGDS-Dataset) into a dataset the caller may not read', async () => {
    const DESK = 'urn:ngsi-ld:Lamp:desk';
    await send('post', '/temporal/entities', { id: DESK, type: 'Lamp', power: [property(1, day(1))] }, { ...auth.gbgWriter, 'vgds-dataset': open }).expect(201);
    expect(valuesOf((await history(DESK).expect(200)).body.power)).toEqual([1]);
    await send('post', '/entityOperations/upsert?options=update', [{ id: DESK, type: 'Lamp', power: property(2, day(2)) }], { ...auth.gbgWriter, 'vgds-dataset': restricted }).expect(204);
    expectProblem(await history(DESK), 404, `${ERRORS}ResourceNotFound`);
    expect(valuesOf((await history(DESK, auth.gbgMember).expect(200)).body.power)).toEqual([1, 2]);
  });
});

describe('an entity whose types change', () => {
  it('moves, like a current-state write, to the dataset its new type belongs to, with the values written from then on', async () => {
    const POLE = 'urn:ngsi-ld:Pole:1';
    const streetlights = await dataset({ entities: [{ type: 'Streetlight' }], classification: { confidentiality: 0, integrity: 1, availability: 1 }, open: true });
    await send('post', '/temporal/entities', { id: POLE, type: 'Pole', tilt: [property(1, day(1))] }, auth.gbgWriter).expect(201);
    expectProblem(await history(POLE), 404, `${ERRORS}ResourceNotFound`);
    await send('post', '/temporal/entities', { id: POLE, type: 'Streetlight', tilt: [property(2, day(2))] }, auth.gbgWriter).expect(204);
    const rows = await sql().query<{ dataset_id: string }>('SELECT dataset_id FROM entity WHERE id = $1', [POLE]);
    expect(rows.rows[0].dataset_id).toBe(streetlights);
    const res = await history(POLE).expect(200);
    expect(res.body.type).toEqual(['Pole', 'Streetlight']);
    expect(valuesOf(res.body.tilt)).toEqual([2]);
  });
});

describe('writing history', () => {
  const beachInstance = async () => (await history(BEACH).expect(200)).body.temperature[0].instanceId as string;
  const writes = (id: string, instanceId: string): [string, () => request.Test][] => [
    ['add instances (POST /temporal/entities)', () => send('post', '/temporal/entities', { id, temperature: [property(1, day(9))], volume: [property(1, day(9))] }, auth.borasWriter)],
    ['add instances (POST …/attrs)', () => send('post', `/temporal/entities/${id}/attrs`, { temperature: [property(1, day(9))] }, auth.borasWriter)],
    ['change an instance', () => send('patch', `/temporal/entities/${id}/attrs/temperature/${encodeURIComponent(instanceId)}`, { value: 1 }, auth.borasWriter)],
    ['delete an instance', () => request(t.http).delete(`/ngsi-ld/v1/temporal/entities/${id}/attrs/temperature/${encodeURIComponent(instanceId)}`).set(auth.borasWriter)],
    ['delete an attribute’s history', () => request(t.http).delete(`/ngsi-ld/v1/temporal/entities/${id}/attrs/temperature?deleteAll=true`).set(auth.borasWriter)],
    ['delete the temporal entity', () => request(t.http).delete(`/ngsi-ld/v1/temporal/entities/${id}`).set(auth.borasWriter)],
  ];

  it('needs credentials (401)', async () => {
    const res = await send('post', '/temporal/entities', { id: 'urn:ngsi-ld:Beach:new', type: 'Beach', temperature: [property(1, day(1))] }, {});
    expect(res.status).toBe(401);
    expect(res.body.type).toBe('urn:vg-datashare:problem:unauthorized');
    expect((await request(t.http).delete(`/ngsi-ld/v1/temporal/entities/${BEACH}`)).status).toBe(401);
  });

  it('needs the writer role (403)', async () => {
    expectProblem(await send('post', `/temporal/entities/${BEACH}/attrs`, { temperature: [property(1, day(9))] }, auth.gbgMember), 403, FORBIDDEN);
    expectProblem(await send('post', '/temporal/entities', { id: 'urn:ngsi-ld:Beach:new', type: 'Beach', temperature: [property(1, day(1))] }, auth.borasMember), 403, FORBIDDEN);
  });

  it('answers 403 to another organisation’s writer for every write to a history it can see, changing nothing', async () => {
    const instanceId = await beachInstance();
    for (const [, write] of writes(BEACH, instanceId)) expectProblem(await write(), 403, FORBIDDEN);
    expect(valuesOf((await history(BEACH).expect(200)).body.temperature)).toEqual([16, 18]);
  });

  it('answers 404 to another organisation’s writer for every write to a history it cannot see, changing nothing', async () => {
    const instanceId = (await history(METER, auth.gbgMember).expect(200)).body.volume[0].instanceId;
    for (const [name, write] of writes(METER, instanceId).slice(1)) {
      const res = await write();
      expect([name, res.status]).toEqual([name, 404]);
      expect(res.body.type).toBe(`${ERRORS}ResourceNotFound`);
    }
    expect(valuesOf((await history(METER, auth.gbgMember).expect(200)).body.volume)).toEqual([100, 130]);
  });

  it('answers 409 AlreadyExists to creating a temporal entity whose id another organisation holds, writing nothing into its history', async () => {
    const res = await send('post', '/temporal/entities', { id: METER, type: 'Meter', volume: [property(999, day(9))] }, auth.borasWriter);
    expectProblem(res, 409, `${ERRORS}AlreadyExists`);
    const all = await history(METER, auth.gbgAdmin).expect(200);
    expect(valuesOf(all.body.volume)).toEqual([100, 130]);
    const rows = await sql().query('SELECT 1 FROM attribute_instance WHERE entity_id = $1', [METER]);
    expect(rows.rowCount).toBe(2);
  });

  it('lets the owning organisation’s writer add to the history', async () => {
    const id = 'urn:ngsi-ld:Meter:house-2';
    await send('post', '/temporal/entities', { id, type: 'Meter', volume: [property(100, day(1))] }, auth.gbgWriter).expect(201);
    await send('post', `/temporal/entities/${id}/attrs`, { volume: [property(160, day(3))] }, auth.gbgWriter).expect(204);
    expect(valuesOf((await history(id, auth.gbgMember).expect(200)).body.volume)).toEqual([100, 160]);
  });
});

describe('combination rules', () => {
  beforeAll(async () => {
    const positions = await dataset({ entities: [{ type: 'CounterPosition' }] });
    const times = await dataset({ entities: [{ type: 'CounterTime' }] });
    await send('post', '/temporal/entities', { id: 'urn:ngsi-ld:CounterPosition:1', type: 'CounterPosition', count: [property(3, day(1))] }, auth.gbgWriter).expect(201);
    await send('post', '/temporal/entities', { id: 'urn:ngsi-ld:CounterTime:1', type: 'CounterTime', count: [property(4, day(1))] }, auth.gbgWriter).expect(201);
    await request(t.http).post('/api/v1/combination-rules').set(auth.gbgAdmin).send({ name: 'Counters: positions with times', datasets: [positions, times], confidentiality: 3 }).expect(201);
  });

  it('lets a member read each dataset’s history alone', async () => {
    expect((await query('type=CounterPosition', auth.borasMember).expect(200)).body).toHaveLength(1);
    expect((await query('type=CounterTime', auth.borasMember).expect(200)).body).toHaveLength(1);
  });

  it('refuses a temporal query drawing on both (403 combination-refused), in the URL or in the body', async () => {
    const res = await query('type=CounterPosition,CounterTime', auth.borasMember);
    expectProblem(res, 403, 'urn:vg-datashare:problem:combination-refused');
    expect(res.body.detail).toContain('Counters: positions with times');
    expectProblem(await query('type=CounterPosition,CounterTime&format=aggregatedValues&aggrMethods=sum', auth.borasMember), 403, 'urn:vg-datashare:problem:combination-refused');
    const body = await request(t.http)
      .post('/ngsi-ld/v1/temporal/entityOperations/query')
      .set({ ...auth.borasMember, 'content-type': 'application/json' })
      .send(JSON.stringify({ type: 'Query', entities: [{ type: 'CounterPosition' }, { type: 'CounterTime' }], temporalQ: { lastN: 1 } }));
    expectProblem(body, 403, 'urn:vg-datashare:problem:combination-refused');
  });
});

describe('where history is stored', () => {
  const partitionsOf = async (id: string) =>
    (await sql().query<{ part: string }>('SELECT DISTINCT tableoid::regclass::text AS part FROM attribute_instance WHERE entity_id = $1 ORDER BY 1', [id])).rows.map((r) => r.part);
  const month = (date: Date) => `${date.getUTCFullYear()}${String(date.getUTCMonth() + 1).padStart(2, '0')}`;

  it('puts a value in the month partition of its dataset’s retention class', async () => {
    const now = new Date();
    await send('post', '/temporal/entities', { id: 'urn:ngsi-ld:Beach:now', type: 'Beach', temperature: [property(15, now.toISOString())] }, auth.gbgWriter).expect(201);
    await send('post', '/temporal/entities', { id: 'urn:ngsi-ld:Meter:now', type: 'Meter', volume: [property(15, now.toISOString())] }, auth.gbgWriter).expect(201);
    await send('post', '/entities', { id: 'urn:ngsi-ld:Unclaimed:now', type: 'Unclaimed', level: { type: 'Property', value: 1 } }, auth.gbgWriter).expect(201);
    expect(await partitionsOf('urn:ngsi-ld:Beach:now')).toEqual([`attribute_instance_p30d_${month(now)}`]);
    expect(await partitionsOf('urn:ngsi-ld:Meter:now')).toEqual([`attribute_instance_p2y_${month(now)}`]);
    // The default dataset keeps no retention period: kept.
    expect(await partitionsOf('urn:ngsi-ld:Unclaimed:now')).toEqual([`attribute_instance_keep_${month(now)}`]);
  });

  it('stores and reads a value observed years ago, and gives it its month partition on the next maintenance run', async () => {
    const id = 'urn:ngsi-ld:Meter:old';
    await send('post', '/temporal/entities', { id, type: 'Meter', volume: [property(7, '2019-06-15T10:00:00Z'), property(8, '2019-07-01T00:00:00Z')] }, auth.gbgWriter).expect(201);
    expect(await partitionsOf(id)).toEqual(['attribute_instance_p2y_default']);
    const read = async () => (await history(id, auth.gbgMember, '?timerel=before&timeAt=2020-01-01T00:00:00Z').expect(200)).body.volume.map((i: { value: number; observedAt: string }) => [i.value, i.observedAt]);
    expect(await read()).toEqual([[7, '2019-06-15T10:00:00Z'], [8, '2019-07-01T00:00:00Z']]);
    expect(await t.app.get(HistoryPartitions).ensure()).toBeGreaterThanOrEqual(2);
    expect(await partitionsOf(id)).toEqual(['attribute_instance_p2y_201906', 'attribute_instance_p2y_201907']);
    expect(await read()).toEqual([[7, '2019-06-15T10:00:00Z'], [8, '2019-07-01T00:00:00Z']]);
    const months = 'timerel=between&timeAt=2019-06-01T00:00:00Z&endTimeAt=2019-08-01T00:00:00Z';
    const monthly = await history(id, auth.gbgMember, `?${months}&format=aggregatedValues&aggrMethods=sum&aggrPeriodDuration=P1M`).expect(200);
    expect(monthly.body.volume.sum).toEqual([
      [7, '2019-06-01T00:00:00.000Z', '2019-07-01T00:00:00.000Z'],
      [8, '2019-07-01T00:00:00.000Z', '2019-08-01T00:00:00.000Z'],
    ]);
  });

  it('moves an instance to another month partition when its observedAt changes', async () => {
    const id = 'urn:ngsi-ld:Meter:older';
    await send('post', '/temporal/entities', { id, type: 'Meter', volume: [property(5, '2018-03-10T00:00:00Z')] }, auth.gbgWriter).expect(201);
    await t.app.get(HistoryPartitions).ensure();
    expect(await partitionsOf(id)).toEqual(['attribute_instance_p2y_201803']);
    const [instance] = (await history(id, auth.gbgMember).expect(200)).body.volume;
    await send('patch', `/temporal/entities/${id}/attrs/volume/${encodeURIComponent(instance.instanceId)}`, { observedAt: '2018-04-20T00:00:00Z' }, auth.gbgWriter).expect(204);
    await t.app.get(HistoryPartitions).ensure();
    expect(await partitionsOf(id)).toEqual(['attribute_instance_p2y_201804']);
    const moved = await history(id, auth.gbgMember, '?timerel=between&timeAt=2018-04-01T00:00:00Z&endTimeAt=2018-05-01T00:00:00Z').expect(200);
    expect(moved.body.volume).toEqual([expect.objectContaining({ value: 5, observedAt: '2018-04-20T00:00:00Z', instanceId: instance.instanceId })]);
  });
});
