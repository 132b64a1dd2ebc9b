import request from 'supertest';
import { Sql } from 'src/database/sql';
import { ContextServer, startContextServer } from 'test/support/context-server';
import { startTestApp, TestApp } from 'test/support/test-app';

/*
 * Reading history (GET /temporal/entities/{id}, GET /temporal/entities, POST
 * /temporal/entityOperations/query): time filters, representations, aggregation and the errors of
 * the temporal parameters. Writes are in ngsi-ld-temporal-writes, paging in ngsi-ld-temporal-paging,
 * access rules in temporal-access.
 */

const ERRORS = 'https://uri.etsi.org/ngsi-ld/errors/';
const CORE = 'https://uri.etsi.org/ngsi-ld/v1/ngsi-ld-core-context-v1.9.jsonld';
const CONTEXT_REL = 'rel="http://www.w3.org/ns/json-ld#context"; type="application/ld+json"';
let t: TestApp;

const SENSOR_A = 'urn:ngsi-ld:Sensor:a';
const SENSOR_B = 'urn:ngsi-ld:Sensor:b';
const PUMP = 'urn:ngsi-ld:Pump:1';
const METER = 'urn:ngsi-ld:Meter:1';
const RAW = 'urn:ngsi-ld:Dataset:raw';

/** Hour n of 1 March 2026, as the broker writes instants. */
const hour = (n: number) => new Date(Date.parse('2026-03-01T00:00:00Z') + n * 3_600_000).toISOString();

const temporal = (path: string) => request(t.http).get(`/ngsi-ld/v1/temporal/entities${path}`);
const valuesOf = (instances: { value: unknown }[]) => instances.map((instance) => instance.value);

function createTemporal(entity: object) {
  return request(t.http).post('/ngsi-ld/v1/temporal/entities').set('content-type', 'application/json').send(JSON.stringify(entity));
}

function expectProblem(res: request.Response, status: number, type: string) {
  expect(res.status).toBe(status);
  expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
  expect(res.body).toMatchObject({ type: ERRORS + type, status });
}

const property = (value: unknown, at: string, extra: object = {}) => ({ type: 'Property', value, observedAt: at, ...extra });

/** Readings of the meter, for aggregation: [value, observedAt]. */
const CONSUMPTION: [number, string][] = [
  [4, '2026-01-31T22:10:00.000Z'],
  [6, '2026-01-31T22:50:00.000Z'],
  [5, '2026-01-31T23:30:00.000Z'],
  [10, '2026-02-01T00:15:00.000Z'],
  [10, '2026-02-01T00:45:00.000Z'],
  [2, '2026-02-15T12:00:00.000Z'],
  [7, '2026-03-02T08:00:00.000Z'],
  // The day summer time begins in Sweden: 23 hours there, 24 in UTC.
  [3, '2026-03-29T05:00:00.000Z'],
];
const LABELS: [string, string][] = [
  ['low', '2026-01-31T22:10:00.000Z'],
  ['high', '2026-01-31T22:50:00.000Z'],
  ['low', '2026-02-01T00:15:00.000Z'],
];

/**
 * Sets the time zone of every database session of the app. Production servers often run in
 * local time (initdb takes the system's zone); answers must not depend on it.
 */
async function setDatabaseTimeZone(zone: string) {
  const sql = t.app.get(Sql);
  const { rows } = await sql.query<{ name: string }>('SELECT current_database() AS name');
  await sql.query(`ALTER DATABASE "${rows[0].name}" SET timezone TO '${zone}'`);
  // As many at once as the pool holds connections, so that each of them takes it.
  await Promise.all(Array.from({ length: t.config.database.poolSize }, () => sql.query(`SET timezone TO '${zone}'; SELECT pg_sleep(0.1)`)));
}

beforeAll(async () => {
  t = await startTestApp({ LOG_LEVEL: 'error' });
  await setDatabaseTimeZone('Europe/Stockholm');
  await createTemporal({
    id: SENSOR_A,
    type: 'Sensor',
    temperature: [10, 12, 11, 15, 13, 14].map((value, i) => property(value, hour(i), { unitCode: 'CEL' })),
    status: [property('ok', hour(0)), property('ok', hour(2)), property('fault', hour(4))],
    refDevice: [
      { type: 'Relationship', object: 'urn:ngsi-ld:Device:1', observedAt: hour(1) },
      { type: 'Relationship', object: 'urn:ngsi-ld:Device:2', observedAt: hour(3) },
    ],
    name: [{ type: 'LanguageProperty', languageMap: { sv: 'Givare', en: 'Sensor' }, observedAt: hour(0) }],
    humidity: [property(50, hour(0)), property(55, hour(1)), property(49, hour(0), { datasetId: RAW }), property(56, hour(1), { datasetId: RAW })],
    location: [{ type: 'GeoProperty', value: { type: 'Point', coordinates: [11.97, 57.7] }, observedAt: hour(0) }],
  }).expect(201);
  await createTemporal({
    id: SENSOR_B,
    type: 'Sensor',
    temperature: [property(20, hour(0)), property(21, hour(1))],
    status: [property('ok', hour(0))],
    location: [{ type: 'GeoProperty', value: { type: 'Point', coordinates: [12.94, 57.72] }, observedAt: hour(0) }],
  }).expect(201);
  await createTemporal({ id: PUMP, type: 'Pump', temperature: [property(30, hour(0))] }).expect(201);
  await createTemporal({
    id: METER,
    type: 'Meter',
    consumption: CONSUMPTION.map(([value, at]) => property(value, at)),
    label: LABELS.map(([value, at]) => property(value, at)),
  }).expect(201);
}, 60_000);
afterAll(async () => {
  await t?.close();
}, 60_000);

describe('retrieving the history of an entity', () => {
  it('lists every attribute as its instances, oldest first, each with an instanceId', async () => {
    const res = await temporal(`/${SENSOR_A}`).expect(200);
    expect(res.body.id).toBe(SENSOR_A);
    expect(res.body.type).toBe('Sensor');
    expect(valuesOf(res.body.temperature)).toEqual([10, 12, 11, 15, 13, 14]);
    expect(res.body.temperature[0]).toEqual({ type: 'Property', value: 10, observedAt: hour(0), unitCode: 'CEL', instanceId: expect.stringMatching(/^urn:ngsi-ld:[0-9a-f-]{36}$/) });
    expect(new Set(res.body.temperature.map((i: { instanceId: string }) => i.instanceId)).size).toBe(6);
    expect(res.body.refDevice.map((i: { object: string }) => i.object)).toEqual(['urn:ngsi-ld:Device:1', 'urn:ngsi-ld:Device:2']);
    expect(res.body.name).toEqual([expect.objectContaining({ type: 'LanguageProperty', languageMap: { sv: 'Givare', en: 'Sensor' } })]);
    expect(res.body.location).toEqual([expect.objectContaining({ type: 'GeoProperty', value: { type: 'Point', coordinates: [11.97, 57.7] } })]);
    // No system attributes unless asked for.
    expect(res.body.createdAt).toBeUndefined();
    expect(res.body.temperature[0].modifiedAt).toBeUndefined();
  });

  it('keeps the instances of a multi-instance attribute apart by datasetId', async () => {
    const res = await temporal(`/${SENSOR_A}?attrs=humidity`).expect(200);
    const byDataset = (datasetId?: string) =>
      res.body.humidity.filter((i: { datasetId?: string }) => i.datasetId === datasetId).map((i: { value: number; observedAt: string }) => [i.value, i.observedAt]);
    expect(res.body.humidity).toHaveLength(4);
    expect(byDataset(undefined)).toEqual([[50, hour(0)], [55, hour(1)]]);
    expect(byDataset(RAW)).toEqual([[49, hour(0)], [56, hour(1)]]);
  });

  it('shows only the instances of the datasetIds asked for', async () => {
    const normalized = await temporal(`/${SENSOR_A}?attrs=humidity&datasetId=${RAW}`).expect(200);
    expect(normalized.body.humidity.map((i: { value: number }) => i.value)).toEqual([49, 56]);
    const simplified = await temporal(`/${SENSOR_A}?attrs=humidity&datasetId=@none&options=temporalValues`).expect(200);
    expect(simplified.body.humidity).toEqual({ type: 'Property', values: [[50, hour(0)], [55, hour(1)]] });
  });

  it('answers timerel=before with the instances strictly before timeAt', async () => {
    const res = await temporal(`/${SENSOR_A}?timerel=before&timeAt=${hour(3)}`).expect(200);
    expect(valuesOf(res.body.temperature)).toEqual([10, 12, 11]);
    expect(valuesOf(res.body.status)).toEqual(['ok', 'ok']);
    expect(res.body.refDevice.map((i: { object: string }) => i.object)).toEqual(['urn:ngsi-ld:Device:1']);
  });

  it('answers timerel=after with the instances strictly after timeAt', async () => {
    const res = await temporal(`/${SENSOR_A}?timerel=after&timeAt=${hour(3)}`).expect(200);
    expect(valuesOf(res.body.temperature)).toEqual([13, 14]);
    expect(valuesOf(res.body.status)).toEqual(['fault']);
  });

  it('answers timerel=between from timeAt (included) to endTimeAt (excluded)', async () => {
    const res = await temporal(`/${SENSOR_A}?attrs=temperature&timerel=between&timeAt=${hour(1)}&endTimeAt=${hour(4)}`).expect(200);
    expect(res.body.temperature.map((i: { observedAt: string }) => i.observedAt)).toEqual([hour(1), hour(2), hour(3)]);
  });

  it('accepts time zones other than Z in timeAt', async () => {
    const res = await temporal(`/${SENSOR_A}?attrs=temperature&timerel=before&timeAt=${encodeURIComponent('2026-03-01T03:00:00+01:00')}`).expect(200);
    expect(valuesOf(res.body.temperature)).toEqual([10, 12]);
  });

  it('gives the last N instances of each attribute, oldest first', async () => {
    const res = await temporal(`/${SENSOR_A}?lastN=2`).expect(200);
    expect(valuesOf(res.body.temperature)).toEqual([13, 14]);
    expect(valuesOf(res.body.status)).toEqual(['ok', 'fault']);
    expect(res.body.name).toHaveLength(1);
  });

  it('gives the last N within a time range', async () => {
    const res = await temporal(`/${SENSOR_A}?attrs=temperature&lastN=2&timerel=before&timeAt=${hour(4)}`).expect(200);
    expect(valuesOf(res.body.temperature)).toEqual([11, 15]);
  });

  it('shows only the attributes in attrs', async () => {
    const res = await temporal(`/${SENSOR_A}?attrs=temperature,status`).expect(200);
    expect(Object.keys(res.body).sort()).toEqual(['id', 'status', 'temperature', 'type']);
  });

  it('answers the entity without attributes when it has none of those in attrs', async () => {
    expect((await temporal(`/${SENSOR_B}?attrs=humidity`).expect(200)).body).toEqual({ id: SENSOR_B, type: 'Sensor' });
  });

  it('leaves out the attributes in omit and keeps only those in pick, in every representation', async () => {
    for (const format of ['normalized', 'temporalValues']) {
      const omitted = await temporal(`/${SENSOR_B}?omit=temperature&format=${format}`).expect(200);
      expect(Object.keys(omitted.body).sort()).toEqual(['id', 'location', 'status', 'type']);
      const picked = await temporal(`/${SENSOR_B}?pick=id,status&format=${format}`).expect(200);
      expect(Object.keys(picked.body).sort()).toEqual(['id', 'status']);
    }
    const aggregated = await temporal(`/${SENSOR_B}?omit=temperature,location&format=aggregatedValues&aggrMethods=totalCount`).expect(200);
    expect(Object.keys(aggregated.body).sort()).toEqual(['id', 'status', 'type']);
  });

  it('shows system attributes with options=sysAttrs', async () => {
    const res = await temporal(`/${SENSOR_B}?options=sysAttrs&attrs=temperature`).expect(200);
    expect(res.body.createdAt).toEqual(expect.any(String));
    expect(res.body.modifiedAt).toEqual(expect.any(String));
    for (const instance of res.body.temperature) {
      expect(Date.parse(instance.createdAt)).not.toBeNaN();
      expect(Date.parse(instance.modifiedAt)).not.toBeNaN();
    }
  });

  it('answers 404 ResourceNotFound for an entity that does not exist', async () => {
    expectProblem(await temporal('/urn:ngsi-ld:Sensor:nothing'), 404, 'ResourceNotFound');
  });

  it('answers 400 for an entity id that is not a URI', async () => {
    expectProblem(await temporal('/not%20a%20uri'), 400, 'BadRequestData');
  });

  it('answers 404 NonexistentTenant for a tenant nothing was written to', async () => {
    expectProblem(await temporal(`/${SENSOR_A}`).set('NGSILD-Tenant', 'nobody'), 404, 'NonexistentTenant');
  });
});

describe('the simplified temporal representation (temporalValues)', () => {
  it('lists [value, time] pairs under the member of each kind of attribute', async () => {
    const res = await temporal(`/${SENSOR_A}?options=temporalValues`).expect(200);
    expect(res.body.temperature).toEqual({ type: 'Property', values: [10, 12, 11, 15, 13, 14].map((v, i) => [v, hour(i)]) });
    expect(res.body.status).toEqual({ type: 'Property', values: [['ok', hour(0)], ['ok', hour(2)], ['fault', hour(4)]] });
    expect(res.body.refDevice).toEqual({ type: 'Relationship', objects: [['urn:ngsi-ld:Device:1', hour(1)], ['urn:ngsi-ld:Device:2', hour(3)]] });
    expect(res.body.name).toEqual({ type: 'LanguageProperty', languageMaps: [[{ languageMap: { sv: 'Givare', en: 'Sensor' } }, hour(0)]] });
    expect(res.body.location).toEqual({ type: 'GeoProperty', values: [[{ type: 'Point', coordinates: [11.97, 57.7] }, hour(0)]] });
    expect(res.body.humidity).toEqual(
      expect.arrayContaining([
        { type: 'Property', values: [[50, hour(0)], [55, hour(1)]] },
        { type: 'Property', datasetId: RAW, values: [[49, hour(0)], [56, hour(1)]] },
      ]),
    );
    expect(res.body.humidity).toHaveLength(2);
  });

  it('wraps the values of VocabProperties and JsonProperties as clause 4.5.9 shows: {"vocab": ...}, {"json": ...}', async () => {
    const id = 'urn:ngsi-ld:Sign:temporal-values';
    await createTemporal({
      id,
      type: 'Sign',
      category: [
        { type: 'VocabProperty', vocab: 'warning', observedAt: hour(0) },
        { type: 'VocabProperty', vocab: ['warning', 'temporary'], observedAt: hour(1) },
      ],
      panel: [{ type: 'JsonProperty', json: { lines: ['Badförbud', 'Bathing banned'], '@id': 'not-an-iri' }, observedAt: hour(0) }],
    }).expect(201);
    const res = await temporal(`/${id}?options=temporalValues`).expect(200);
    expect(res.body.category).toEqual({ type: 'VocabProperty', vocabs: [[{ vocab: 'warning' }, hour(0)], [{ vocab: ['warning', 'temporary'] }, hour(1)]] });
    expect(res.body.panel).toEqual({ type: 'JsonProperty', jsons: [[{ json: { lines: ['Badförbud', 'Bathing banned'], '@id': 'not-an-iri' } }, hour(0)]] });
  });

  it('is also asked for with format=temporalValues, the same answer', async () => {
    const byOption = await temporal(`/${SENSOR_A}?options=temporalValues`).expect(200);
    const byFormat = await temporal(`/${SENSOR_A}?format=temporalValues`).expect(200);
    expect(byFormat.body).toEqual(byOption.body);
  });

  it('shows a LanguageProperty in one language with lang', async () => {
    const res = await temporal(`/${SENSOR_A}?attrs=name&options=temporalValues&lang=en`).expect(200);
    expect(res.body.name).toEqual({ type: 'Property', values: [['Sensor', hour(0)]] });
  });

  it('combines with a time filter and lastN', async () => {
    const res = await temporal(`/${SENSOR_A}?attrs=temperature&options=temporalValues&lastN=1&timerel=before&timeAt=${hour(2)}`).expect(200);
    expect(res.body.temperature).toEqual({ type: 'Property', values: [[12, hour(1)]] });
  });
});

describe('media types', () => {
  it('answers application/json with the @context in a Link header', async () => {
    const res = await temporal(`/${SENSOR_B}`).set('accept', 'application/json').expect(200);
    expect(res.headers['content-type']).toMatch(/^application\/json/);
    expect(res.headers.link).toBe(`<${CORE}>; ${CONTEXT_REL}`);
    expect(res.body['@context']).toBeUndefined();
  });

  it('answers application/ld+json with the @context in the body and no Link header', async () => {
    const one = await temporal(`/${SENSOR_B}`).set('accept', 'application/ld+json').expect(200);
    expect(one.headers['content-type']).toMatch(/^application\/ld\+json/);
    expect(one.headers.link).toBeUndefined();
    expect(one.body['@context']).toBe(CORE);
    const many = await temporal('?type=Sensor').set('accept', 'application/ld+json').expect(200);
    expect(many.body.map((e: { '@context': unknown }) => e['@context'])).toEqual([CORE, CORE]);
  });

  it('refuses an Accept it cannot answer with 406', async () => {
    const res = await temporal(`/${SENSOR_B}`).set('accept', 'text/csv');
    expect(res.status).toBe(406);
    expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(res.body.type).toBe(`${ERRORS}InvalidRequest`);
    expect((await temporal('?type=Sensor').set('accept', 'application/geo+json')).status).toBe(406);
  });
});

describe('the caller’s @context', () => {
  const STATION = 'urn:ngsi-ld:WeatherObserved:lindholmen';
  const IRI = 'https://smartdatamodels.org/dataModel.Weather/temperature';
  let contexts: ContextServer;
  let weather: string;
  const link = () => `<${weather}>; ${CONTEXT_REL}`;
  beforeAll(async () => {
    contexts = await startContextServer();
    weather = contexts.url('weather.jsonld');
    await request(t.http)
      .post('/ngsi-ld/v1/temporal/entities')
      .set({ 'content-type': 'application/json', link: link() })
      .send(JSON.stringify({ id: STATION, type: 'WeatherObserved', temperature: [property(8, hour(0)), property(9, hour(1))] }))
      .expect(201);
  });
  afterAll(async () => {
    await contexts?.close();
  });

  it('compacts names with the context of the Link header, and answers with it', async () => {
    const res = await temporal(`/${STATION}?attrs=temperature&options=temporalValues`).set('link', link()).expect(200);
    expect(res.body).toEqual({ id: STATION, type: 'WeatherObserved', temperature: { type: 'Property', values: [[8, hour(0)], [9, hour(1)]] } });
    expect(res.headers.link).toBe(`<${weather}>; ${CONTEXT_REL}`);
  });

  it('shows full IRIs to a caller without that context', async () => {
    const res = await temporal(`/${STATION}?attrs=${encodeURIComponent(IRI)}`).expect(200);
    expect(res.body.type).toBe('https://smartdatamodels.org/dataModel.Weather/WeatherObserved');
    expect(valuesOf(res.body[IRI])).toEqual([8, 9]);
  });

  it('takes the context from the body of a query sent as application/ld+json', async () => {
    const res = await request(t.http)
      .post('/ngsi-ld/v1/temporal/entityOperations/query?options=temporalValues')
      .set({ 'content-type': 'application/ld+json', accept: 'application/ld+json' })
      .send(JSON.stringify({ '@context': weather, type: 'Query', entities: [{ type: 'WeatherObserved' }], temporalQ: { timerel: 'after', timeAt: hour(0) } }))
      .expect(200);
    expect(res.body).toEqual([{ '@context': weather, id: STATION, type: 'WeatherObserved', temperature: { type: 'Property', values: [[9, hour(1)]] } }]);
  });
});

describe('time properties', () => {
  const ID = 'urn:ngsi-ld:Valve:times';
  let between: string;
  beforeAll(async () => {
    await request(t.http).post('/ngsi-ld/v1/entities').send({ id: ID, type: 'Valve', position: { type: 'Property', value: 'open', observedAt: '2020-01-01T00:00:00Z' } }).expect(201);
    await new Promise((resolve) => setTimeout(resolve, 20));
    between = new Date().toISOString();
    await new Promise((resolve) => setTimeout(resolve, 20));
    await request(t.http).patch(`/ngsi-ld/v1/entities/${ID}/attrs`).send({ position: { type: 'Property', value: 'closed', observedAt: '2020-01-02T00:00:00Z' } }).expect(204);
  });

  it('filters on observedAt by default', async () => {
    const res = await temporal(`/${ID}?timerel=after&timeAt=2020-01-01T12:00:00Z`).expect(200);
    expect(valuesOf(res.body.position)).toEqual(['closed']);
    expect((await temporal(`/${ID}?timerel=after&timeAt=${between}`).expect(200)).body.position).toBeUndefined();
  });

  it('filters on when instances were written with timeproperty=modifiedAt, and shows that time', async () => {
    const after = await temporal(`/${ID}?timeproperty=modifiedAt&timerel=after&timeAt=${between}`).expect(200);
    expect(valuesOf(after.body.position)).toEqual(['closed']);
    expect(Date.parse(after.body.position[0].modifiedAt)).toBeGreaterThan(Date.parse(between));
    const before = await temporal(`/${ID}?timeproperty=modifiedAt&timerel=before&timeAt=${between}`).expect(200);
    expect(valuesOf(before.body.position)).toEqual(['open']);
  });

  it('filters on when each instance entered the history with timeproperty=createdAt, and shows it', async () => {
    const res = await temporal(`/${ID}?timeproperty=createdAt&timerel=before&timeAt=${between}`).expect(200);
    expect(valuesOf(res.body.position)).toEqual(['open']);
    expect(Date.parse(res.body.position[0].createdAt)).toBeLessThan(Date.parse(between));
    const later = await temporal(`/${ID}?timeproperty=createdAt&timerel=after&timeAt=${between}`).expect(200);
    expect(valuesOf(later.body.position)).toEqual(['closed']);
    expect((await temporal(`/${ID}?timeproperty=createdAt&timerel=before&timeAt=2020-01-01T00:00:00Z`).expect(200)).body.position).toBeUndefined();
  });

  it('pairs values with the asked time in temporalValues', async () => {
    const res = await temporal(`/${ID}?timeproperty=modifiedAt&options=temporalValues`).expect(200);
    const [[first, firstAt], [second, secondAt]] = res.body.position.values;
    expect([first, second]).toEqual(['open', 'closed']);
    expect(Date.parse(firstAt)).toBeLessThan(Date.parse(between));
    expect(Date.parse(secondAt)).toBeGreaterThan(Date.parse(between));
  });
});

describe('querying histories', () => {
  const ids = (res: request.Response) => res.body.map((e: { id: string }) => e.id);

  it('selects entities by type, with each one’s history', async () => {
    const res = await temporal('?type=Sensor&attrs=temperature').expect(200);
    expect(ids(res)).toEqual([SENSOR_A, SENSOR_B]);
    expect(valuesOf(res.body[0].temperature)).toEqual([10, 12, 11, 15, 13, 14]);
    expect(valuesOf(res.body[1].temperature)).toEqual([20, 21]);
  });

  it('selects by id, by idPattern and by a type expression', async () => {
    expect(ids(await temporal(`?id=${SENSOR_B},${PUMP}`).expect(200))).toEqual([PUMP, SENSOR_B]);
    expect(ids(await temporal(`?idPattern=${encodeURIComponent('^urn:ngsi-ld:Sensor:[a]$')}`).expect(200))).toEqual([SENSOR_A]);
    expect(ids(await temporal('?type=Sensor,Pump').expect(200))).toEqual([PUMP, SENSOR_A, SENSOR_B]);
  });

  it('selects entities having any of attrs, and shows only those attributes', async () => {
    const res = await temporal('?attrs=humidity').expect(200);
    expect(ids(res)).toEqual([SENSOR_A]);
    expect(Object.keys(res.body[0]).sort()).toEqual(['humidity', 'id', 'type']);
  });

  it('leaves out entities without an instance in the time window (clause 5.7.4.4), in the page and in the count', async () => {
    const after = await temporal(`?type=Sensor&timerel=after&timeAt=${hour(2)}&count=true`).expect(200);
    expect(ids(after)).toEqual([SENSOR_A]);
    expect(after.headers['ngsild-results-count']).toBe('1');
    const between = `timerel=between&timeAt=${hour(1)}&endTimeAt=${hour(2)}`;
    expect(ids(await temporal(`?type=Sensor,Pump&attrs=temperature&${between}`).expect(200))).toEqual([SENSOR_A, SENSOR_B]);
    expect(ids(await temporal(`?type=Sensor,Pump&attrs=temperature&timerel=before&timeAt=${hour(1)}`).expect(200))).toEqual([PUMP, SENSOR_A, SENSOR_B]);
    const byBody = await request(t.http)
      .post('/ngsi-ld/v1/temporal/entityOperations/query?count=true')
      .send({ type: 'Query', entities: [{ type: 'Sensor' }, { type: 'Pump' }], temporalQ: { timerel: 'after', timeAt: hour(0) } })
      .expect(200);
    expect(ids(byBody)).toEqual([SENSOR_A, SENSOR_B]);
    expect(byBody.headers['ngsild-results-count']).toBe('2');
  });

  it('counts only instances of the attributes in attrs towards the time window', async () => {
    // Sensor b has instances after hour 0 (temperature), but none of humidity or status.
    expect(ids(await temporal(`?type=Sensor&attrs=humidity,status&timerel=after&timeAt=${hour(0)}`).expect(200))).toEqual([SENSOR_A]);
    expect(ids(await temporal(`?type=Sensor&attrs=temperature&timerel=after&timeAt=${hour(0)}`).expect(200))).toEqual([SENSOR_A, SENSOR_B]);
  });

  it('pages over the entities that have instances in the window only', async () => {
    const window = `type=Sensor,Pump&attrs=temperature&timerel=after&timeAt=${hour(0)}`;
    const first = await temporal(`?${window}&limit=1&count=true`).expect(200);
    expect(ids(first)).toEqual([SENSOR_A]);
    expect(first.headers['ngsild-results-count']).toBe('2');
    expect(ids(await temporal(`?${window}&limit=1&offset=1`).expect(200))).toEqual([SENSOR_B]);
    expect(await temporal(`?${window}&limit=1&offset=2`).expect(200).then((res) => res.body)).toEqual([]);
  });

  it('points to the next and previous page in Link headers, beside the @context, each link giving that page', async () => {
    const linkTo = (res: request.Response, rel: string) => new RegExp(`<([^>]*)>; rel="${rel}"`).exec(res.headers.link ?? '')?.[1];
    const first = await temporal('?type=Sensor,Pump&attrs=temperature&limit=1').set('accept', 'application/json').expect(200);
    expect(ids(first)).toEqual([PUMP]);
    expect(first.headers.link).toContain(`<${CORE}>; ${CONTEXT_REL}`);
    expect(linkTo(first, 'prev')).toBeUndefined();
    const second = await request(t.http).get(linkTo(first, 'next')!).expect(200);
    expect(ids(second)).toEqual([SENSOR_A]);
    expect(valuesOf(second.body[0].temperature)).toEqual([10, 12, 11, 15, 13, 14]);
    const last = await request(t.http).get(linkTo(second, 'next')!).expect(200);
    expect(ids(last)).toEqual([SENSOR_B]);
    expect(linkTo(last, 'next')).toBeUndefined();
    expect(ids(await request(t.http).get(linkTo(last, 'prev')!).expect(200))).toEqual([SENSOR_A]);
    expect(ids(await request(t.http).get(linkTo(second, 'prev')!).expect(200))).toEqual([PUMP]);
    // One page holds everything: no links; application/ld+json: no Link header at all.
    expect((await temporal('?type=Sensor,Pump').set('accept', 'application/ld+json').expect(200)).headers.link).toBeUndefined();
  });

  it('leaves out an entity that has no history at all', async () => {
    const bare = 'urn:ngsi-ld:Pump:bare';
    await request(t.http).post('/ngsi-ld/v1/entities').send({ id: bare, type: 'Pump' }).expect(201);
    expect(ids(await temporal('?type=Pump').expect(200))).toEqual([PUMP]);
    expect((await temporal(`/${bare}`).expect(200)).body).toEqual({ id: bare, type: 'Pump' });
  });

  it('filters with q on the current state', async () => {
    expect(ids(await temporal(`?type=Sensor&q=${encodeURIComponent('status=="fault"')}`).expect(200))).toEqual([SENSOR_A]);
    expect(ids(await temporal(`?type=Sensor&q=${encodeURIComponent('temperature>20')}`).expect(200))).toEqual([SENSOR_B]);
  });

  it('filters with a geo-query', async () => {
    const near = `georel=${encodeURIComponent('near;maxDistance==5000')}&geometry=Point&coordinates=${encodeURIComponent('[11.97,57.7]')}`;
    expect(ids(await temporal(`?type=Sensor&${near}`).expect(200))).toEqual([SENSOR_A]);
    const polygon = encodeURIComponent(JSON.stringify([[[12.5, 57.5], [13.5, 57.5], [13.5, 58], [12.5, 58], [12.5, 57.5]]]));
    expect(ids(await temporal(`?georel=within&geometry=Polygon&coordinates=${polygon}`).expect(200))).toEqual([SENSOR_B]);
  });

  it('pages entities with limit and offset and counts them with count=true', async () => {
    const res = await temporal('?type=Sensor&limit=1&offset=1&count=true').expect(200);
    expect(ids(res)).toEqual([SENSOR_B]);
    expect(res.headers['ngsild-results-count']).toBe('2');
    const counted = await temporal('?type=Sensor&limit=0&count=true').expect(200);
    expect(counted.body).toEqual([]);
    expect(counted.headers['ngsild-results-count']).toBe('2');
    expect((await temporal('?type=Sensor').expect(200)).headers['ngsild-results-count']).toBeUndefined();
  });

  it('applies the time filter to every entity', async () => {
    const res = await temporal(`?type=Sensor&attrs=temperature&timerel=after&timeAt=${hour(0)}&options=temporalValues`).expect(200);
    expect(res.body).toEqual([
      { id: SENSOR_A, type: 'Sensor', temperature: { type: 'Property', values: [12, 11, 15, 13, 14].map((v, i) => [v, hour(i + 1)]) } },
      { id: SENSOR_B, type: 'Sensor', temperature: { type: 'Property', values: [[21, hour(1)]] } },
    ]);
  });

  it('gives the last N of each entity’s attributes', async () => {
    const res = await temporal('?type=Sensor&attrs=temperature&lastN=1&options=temporalValues').expect(200);
    expect(res.body.map((e: { temperature: { values: unknown } }) => e.temperature.values)).toEqual([[[14, hour(5)]], [[21, hour(1)]]]);
  });

  it('answers an empty list when nothing matches', async () => {
    expect((await temporal('?type=Nothing').expect(200)).body).toEqual([]);
  });

  it('needs at least one filter, or local=true', async () => {
    expectProblem(await temporal(''), 400, 'BadRequestData');
    const all = ids(await temporal('?local=true&limit=100').expect(200));
    expect(all).toEqual(expect.arrayContaining([METER, PUMP, SENSOR_A, SENSOR_B]));
    expect(all).toEqual([...all].sort());
  });
});

describe('POST /temporal/entityOperations/query', () => {
  const query = (body: unknown, params = '') =>
    request(t.http).post(`/ngsi-ld/v1/temporal/entityOperations/query${params}`).set('content-type', 'application/json').send(JSON.stringify(body));

  it('takes the time filter from temporalQ', async () => {
    const res = await query({ type: 'Query', entities: [{ type: 'Sensor' }], attrs: ['temperature'], temporalQ: { timerel: 'before', timeAt: hour(2) } }, '?options=temporalValues').expect(200);
    expect(res.body).toEqual([
      { id: SENSOR_A, type: 'Sensor', temperature: { type: 'Property', values: [[10, hour(0)], [12, hour(1)]] } },
      { id: SENSOR_B, type: 'Sensor', temperature: { type: 'Property', values: [[20, hour(0)], [21, hour(1)]] } },
    ]);
  });

  it('takes lastN, timeproperty and between from temporalQ, q and geoQ from the body, paging from the URL', async () => {
    const res = await query(
      {
        type: 'Query',
        entities: [{ type: 'Sensor' }],
        q: 'temperature>=14',
        attrs: ['temperature'],
        geoQ: { georel: 'near;maxDistance==5000', geometry: 'Point', coordinates: [11.97, 57.7] },
        temporalQ: { timerel: 'between', timeAt: hour(1), endTimeAt: hour(5), timeproperty: 'observedAt', lastN: 2 },
      },
      '?count=true&limit=10',
    ).expect(200);
    expect(res.headers['ngsild-results-count']).toBe('1');
    expect(res.body).toHaveLength(1);
    expect(valuesOf(res.body[0].temperature)).toEqual([15, 13]);
  });

  it('aggregates with the aggregation in the URL', async () => {
    const res = await query({ type: 'Query', entities: [{ id: SENSOR_B }], attrs: ['temperature'] }, '?format=aggregatedValues&aggrMethods=sum').expect(200);
    expect(res.body[0].temperature.sum).toEqual([[41, hour(0), hour(1)]]);
  });

  it('refuses time parameters in the URL: they belong in temporalQ', async () => {
    expectProblem(await query({ type: 'Query', entities: [{ type: 'Sensor' }] }, `?timerel=before&timeAt=${hour(1)}`), 400, 'BadRequestData');
    expectProblem(await query({ type: 'Query', entities: [{ type: 'Sensor' }] }, '?lastN=1'), 400, 'BadRequestData');
  });

  it('refuses an unknown temporalQ member, a temporalQ that is no object, a bad temporalQ and a body without type "Query"', async () => {
    expectProblem(await query({ type: 'Query', entities: [{ type: 'Sensor' }], temporalQ: { timerel: 'before', timeAt: hour(1), when: 'now' } }), 400, 'BadRequestData');
    expectProblem(await query({ type: 'Query', entities: [{ type: 'Sensor' }], temporalQ: 'before' }), 400, 'BadRequestData');
    expectProblem(await query({ type: 'Query', entities: [{ type: 'Sensor' }], temporalQ: { timerel: 'before' } }), 400, 'BadRequestData');
    expectProblem(await query({ type: 'Query', entities: [{ type: 'Sensor' }], temporalQ: { lastN: 0 } }), 400, 'BadRequestData');
    for (const day of ['2026-02-30T00:00:00Z', '2026-04-31T00:00:00Z', '0000-00-00', '2026-02-30', '2026-03-01T00:00:00+24:00']) {
      expectProblem(await query({ type: 'Query', entities: [{ type: 'Sensor' }], temporalQ: { timerel: 'after', timeAt: day } }), 400, 'BadRequestData');
      expectProblem(await query({ type: 'Query', entities: [{ type: 'Sensor' }], temporalQ: { timerel: 'between', timeAt: hour(0), endTimeAt: day } }), 400, 'BadRequestData');
    }
    expectProblem(await query({ entities: [{ type: 'Sensor' }], temporalQ: { timerel: 'before', timeAt: hour(1) } }), 400, 'BadRequestData');
    expectProblem(await query({ type: 'Subscription', entities: [{ type: 'Sensor' }] }), 400, 'BadRequestData');
    expectProblem(await query([{ type: 'Query' }]), 400, 'InvalidRequest');
  });
});

/** The aggregates NGSI-LD defines, computed here from the readings of one period. */
function aggregate(values: unknown[]): Record<string, number | null> {
  const numbers = values.filter((v): v is number => typeof v === 'number');
  const n = numbers.length;
  const sum = numbers.reduce((a, b) => a + b, 0);
  const avg = n ? sum / n : null;
  return {
    totalCount: values.length,
    distinctCount: new Set(values.map((v) => JSON.stringify(v))).size,
    sum: n ? sum : null,
    avg,
    min: n ? Math.min(...numbers) : null,
    max: n ? Math.max(...numbers) : null,
    stddev: n > 1 ? Math.sqrt(numbers.reduce((a, v) => a + (v - avg!) ** 2, 0) / (n - 1)) : null,
    sumsq: n ? numbers.reduce((a, v) => a + v * v, 0) : null,
  };
}

/** The periods of `readings` by `periodOf` (start and end of a reading's period), oldest first, with their aggregates. */
function periods(readings: [unknown, string][], periodOf: (at: Date) => [Date, Date]) {
  const groups = new Map<string, { start: string; end: string; values: unknown[] }>();
  for (const [value, at] of readings) {
    const [start, end] = periodOf(new Date(at));
    const key = start.toISOString();
    const group = groups.get(key) ?? { start: key, end: end.toISOString(), values: [] };
    group.values.push(value);
    groups.set(key, group);
  }
  return [...groups.values()].sort((a, b) => a.start.localeCompare(b.start)).map((g) => ({ ...g, aggregates: aggregate(g.values) }));
}

const fixed = (ms: number, origin = 0) => (at: Date): [Date, Date] => {
  const start = origin + Math.floor((at.getTime() - origin) / ms) * ms;
  return [new Date(start), new Date(start + ms)];
};
/** `count` months after `origin` on the UTC calendar, the day kept or, where the month is shorter, its last day. */
function monthsAfter(origin: Date, count: number): Date {
  const shifted = new Date(origin);
  shifted.setUTCDate(1);
  shifted.setUTCMonth(origin.getUTCMonth() + count);
  const lastDay = new Date(Date.UTC(shifted.getUTCFullYear(), shifted.getUTCMonth() + 1, 0)).getUTCDate();
  shifted.setUTCDate(Math.min(origin.getUTCDate(), lastDay));
  return shifted;
}
/** Periods of `months` calendar months laid from `origin`, both ways. */
const monthly = (origin: string, months = 1) => (at: Date): [Date, Date] => {
  let n = 0;
  while (monthsAfter(new Date(origin), n * months) > at) n--;
  while (monthsAfter(new Date(origin), (n + 1) * months) <= at) n++;
  return [monthsAfter(new Date(origin), n * months), monthsAfter(new Date(origin), (n + 1) * months)];
};
/** The first reading of the meter: where periods start when no timeAt is given. */
const FIRST = Date.parse(CONSUMPTION[0][1]);
const METHODS = ['totalCount', 'distinctCount', 'sum', 'avg', 'min', 'max', 'stddev', 'sumsq'];

/** Compares a method's triples with the expected periods, numbers to 9 digits. */
function expectTriples(actual: unknown, expected: ReturnType<typeof periods>, method: string) {
  expect(actual).toEqual(
    expected.map((p) => {
      const value = p.aggregates[method];
      return [value === null ? null : expect.closeTo(value, 9), p.start, p.end];
    }),
  );
}

describe('the aggregated temporal representation (aggregatedValues)', () => {
  const aggregated = (params: string) => temporal(`/${METER}?format=aggregatedValues&aggrMethods=${METHODS.join(',')}${params}`);

  it('computes every method per hour (PT1H), periods from the first instance without timeAt', async () => {
    const res = await aggregated('&attrs=consumption&aggrPeriodDuration=PT1H').expect(200);
    const expected = periods(CONSUMPTION, fixed(3_600_000, FIRST));
    expect(expected.map((p) => p.start).slice(0, 3)).toEqual(['2026-01-31T22:10:00.000Z', '2026-01-31T23:10:00.000Z', '2026-02-01T00:10:00.000Z']);
    expect(res.body.consumption.type).toBe('Property');
    for (const method of METHODS) expectTriples(res.body.consumption[method], expected, method);
  });

  it('computes every method per day (P1D), days from the first instance', async () => {
    const res = await aggregated('&attrs=consumption&aggrPeriodDuration=P1D').expect(200);
    const expected = periods(CONSUMPTION, fixed(86_400_000, FIRST));
    expect(expected).toHaveLength(4);
    expect(expected[3]).toMatchObject({ start: '2026-03-28T22:10:00.000Z', end: '2026-03-29T22:10:00.000Z' });
    for (const method of METHODS) expectTriples(res.body.consumption[method], expected, method);
  });

  it('computes every method per calendar month (P1M), from 31 January to the last day of February and on', async () => {
    const res = await aggregated('&attrs=consumption&aggrPeriodDuration=P1M').expect(200);
    const expected = periods(CONSUMPTION, monthly(CONSUMPTION[0][1]));
    expect(expected.map((p) => [p.start, p.end])).toEqual([
      ['2026-01-31T22:10:00.000Z', '2026-02-28T22:10:00.000Z'],
      ['2026-02-28T22:10:00.000Z', '2026-03-31T22:10:00.000Z'],
    ]);
    for (const method of METHODS) expectTriples(res.body.consumption[method], expected, method);
  });

  it('lays periods from a timeAt that is not on the hour, with every timerel', async () => {
    const at = '2026-01-31T22:30:00.000Z';
    const inHours = (params: string) => temporal(`/${METER}?attrs=consumption&format=aggregatedValues&aggrMethods=sum,totalCount&aggrPeriodDuration=PT1H&${params}`);
    const between = await inHours(`timerel=between&timeAt=${at}&endTimeAt=2026-02-01T02:00:00.000Z`).expect(200);
    const inRange = CONSUMPTION.filter(([, t]) => t >= at && t < '2026-02-01T02:00:00.000Z');
    expectTriples(between.body.consumption.sum, periods(inRange, fixed(3_600_000, Date.parse(at))), 'sum');
    expect(between.body.consumption.sum.map((p: string[]) => p[1])).toEqual(['2026-01-31T22:30:00.000Z', '2026-01-31T23:30:00.000Z', '2026-02-01T00:30:00.000Z']);
    // Before timeAt, the last period ends at timeAt.
    const before = await inHours(`timerel=before&timeAt=${at}`).expect(200);
    expect(before.body.consumption.sum).toEqual([[4, '2026-01-31T21:30:00.000Z', at]]);
  });

  it('lays calendar months (P1M) and several months (P2M) from timeAt', async () => {
    const at = '2026-01-15T06:45:00.000Z';
    const inMonths = (duration: string) =>
      temporal(`/${METER}?attrs=consumption&format=aggregatedValues&aggrMethods=sum&aggrPeriodDuration=${duration}&timerel=after&timeAt=${at}`).expect(200);
    const one = await inMonths('P1M');
    expect(one.body.consumption.sum.map((p: string[]) => [p[1], p[2]])).toEqual([
      [at, '2026-02-15T06:45:00.000Z'],
      ['2026-02-15T06:45:00.000Z', '2026-03-15T06:45:00.000Z'],
      ['2026-03-15T06:45:00.000Z', '2026-04-15T06:45:00.000Z'],
    ]);
    expectTriples(one.body.consumption.sum, periods(CONSUMPTION, monthly(at)), 'sum');
    const two = await inMonths('P2M');
    expectTriples(two.body.consumption.sum, periods(CONSUMPTION, monthly(at, 2)), 'sum');
    expect(two.body.consumption.sum.map((p: string[]) => p[1])).toEqual([at, '2026-03-15T06:45:00.000Z']);
  });

  it('makes one period of the asked time range without aggrPeriodDuration, or with P0D or PT0S', async () => {
    const from = '2026-01-31T22:00:00.000Z';
    const to = '2026-02-02T00:00:00.000Z';
    const inRange = CONSUMPTION.filter(([, at]) => at >= from && at < to);
    const whole = periods(inRange, () => [new Date(from), new Date(to)]);
    for (const duration of ['', '&aggrPeriodDuration=P0D', '&aggrPeriodDuration=PT0S']) {
      const res = await aggregated(`&attrs=consumption&timerel=between&timeAt=${from}&endTimeAt=${to}${duration}`).expect(200);
      for (const method of METHODS) expectTriples(res.body.consumption[method], whole, method);
    }
  });

  it('makes one period from the first to the last instance when no time range is asked', async () => {
    const res = await aggregated('&attrs=consumption').expect(200);
    const [first, last] = [CONSUMPTION[0][1], CONSUMPTION[CONSUMPTION.length - 1][1]];
    expect(res.body.consumption.totalCount).toEqual([[CONSUMPTION.length, first, last]]);
    expect(res.body.consumption.sum).toEqual([[47, first, last]]);
  });

  it('counts period starts from timeAt with a time range', async () => {
    const from = '2026-01-31T22:30:00.000Z';
    const res = await temporal(`/${METER}?attrs=consumption&format=aggregatedValues&aggrMethods=sum&aggrPeriodDuration=PT1H&timerel=after&timeAt=${from}`).expect(200);
    const expected = periods(CONSUMPTION.filter(([, at]) => at > from), fixed(3_600_000, Date.parse(from)));
    expect(expected[0].start).toBe(from);
    expectTriples(res.body.consumption.sum, expected, 'sum');
  });

  it('counts values that are not numbers, and gives null for the numeric methods', async () => {
    const res = await aggregated('&attrs=label&aggrPeriodDuration=P1D').expect(200);
    const expected = periods(LABELS, fixed(86_400_000, Date.parse(LABELS[0][1])));
    for (const method of METHODS) expectTriples(res.body.label[method], expected, method);
    expect(res.body.label.totalCount[0][0]).toBe(3);
    expect(res.body.label.distinctCount[0][0]).toBe(2);
    expect(res.body.label.avg[0][0]).toBeNull();
  });

  it('gives the last N periods, oldest first', async () => {
    const res = await temporal(`/${METER}?attrs=consumption&format=aggregatedValues&aggrMethods=max&aggrPeriodDuration=P1D&lastN=2`).expect(200);
    const expected = periods(CONSUMPTION, fixed(86_400_000, FIRST)).slice(-2);
    expectTriples(res.body.consumption.max, expected, 'max');
  });

  it('aggregates each datasetId of a multi-instance attribute apart, and relationships by count', async () => {
    const res = await temporal(`/${SENSOR_A}?attrs=humidity,refDevice&format=aggregatedValues&aggrMethods=avg,totalCount,distinctCount`).expect(200);
    expect(res.body.humidity).toHaveLength(2);
    const raw = res.body.humidity.find((h: { datasetId?: string }) => h.datasetId === RAW);
    const plain = res.body.humidity.find((h: { datasetId?: string }) => h.datasetId === undefined);
    expect(raw.avg).toEqual([[52.5, hour(0), hour(1)]]);
    expect(plain.avg).toEqual([[52.5, hour(0), hour(1)]]);
    expect(res.body.refDevice).toMatchObject({ type: 'Relationship', totalCount: [[2, hour(1), hour(3)]], distinctCount: [[2, hour(1), hour(3)]], avg: [[null, hour(1), hour(3)]] });
  });

  it('aggregates the histories of a query', async () => {
    const res = await temporal('?type=Sensor&attrs=temperature&format=aggregatedValues&aggrMethods=max,min&aggrPeriodDuration=P1D').expect(200);
    expect(res.body).toEqual([
      { id: SENSOR_A, type: 'Sensor', temperature: { type: 'Property', max: [[15, '2026-03-01T00:00:00.000Z', '2026-03-02T00:00:00.000Z']], min: [[10, '2026-03-01T00:00:00.000Z', '2026-03-02T00:00:00.000Z']] } },
      { id: SENSOR_B, type: 'Sensor', temperature: { type: 'Property', max: [[21, '2026-03-01T00:00:00.000Z', '2026-03-02T00:00:00.000Z']], min: [[20, '2026-03-01T00:00:00.000Z', '2026-03-02T00:00:00.000Z']] } },
    ]);
  });

  it('is also asked for with options=aggregatedValues', async () => {
    const res = await temporal(`/${METER}?attrs=consumption&options=aggregatedValues&aggrMethods=totalCount&aggrPeriodDuration=P1Y`).expect(200);
    expect(res.body.consumption.totalCount).toEqual([[8, '2026-01-31T22:10:00.000Z', '2027-01-31T22:10:00.000Z']]);
  });
});

describe('errors of the temporal parameters', () => {
  const bad: [string, string][] = [
    ['timerel without timeAt', 'timerel=before'],
    ['timeAt without timerel', `timeAt=${hour(1)}`],
    ['between without endTimeAt', `timerel=between&timeAt=${hour(1)}`],
    ['endTimeAt without between', `timerel=after&timeAt=${hour(1)}&endTimeAt=${hour(2)}`],
    ['endTimeAt before timeAt', `timerel=between&timeAt=${hour(2)}&endTimeAt=${hour(1)}`],
    ['endTimeAt equal to timeAt', `timerel=between&timeAt=${hour(2)}&endTimeAt=${hour(2)}`],
    ['an unknown timerel', `timerel=during&timeAt=${hour(1)}`],
    ['a timeAt that is no date-time', 'timerel=before&timeAt=yesterday'],
    ['a timeAt without a time zone', 'timerel=before&timeAt=2026-03-01T00:00:00'],
    ['a date without a time', 'timerel=before&timeAt=2026-03-01'],
    ['30 February', 'timerel=before&timeAt=2026-02-30T00:00:00Z'],
    ['31 April', 'timerel=before&timeAt=2026-04-31T00:00:00Z'],
    ['30 February without a time', 'timerel=before&timeAt=2026-02-30'],
    ['day 0 of month 0', 'timerel=before&timeAt=0000-00-00'],
    ['year 0', 'timerel=before&timeAt=0000-01-01T00:00:00Z'],
    ['hour 25', 'timerel=before&timeAt=2026-03-01T25:00:00Z'],
    ['a time zone of +24:00', `timerel=before&timeAt=${encodeURIComponent('2026-03-01T00:00:00+24:00')}`],
    ['a time zone of -99:99', 'timerel=before&timeAt=2026-03-01T00:00:00-99:99'],
    ['an endTimeAt of 31 April', `timerel=between&timeAt=${hour(1)}&endTimeAt=2026-04-31T00:00:00Z`],
    ['a bad endTimeAt', `timerel=between&timeAt=${hour(1)}&endTimeAt=soon`],
    ['timerel twice', `timerel=before&timerel=after&timeAt=${hour(1)}`],
    ['an unknown timeproperty', 'timeproperty=deletedAt'],
    ['lastN=0', 'lastN=0'],
    ['a negative lastN', 'lastN=-1'],
    ['a lastN that is no number', 'lastN=many'],
    ['a fractional lastN', 'lastN=1.5'],
    ['an unknown aggrMethod', 'format=aggregatedValues&aggrMethods=median'],
    ['an empty aggrMethod', 'format=aggregatedValues&aggrMethods=sum,,avg'],
    ['aggregatedValues without aggrMethods', 'format=aggregatedValues'],
    ['aggrMethods without aggregatedValues', 'aggrMethods=avg'],
    ['aggrPeriodDuration without aggregatedValues', 'aggrPeriodDuration=PT1H'],
    ['aggrPeriodDuration P1M15D', 'format=aggregatedValues&aggrMethods=avg&aggrPeriodDuration=P1M15D'],
    ['aggrPeriodDuration P1YT2H', 'format=aggregatedValues&aggrMethods=avg&aggrPeriodDuration=P1YT2H'],
    ['aggrPeriodDuration too long for PostgreSQL', 'format=aggregatedValues&aggrMethods=avg&aggrPeriodDuration=P99999999999999D'],
    ['aggrPeriodDuration below a millisecond', 'format=aggregatedValues&aggrMethods=avg&aggrPeriodDuration=PT0.0000001S'],
    ['aggrPeriodDuration that is no duration', 'format=aggregatedValues&aggrMethods=avg&aggrPeriodDuration=1H'],
    ['aggrPeriodDuration P', 'format=aggregatedValues&aggrMethods=avg&aggrPeriodDuration=P'],
    ['aggrPeriodDuration PT', 'format=aggregatedValues&aggrMethods=avg&aggrPeriodDuration=PT'],
    ['two temporal representations', 'options=temporalValues&format=aggregatedValues&aggrMethods=avg'],
    ['two temporal options', 'options=temporalValues,aggregatedValues&aggrMethods=avg'],
  ];
  // Clause 5.5.2: what the request asks for does not exist (InvalidRequest), rather than bad data.
  const unknown = [
    ['an unknown format', 'format=tabular'],
    ['an unknown option', 'options=compressed'],
    ['an unknown parameter', 'since=yesterday'],
  ];

  it.each(unknown)('refuses %s with 400 InvalidRequest on retrieval and query', async (_name, params) => {
    expectProblem(await temporal(`/${SENSOR_A}?${params}`), 400, 'InvalidRequest');
    expectProblem(await temporal(`?type=Sensor&${params}`), 400, 'InvalidRequest');
  });

  it.each(bad)('refuses %s with 400 BadRequestData on retrieval', async (_name, params) => {
    expectProblem(await temporal(`/${SENSOR_A}?${params}`), 400, 'BadRequestData');
  });

  it.each(bad)('refuses %s with 400 BadRequestData on query', async (_name, params) => {
    expectProblem(await temporal(`?type=Sensor&${params}`), 400, 'BadRequestData');
  });

  it('refuses query-only parameters on retrieval', async () => {
    expectProblem(await temporal(`/${SENSOR_A}?count=true`), 400, 'InvalidRequest');
    expectProblem(await temporal(`/${SENSOR_A}?type=Sensor`), 400, 'InvalidRequest');
  });

  it('refuses features it does not offer with 422 OperationNotSupported', async () => {
    expectProblem(await temporal(`/${SENSOR_A}?join=flat`), 422, 'OperationNotSupported');
  });
});
