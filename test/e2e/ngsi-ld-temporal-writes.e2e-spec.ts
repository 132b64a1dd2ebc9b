import request from 'supertest';
import { startTestApp, TestApp } from 'test/support/test-app';

/*
 * What writes do to history: every current-state write path records the attributes it wrote,
 * and the temporal API adds, changes and deletes instances (clauses 5.6.11 to 5.6.16).
 */

const ERRORS = 'https://uri.etsi.org/ngsi-ld/errors/';
const CORE = 'https://uri.etsi.org/ngsi-ld/v1/ngsi-ld-core-context-v1.9.jsonld';
let t: TestApp;

type Instance = { type: string; value?: unknown; object?: string; observedAt?: string; datasetId?: string; instanceId: string; modifiedAt?: string };

const property = (value: unknown, observedAt?: string, extra: object = {}) => ({ type: 'Property', value, ...(observedAt ? { observedAt } : {}), ...extra });
const day = (n: number) => `2026-05-${String(n).padStart(2, '0')}T12:00:00.000Z`;

function send(method: 'post' | 'patch' | 'put', path: string, body: unknown, headers: Record<string, string> = {}) {
  return request(t.http)[method](`/ngsi-ld/v1${path}`).set({ 'content-type': 'application/json', ...headers }).send(JSON.stringify(body));
}

/** The history of an entity, normalized, each attribute a list of instances oldest first. */
async function historyOf(id: string, params = ''): Promise<Record<string, Instance[]>> {
  const res = await request(t.http).get(`/ngsi-ld/v1/temporal/entities/${encodeURIComponent(id)}${params}`).expect(200);
  return res.body;
}

const valuesOf = (instances: Instance[] | undefined) => (instances ?? []).map((i) => i.value);

async function currentValue(id: string, attribute: string) {
  return (await request(t.http).get(`/ngsi-ld/v1/entities/${encodeURIComponent(id)}?options=keyValues`).expect(200)).body[attribute];
}

function expectProblem(res: request.Response, status: number, type: string) {
  expect(res.status).toBe(status);
  expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
  expect(res.body).toMatchObject({ type: ERRORS + type, status });
}

beforeAll(async () => {
  t = await startTestApp({ LOG_LEVEL: 'error' });
}, 60_000);
afterAll(async () => {
  await t?.close();
}, 60_000);

describe('history recorded by current-state writes', () => {
  it('records the attributes of a created entity', async () => {
    const id = 'urn:ngsi-ld:Bin:create';
    await send('post', '/entities', { id, type: 'Bin', fill: property(0.1, day(1)), refRoute: { type: 'Relationship', object: 'urn:ngsi-ld:Route:1' } }).expect(201);
    const history = await historyOf(id);
    expect(valuesOf(history.fill)).toEqual([0.1]);
    expect(history.refRoute.map((i) => i.object)).toEqual(['urn:ngsi-ld:Route:1']);
  });

  it('places a value without observedAt at the time it was written', async () => {
    const id = 'urn:ngsi-ld:Bin:unobserved';
    const before = new Date().toISOString();
    await send('post', '/entities', { id, type: 'Bin', fill: property(0.3) }).expect(201);
    const after = new Date(Date.now() + 1).toISOString();
    const res = await request(t.http).get(`/ngsi-ld/v1/temporal/entities/${id}?options=temporalValues&timerel=between&timeAt=${before}&endTimeAt=${after}`).expect(200);
    expect(res.body.fill.values).toEqual([[0.3, expect.any(String)]]);
    const at = Date.parse(res.body.fill.values[0][1]);
    expect(at).toBeGreaterThanOrEqual(Date.parse(before));
    expect(at).toBeLessThanOrEqual(Date.parse(after));
    expect((await historyOf(id, `?timerel=before&timeAt=${before}`)).fill).toBeUndefined();
  });

  it('records the attributes a PATCH …/attrs changed, and not the others again', async () => {
    const id = 'urn:ngsi-ld:Bin:patch';
    await send('post', '/entities', { id, type: 'Bin', fill: property(0.1, day(1)), temperature: property(4, day(1)) }).expect(201);
    await send('patch', `/entities/${id}/attrs`, { fill: property(0.4, day(2)) }).expect(204);
    const history = await historyOf(id);
    expect(valuesOf(history.fill)).toEqual([0.1, 0.4]);
    expect(valuesOf(history.temperature)).toEqual([4]);
  });

  it('records what POST …/attrs appended or overwrote', async () => {
    const id = 'urn:ngsi-ld:Bin:append';
    await send('post', '/entities', { id, type: 'Bin', fill: property(0.1, day(1)), temperature: property(4, day(1)) }).expect(201);
    await send('post', `/entities/${id}/attrs`, { fill: property(0.2, day(2)), lid: property('closed', day(2)) }).expect(204);
    const history = await historyOf(id);
    expect(valuesOf(history.fill)).toEqual([0.1, 0.2]);
    expect(valuesOf(history.lid)).toEqual(['closed']);
    expect(valuesOf(history.temperature)).toEqual([4]);
  });

  it('records every attribute of a replaced entity (PUT), and keeps the history of those it dropped', async () => {
    const id = 'urn:ngsi-ld:Bin:replace';
    await send('post', '/entities', { id, type: 'Bin', fill: property(0.1, day(1)), temperature: property(4, day(1)) }).expect(201);
    await send('put', `/entities/${id}`, { type: 'Bin', fill: property(0.5, day(3)) }).expect(204);
    const history = await historyOf(id);
    expect(valuesOf(history.fill)).toEqual([0.1, 0.5]);
    expect(valuesOf(history.temperature)).toEqual([4]);
  });

  it('records what a merge (PATCH /entities/{id}) changed', async () => {
    const id = 'urn:ngsi-ld:Bin:merge';
    await send('post', '/entities', { id, type: 'Bin', fill: property(0.1, day(1)), temperature: property(4, day(1)) }).expect(201);
    await send('patch', `/entities/${id}`, { fill: { value: 0.6, observedAt: day(4) } }).expect(204);
    const history = await historyOf(id);
    expect(valuesOf(history.fill)).toEqual([0.1, 0.6]);
    expect(valuesOf(history.temperature)).toEqual([4]);
  });

  it('records a change of one attribute (PATCH and PUT …/attrs/{attr})', async () => {
    const id = 'urn:ngsi-ld:Bin:one';
    await send('post', '/entities', { id, type: 'Bin', fill: property(0.1, day(1)), temperature: property(4, day(1)) }).expect(201);
    await send('patch', `/entities/${id}/attrs/fill`, { value: 0.7, observedAt: day(5) }).expect(204);
    await send('put', `/entities/${id}/attrs/fill`, property(0.8, day(6))).expect(204);
    const history = await historyOf(id);
    expect(valuesOf(history.fill)).toEqual([0.1, 0.7, 0.8]);
    expect(valuesOf(history.temperature)).toEqual([4]);
  });

  it('records each instance of a multi-instance attribute with its datasetId', async () => {
    const id = 'urn:ngsi-ld:Bin:multi';
    await send('post', '/entities', { id, type: 'Bin', fill: [property(0.1, day(1)), property(0.2, day(1), { datasetId: 'urn:ngsi-ld:Dataset:laser' })] }).expect(201);
    await send('patch', `/entities/${id}/attrs/fill`, { value: 0.3, observedAt: day(2), datasetId: 'urn:ngsi-ld:Dataset:laser' }).expect(204);
    const history = await historyOf(id, '?options=temporalValues');
    expect(history.fill).toEqual(
      expect.arrayContaining([
        { type: 'Property', values: [[0.1, day(1)]] },
        { type: 'Property', datasetId: 'urn:ngsi-ld:Dataset:laser', values: [[0.2, day(1)], [0.3, day(2)]] },
      ]),
    );
  });

  it('records what batch create, upsert, update and merge wrote', async () => {
    const [a, b] = ['urn:ngsi-ld:Bin:batch-a', 'urn:ngsi-ld:Bin:batch-b'];
    await send('post', '/entityOperations/create', [{ id: a, type: 'Bin', fill: property(1, day(1)), temperature: property(4, day(1)) }, { id: b, type: 'Bin', fill: property(10, day(1)) }]).expect(201);
    await send('post', '/entityOperations/upsert', [{ id: a, type: 'Bin', fill: property(2, day(2)), temperature: property(4, day(1)) }]).expect(204);
    await send('post', '/entityOperations/upsert?options=update', [{ id: b, type: 'Bin', fill: property(11, day(2)) }]).expect(204);
    await send('post', '/entityOperations/update', [{ id: a, type: 'Bin', fill: property(3, day(3)) }]).expect(204);
    await send('post', '/entityOperations/merge', [{ id: b, type: 'Bin', fill: { value: 12, observedAt: day(3) } }]).expect(204);
    const [historyA, historyB] = [await historyOf(a), await historyOf(b)];
    expect(valuesOf(historyA.fill)).toEqual([1, 2, 3]);
    // The upsert (replace) wrote temperature anew; update did not touch it.
    expect(valuesOf(historyA.temperature)).toEqual([4, 4]);
    expect(valuesOf(historyB.fill)).toEqual([10, 11, 12]);
  });

  it('does not record an attribute a batch update left alone', async () => {
    const id = 'urn:ngsi-ld:Bin:batch-alone';
    await send('post', '/entities', { id, type: 'Bin', fill: property(1, day(1)), temperature: property(4, day(1)) }).expect(201);
    await send('post', '/entityOperations/update', [{ id, type: 'Bin', fill: property(2, day(2)) }]).expect(204);
    await send('post', '/entityOperations/merge', [{ id, type: 'Bin', fill: property(3, day(3)) }]).expect(204);
    expect(valuesOf((await historyOf(id)).temperature)).toEqual([4]);
  });

  it('records each change once when writes to one entity come within the same millisecond', async () => {
    const id = 'urn:ngsi-ld:Bin:busy';
    const names = Array.from({ length: 20 }, (_, i) => `sensor${i}`);
    await send('post', '/entities', { id, type: 'Bin', ...Object.fromEntries(names.map((name) => [name, property(0)])) }).expect(201);
    await Promise.all(names.map((name) => send('patch', `/entities/${id}/attrs`, { [name]: property(1) }).expect(204)));
    const history = await historyOf(id);
    expect(Object.fromEntries(names.map((name) => [name, valuesOf(history[name])]))).toEqual(Object.fromEntries(names.map((name) => [name, [0, 1]])));
  });

  it('keeps the history of an attribute deleted from the current state', async () => {
    const id = 'urn:ngsi-ld:Bin:attr-deleted';
    await send('post', '/entities', { id, type: 'Bin', fill: property(1, day(1)), lid: property('open', day(1)) }).expect(201);
    await request(t.http).delete(`/ngsi-ld/v1/entities/${id}/attrs/lid`).expect(204);
    expect(valuesOf((await historyOf(id)).lid)).toEqual(['open']);
    expect(valuesOf((await historyOf(id, '?attrs=lid')).lid)).toEqual(['open']);
  });

  it('deletes the history with the entity (DELETE /entities/{id} and batch delete)', async () => {
    const [one, two] = ['urn:ngsi-ld:Bin:gone-1', 'urn:ngsi-ld:Bin:gone-2'];
    for (const id of [one, two]) await send('post', '/entities', { id, type: 'Bin', fill: property(1, day(1)) }).expect(201);
    await request(t.http).delete(`/ngsi-ld/v1/entities/${one}`).expect(204);
    await send('post', '/entityOperations/delete', [two]).expect(204);
    for (const id of [one, two]) expectProblem(await request(t.http).get(`/ngsi-ld/v1/temporal/entities/${id}`), 404, 'ResourceNotFound');
    // An entity created again under the same id starts a history of its own.
    await send('post', '/entities', { id: one, type: 'Bin', fill: property(2, day(2)) }).expect(201);
    expect(valuesOf((await historyOf(one)).fill)).toEqual([2]);
  });
});

describe('POST /temporal/entities', () => {
  it('creates a temporal entity: 201 with Location, history of every instance, current state of the newest', async () => {
    const id = 'urn:ngsi-ld:Tank:1';
    const res = await send('post', '/temporal/entities', {
      id,
      type: 'Tank',
      level: [property(3, day(3)), property(5, day(5)), property(4, day(4))],
      refPump: [{ type: 'Relationship', object: 'urn:ngsi-ld:Pump:1', observedAt: day(1) }],
    }).expect(201);
    expect(res.headers.location).toBe(`/ngsi-ld/v1/temporal/entities/${encodeURIComponent(id)}`);
    const history = (await request(t.http).get(res.headers.location).expect(200)).body;
    expect(valuesOf(history.level)).toEqual([3, 4, 5]);
    expect(await currentValue(id, 'level')).toBe(5);
    expect(await currentValue(id, 'refPump')).toBe('urn:ngsi-ld:Pump:1');
  });

  it('adds instances to an existing entity with 204; a late, older instance does not turn the current value back', async () => {
    const id = 'urn:ngsi-ld:Tank:2';
    await send('post', '/temporal/entities', { id, type: 'Tank', level: [property(5, day(5))] }).expect(201);
    await send('post', '/temporal/entities', { id, type: 'Tank', level: [property(2, day(2))] }).expect(204);
    expect(await currentValue(id, 'level')).toBe(5);
    await send('post', '/temporal/entities', { id, level: [property(7, day(7))] }).expect(204);
    expect(await currentValue(id, 'level')).toBe(7);
    expect(valuesOf((await historyOf(id)).level)).toEqual([2, 5, 7]);
  });

  it('takes one instance without a list, and stamps one without observedAt with the time of the write', async () => {
    const id = 'urn:ngsi-ld:Tank:3';
    const before = Date.now();
    await send('post', '/temporal/entities', { id, type: 'Tank', level: property(1) }).expect(201);
    const res = await request(t.http).get(`/ngsi-ld/v1/temporal/entities/${id}?options=temporalValues`).expect(200);
    expect(res.body.level.values).toEqual([[1, expect.any(String)]]);
    expect(Date.parse(res.body.level.values[0][1])).toBeGreaterThanOrEqual(before);
    expect(await currentValue(id, 'level')).toBe(1);
  });

  it('keeps instances of several datasetIds apart in history and current state', async () => {
    const id = 'urn:ngsi-ld:Tank:4';
    const laser = 'urn:ngsi-ld:Dataset:laser';
    await send('post', '/temporal/entities', { id, type: 'Tank', level: [property(1, day(1)), property(2, day(2), { datasetId: laser }), property(3, day(3))] }).expect(201);
    const current = (await request(t.http).get(`/ngsi-ld/v1/entities/${id}`).expect(200)).body.level;
    expect(current).toEqual(expect.arrayContaining([expect.objectContaining({ value: 3 }), expect.objectContaining({ value: 2, datasetId: laser })]));
    expect(current).toHaveLength(2);
  });

  it('accepts application/ld+json with the @context in the body', async () => {
    const id = 'urn:ngsi-ld:Tank:ld';
    await request(t.http)
      .post('/ngsi-ld/v1/temporal/entities')
      .set('content-type', 'application/ld+json')
      .send(JSON.stringify({ '@context': CORE, id, type: 'Tank', level: [property(1, day(1))] }))
      .expect(201);
    expect(valuesOf((await historyOf(id)).level)).toEqual([1]);
  });

  it('creates the tenant it names, and history stays in it', async () => {
    const id = 'urn:ngsi-ld:Tank:tenant';
    await send('post', '/temporal/entities', { id, type: 'Tank', level: [property(1, day(1))] }, { 'NGSILD-Tenant': 'harbour' }).expect(201);
    const res = await request(t.http).get(`/ngsi-ld/v1/temporal/entities/${id}`).set('NGSILD-Tenant', 'harbour').expect(200);
    expect(valuesOf(res.body.level)).toEqual([1]);
    expectProblem(await request(t.http).get(`/ngsi-ld/v1/temporal/entities/${id}`), 404, 'ResourceNotFound');
  });

  it('refuses a body that is no object with 400 InvalidRequest, writing nothing', async () => {
    expectProblem(await send('post', '/temporal/entities', [{ id: 'urn:ngsi-ld:Tank:x', type: 'Tank' }]), 400, 'InvalidRequest');
    expectProblem(await request(t.http).get('/ngsi-ld/v1/entities/urn:ngsi-ld:Tank:x'), 404, 'ResourceNotFound');
  });

  it.each([
    ['a temporal entity without id', { type: 'Tank', level: [property(1, day(1))] }],
    ['an id that is no URI', { id: 'tank 1', type: 'Tank', level: [property(1, day(1))] }],
    ['a new entity without type', { id: 'urn:ngsi-ld:Tank:untyped', level: [property(1, day(1))] }],
    ['an attribute that is a bare number', { id: 'urn:ngsi-ld:Tank:x', type: 'Tank', level: 5 }],
    ['an empty list of instances', { id: 'urn:ngsi-ld:Tank:x', type: 'Tank', level: [] }],
    ['an instance that is no object', { id: 'urn:ngsi-ld:Tank:x', type: 'Tank', level: [5] }],
    ['a Property without value', { id: 'urn:ngsi-ld:Tank:x', type: 'Tank', level: [{ type: 'Property', observedAt: day(1) }] }],
    ['an unknown kind of attribute', { id: 'urn:ngsi-ld:Tank:x', type: 'Tank', level: [{ type: 'Reading', value: 1 }] }],
    ['an observedAt that is no date-time', { id: 'urn:ngsi-ld:Tank:x', type: 'Tank', level: [property(1, 'yesterday')] }],
    ['an observedAt on 31 April', { id: 'urn:ngsi-ld:Tank:x', type: 'Tank', level: [property(1, '2026-04-31T00:00:00Z')] }],
    ['an observedAt in a time zone of +24:00', { id: 'urn:ngsi-ld:Tank:x', type: 'Tank', level: [property(1, '2026-03-01T00:00:00+24:00')] }],
    ['an observedAt before year 1', { id: 'urn:ngsi-ld:Tank:x', type: 'Tank', level: [property(1, '0001-01-01T00:00:00+01:00')] }],
    ['a location that is no GeoProperty', { id: 'urn:ngsi-ld:Tank:x', type: 'Tank', location: [property('here', day(1))] }],
  ])('refuses %s with 400 BadRequestData, writing nothing', async (_name, body) => {
    expectProblem(await send('post', '/temporal/entities', body), 400, 'BadRequestData');
    expectProblem(await request(t.http).get('/ngsi-ld/v1/entities/urn:ngsi-ld:Tank:x'), 404, 'ResourceNotFound');
  });

  it('refuses malformed JSON (400), another media type (415) and unknown parameters (400), as problem details', async () => {
    const malformed = await request(t.http).post('/ngsi-ld/v1/temporal/entities').set('content-type', 'application/json').send('{"id": ');
    expect(malformed.status).toBe(400);
    expect(malformed.headers['content-type']).toMatch(/^application\/problem\+json/);
    const text = await request(t.http).post('/ngsi-ld/v1/temporal/entities').set('content-type', 'text/plain').send('level=1');
    expect(text.status).toBe(415);
    expect(text.headers['content-type']).toMatch(/^application\/problem\+json/);
    expectProblem(await send('post', '/temporal/entities?options=replace', { id: 'urn:ngsi-ld:Tank:x', type: 'Tank', level: [property(1, day(1))] }), 400, 'InvalidRequest');
  });
});

describe('posting the same instances again', () => {
  const modifiedAt = async (id: string) => (await request(t.http).get(`/ngsi-ld/v1/entities/${encodeURIComponent(id)}?options=sysAttrs`).expect(200)).body.level.modifiedAt;

  it('adds nothing when a temporal entity is posted again, and leaves the current state as it was', async () => {
    const id = 'urn:ngsi-ld:Tank:again';
    const body = { id, type: 'Tank', level: [property(1, day(1)), property(2, day(2), { unitCode: 'MTR' }), property(2, day(2), { datasetId: 'urn:ngsi-ld:Dataset:laser' })] };
    await send('post', '/temporal/entities', body).expect(201);
    const before = await modifiedAt(id);
    await send('post', '/temporal/entities', body).expect(204);
    await send('post', `/temporal/entities/${id}/attrs`, { level: body.level }).expect(204);
    const history = await historyOf(id);
    expect(history.level.map((i) => `${i.datasetId ?? '@none'}:${i.value}@${i.observedAt}`).sort()).toEqual(
      [`@none:1@${day(1)}`, `@none:2@${day(2)}`, `urn:ngsi-ld:Dataset:laser:2@${day(2)}`].sort(),
    );
    expect(await modifiedAt(id)).toBe(before);
  });

  it('counts the same instant in another notation as the same instance, and an instance sent twice in one request once', async () => {
    const id = 'urn:ngsi-ld:Tank:notation';
    await send('post', '/temporal/entities', { id, type: 'Tank', level: [property(1, '2026-05-01T12:00:00Z'), property(1, '2026-05-01T12:00:00Z')] }).expect(201);
    await send('post', `/temporal/entities/${id}/attrs`, { level: [property(1, '2026-05-01T14:00:00+02:00'), property(1, '2026-05-01T12:00:00.000Z')] }).expect(204);
    expect(valuesOf((await historyOf(id)).level)).toEqual([1]);
  });

  it('adds an instance that differs in value, observedAt, datasetId or a sub-attribute', async () => {
    const id = 'urn:ngsi-ld:Tank:differs';
    await send('post', '/temporal/entities', { id, type: 'Tank', level: [property(1, day(1))] }).expect(201);
    await send('post', `/temporal/entities/${id}/attrs`, {
      level: [property(2, day(1)), property(1, day(2)), property(1, day(1), { datasetId: 'urn:ngsi-ld:Dataset:laser' }), property(1, day(1), { unitCode: 'MTR' })],
    }).expect(204);
    expect((await historyOf(id)).level).toHaveLength(5);
  });

  it('takes an instance with the instanceId of one the attribute holds as that instance, not a new one', async () => {
    const id = 'urn:ngsi-ld:Tank:read-back';
    await send('post', '/temporal/entities', { id, type: 'Tank', level: [property(1, day(1)), property(2, day(2))] }).expect(201);
    const readBack = await historyOf(id);
    // The history read back and posted again, one value corrected in passing: still the same instances.
    readBack.level[0].value = 10;
    await send('post', '/temporal/entities', { id, type: 'Tank', level: readBack.level }).expect(204);
    expect(valuesOf((await historyOf(id)).level)).toEqual([1, 2]);
    // Another attribute's instanceId names no instance of this one.
    await send('post', `/temporal/entities/${id}/attrs`, { volume: [{ ...property(7, day(1)), instanceId: readBack.level[0].instanceId }] }).expect(204);
    expect(valuesOf((await historyOf(id)).volume)).toEqual([7]);
  });

  it('refuses an instanceId that is no URI (400)', async () => {
    expectProblem(await send('post', '/temporal/entities', { id: 'urn:ngsi-ld:Tank:x', type: 'Tank', level: [{ ...property(1, day(1)), instanceId: 'first' }] }), 400, 'BadRequestData');
  });

  it('still records each write without observedAt, which happens at a time of its own', async () => {
    const id = 'urn:ngsi-ld:Tank:unobserved-again';
    await send('post', '/temporal/entities', { id, type: 'Tank', level: [property(3)] }).expect(201);
    await new Promise((resolve) => setTimeout(resolve, 5));
    await send('post', `/temporal/entities/${id}/attrs`, { level: [property(3)] }).expect(204);
    expect(valuesOf((await historyOf(id)).level)).toEqual([3, 3]);
  });
});

describe('POST /temporal/entities/{id}/attrs', () => {
  const id = 'urn:ngsi-ld:Tank:append';
  beforeAll(async () => {
    await send('post', '/temporal/entities', { id, type: 'Tank', level: [property(1, day(1))] }).expect(201);
  });

  it('adds instances (204), and advances the current state where they are newer', async () => {
    await send('post', `/temporal/entities/${id}/attrs`, { level: [property(3, day(3)), property(2, day(2))], pressure: [property(9, day(2))] }).expect(204);
    const history = await historyOf(id);
    expect(valuesOf(history.level)).toEqual([1, 2, 3]);
    expect(valuesOf(history.pressure)).toEqual([9]);
    expect(await currentValue(id, 'level')).toBe(3);
    expect(await currentValue(id, 'pressure')).toBe(9);
  });

  it('answers 404 for an entity that does not exist', async () => {
    expectProblem(await send('post', '/temporal/entities/urn:ngsi-ld:Tank:none/attrs', { level: [property(1, day(1))] }), 404, 'ResourceNotFound');
  });

  it('refuses a payload about another entity, a payload without instances and a bad instance (400)', async () => {
    expectProblem(await send('post', `/temporal/entities/${id}/attrs`, { id: 'urn:ngsi-ld:Tank:other', level: [property(1, day(1))] }), 400, 'BadRequestData');
    expectProblem(await send('post', `/temporal/entities/${id}/attrs`, {}), 400, 'BadRequestData');
    expectProblem(await send('post', `/temporal/entities/${id}/attrs`, { level: [{ type: 'Property' }] }), 400, 'BadRequestData');
    for (const observedAt of ['2026-02-30T00:00:00Z', '2026-03-01T00:00:00+24:00', '2026-03-01T00:00:00-99:99']) {
      expectProblem(await send('post', `/temporal/entities/${id}/attrs`, { level: [property(4, observedAt)] }), 400, 'BadRequestData');
    }
    expect(valuesOf((await historyOf(id)).level)).toEqual([1, 2, 3]);
  });
});

describe('changing and deleting one instance', () => {
  const id = 'urn:ngsi-ld:Tank:instances';
  let instances: Instance[];
  const instanceUrl = (instanceId: string, attribute = 'level') => `/temporal/entities/${id}/attrs/${attribute}/${encodeURIComponent(instanceId)}`;

  beforeEach(async () => {
    await request(t.http).delete(`/ngsi-ld/v1/temporal/entities/${id}`);
    await send('post', '/temporal/entities', { id, type: 'Tank', level: [property(1, day(1)), property(2, day(2)), property(3, day(3))] }).expect(201);
    instances = (await historyOf(id)).level;
  });

  it('changes the value of an instance, leaving the current state as it is', async () => {
    await send('patch', instanceUrl(instances[0].instanceId), { value: 10 }).expect(204);
    const after = (await historyOf(id, '?options=sysAttrs')).level;
    expect(valuesOf(after)).toEqual([10, 2, 3]);
    expect(after[0]).toMatchObject({ instanceId: instances[0].instanceId, observedAt: day(1) });
    expect(Date.parse(after[0].modifiedAt!)).toBeGreaterThan(Date.parse(after[1].modifiedAt!));
    expect(await currentValue(id, 'level')).toBe(3);
  });

  it('moves an instance in time when its observedAt changes', async () => {
    await send('patch', instanceUrl(instances[0].instanceId), { observedAt: day(4) }).expect(204);
    expect(valuesOf((await historyOf(id)).level)).toEqual([2, 3, 1]);
    expect(valuesOf((await historyOf(id, `?timerel=before&timeAt=${day(2)}`)).level)).toEqual([]);
    expect(valuesOf((await historyOf(id, `?timerel=after&timeAt=${day(3)}`)).level)).toEqual([1]);
  });

  it('deletes one instance (204), then answers 404 for it', async () => {
    await request(t.http).delete(`/ngsi-ld/v1${instanceUrl(instances[1].instanceId)}`).expect(204);
    expect(valuesOf((await historyOf(id)).level)).toEqual([1, 3]);
    expectProblem(await request(t.http).delete(`/ngsi-ld/v1${instanceUrl(instances[1].instanceId)}`), 404, 'ResourceNotFound');
  });

  it('answers 404 for an unknown instance, a malformed instanceId, another attribute and another entity', async () => {
    const unknown = 'urn:ngsi-ld:00000000-0000-4000-8000-000000000000';
    for (const url of [instanceUrl(unknown), instanceUrl('not-an-instance'), instanceUrl('urn:ngsi-ld:1234'), instanceUrl(instances[0].instanceId, 'pressure')]) {
      expectProblem(await send('patch', url, { value: 5 }), 404, 'ResourceNotFound');
      expectProblem(await request(t.http).delete(`/ngsi-ld/v1${url}`), 404, 'ResourceNotFound');
    }
    const elsewhere = `/temporal/entities/urn:ngsi-ld:Tank:none/attrs/level/${encodeURIComponent(instances[0].instanceId)}`;
    expectProblem(await send('patch', elsewhere, { value: 5 }), 404, 'ResourceNotFound');
    expectProblem(await request(t.http).delete(`/ngsi-ld/v1${elsewhere}`), 404, 'ResourceNotFound');
    expect(valuesOf((await historyOf(id)).level)).toEqual([1, 2, 3]);
  });

  it('takes a bare value as the new value (concise form)', async () => {
    await send('patch', instanceUrl(instances[2].instanceId), 30).expect(204);
    expect(valuesOf((await historyOf(id)).level)).toEqual([1, 2, 30]);
  });

  it('refuses to change the kind of an instance, and a bad member (400)', async () => {
    expectProblem(await send('patch', instanceUrl(instances[0].instanceId), { type: 'Relationship', object: 'urn:ngsi-ld:Pump:1' }), 400, 'BadRequestData');
    expectProblem(await send('patch', instanceUrl(instances[0].instanceId), { observedAt: 'tomorrow' }), 400, 'BadRequestData');
    for (const observedAt of ['2026-04-31T00:00:00Z', '2026-03-01T00:00:00+24:00', '2026-03-01T00:00:00+16:00']) {
      expectProblem(await send('patch', instanceUrl(instances[0].instanceId), { observedAt }), 400, 'BadRequestData');
    }
    expectProblem(await send('patch', instanceUrl(instances[0].instanceId), { value: 1, unitCode: 7 }), 400, 'BadRequestData');
    expect(valuesOf((await historyOf(id)).level)).toEqual([1, 2, 3]);
  });

  it('refuses unknown parameters (400) rather than ignoring them', async () => {
    expectProblem(await send('patch', `${instanceUrl(instances[0].instanceId)}?datasetId=urn:ngsi-ld:Dataset:x`, { value: 5 }), 400, 'InvalidRequest');
    expectProblem(await request(t.http).delete(`/ngsi-ld/v1${instanceUrl(instances[0].instanceId)}?deleteAll=true`), 400, 'InvalidRequest');
    expect(valuesOf((await historyOf(id)).level)).toEqual([1, 2, 3]);
  });
});

describe('DELETE /temporal/entities/{id}/attrs/{attr}', () => {
  const id = 'urn:ngsi-ld:Tank:attribute';
  const laser = 'urn:ngsi-ld:Dataset:laser';
  const radar = 'urn:ngsi-ld:Dataset:radar';
  const remaining = async () =>
    ((await historyOf(id, '?attrs=level')).level ?? []).map((i) => `${i.datasetId ?? '@none'}:${i.value}`).sort();

  beforeEach(async () => {
    await request(t.http).delete(`/ngsi-ld/v1/temporal/entities/${id}`);
    await send('post', '/temporal/entities', {
      id,
      type: 'Tank',
      level: [property(1, day(1)), property(2, day(2)), property(3, day(1), { datasetId: laser }), property(4, day(1), { datasetId: radar })],
      pressure: [property(9, day(1))],
    }).expect(201);
  });

  it('deletes the default instances', async () => {
    await request(t.http).delete(`/ngsi-ld/v1/temporal/entities/${id}/attrs/level`).expect(204);
    expect(await remaining()).toEqual([`${laser}:3`, `${radar}:4`]);
    expect(valuesOf((await historyOf(id)).pressure)).toEqual([9]);
  });

  it('deletes the instances of one datasetId', async () => {
    await request(t.http).delete(`/ngsi-ld/v1/temporal/entities/${id}/attrs/level?datasetId=${laser}`).expect(204);
    expect(await remaining()).toEqual(['@none:1', '@none:2', `${radar}:4`]);
  });

  it('deletes every instance with deleteAll=true, then answers 404', async () => {
    await request(t.http).delete(`/ngsi-ld/v1/temporal/entities/${id}/attrs/level?deleteAll=true`).expect(204);
    expect(await remaining()).toEqual([]);
    expectProblem(await request(t.http).delete(`/ngsi-ld/v1/temporal/entities/${id}/attrs/level?deleteAll=true`), 404, 'ResourceNotFound');
  });

  it('answers 404 for an attribute, a datasetId or an entity without history', async () => {
    expectProblem(await request(t.http).delete(`/ngsi-ld/v1/temporal/entities/${id}/attrs/depth`), 404, 'ResourceNotFound');
    expectProblem(await request(t.http).delete(`/ngsi-ld/v1/temporal/entities/${id}/attrs/level?datasetId=urn:ngsi-ld:Dataset:sonar`), 404, 'ResourceNotFound');
    expectProblem(await request(t.http).delete('/ngsi-ld/v1/temporal/entities/urn:ngsi-ld:Tank:none/attrs/level'), 404, 'ResourceNotFound');
  });

  it('refuses datasetId with deleteAll=true, a datasetId that is no URI and unknown parameters (400)', async () => {
    expectProblem(await request(t.http).delete(`/ngsi-ld/v1/temporal/entities/${id}/attrs/level?datasetId=${laser}&deleteAll=true`), 400, 'BadRequestData');
    expectProblem(await request(t.http).delete(`/ngsi-ld/v1/temporal/entities/${id}/attrs/level?datasetId=laser`), 400, 'BadRequestData');
    expectProblem(await request(t.http).delete(`/ngsi-ld/v1/temporal/entities/${id}/attrs/level?deleteAll=yes`), 400, 'BadRequestData');
    expectProblem(await request(t.http).delete(`/ngsi-ld/v1/temporal/entities/${id}/attrs/level?everything=true`), 400, 'InvalidRequest');
    expect(await remaining()).toHaveLength(4);
  });
});

describe('DELETE /temporal/entities/{id}', () => {
  it('deletes the entity and its whole history, then answers 404', async () => {
    const id = 'urn:ngsi-ld:Tank:deleted';
    await send('post', '/temporal/entities', { id, type: 'Tank', level: [property(1, day(1)), property(2, day(2))] }).expect(201);
    await request(t.http).delete(`/ngsi-ld/v1/temporal/entities/${id}`).expect(204);
    expectProblem(await request(t.http).get(`/ngsi-ld/v1/entities/${id}`), 404, 'ResourceNotFound');
    expectProblem(await request(t.http).get(`/ngsi-ld/v1/temporal/entities/${id}`), 404, 'ResourceNotFound');
    expectProblem(await request(t.http).delete(`/ngsi-ld/v1/temporal/entities/${id}`), 404, 'ResourceNotFound');
    await send('post', '/temporal/entities', { id, type: 'Tank', level: [property(3, day(3))] }).expect(201);
    expect(valuesOf((await historyOf(id)).level)).toEqual([3]);
  });

  it('answers 400 for an id that is no URI', async () => {
    expectProblem(await request(t.http).delete('/ngsi-ld/v1/temporal/entities/tank'), 400, 'BadRequestData');
  });
});
