import request from 'supertest';
import { ContextServer, startContextServer } from 'test/support/context-server';
import { startTestApp, TestApp } from 'test/support/test-app';

const ERRORS = 'https://uri.etsi.org/ngsi-ld/errors/';
const DEFAULT = 'https://uri.etsi.org/ngsi-ld/default-context/';
let t: TestApp;
let contexts: ContextServer;
const link = (url: string) => `<${url}>; rel="http://www.w3.org/ns/json-ld#context"; type="application/ld+json"`;

beforeAll(async () => {
  contexts = await startContextServer();
  t = await startTestApp({ PUBLIC_BASE_URL: 'http://datashare.test' });
  await request(t.http)
    .post('/ngsi-ld/v1/entityOperations/create')
    .set('content-type', 'application/json')
    .send(
      JSON.stringify([
        { id: 'urn:ngsi-ld:Streetlight:1', type: 'Streetlight', powerState: { type: 'Property', value: 'on' }, refDevice: { type: 'Relationship', object: 'urn:ngsi-ld:Device:1' } },
        { id: 'urn:ngsi-ld:Streetlight:2', type: 'Streetlight', powerState: [{ type: 'Property', value: 'off' }, { type: 'Property', value: 'on', datasetId: 'urn:ngsi-ld:Dataset:plan' }] },
        { id: 'urn:ngsi-ld:Device:1', type: ['Device', 'Streetlight'], battery: { type: 'Property', value: 0.8 }, powerState: { type: 'VocabProperty', vocab: 'on' } },
      ]),
    )
    .expect(201);
});
afterAll(async () => {
  await t?.close();
  await contexts?.close();
});

describe('types', () => {
  it('lists types as an EntityTypeList', async () => {
    const res = await request(t.http).get('/ngsi-ld/v1/types').expect(200);
    expect(res.body).toMatchObject({ type: 'EntityTypeList', typeList: ['Device', 'Streetlight'] });
    expect(res.body.id).toMatch(/^urn:ngsi-ld:EntityTypeList:/);
  });

  it('details each type with its attributes', async () => {
    const res = await request(t.http).get('/ngsi-ld/v1/types?details=true').expect(200);
    expect(res.body).toEqual([
      { id: `${DEFAULT}Device`, type: 'EntityType', typeName: 'Device', attributeNames: ['battery', 'powerState'] },
      { id: `${DEFAULT}Streetlight`, type: 'EntityType', typeName: 'Streetlight', attributeNames: ['battery', 'powerState', 'refDevice'] },
    ]);
  });

  it('describes one type as EntityTypeInfo', async () => {
    const res = await request(t.http).get('/ngsi-ld/v1/types/Streetlight').expect(200);
    expect(res.body).toEqual({
      id: `${DEFAULT}Streetlight`,
      type: 'EntityTypeInfo',
      typeName: 'Streetlight',
      entityCount: 3,
      attributeDetails: [
        { id: `${DEFAULT}battery`, type: 'Attribute', attributeName: 'battery', attributeTypes: ['Property'] },
        { id: `${DEFAULT}powerState`, type: 'Attribute', attributeName: 'powerState', attributeTypes: ['Property', 'VocabProperty'] },
        { id: `${DEFAULT}refDevice`, type: 'Attribute', attributeName: 'refDevice', attributeTypes: ['Relationship'] },
      ],
    });
    const byIri = await request(t.http).get(`/ngsi-ld/v1/types/${encodeURIComponent(`${DEFAULT}Device`)}`).expect(200);
    expect(byIri.body.entityCount).toBe(1);
    expect((await request(t.http).get('/ngsi-ld/v1/types/Nothing').expect(404)).body.type).toBe(`${ERRORS}ResourceNotFound`);
  });

  it('compacts with the caller’s context and can answer JSON-LD', async () => {
    const weather = contexts.url('weather.jsonld');
    const res = await request(t.http).get('/ngsi-ld/v1/types').set({ link: link(weather), accept: 'application/ld+json' }).expect(200);
    expect(res.body['@context']).toBe(weather);
    // That context's "Device" is Smart Data Models' type, not this one: it stays a full IRI.
    expect(res.body.typeList).toEqual([`${DEFAULT}Device`, 'Streetlight']);
  });
});

describe('attributes', () => {
  it('lists attributes as an AttributeList', async () => {
    const res = await request(t.http).get('/ngsi-ld/v1/attributes').expect(200);
    expect(res.body).toMatchObject({ type: 'AttributeList', attributeList: ['battery', 'powerState', 'refDevice'] });
  });

  it('details each attribute: instances, kinds and entity types', async () => {
    const res = await request(t.http).get('/ngsi-ld/v1/attributes?details=true').expect(200);
    expect(res.body.find((a: { attributeName: string }) => a.attributeName === 'powerState')).toEqual({
      id: `${DEFAULT}powerState`,
      type: 'Attribute',
      attributeName: 'powerState',
      attributeCount: 4,
      attributeTypes: ['Property', 'VocabProperty'],
      typeNames: ['Device', 'Streetlight'],
    });
    const one = await request(t.http).get('/ngsi-ld/v1/attributes/refDevice').expect(200);
    expect(one.body).toMatchObject({ attributeName: 'refDevice', attributeCount: 1, typeNames: ['Streetlight'] });
    await request(t.http).get('/ngsi-ld/v1/attributes/nothing').expect(404);
    await request(t.http).get('/ngsi-ld/v1/attributes?details=maybe').expect(400);
  });
});

describe('@contexts', () => {
  it('serves the core contexts from its own copy', async () => {
    const res = await request(t.http).get('/ngsi-ld/v1/jsonldContexts/ngsi-ld-core-context-v1.9').expect(200);
    expect(res.headers['content-type']).toMatch(/^application\/ld\+json/);
    expect(res.body['@context'].ngsildproof).toBeDefined();
    const v18 = await request(t.http).get(`/ngsi-ld/v1/jsonldContexts/${encodeURIComponent('https://uri.etsi.org/ngsi-ld/v1/ngsi-ld-core-context-v1.8.jsonld')}`).expect(200);
    expect(v18.body['@context'].ngsildproof).toBeUndefined();
    const refused = await request(t.http).delete('/ngsi-ld/v1/jsonldContexts/ngsi-ld-core-context-v1.9').expect(400);
    expect(refused.body.detail).toMatch(/built in/);
  });

  it('hosts a context, uses it by its URL, lists it, and deletes it', async () => {
    const hosted = await request(t.http)
      .post('/ngsi-ld/v1/jsonldContexts')
      .set('content-type', 'application/ld+json')
      .send(JSON.stringify({ '@context': { lamp: 'https://example.org/Streetlight', state: 'https://example.org/powerState' } }))
      .expect(201);
    const url: string = hosted.headers.location;
    expect(url).toMatch(/^http:\/\/datashare\.test\/ngsi-ld\/v1\/jsonldContexts\/[0-9a-f-]{36}$/);
    await request(t.http)
      .post('/ngsi-ld/v1/entities')
      .set({ 'content-type': 'application/json', link: link(url) })
      .send(JSON.stringify({ id: 'urn:ngsi-ld:Lamp:1', type: 'lamp', state: 'on' }))
      .expect(201);
    const read = await request(t.http).get('/ngsi-ld/v1/entities/urn:ngsi-ld:Lamp:1?options=keyValues').set('link', link(url)).expect(200);
    expect(read.body).toEqual({ id: 'urn:ngsi-ld:Lamp:1', type: 'lamp', state: 'on' });

    const localId = url.split('/').pop()!;
    expect((await request(t.http).get(`/ngsi-ld/v1/jsonldContexts/${localId}`).expect(200)).body).toEqual({
      '@context': { lamp: 'https://example.org/Streetlight', state: 'https://example.org/powerState' },
    });
    const list = await request(t.http).get('/ngsi-ld/v1/jsonldContexts?kind=Hosted&details=true').expect(200);
    expect(list.body).toEqual([expect.objectContaining({ URL: url, localId, kind: 'Hosted', numberOfHits: expect.any(Number) })]);
    expect(list.body[0].numberOfHits).toBeGreaterThanOrEqual(2);
    expect((await request(t.http).get('/ngsi-ld/v1/jsonldContexts').expect(200)).body).toContain(url);

    await request(t.http).delete(`/ngsi-ld/v1/jsonldContexts/${localId}`).expect(204);
    await request(t.http).get(`/ngsi-ld/v1/jsonldContexts/${localId}`).expect(404);
    const gone = await request(t.http).get('/ngsi-ld/v1/entities/urn:ngsi-ld:Lamp:1').set('link', link(url)).expect(503);
    expect(gone.body.type).toBe(`${ERRORS}LdContextNotAvailable`);
  });

  it('lists, drops and reloads cached contexts', async () => {
    const weather = contexts.url('weather.jsonld');
    await request(t.http).get('/ngsi-ld/v1/types').set('link', link(weather)).expect(200);
    const cached = await request(t.http).get('/ngsi-ld/v1/jsonldContexts?kind=Cached&details=true').expect(200);
    const entry = cached.body.find((c: { URL: string }) => c.URL === weather);
    expect(entry).toMatchObject({ kind: 'Cached', localId: expect.stringMatching(/^cached-/) });
    const fetches = () => contexts.requests.filter((p) => p === '/weather.jsonld').length;
    const before = fetches();
    await request(t.http).delete(`/ngsi-ld/v1/jsonldContexts/${entry.localId}?reload=true`).expect(204);
    expect(fetches()).toBe(before + 1);
    await request(t.http).delete(`/ngsi-ld/v1/jsonldContexts/${encodeURIComponent(weather)}`).expect(204);
    await request(t.http).get(`/ngsi-ld/v1/jsonldContexts/${entry.localId}`).expect(404);
    expect((await request(t.http).get('/ngsi-ld/v1/jsonldContexts?kind=ImplicitlyCreated').expect(200)).body).toEqual([]);
  });

  it.each([
    ['{"no":"context"}', 400],
    ['{"@context":{"a":{"@id":"x:a","@context":{"b":"x:b"}}}}', 400],
    ['{"@context":"http://127.0.0.1:9/none.jsonld"}', 503],
  ])('refuses to host %s', async (body, status) => {
    await request(t.http).post('/ngsi-ld/v1/jsonldContexts').set('content-type', 'application/json').send(body).expect(status);
  });

  it('refuses unknown kinds and parameters', async () => {
    await request(t.http).get('/ngsi-ld/v1/jsonldContexts?kind=Other').expect(400);
    await request(t.http).get('/ngsi-ld/v1/jsonldContexts?foo=1').expect(400);
  });
});
