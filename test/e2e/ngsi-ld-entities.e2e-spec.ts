import request from 'supertest';
import { ContextServer, startContextServer } from 'test/support/context-server';
import { startTestApp, TestApp } from 'test/support/test-app';

const CORE = 'https://uri.etsi.org/ngsi-ld/v1/ngsi-ld-core-context-v1.9.jsonld';
const CONTEXT_REL = 'rel="http://www.w3.org/ns/json-ld#context"; type="application/ld+json"';
const ERRORS = 'https://uri.etsi.org/ngsi-ld/errors/';

let t: TestApp;
let contexts: ContextServer;
let weatherContext: string;
const link = (url: string) => `<${url}>; ${CONTEXT_REL}`;

function weatherObserved(id: string, temperature = 8.4) {
  return {
    id,
    type: 'WeatherObserved',
    location: { type: 'GeoProperty', value: { type: 'Point', coordinates: [11.9375, 57.7072] } },
    temperature: { type: 'Property', value: temperature, observedAt: '2026-11-20T10:00:00Z', unitCode: 'CEL' },
    refDevice: { type: 'Relationship', object: 'urn:ngsi-ld:Device:vaisala-17' },
    name: { type: 'LanguageProperty', languageMap: { sv: 'Lindholmen', en: 'Lindholmen pier' } },
  };
}

function create(entity: object, headers: Record<string, string> = {}) {
  return request(t.http)
    .post('/ngsi-ld/v1/entities')
    .set({ 'content-type': 'application/json', link: link(weatherContext), ...headers })
    .send(JSON.stringify(entity));
}

function expectProblem(res: request.Response, status: number, type: string) {
  expect(res.status).toBe(status);
  expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
  expect(res.body).toMatchObject({ type: ERRORS + type, status });
  expect(typeof res.body.title).toBe('string');
}

beforeAll(async () => {
  contexts = await startContextServer();
  weatherContext = contexts.url('weather.jsonld');
  t = await startTestApp({ BODY_LIMIT_BYTES: '65536', CONTEXT_FETCH_TIMEOUT_MS: '500', QUERY_MAX_LIMIT: '100' });
});
afterAll(async () => {
  await t?.close();
  await contexts?.close();
});

describe('creating entities', () => {
  it('creates from application/ld+json with an inline @context and answers 201 with Location', async () => {
    const res = await request(t.http)
      .post('/ngsi-ld/v1/entities')
      .set('content-type', 'application/ld+json')
      .send(JSON.stringify({ ...weatherObserved('urn:ngsi-ld:WeatherObserved:inline'), '@context': [weatherContext, CORE] }));
    expect(res.status).toBe(201);
    expect(res.headers.location).toBe('/ngsi-ld/v1/entities/urn%3Angsi-ld%3AWeatherObserved%3Ainline');
    const read = await request(t.http).get(res.headers.location).set('link', link(weatherContext)).expect(200);
    expect(read.body.temperature).toEqual({ type: 'Property', value: 8.4, observedAt: '2026-11-20T10:00:00Z', unitCode: 'CEL' });
  });

  it('creates from application/json with the @context in a Link header', async () => {
    await create(weatherObserved('urn:ngsi-ld:WeatherObserved:linked')).expect(201);
    const read = await request(t.http).get('/ngsi-ld/v1/entities/urn:ngsi-ld:WeatherObserved:linked').set('link', link(weatherContext));
    expect(read.body.type).toBe('WeatherObserved');
  });

  it('refuses an id that exists with 409 AlreadyExists', async () => {
    await create(weatherObserved('urn:ngsi-ld:WeatherObserved:twice')).expect(201);
    expectProblem(await create(weatherObserved('urn:ngsi-ld:WeatherObserved:twice', 1)), 409, 'AlreadyExists');
    const read = await request(t.http).get('/ngsi-ld/v1/entities/urn:ngsi-ld:WeatherObserved:twice').set('link', link(weatherContext));
    expect(read.body.temperature.value).toBe(8.4);
  });

  it('accepts the concise representation', async () => {
    await create({
      id: 'urn:ngsi-ld:WeatherObserved:concise',
      type: 'WeatherObserved',
      location: { type: 'Point', coordinates: [12, 57.7] },
      temperature: { value: 3.5, unitCode: 'CEL' },
      refDevice: { object: 'urn:ngsi-ld:Device:2' },
    }).expect(201);
    const read = await request(t.http).get('/ngsi-ld/v1/entities/urn:ngsi-ld:WeatherObserved:concise').set('link', link(weatherContext));
    expect(read.body).toMatchObject({
      location: { type: 'GeoProperty' },
      temperature: { type: 'Property', value: 3.5 },
      refDevice: { type: 'Relationship', object: 'urn:ngsi-ld:Device:2' },
    });
  });
});

describe('retrieving an entity', () => {
  const id = 'urn:ngsi-ld:WeatherObserved:read';
  const path = `/ngsi-ld/v1/entities/${encodeURIComponent(id)}`;
  beforeAll(async () => {
    await create(weatherObserved(id)).expect(201);
  });

  it('answers application/json with the caller’s terms and the @context in a Link header', async () => {
    const res = await request(t.http).get(path).set('link', link(weatherContext)).expect(200);
    expect(res.headers['content-type']).toMatch(/^application\/json/);
    expect(res.headers.link).toBe(link(weatherContext));
    expect(res.body).toEqual(weatherObserved(id));
    expect(res.body).not.toHaveProperty('@context');
  });

  it('answers application/ld+json with the @context in the body', async () => {
    const res = await request(t.http).get(path).set({ link: link(weatherContext), accept: 'application/ld+json' }).expect(200);
    expect(res.headers['content-type']).toMatch(/^application\/ld\+json/);
    expect(res.body['@context']).toBe(weatherContext);
    expect(res.body.refDevice.object).toBe('urn:ngsi-ld:Device:vaisala-17');
  });

  it('gives keyValues (also as format=simplified) and concise', async () => {
    const keyValues = await request(t.http).get(`${path}?options=keyValues`).set('link', link(weatherContext)).expect(200);
    expect(keyValues.body).toEqual({
      id,
      type: 'WeatherObserved',
      location: { type: 'Point', coordinates: [11.9375, 57.7072] },
      temperature: 8.4,
      refDevice: 'urn:ngsi-ld:Device:vaisala-17',
      name: { sv: 'Lindholmen', en: 'Lindholmen pier' },
    });
    const simplified = await request(t.http).get(`${path}?format=simplified`).set('link', link(weatherContext)).expect(200);
    expect(simplified.body).toEqual(keyValues.body);
    const concise = await request(t.http).get(`${path}?options=concise`).set('link', link(weatherContext)).expect(200);
    expect(concise.body.temperature).toEqual({ value: 8.4, observedAt: '2026-11-20T10:00:00Z', unitCode: 'CEL' });
    expect(concise.body.refDevice).toEqual({ object: 'urn:ngsi-ld:Device:vaisala-17' });
  });

  it('shows full IRIs to a caller without the context, and the core context in the Link header', async () => {
    const res = await request(t.http).get(path).expect(200);
    expect(res.headers.link).toBe(link(CORE));
    expect(res.body.type).toBe('https://smartdatamodels.org/dataModel.Weather/WeatherObserved');
    expect(res.body).toHaveProperty(['https://smartdatamodels.org/dataModel.Weather/temperature']);
    expect(res.body).toHaveProperty('location');
  });

  it('returns only the asked attributes, and 404 when it has none of them', async () => {
    const res = await request(t.http).get(`${path}?attrs=temperature`).set('link', link(weatherContext)).expect(200);
    expect(Object.keys(res.body).sort()).toEqual(['id', 'temperature', 'type']);
    expectProblem(await request(t.http).get(`${path}?attrs=noSuchAttribute`), 404, 'ResourceNotFound');
  });

  it('adds createdAt and modifiedAt with options=sysAttrs', async () => {
    const res = await request(t.http).get(`${path}?options=sysAttrs`).set('link', link(weatherContext)).expect(200);
    expect(Date.parse(res.body.createdAt)).not.toBeNaN();
    expect(res.body.modifiedAt).toBe(res.body.createdAt);
    expect(res.body.temperature.createdAt).toBeDefined();
  });

  it('answers with and without a trailing slash', async () => {
    await request(t.http).get(`${path}/`).expect(200);
    await request(t.http).get('/ngsi-ld/v1/entities/?type=WeatherObserved').set('link', link(weatherContext)).expect(200);
  });

  it('says 404 ResourceNotFound for an unknown id and 400 BadRequestData for an id that is no URI', async () => {
    expectProblem(await request(t.http).get('/ngsi-ld/v1/entities/urn:ngsi-ld:Nothing:here'), 404, 'ResourceNotFound');
    expectProblem(await request(t.http).get('/ngsi-ld/v1/entities/not-a-uri'), 400, 'BadRequestData');
  });

  it('says 406 when no offered representation is acceptable', async () => {
    const res = await request(t.http).get(path).set('accept', 'text/html');
    expect(res.status).toBe(406);
    expect(res.body.type).toBe(`${ERRORS}InvalidRequest`);
  });
});

describe('querying entities', () => {
  beforeAll(async () => {
    for (let i = 0; i < 7; i++) await create(weatherObserved(`urn:ngsi-ld:WeatherObserved:q-${i}`, i)).expect(201);
    await create({ id: 'urn:ngsi-ld:Device:q-d', type: 'Device', temperature: { type: 'Property', value: 1 } }).expect(201);
  });
  const query = (qs: string) => request(t.http).get(`/ngsi-ld/v1/entities?${qs}`).set('link', link(weatherContext));

  it('filters by type, with the total in NGSILD-Results-Count', async () => {
    const res = await query('type=WeatherObserved&idPattern=:q-&count=true').expect(200);
    expect(res.headers['ngsild-results-count']).toBe('7');
    expect(res.body.map((e: { id: string }) => e.id)).toEqual([0, 1, 2, 3, 4, 5, 6].map((i) => `urn:ngsi-ld:WeatherObserved:q-${i}`));
    expect(res.headers.link).toBe(link(weatherContext));
  });

  it('matches any of several types', async () => {
    const res = await query('type=Device,WeatherObserved&idPattern=q-').expect(200);
    expect(res.body).toHaveLength(8);
  });

  it('filters by ids and by id pattern', async () => {
    const byId = await query('id=urn:ngsi-ld:WeatherObserved:q-1,urn:ngsi-ld:WeatherObserved:q-3').expect(200);
    expect(byId.body.map((e: { id: string }) => e.id)).toEqual(['urn:ngsi-ld:WeatherObserved:q-1', 'urn:ngsi-ld:WeatherObserved:q-3']);
    const byPattern = await query('idPattern=^urn:ngsi-ld:WeatherObserved:q-[24]$').expect(200);
    expect(byPattern.body).toHaveLength(2);
  });

  it('pages with limit and offset in a stable order', async () => {
    const first = await query('type=WeatherObserved&idPattern=q-&limit=3&offset=0').expect(200);
    const second = await query('type=WeatherObserved&idPattern=q-&limit=3&offset=3').expect(200);
    const ids = [...first.body, ...second.body].map((e: { id: string }) => e.id);
    expect(new Set(ids).size).toBe(6);
    expect(ids).toEqual([...ids].sort());
  });

  it('counts without entities when limit=0', async () => {
    const res = await query('type=Device&limit=0&count=true').expect(200);
    expect(res.body).toEqual([]);
    expect(Number(res.headers['ngsild-results-count'])).toBeGreaterThanOrEqual(1);
  });

  it('matches and projects attrs', async () => {
    const res = await query('attrs=refDevice&idPattern=q-&options=keyValues').expect(200);
    expect(res.body).toHaveLength(7);
    expect(Object.keys(res.body[0]).sort()).toEqual(['id', 'refDevice', 'type']);
  });

  it('answers application/ld+json with the @context in every entity', async () => {
    const res = await query('type=Device').set('accept', 'application/ld+json').expect(200);
    expect(res.body[0]['@context']).toBe(weatherContext);
  });

  it('refuses bad queries with clear problems', async () => {
    expectProblem(await query('limit=101&type=Device'), 403, 'TooManyResults');
    expectProblem(await query(''), 400, 'BadRequestData');
    expectProblem(await query('type=Device&limit=-1'), 400, 'BadRequestData');
    expectProblem(await query('type=Device&nonsense=1'), 400, 'InvalidRequest');
    expectProblem(await query('idPattern=(unclosed'), 400, 'BadRequestData');
    expectProblem(await query('type=Device&options=fancy'), 400, 'InvalidRequest');
    expectProblem(await query('type=Device&csf=x'), 422, 'OperationNotSupported');
    expectProblem(await query('type=Device&q=temperature>'), 400, 'BadRequestData');
    expectProblem(await query('id=not-a-uri'), 400, 'BadRequestData');
  });
});

describe('tenants', () => {
  it('keeps tenants apart', async () => {
    await create(weatherObserved('urn:ngsi-ld:WeatherObserved:tenant'), { 'ngsild-tenant': 'boras' }).expect(201);
    await request(t.http).get('/ngsi-ld/v1/entities/urn:ngsi-ld:WeatherObserved:tenant').set('ngsild-tenant', 'boras').expect(200);
    await request(t.http).get('/ngsi-ld/v1/entities/urn:ngsi-ld:WeatherObserved:tenant').expect(404);
    expectProblem(
      await request(t.http).get('/ngsi-ld/v1/entities/urn:ngsi-ld:WeatherObserved:tenant').set('ngsild-tenant', 'bad tenant!'),
      400,
      'BadRequestData',
    );
  });
});

describe('deleting an entity', () => {
  it('deletes and then reports 404', async () => {
    await create(weatherObserved('urn:ngsi-ld:WeatherObserved:gone')).expect(201);
    await request(t.http).delete('/ngsi-ld/v1/entities/urn:ngsi-ld:WeatherObserved:gone').expect(204);
    await request(t.http).get('/ngsi-ld/v1/entities/urn:ngsi-ld:WeatherObserved:gone').expect(404);
    expectProblem(await request(t.http).delete('/ngsi-ld/v1/entities/urn:ngsi-ld:WeatherObserved:gone'), 404, 'ResourceNotFound');
  });
});

describe('bad input never writes anything', () => {
  const id = 'urn:ngsi-ld:WeatherObserved:refused';
  afterEach(async () => {
    await request(t.http).get(`/ngsi-ld/v1/entities/${id}`).expect(404);
  });
  const post = (body: string, headers: Record<string, string> = { 'content-type': 'application/json' }) =>
    request(t.http).post('/ngsi-ld/v1/entities').set(headers).send(body);

  it.each([
    ['malformed JSON', '{"id": "urn:x:1", ', 'InvalidRequest'],
    ['a JSON array', '[]', 'InvalidRequest'],
    ['an id that is no URI', JSON.stringify({ ...weatherObserved(id), id: 'not a uri' }), 'BadRequestData'],
    ['no type', JSON.stringify({ id }), 'BadRequestData'],
    ['a Property without value', JSON.stringify({ ...weatherObserved(id), temperature: { type: 'Property' } }), 'BadRequestData'],
    ['an unknown attribute type', JSON.stringify({ ...weatherObserved(id), temperature: { type: 'Sensor', value: 1 } }), 'BadRequestData'],
    ['a Relationship to no URI', JSON.stringify({ ...weatherObserved(id), refDevice: { type: 'Relationship', object: 'x' } }), 'BadRequestData'],
    ['a Property with an object', JSON.stringify({ ...weatherObserved(id), temperature: { type: 'Property', value: 1, object: 'urn:a:b' } }), 'BadRequestData'],
    ['a bad GeoJSON geometry', JSON.stringify({ ...weatherObserved(id), location: { type: 'GeoProperty', value: { type: 'Point', coordinates: [200, 1] } } }), 'BadRequestData'],
    ['an unclosed polygon', JSON.stringify({ ...weatherObserved(id), location: { type: 'GeoProperty', value: { type: 'Polygon', coordinates: [[[1, 1], [2, 1], [2, 2], [1, 2]]] } } }), 'BadRequestData'],
    ['a location that is no GeoProperty', JSON.stringify({ ...weatherObserved(id), location: { type: 'Property', value: 'here' } }), 'BadRequestData'],
    ['a bad observedAt', JSON.stringify({ ...weatherObserved(id), temperature: { type: 'Property', value: 1, observedAt: 'yesterday' } }), 'BadRequestData'],
    ['a null attribute', JSON.stringify({ ...weatherObserved(id), temperature: null }), 'BadRequestData'],
    ['two instances without datasetId', JSON.stringify({ ...weatherObserved(id), temperature: [{ type: 'Property', value: 1 }, { type: 'Property', value: 2 }] }), 'BadRequestData'],
    ['a forbidden attribute name', JSON.stringify({ ...weatherObserved(id), 'bad name': { type: 'Property', value: 1 } }), 'BadRequestData'],
    ['an @context in an application/json body', JSON.stringify({ ...weatherObserved(id), '@context': CORE }), 'BadRequestData'],
    ['an unsupported member', JSON.stringify({ ...weatherObserved(id), temperature: { type: 'Property', value: 1, expiresAt: '2030-01-01T00:00:00Z' } }), 'BadRequestData'],
  ])('refuses %s', async (_what, body, type) => {
    const res = await post(body);
    expect(res.status).toBe(400);
    expect(res.body.type).toBe(ERRORS + type);
  });

  it('refuses application/ld+json without @context, and with a Link header too', async () => {
    expectProblem(await post(JSON.stringify(weatherObserved(id)), { 'content-type': 'application/ld+json' }), 400, 'BadRequestData');
    expectProblem(
      await post(JSON.stringify({ ...weatherObserved(id), '@context': CORE }), {
        'content-type': 'application/ld+json',
        link: link(weatherContext),
      }),
      400,
      'BadRequestData',
    );
  });

  it('refuses other content types with 415', async () => {
    expectProblem(await post('id=1', { 'content-type': 'text/plain' }), 415, 'InvalidRequest');
    expectProblem(await post(JSON.stringify(weatherObserved(id)), { 'content-type': 'application/xml' }), 415, 'InvalidRequest');
  });

  it('refuses a body over the size limit with 413', async () => {
    const big = { ...weatherObserved(id), blob: { type: 'Property', value: 'x'.repeat(70_000) } };
    expectProblem(await post(JSON.stringify(big)), 413, 'InvalidRequest');
  });

  it('refuses a user @context with a scoped context (NGSI-LD clause 5.5.7)', async () => {
    const res = await post(JSON.stringify(weatherObserved(id)), {
      'content-type': 'application/json',
      link: link(contexts.url('scoped.jsonld')),
    });
    expectProblem(res, 400, 'BadRequestData');
    expect(res.body.detail).toMatch(/scoped/);
  });
});

describe('remote @contexts', () => {
  it('fetches a context that includes another one, and caches it', async () => {
    const greenspace = contexts.url('greenspace.jsonld');
    const before = contexts.requests.length;
    const entity = { id: 'urn:ngsi-ld:GreenspaceRecord:1', type: 'GreenspaceRecord', soilMoisture: { type: 'Property', value: 0.3 } };
    await create(entity, { link: link(greenspace) }).expect(201);
    const read = await request(t.http).get('/ngsi-ld/v1/entities/urn:ngsi-ld:GreenspaceRecord:1').set('link', link(greenspace)).expect(200);
    expect(read.body.soilMoisture).toEqual({ type: 'Property', value: 0.3 });
    const plain = await request(t.http).get('/ngsi-ld/v1/entities/urn:ngsi-ld:GreenspaceRecord:1').expect(200);
    expect(plain.body).toHaveProperty(['https://data.vgregion.test/ns#soilMoisture']);
    expect(plain.body.type).toBe('https://smartdatamodels.org/dataModel.ParksAndGardens/GreenspaceRecord');
    expect(contexts.requests.slice(before).filter((path) => path.startsWith('/greenspace')).sort()).toEqual([
      '/greenspace-base.jsonld',
      '/greenspace.jsonld',
    ]);
  });

  it('follows a redirect to an allowed host', async () => {
    await create(weatherObserved('urn:ngsi-ld:WeatherObserved:redirected'), { link: link(contexts.url('redirect.jsonld')) }).expect(201);
  });

  it.each([
    ['a context nobody serves', () => 'http://127.0.0.1:9/none.jsonld'],
    ['a context that answers 404', () => contexts.url('missing.jsonld')],
    ['a context that does not answer in time', () => contexts.url('slow.jsonld')],
    ['a context that redirects to a host not allowed', () => contexts.url('redirect-away.jsonld')],
  ])('answers 503 LdContextNotAvailable for %s', async (_what, url) => {
    const res = await create(weatherObserved('urn:ngsi-ld:WeatherObserved:nocontext'), { link: link(url()) });
    expectProblem(res, 503, 'LdContextNotAvailable');
    await request(t.http).get('/ngsi-ld/v1/entities/urn:ngsi-ld:WeatherObserved:nocontext').expect(404);
  });

  it.each([
    ['a host not allowed', 'https://contexts.example.com/context.jsonld', /host contexts\.example\.com is not among the hosts contexts are fetched from: .*uri\.etsi\.org/],
    ['a file: URL', 'file:///etc/passwd', /only http and https/],
    ['a URL with credentials', 'https://user:secret@uri.etsi.org/context.jsonld', /credentials/],
  ])('refuses a @context URL it will not fetch, %s, with 400 BadRequestData', async (_what, url, detail) => {
    const res = await create(weatherObserved('urn:ngsi-ld:WeatherObserved:nocontext'), { link: link(url) });
    expectProblem(res, 400, 'BadRequestData');
    expect(res.body.detail).toMatch(detail);
    const read = await request(t.http).get('/ngsi-ld/v1/entities/urn:ngsi-ld:WeatherObserved:nocontext').set('link', link(url));
    expectProblem(read, 400, 'BadRequestData');
  });

  it('refuses a context larger than the limit', async () => {
    const res = await create(weatherObserved('urn:ngsi-ld:WeatherObserved:big'), { link: link(contexts.url('big.jsonld')) });
    expectProblem(res, 400, 'BadRequestData');
    expect(res.body.detail).toMatch(/larger than/);
  });

  it('answers the v1.8 core context URL with its own terms, never fetched', async () => {
    const v18 = 'https://uri.etsi.org/ngsi-ld/v1/ngsi-ld-core-context-v1.8.jsonld';
    const res = await request(t.http).get('/ngsi-ld/v1/entities/urn:ngsi-ld:WeatherObserved:linked').set('link', link(v18)).expect(200);
    expect(res.headers.link).toBe(link(v18));
    expect(res.body.type).toBe('https://smartdatamodels.org/dataModel.Weather/WeatherObserved');
  });
});
