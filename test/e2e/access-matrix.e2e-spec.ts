import request from 'supertest';
import { startIdentityProvider, IdentityProvider } from 'test/support/identity-provider';
import { startTestApp, TestApp } from 'test/support/test-app';

/*
 * Who sees what: every kind of caller against datasets at K0 (open) to K3, on every NGSI-LD read
 * path. Organisation "goteborg" publishes one dataset per level, each holding one entity type
 * with an attribute of its own; "boras" is another member organisation.
 */

const LEVELS = ['K0', 'K1', 'K2', 'K3'] as const;
type Level = (typeof LEVELS)[number];
const typeOf = (level: Level) => `Sensor${level}`;
const attributeOf = (level: Level) => `reading${level}`;
const idOf = (level: Level) => `urn:ngsi-ld:${typeOf(level)}:1`;
const ALL_TYPES = LEVELS.map(typeOf).join(',');

let idp: IdentityProvider;
let t: TestApp;
const datasets = {} as Record<Level, string>;
const headersOf: Record<string, Record<string, string>> = {};

/** What each caller must see: the levels of the datasets it may read. */
const EXPECTED: Record<string, Level[]> = {
  anonymous: ['K0'],
  'member of goteborg': ['K0', 'K1', 'K2'],
  'member of boras': ['K0', 'K1'],
  'granted principal with MFA': ['K0', 'K1', 'K2', 'K3'],
  'granted principal without MFA': ['K0', 'K1', 'K2'],
  'read API key of goteborg': ['K0', 'K1', 'K2'],
  'write-only API key of goteborg': ['K0'],
};

beforeAll(async () => {
  idp = await startIdentityProvider();
  t = await startTestApp(idp.env, { caller: 'anonymous' });
  const admin = await idp.bearer({ sub: 'admin-gbg', organisation: 'goteborg', roles: ['admin'], amr: ['pwd', 'otp'] });
  for (const [i, level] of LEVELS.entries()) {
    const res = await request(t.http)
      .post('/api/v1/datasets')
      .set(admin)
      .send({
        title: { sv: `Givare ${level}`, en: `Sensors ${level}` },
        description: { sv: `Data klassad ${level}` },
        entities: [{ type: typeOf(level) }],
        classification: { confidentiality: i, integrity: 1, availability: 1 },
        open: level === 'K0',
      })
      .expect(201);
    datasets[level] = res.body.id;
  }
  for (const level of ['K2', 'K3'] as const) {
    await request(t.http).post(`/api/v1/datasets/${datasets[level]}/grants`).set(admin).send({ principal: 'granted-user' }).expect(201);
  }
  const key = async (body: object) => (await request(t.http).post('/api/v1/api-keys').set(admin).send(body).expect(201)).body.key as string;
  const writeKey = await key({ name: 'gateway', read: false, write: true });
  const readKey = await key({ name: 'dashboard', read: true, write: false });

  const entities = LEVELS.map((level) => ({
    id: idOf(level),
    type: typeOf(level),
    [attributeOf(level)]: { type: 'Property', value: 1 },
    location: { type: 'GeoProperty', value: { type: 'Point', coordinates: [11.97, 57.7] } },
  }));
  const created = await request(t.http)
    .post('/ngsi-ld/v1/entityOperations/create')
    .set({ 'x-api-key': writeKey, 'content-type': 'application/json' })
    .send(JSON.stringify(entities))
    .expect(201);
  expect(created.body).toEqual(LEVELS.map(idOf));

  headersOf['anonymous'] = {};
  headersOf['member of goteborg'] = await idp.bearer({ sub: 'anna', organisation: 'goteborg' });
  headersOf['member of boras'] = await idp.bearer({ sub: 'bo', organisation: 'boras' });
  headersOf['granted principal with MFA'] = await idp.bearer({ sub: 'granted-user', organisation: 'boras', amr: ['pwd', 'otp'] });
  headersOf['granted principal without MFA'] = await idp.bearer({ sub: 'granted-user', organisation: 'boras', amr: ['pwd'] });
  headersOf['read API key of goteborg'] = { 'x-api-key': readKey };
  headersOf['write-only API key of goteborg'] = { 'x-api-key': writeKey };
});

afterAll(async () => {
  await t?.close();
  await idp?.close();
});

const callers = Object.keys(EXPECTED);
const get = (caller: string, path: string) => request(t.http).get(path).set(headersOf[caller]);
const sortedIds = (body: { id: string }[]) => body.map((e) => e.id).sort();

describe.each(callers)('%s', (caller) => {
  const visible = EXPECTED[caller];

  it.each(LEVELS)('retrieves the %s entity only when allowed (else 404, as if absent)', async (level) => {
    const res = await get(caller, `/ngsi-ld/v1/entities/${encodeURIComponent(idOf(level))}`);
    if (visible.includes(level)) {
      expect(res.status).toBe(200);
      expect(res.body.id).toBe(idOf(level));
    } else {
      expect(res.status).toBe(404);
      expect(res.body.type).toBe('https://uri.etsi.org/ngsi-ld/errors/ResourceNotFound');
    }
  });

  it('queries (GET) exactly the visible entities, and counts only those', async () => {
    const res = await get(caller, `/ngsi-ld/v1/entities?type=${ALL_TYPES}&count=true`).expect(200);
    expect(sortedIds(res.body)).toEqual(visible.map(idOf).sort());
    expect(res.headers['ngsild-results-count']).toBe(String(visible.length));
  });

  it('queries (POST entityOperations/query) exactly the visible entities', async () => {
    const res = await request(t.http)
      .post('/ngsi-ld/v1/entityOperations/query')
      .set({ ...headersOf[caller], 'content-type': 'application/json' })
      .send(JSON.stringify({ type: 'Query', entities: LEVELS.map((level) => ({ type: typeOf(level) })) }))
      .expect(200);
    expect(sortedIds(res.body)).toEqual(visible.map(idOf).sort());
  });

  it('answers GeoJSON with exactly the visible features', async () => {
    const res = await get(caller, `/ngsi-ld/v1/entities?type=${ALL_TYPES}`).set('accept', 'application/geo+json').expect(200);
    expect(res.body.type).toBe('FeatureCollection');
    expect(sortedIds(res.body.features)).toEqual(visible.map(idOf).sort());
  });

  it('answers GraphQL with exactly the visible entities, datasets and histories', async () => {
    const query = `{
      ${LEVELS.map((level) => `${level}: entity(id: "${idOf(level)}") { id history(attribute: "${attributeOf(level)}") { value } }`).join('\n')}
      all: entities(type: "${ALL_TYPES}") { totalCount nodes { id } }
      datasets(first: 100) { nodes { id } }
    }`;
    const res = await request(t.http).post('/graphql').set(headersOf[caller]).send({ query }).expect(200);
    expect(res.body.errors).toBeUndefined();
    for (const level of LEVELS) {
      expect([level, res.body.data[level]?.id ?? null]).toEqual([level, visible.includes(level) ? idOf(level) : null]);
      if (visible.includes(level)) expect(res.body.data[level].history.length).toBeGreaterThan(0);
    }
    expect(res.body.data.all.totalCount).toBe(visible.length);
    expect(sortedIds(res.body.data.all.nodes)).toEqual(visible.map(idOf).sort());
    const datasetIds = res.body.data.datasets.nodes.map((node: { id: string }) => node.id);
    for (const level of visible) expect(datasetIds).toContain(datasets[level]);
  });

  it('lists only the types and attributes of visible datasets', async () => {
    const types = await get(caller, '/ngsi-ld/v1/types').expect(200);
    expect(types.body.typeList).toEqual(visible.map(typeOf));
    const attributes = await get(caller, '/ngsi-ld/v1/attributes').expect(200);
    expect([...attributes.body.attributeList].sort()).toEqual(['location', ...visible.map(attributeOf)].sort());
    for (const level of LEVELS) {
      const one = await get(caller, `/ngsi-ld/v1/types/${typeOf(level)}`);
      expect(one.status).toBe(visible.includes(level) ? 200 : 404);
    }
  });

  it('reads hosted @contexts, which are public', async () => {
    await get(caller, '/ngsi-ld/v1/jsonldContexts').expect(200);
  });
});

describe('hosting @contexts', () => {
  const host = (caller: string) =>
    request(t.http)
      .post('/ngsi-ld/v1/jsonldContexts')
      .set({ ...headersOf[caller], 'content-type': 'application/json' })
      .send(JSON.stringify({ '@context': { reading: 'https://example.org/reading' } }));

  it('needs credentials (401 with WWW-Authenticate) and a writer (403)', async () => {
    const anonymous = await host('anonymous').expect(401);
    expect(anonymous.headers['www-authenticate']).toMatch(/Bearer/);
    expect(anonymous.body.type).toBe('urn:vg-datashare:problem:unauthorized');
    expect((await host('member of boras').expect(403)).body.type).toBe('urn:vg-datashare:problem:forbidden');
    await host('write-only API key of goteborg').expect(201);
  });
});
