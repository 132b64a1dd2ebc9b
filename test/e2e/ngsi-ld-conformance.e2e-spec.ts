import request from 'supertest';
import { startTestApp, TestApp } from 'test/support/test-app';

/*
 * Deviations from ETSI GS CIM 009 v1.9.1 that an independent conformance run found (issue 12,
 * section 9): each case as a client of the specification would try it.
 */

const ERRORS = 'https://uri.etsi.org/ngsi-ld/errors/';
const NULL = 'urn:ngsi-ld:null';
let t: TestApp;
let counter = 0;

const json = { 'content-type': 'application/json' };
const path = (id: string) => `/ngsi-ld/v1/entities/${encodeURIComponent(id)}`;
const read = async (id: string, query = '') => (await request(t.http).get(`${path(id)}${query}`).expect(200)).body;
const patch = (url: string, body: unknown) => request(t.http).patch(url).set(json).send(JSON.stringify(body));
const post = (url: string, body: unknown) => request(t.http).post(url).set(json).send(JSON.stringify(body));

/** A fresh street light with a level (and a sub-attribute), a name, a location and a scope. */
async function newLight(extra: object = {}): Promise<string> {
  const id = `urn:ngsi-ld:Streetlight:light-${++counter}`;
  await post('/ngsi-ld/v1/entities', {
    id,
    type: 'Streetlight',
    scope: '/Boras/Centrum',
    powerState: { type: 'Property', value: 'on', observedAt: '2026-11-20T10:00:00Z', accuracy: { type: 'Property', value: 1 } },
    illuminanceLevel: { type: 'Property', value: 0.8 },
    location: { type: 'GeoProperty', value: { type: 'Point', coordinates: [12.94, 57.72] } },
    ...extra,
  }).expect(201);
  return id;
}

function expectProblem(res: request.Response, status: number, type: string) {
  expect(res.status).toBe(status);
  expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
  expect(res.body.type).toBe(`${ERRORS}${type}`);
}

beforeAll(async () => {
  t = await startTestApp();
});
afterAll(async () => {
  await t?.close();
});

describe('"urn:ngsi-ld:null" deletes in updates (clause 5.5.8)', () => {
  it('deletes attributes with PATCH /entities/{id}/attrs, a GeoProperty and a concise null too', async () => {
    const id = await newLight();
    await patch(`${path(id)}/attrs`, {
      powerState: { type: 'Property', value: NULL },
      location: { type: 'GeoProperty', value: NULL },
      illuminanceLevel: NULL,
    }).expect(204);
    const entity = await read(id);
    expect(entity).toEqual({ id, type: 'Streetlight', scope: '/Boras/Centrum' });
    expect(JSON.stringify(entity)).not.toContain(NULL);
  });

  it('deletes an attribute with PATCH /entities/{id}/attrs/{attr}, and a sub-attribute', async () => {
    const id = await newLight();
    await patch(`${path(id)}/attrs/powerState`, { accuracy: NULL }).expect(204);
    expect((await read(id)).powerState).toEqual({ type: 'Property', value: 'on', observedAt: '2026-11-20T10:00:00Z' });
    await patch(`${path(id)}/attrs/powerState`, { value: NULL }).expect(204);
    await patch(`${path(id)}/attrs/location`, { type: 'GeoProperty', value: NULL }).expect(204);
    const entity = await read(id);
    expect(entity).not.toHaveProperty('powerState');
    expect(entity).not.toHaveProperty('location');
    expect(JSON.stringify(entity)).not.toContain(NULL);
  });

  it('deletes a GeoProperty with a merge', async () => {
    const id = await newLight();
    await patch(path(id), { location: { type: 'GeoProperty', value: NULL } }).expect(204);
    expect(await read(id)).not.toHaveProperty('location');
  });

  it('deletes one instance of several, by its datasetId', async () => {
    const id = await newLight({ illuminanceLevel: [{ type: 'Property', value: 0.8 }, { type: 'Property', value: 0.5, datasetId: 'urn:ngsi-ld:Dataset:lux' }] });
    await patch(`${path(id)}/attrs`, { illuminanceLevel: { type: 'Property', value: NULL, datasetId: 'urn:ngsi-ld:Dataset:lux' } }).expect(204);
    expect((await read(id)).illuminanceLevel).toEqual({ type: 'Property', value: 0.8 });
  });

  it('refuses a null datasetId, and a null geometry where there is nothing to delete', async () => {
    const id = await newLight();
    expectProblem(await patch(`${path(id)}/attrs/powerState`, { datasetId: NULL }), 400, 'BadRequestData');
    expectProblem(await post(`${path(id)}/attrs`, { place: { type: 'GeoProperty', value: NULL } }), 400, 'BadRequestData');
    const created = await post('/ngsi-ld/v1/entities', { id: 'urn:ngsi-ld:Streetlight:nowhere', type: 'Streetlight', location: { type: 'GeoProperty', value: NULL } });
    expectProblem(created, 400, 'BadRequestData');
    await request(t.http).get(path('urn:ngsi-ld:Streetlight:nowhere')).expect(404);
    expect((await read(id)).location.value).toEqual({ type: 'Point', coordinates: [12.94, 57.72] });
  });
});

describe('scope and type in append and update (clauses 5.6.2, 5.6.3, 5.6.4)', () => {
  it('adds types and scopes given to POST .../attrs, with or without attributes', async () => {
    const id = await newLight();
    await post(`${path(id)}/attrs`, { type: 'Device', scope: '/Boras/Norrby' }).expect(204);
    expect(await read(id, '?pick=type,scope')).toEqual({ type: ['Streetlight', 'Device'], scope: ['/Boras/Centrum', '/Boras/Norrby'] });
  });

  it('adds types and replaces the scope with PATCH .../attrs', async () => {
    const id = await newLight();
    await patch(`${path(id)}/attrs`, { type: 'Device', scope: ['/Boras/Hulta'], illuminanceLevel: 0.2 }).expect(204);
    expect(await read(id, '?pick=type,scope,illuminanceLevel')).toEqual({
      type: ['Streetlight', 'Device'],
      scope: '/Boras/Hulta',
      illuminanceLevel: { type: 'Property', value: 0.2 },
    });
  });

  it('refuses scope as the attribute of a partial update, leaving it as it was', async () => {
    const id = await newLight();
    expectProblem(await patch(`${path(id)}/attrs/scope`, { value: '/Boras/Hulta' }), 400, 'BadRequestData');
    expect((await read(id)).scope).toBe('/Boras/Centrum');
  });
});

describe('application/geo+json answers carry their @context (clause 4.5.16)', () => {
  const CORE = /ngsi-ld-core-context/;

  it('in the Feature of a retrieval', async () => {
    const id = await newLight();
    const res = await request(t.http).get(path(id)).set('accept', 'application/geo+json').expect(200);
    expect(res.body).toMatchObject({ id, type: 'Feature', '@context': expect.stringMatching(CORE) });
    expect(res.body.properties).not.toHaveProperty('@context');
  });

  it('in the FeatureCollection of a query, not in each Feature', async () => {
    await newLight();
    const link = '<https://uri.etsi.org/ngsi-ld/v1/ngsi-ld-core-context-v1.8.jsonld>; rel="http://www.w3.org/ns/json-ld#context"; type="application/ld+json"';
    const res = await request(t.http).get('/ngsi-ld/v1/entities?type=Streetlight').set({ accept: 'application/geo+json', link }).expect(200);
    expect(res.body).toMatchObject({ type: 'FeatureCollection', '@context': 'https://uri.etsi.org/ngsi-ld/v1/ngsi-ld-core-context-v1.8.jsonld' });
    expect(res.body.features.length).toBeGreaterThan(0);
    for (const feature of res.body.features) expect(feature).not.toHaveProperty('@context');
  });
});

describe('pick and omit (clause 4.21)', () => {
  it.each(['id;name', 'id,locatedAt{name', 'id,locatedAt{{name}', '{}', 'id,locatedAt{}', 'id,,name'])('refuses pick=%s with 400 BadRequestData', async (pick) => {
    const id = await newLight();
    expectProblem(await request(t.http).get(`${path(id)}?pick=${encodeURIComponent(pick)}`), 400, 'BadRequestData');
    expectProblem(await request(t.http).get(`/ngsi-ld/v1/entities?type=Streetlight&omit=${encodeURIComponent(pick)}`), 400, 'BadRequestData');
  });

  it('refuses a projection into linked entities, which needs join, as not supported', async () => {
    const id = await newLight();
    expectProblem(await request(t.http).get(`${path(id)}?pick=${encodeURIComponent('id,refDevice{name}')}`), 422, 'OperationNotSupported');
  });

  it('finds nothing when the projection leaves nothing of an entity', async () => {
    const id = await newLight();
    expectProblem(await request(t.http).get(`${path(id)}?pick=noSuchAttribute`), 404, 'ResourceNotFound');
    expectProblem(await request(t.http).get(`${path(id)}?omit=id,type,scope,powerState,illuminanceLevel,location`), 404, 'ResourceNotFound');
    expect((await request(t.http).get(`/ngsi-ld/v1/entities?id=${id}&pick=noSuchAttribute`).expect(200)).body).toEqual([]);
    expect((await request(t.http).get(`${path(id)}?pick=id`).expect(200)).body).toEqual({ id });
  });
});

describe('a request that asks for what does not exist is InvalidRequest (clause 5.5.2)', () => {
  it.each([
    ['an unknown query parameter', '/ngsi-ld/v1/entities?type=Streetlight&colour=red'],
    ['an unknown option', '/ngsi-ld/v1/entities?type=Streetlight&options=compressed'],
    ['an unknown format', '/ngsi-ld/v1/entities?type=Streetlight&format=tabular'],
    ['an unknown option on retrieval', '/ngsi-ld/v1/entities/urn:ngsi-ld:Streetlight:x?options=keyValues,invalid'],
    ['an unknown parameter of discovery', '/ngsi-ld/v1/types?colour=red'],
    ['an unknown parameter of the subscription list', '/ngsi-ld/v1/subscriptions?colour=red'],
    ['an unknown option of the subscription list', '/ngsi-ld/v1/subscriptions?options=compressed'],
  ])('%s', async (_what, url) => {
    expectProblem(await request(t.http).get(url), 400, 'InvalidRequest');
  });

  it('refuses an unknown write option, and a body that is an array where an entity is expected', async () => {
    const id = await newLight();
    expectProblem(await post(`${path(id)}/attrs?options=overwriteEverything`, { illuminanceLevel: 1 }), 400, 'InvalidRequest');
    expectProblem(await post('/ngsi-ld/v1/entities', []), 400, 'InvalidRequest');
    expectProblem(await patch(`${path(id)}/attrs`, []), 400, 'InvalidRequest');
    expectProblem(await post('/ngsi-ld/v1/entityOperations/upsert', {}), 400, 'InvalidRequest');
    expect((await read(id)).illuminanceLevel.value).toBe(0.8);
  });
});

describe('empty path segments', () => {
  it.each([
    ['post', '/ngsi-ld/v1/entities//attrs/'],
    ['patch', '/ngsi-ld/v1/entities//attrs'],
    ['get', '/ngsi-ld/v1/entities//'],
    ['delete', '/ngsi-ld/v1/entities/'],
    ['delete', '/ngsi-ld/v1/entities/urn:ngsi-ld:Streetlight:x/attrs/'],
    ['delete', '/ngsi-ld/v1/subscriptions/'],
  ] as const)('answer %s %s with 400 BadRequestData, not a router 404', async (method, url) => {
    const res = await request(t.http)[method](url).set(json).send('{"a":1}');
    expectProblem(res, 400, 'BadRequestData');
    expect(res.body.detail).toMatch(/empty segment/);
  });

  it('leaves a path that names nothing that exists a 404', async () => {
    expectProblem(await request(t.http).get('/ngsi-ld/v1/nothing'), 404, 'ResourceNotFound');
  });
});

describe('batch operations (clauses 4.6.6, 5.6.7 to 5.6.10)', () => {
  const batch = (operation: string, body: unknown, query = '') => post(`/ngsi-ld/v1/entityOperations/${operation}${query}`, body);
  const light = (n: number, level: number, extra: object = {}) => ({ id: `urn:ngsi-ld:Streetlight:batch-${n}`, type: 'Streetlight', illuminanceLevel: level, ...extra });

  it('refuses an @context in entities sent as application/json, as a single create does', async () => {
    const res = await batch('create', [{ ...light(1, 1), '@context': 'https://uri.etsi.org/ngsi-ld/v1/ngsi-ld-core-context-v1.9.jsonld' }, light(2, 1)]).expect(207);
    expect(res.body.success).toEqual([light(2, 1).id]);
    expect(res.body.errors).toEqual([{ entityId: light(1, 1).id, error: expect.objectContaining({ type: `${ERRORS}BadRequestData`, detail: expect.stringMatching(/@context/) }) }]);
    await request(t.http).get(path(light(1, 1).id)).expect(404);
  });

  it('deletes an id given twice once, and reports the second as not found', async () => {
    await batch('create', [light(3, 1)]).expect(201);
    const res = await batch('delete', [light(3, 1).id, light(3, 1).id]).expect(207);
    expect(res.body.success).toEqual([light(3, 1).id]);
    expect(res.body.errors).toEqual([{ entityId: light(3, 1).id, error: expect.objectContaining({ type: `${ERRORS}ResourceNotFound` }) }]);
    await request(t.http).get(path(light(3, 1).id)).expect(404);
  });

  it('reports an update with noOverwrite that leaves everything as it was, and changes nothing', async () => {
    await batch('create', [light(4, 1)]).expect(201);
    const before = await read(light(4, 1).id, '?options=sysAttrs');
    const res = await batch('update', [light(4, 9)], '?options=noOverwrite').expect(207);
    expect(res.body).toEqual({ success: [], errors: [{ entityId: light(4, 1).id, error: expect.objectContaining({ detail: expect.stringMatching(/noOverwrite asks: illuminanceLevel$/) }) }] });
    expect(await read(light(4, 1).id, '?options=sysAttrs')).toEqual(before);
  });

  it('upserts an id given twice in order: the later replaces the earlier, and it is created once', async () => {
    const res = await batch('upsert', [light(5, 1, { old: true }), light(6, 1), light(5, 2)]).expect(201);
    expect(res.body).toEqual([light(5, 1).id, light(6, 1).id]);
    const upserted = await read(light(5, 1).id, '?options=keyValues');
    expect(upserted.illuminanceLevel).toBe(2);
    expect(upserted).not.toHaveProperty('old');
    await batch('upsert', [light(5, 3, { note: 'a' }), light(5, 4)], '?options=update').expect(204);
    expect(await read(light(5, 1).id, '?options=keyValues')).toMatchObject({ illuminanceLevel: 4, note: 'a' });
  });

  it('updates and merges an id given twice in order', async () => {
    await batch('create', [light(7, 1)]).expect(201);
    await batch('update', [light(7, 2, { note: 'first' }), { id: light(7, 1).id, illuminanceLevel: 3 }]).expect(204);
    expect(await read(light(7, 1).id, '?options=keyValues')).toMatchObject({ illuminanceLevel: 3, note: 'first' });
    await batch('merge', [{ id: light(7, 1).id, note: NULL }, { id: light(7, 1).id, illuminanceLevel: 4 }]).expect(204);
    const merged = await read(light(7, 1).id, '?options=keyValues');
    expect(merged).toMatchObject({ illuminanceLevel: 4 });
    expect(merged).not.toHaveProperty('note');
  });
});

describe('pagination links (clause 6.3.13)', () => {
  const pageLinks = (res: request.Response): Record<string, string> =>
    Object.fromEntries(
      [...String(res.headers.link ?? '').matchAll(/<([^>]*)>;\s*rel="(next|prev)"/g)].map(([, url, rel]) => [rel, url]),
    );
  const ids = (res: request.Response) => res.body.map((e: { id: string }) => e.id);

  beforeAll(async () => {
    const pagers = Array.from({ length: 5 }, (_, i) => ({ id: `urn:ngsi-ld:Pager:${i}`, type: 'Pager', n: i }));
    await post('/ngsi-ld/v1/entityOperations/create', pagers).expect(201);
  });

  it('lead through a query page by page, beside the @context Link', async () => {
    const first = await request(t.http).get('/ngsi-ld/v1/entities?type=Pager&limit=2').expect(200);
    expect(first.headers.link).toMatch(/rel="http:\/\/www.w3.org\/ns\/json-ld#context"/);
    expect(pageLinks(first)).toEqual({ next: '/ngsi-ld/v1/entities?type=Pager&limit=2&offset=2' });
    const second = await request(t.http).get(pageLinks(first).next).expect(200);
    expect(pageLinks(second)).toEqual({ prev: '/ngsi-ld/v1/entities?type=Pager&limit=2&offset=0', next: '/ngsi-ld/v1/entities?type=Pager&limit=2&offset=4' });
    const last = await request(t.http).get(pageLinks(second).next).expect(200);
    expect(pageLinks(last)).toEqual({ prev: '/ngsi-ld/v1/entities?type=Pager&limit=2&offset=2' });
    expect([...ids(first), ...ids(second), ...ids(last)]).toEqual(Array.from({ length: 5 }, (_, i) => `urn:ngsi-ld:Pager:${i}`));
    expect(pageLinks(await request(t.http).get('/ngsi-ld/v1/entities?type=Pager&limit=5').expect(200))).toEqual({});
  });

  it('lead through POST /entityOperations/query, the same body posted again', async () => {
    const res = await post('/ngsi-ld/v1/entityOperations/query?limit=3', { type: 'Query', entities: [{ type: 'Pager' }] }).expect(200);
    expect(pageLinks(res)).toEqual({ next: '/ngsi-ld/v1/entityOperations/query?limit=3&offset=3' });
  });

  it('lead through the subscriptions', async () => {
    for (let i = 0; i < 3; i++) {
      await post('/ngsi-ld/v1/subscriptions', { id: `urn:ngsi-ld:Subscription:page-${i}`, type: 'Subscription', entities: [{ type: 'Pager' }], notification: { endpoint: { uri: 'http://127.0.0.1:9/n' } } }).expect(201);
    }
    const first = await request(t.http).get('/ngsi-ld/v1/subscriptions?limit=2').expect(200);
    expect(pageLinks(first)).toEqual({ next: '/ngsi-ld/v1/subscriptions?limit=2&offset=2' });
    const second = await request(t.http).get(pageLinks(first).next).expect(200);
    expect(pageLinks(second)).toEqual({ prev: '/ngsi-ld/v1/subscriptions?limit=2&offset=0' });
  });
});
