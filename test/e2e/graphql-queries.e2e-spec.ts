import request from 'supertest';
import { Sql } from 'src/database/sql';
import { ModelRegistry } from 'src/models/model-registry';
import { IdentityProvider, startIdentityProvider } from 'test/support/identity-provider';
import { startTestApp, TestApp } from 'test/support/test-app';
import { eventually } from 'test/support/eventually';

/*
 * GraphQL reads, typed from the data models: Göteborg publishes open bathing-water observations
 * (WaterQualityObserved) and weather stations with their devices; queries filter, page, search
 * near a point, read history and aggregates, and follow relationships in batches.
 */

let idp: IdentityProvider;
let t: TestApp;
const auth = {} as Record<'gbgAdmin' | 'gbgWriter' | 'gbgMember' | 'borasMember' | 'analyst', Record<string, string>>;
let contexts: Record<'water' | 'weather' | 'device', Record<string, string>>;

const WQO = 'https://smartdatamodels.org/dataModel.WaterQuality/WaterQualityObserved';
const WEATHER = 'https://smartdatamodels.org/dataModel.Weather/WeatherObserved';
const DEVICE = 'https://smartdatamodels.org/dataModel.Device/Device';
const METER = 'https://smartdatamodels.org/dataModel.WaterConsumption/WaterConsumptionObserved';
const station = (n: number) => `urn:ngsi-ld:WeatherObserved:station-${n}`;
const device = (n: number) => `urn:ngsi-ld:Device:thermometer-${n}`;
const datasets = {} as Record<'beaches' | 'weather' | 'meters' | 'positions' | 'times' | 'counters', string>;
const beach = (n: number) => `urn:ngsi-ld:WaterQualityObserved:beach-${n}`;

async function dataset(body: Record<string, unknown>): Promise<string> {
  const res = await request(t.http)
    .post('/api/v1/datasets')
    .set(auth.gbgAdmin)
    .send({ title: { sv: 'Badvatten', en: 'Bathing water' }, description: { sv: 'Data' }, classification: { confidentiality: 0, integrity: 1, availability: 1 }, open: true, ...body })
    .expect(201);
  return res.body.id;
}

async function write(entity: Record<string, unknown>, context: Record<string, string>) {
  await request(t.http)
    .post('/ngsi-ld/v1/entityOperations/upsert')
    .set({ ...auth.gbgWriter, 'content-type': 'application/ld+json' })
    .send(JSON.stringify([{ ...entity, '@context': [context] }]))
    .expect((res) => {
      if (![201, 204].includes(res.status)) throw new Error(`upsert answered ${res.status}: ${JSON.stringify(res.body)}`);
    });
}

export async function gql(query: string, variables: Record<string, unknown> = {}, headers: Record<string, string> = {}) {
  const res = await request(t.http).post('/graphql').set(headers).send({ query, variables });
  return res;
}

beforeAll(async () => {
  idp = await startIdentityProvider();
  // Four values of one attribute in one answer at most: a longer history is refused, not cut silently.
  t = await startTestApp({ ...idp.env, LOG_LEVEL: 'error', TEMPORAL_MAX_INSTANCES_PER_ATTRIBUTE: '4' }, { caller: 'anonymous' });
  auth.gbgAdmin = await idp.bearer({ sub: 'admin-gbg', organisation: 'goteborg', roles: ['admin'], amr: ['pwd', 'otp'] });
  auth.gbgWriter = await idp.bearer({ sub: 'writer-gbg', organisation: 'goteborg', roles: ['writer'] });
  auth.gbgMember = await idp.bearer({ sub: 'member-gbg', organisation: 'goteborg' });
  auth.borasMember = await idp.bearer({ sub: 'member-boras', organisation: 'boras' });
  auth.analyst = await idp.bearer({ sub: 'analyst', organisation: 'boras' });
  const registry = t.app.get(ModelRegistry);
  const contextOf = (name: string) => registry.contextDocument(registry.byName(name)!.contextUrls[0])!['@context'];
  contexts = { water: contextOf('WaterQualityObserved'), weather: contextOf('WeatherObserved'), device: contextOf('Device') };
  datasets.beaches = await dataset({ entities: [{ type: WQO }], conformsTo: 'WaterQualityObserved' });
  datasets.weather = await dataset({ entities: [{ type: WEATHER }, { type: DEVICE }], title: { sv: 'Väder', en: 'Weather' } });
  datasets.meters = await dataset({ entities: [{ type: METER }], open: false, classification: { confidentiality: 2, integrity: 1, availability: 1 }, title: { sv: 'Vattenmätare' } });
  for (let n = 1; n <= 5; n++) {
    await write(
      {
        id: beach(n),
        type: 'WaterQualityObserved',
        dateObserved: { type: 'Property', value: '2026-07-01T10:00:00Z' },
        temperature: { type: 'Property', value: 15 + n, observedAt: '2026-07-01T10:00:00Z', unitCode: 'CEL' },
        location: { type: 'GeoProperty', value: { type: 'Point', coordinates: [11.9 + n / 100, 57.6] } },
      },
      contexts.water,
    );
  }
  for (let n = 1; n <= 3; n++) await write({ id: device(n), type: 'Device', deviceCategory: { type: 'Property', value: ['sensor'] } }, contexts.device);
  for (let n = 1; n <= 12; n++) {
    await write(
      {
        id: station(n),
        type: 'WeatherObserved',
        temperature: { type: 'Property', value: n, observedAt: '2026-07-01T10:00:00Z' },
        refDevice: { type: 'Relationship', object: device((n % 3) + 1) },
      },
      contexts.weather,
    );
  }
  // A day of history for beach 1: a value every six hours.
  for (const [hour, value] of [[0, 10], [6, 12], [12, 20], [18, 14]] as const) {
    await request(t.http)
      .post(`/ngsi-ld/v1/entities/${encodeURIComponent(beach(1))}/attrs`)
      .set({ ...auth.gbgWriter, 'content-type': 'application/ld+json' })
      .send(JSON.stringify({ temperature: { type: 'Property', value, observedAt: `2026-07-02T${String(hour).padStart(2, '0')}:00:00Z` }, '@context': [contexts.water] }))
      .expect(204);
  }
  const meterContext = { WaterConsumptionObserved: METER };
  await write({ id: 'urn:ngsi-ld:WaterConsumptionObserved:house-1', type: 'WaterConsumptionObserved' }, meterContext);
}, 60_000);

const DEEP = 'query { entity(id: "x") { dataset { entities { nodes { dataset { entities { nodes { dataset { entities { nodes { dataset { entities { nodes { id } } } } } } } } } } } } } }';

afterAll(async () => {
  await t?.close();
  await idp?.close();
});

describe('typed queries', () => {
  it('finds entities of a model with typed fields, filtered and counted', async () => {
    const res = await gql(`{ waterQualityObserved(filter: {temperature: {gt: 18}}) { totalCount nodes { __typename id temperature temperatureAttribute { value observedAt unitCode } dataset { title(lang: "en") } } } }`);
    expect(res.status).toBe(200);
    expect(res.body.errors).toBeUndefined();
    const found = res.body.data.waterQualityObserved;
    expect(found.totalCount).toBe(2);
    expect(found.nodes.map((node: { id: string }) => node.id).sort()).toEqual([beach(4), beach(5)]);
    expect(found.nodes[0]).toMatchObject({ __typename: 'WaterQualityObserved', temperatureAttribute: { observedAt: '2026-07-01T10:00:00.000Z', unitCode: 'CEL' }, dataset: { title: 'Bathing water' } });
  });

  it('reads one entity by id, and null for one that does not exist', async () => {
    const res = await gql(`query($id: ID!) { entity(id: $id) { id type ... on WaterQualityObserved { temperature } } missing: entity(id: "urn:ngsi-ld:X:none") { id } notAnId: entity(id: "no id") { id } }`, { id: beach(1) });
    expect(res.body).toEqual({ data: { entity: { id: beach(1), type: WQO, temperature: 14 }, missing: null, notAnId: null } });
    const alone = await gql(`query($id: ID!) { entity(id: $id) { id } }`, { id: beach(2) });
    expect(alone.body).toEqual({ data: { entity: { id: beach(2) } } });
  });
});

describe('paging, geo and datasets', () => {
  it('pages with cursors until the last page', async () => {
    const query = 'query($after: String) { waterQualityObserved(first: 2, after: $after) { totalCount pageInfo { hasNextPage hasPreviousPage endCursor } nodes { id } } }';
    const seen: string[] = [];
    let after: string | null = null;
    for (let page = 0; page < 3; page++) {
      const res = await gql(query, { after });
      const found = res.body.data.waterQualityObserved;
      expect(found.totalCount).toBe(5);
      expect(found.pageInfo.hasPreviousPage).toBe(page > 0);
      expect(found.pageInfo.hasNextPage).toBe(page < 2);
      seen.push(...found.nodes.map((node: { id: string }) => node.id));
      after = found.pageInfo.endCursor;
    }
    expect(seen.sort()).toEqual([1, 2, 3, 4, 5].map(beach));
  });

  it('orders pages by id or by the last change', async () => {
    const res = await gql('{ desc: waterQualityObserved(orderBy: ID_DESC, first: 2) { nodes { id } } changed: waterQualityObserved(orderBy: MODIFIED_AT_DESC, first: 1) { nodes { id } } }');
    expect(res.body.data.desc.nodes).toEqual([{ id: beach(5) }, { id: beach(4) }]);
    expect(res.body.data.changed.nodes).toEqual([{ id: beach(1) }]); // its history was written last
  });

  it('finds entities near a point and within a bounding box', async () => {
    const near = await gql('{ waterQualityObserved(near: {longitude: 11.91, latitude: 57.6, maxDistance: 700}) { nodes { id } } }');
    expect(near.body.data.waterQualityObserved.nodes.map((node: { id: string }) => node.id).sort()).toEqual([beach(1), beach(2)]);
    const within = await gql('{ entities(within: {bbox: {west: 11.925, south: 57.5, east: 11.96, north: 57.7}}) { nodes { id } } }');
    expect(within.body.data.entities.nodes.map((node: { id: string }) => node.id).sort()).toEqual([beach(3), beach(4), beach(5)]);
  });

  it('lists the datasets a caller may see, with their entities', async () => {
    const query = '{ datasets(first: 50) { totalCount nodes { id title(lang: "en") accessRights classification { confidentiality } conformsTo } } }';
    const anonymous = await gql(query);
    const ids = anonymous.body.data.datasets.nodes.map((node: { id: string }) => node.id);
    expect(ids).toEqual(expect.arrayContaining([datasets.beaches, datasets.weather]));
    expect(ids).not.toContain(datasets.meters);
    expect(anonymous.body.data.datasets.nodes.find((node: { id: string }) => node.id === datasets.beaches)).toMatchObject({
      title: 'Bathing water',
      accessRights: 'PUBLIC',
      conformsTo: expect.stringContaining('WaterQualityObserved'),
    });
    const member = await gql(query, {}, auth.gbgMember);
    expect(member.body.data.datasets.nodes.map((node: { id: string }) => node.id)).toContain(datasets.meters);
    const entities = await gql('query($id: ID!) { dataset(id: $id) { entities(first: 100) { totalCount } } }', { id: datasets.weather });
    expect(entities.body.data.dataset.entities.totalCount).toBe(15);
  });

  it('describes the data models it knows', async () => {
    const res = await gql('{ dataModels { name graphqlType attributes { name graphqlField } } }');
    const names = res.body.data.dataModels.map((model: { name: string }) => model.name);
    expect(names).toEqual(expect.arrayContaining(['WaterQualityObserved', 'WeatherObserved', 'Device', 'GreenspaceRecord', 'Alert']));
    const water = res.body.data.dataModels.find((model: { name: string }) => model.name === 'WaterQualityObserved');
    expect(water.attributes).toContainEqual({ name: 'N-TOT', graphqlField: 'N_TOT' });
  });
});

describe('history and aggregates', () => {
  it('gives an attribute\'s values with times, in a window and the last ones', async () => {
    const res = await gql(`query($id: ID!) { entity(id: $id) { ... on WaterQualityObserved {
      temperatureAttribute { day: history(from: "2026-07-02T00:00:00Z", to: "2026-07-03T00:00:00Z") { value observedAt } last: history(last: 2) { value } } } } }`, { id: beach(1) });
    expect(res.body.errors).toBeUndefined();
    const attribute = res.body.data.entity.temperatureAttribute;
    expect(attribute.day.map((i: { value: number }) => i.value)).toEqual([10, 12, 20, 14]);
    expect(attribute.day[0].observedAt).toBe('2026-07-02T00:00:00.000Z');
    expect(attribute.last.map((i: { value: number }) => i.value)).toEqual([14, 20]);
  });

  it('refuses a history longer than one answer may carry, rather than cut it without saying so', async () => {
    const res = await gql(`query($id: ID!) { entity(id: $id) { id ... on WaterQualityObserved { temperatureAttribute { value all: history { value } } } } }`, { id: beach(1) });
    expect(res.body.data.entity).toEqual({ id: beach(1), temperatureAttribute: null });
    expect(res.body.errors[0]).toMatchObject({ path: ['entity', 'temperatureAttribute', 'all'], extensions: { code: 'BAD_USER_INPUT' } });
    expect(res.body.errors[0].message).toMatch(/more than the 4 values .* narrow from\/to, ask for last: N/);
  });

  it('aggregates per period in the database', async () => {
    const res = await gql(`query($id: ID!) { entity(id: $id) { ... on WaterQualityObserved {
      temperatureAttribute { aggregate(every: "PT12H", method: AVG, from: "2026-07-02T00:00:00Z", to: "2026-07-03T00:00:00Z") { start end value } } } } }`, { id: beach(1) });
    expect(res.body.errors).toBeUndefined();
    expect(res.body.data.entity.temperatureAttribute.aggregate).toEqual([
      { start: '2026-07-02T00:00:00.000Z', end: '2026-07-02T12:00:00.000Z', value: 11 },
      { start: '2026-07-02T12:00:00.000Z', end: '2026-07-03T00:00:00.000Z', value: 17 },
    ]);
  });
});

describe('relationships', () => {
  const query = (first: number) => `{ weatherObserved(first: ${first}) { nodes { id temperature refDevice { id deviceCategory } refDeviceAttribute { object } } } }`;

  it('resolves related entities, typed by the model it points at', async () => {
    const res = await gql(query(12));
    expect(res.body.errors).toBeUndefined();
    const nodes = res.body.data.weatherObserved.nodes;
    expect(nodes).toHaveLength(12);
    for (const node of nodes) {
      expect(node.refDevice.id).toBe(node.refDeviceAttribute.object);
      expect(node.refDevice.deviceCategory).toEqual(['sensor']);
    }
  });

  it('costs the same number of statements for 3 entities as for 12', async () => {
    const sql = t.app.get(Sql);
    const counted = async (first: number) => {
      const spy = jest.spyOn(sql, 'query');
      try {
        expect((await gql(query(first))).body.errors).toBeUndefined();
        // Statements that read entities; background work (the governance snapshot's and subscriptions' clocks) runs on its own time.
        return spy.mock.calls.filter(([text]) => /FROM entity\b/.test(String(text))).length;
      } finally {
        spy.mockRestore();
      }
    };
    const few = await counted(3);
    const many = await counted(12);
    expect(many).toBe(few);
    expect(many).toBe(2); // the page, then every device it points at
  });
});

describe('access', () => {
  const METER_ID = 'urn:ngsi-ld:WaterConsumptionObserved:house-1';
  const read = (headers: Record<string, string>) => gql('query($id: ID!) { entity(id: $id) { id } meters: entities(type: "WaterConsumptionObserved") { totalCount } }', { id: METER_ID }, headers);

  it('shows a restricted dataset to its organisation and hides it from others, as NGSI-LD does', async () => {
    expect((await read(auth.gbgMember)).body.data).toEqual({ entity: { id: METER_ID }, meters: { totalCount: 1 } });
    for (const headers of [{}, auth.borasMember]) {
      expect((await read(headers)).body.data).toEqual({ entity: null, meters: { totalCount: 0 } });
      const rest = await request(t.http).get(`/ngsi-ld/v1/entities/${encodeURIComponent(METER_ID)}`).set(headers);
      expect(rest.status).toBe(404);
    }
  });

  it('shows it to a grantee once granted', async () => {
    await request(t.http).post(`/api/v1/datasets/${datasets.meters}/grants`).set(auth.gbgAdmin).send({ principal: 'analyst' }).expect(201);
    expect((await read(auth.analyst)).body.data.entity).toEqual({ id: METER_ID });
  });

  it('refuses wrong credentials with 401 before anything runs', async () => {
    const res = await gql('{ dataModels { name } }', {}, { authorization: 'Bearer not-a-token' });
    expect(res.status).toBe(401);
    expect(res.body.errors[0].extensions).toMatchObject({ code: 'UNAUTHENTICATED', type: 'urn:vg-datashare:problem:unauthorized' });
    expect(res.body.data).toBeUndefined();
  });

  it('refuses a query that combines the datasets of a combination rule, as NGSI-LD does', async () => {
    datasets.positions = await dataset({ entities: [{ type: 'CounterPosition' }], open: false, classification: { confidentiality: 1, integrity: 1, availability: 1 } });
    datasets.times = await dataset({ entities: [{ type: 'CounterTime' }], open: false, classification: { confidentiality: 1, integrity: 1, availability: 1 } });
    await write({ id: 'urn:ngsi-ld:CounterPosition:1', type: 'CounterPosition' }, {});
    await write({ id: 'urn:ngsi-ld:CounterTime:1', type: 'CounterTime' }, {});
    for (const id of [datasets.positions, datasets.times]) await request(t.http).post(`/api/v1/datasets/${id}/grants`).set(auth.gbgAdmin).send({ organisation: 'boras' }).expect(201);
    await request(t.http).post('/api/v1/combination-rules').set(auth.gbgAdmin).send({ name: 'Positions with times', datasets: [datasets.positions, datasets.times], confidentiality: 3 }).expect(201);
    const alone = await gql('{ entities(type: "CounterPosition") { totalCount } }', {}, auth.borasMember);
    expect(alone.body.data.entities.totalCount).toBe(1);
    const both = await gql('{ a: entities(type: "CounterPosition,CounterTime") { nodes { id } } }', {}, auth.borasMember);
    const refusal = both.body.errors[0];
    expect(refusal.path).toEqual(['a']);
    expect(refusal.extensions).toMatchObject({ code: 'FORBIDDEN', type: 'urn:vg-datashare:problem:combination-refused', status: 403 });
    expect(refusal.message).toContain('Positions with times');
  });

  it('asks for a purpose before reading personal data, as NGSI-LD does', async () => {
    datasets.counters = await dataset({
      entities: [{ type: 'PeopleCounter' }],
      open: false,
      classification: { confidentiality: 1, integrity: 1, availability: 1 },
      personalData: { category: 'pseudonymised', legalBasis: ['dpv:PublicInterest'], purposes: ['dpv:ServiceProvision'] },
    });
    await write({ id: 'urn:ngsi-ld:PeopleCounter:1', type: 'PeopleCounter', peopleCount: { type: 'Property', value: 12 } }, {});
    const query = '{ entities(type: "PeopleCounter") { nodes { id } } }';
    const without = await gql(query, {}, auth.gbgMember);
    expect(without.body.errors[0].extensions).toMatchObject({ code: 'FORBIDDEN', type: 'urn:vg-datashare:problem:purpose-required' });
    const withPurpose = await gql(query, {}, { ...auth.gbgMember, 'vgds-purpose': 'dpv:ServiceProvision' });
    expect(withPurpose.body.data.entities.nodes).toEqual([{ id: 'urn:ngsi-ld:PeopleCounter:1' }]);
    expect(withPurpose.headers['vgds-view']).toBe('full');
  });

  it('shows a minimised view where the decision point gives one, and logs the read of personal data', async () => {
    await request(t.http)
      .patch(`/api/v1/datasets/${datasets.counters}`)
      .set(auth.gbgAdmin)
      .send({ personalData: { category: 'pseudonymised', legalBasis: ['dpv:PublicInterest'], purposes: ['dpv:ServiceProvision'], minimisation: { removeAttributes: ['peopleCount'] } } })
      .expect(200);
    await request(t.http).post(`/api/v1/datasets/${datasets.counters}/grants`).set(auth.gbgAdmin).send({ organisation: 'boras', view: 'minimised' }).expect(201);
    const query = '{ entities(type: "PeopleCounter") { nodes { id attributes } } }';
    const boras = await gql(query, {}, { ...auth.borasMember, 'vgds-purpose': 'dpv:ServiceProvision' });
    expect(boras.headers['vgds-view']).toBe('minimised');
    expect(Object.keys(boras.body.data.entities.nodes[0].attributes)).toEqual([]);
    const own = await gql(query, {}, { ...auth.gbgMember, 'vgds-purpose': 'dpv:ServiceProvision' });
    expect(Object.keys(own.body.data.entities.nodes[0].attributes)).toEqual(['https://uri.etsi.org/ngsi-ld/default-context/peopleCount']);
    await eventually(async () => {
      const reads = await request(t.http).get(`/api/v1/datasets/${datasets.counters}/reads`).set(auth.gbgAdmin).expect(200);
      expect(reads.body).toContainEqual(expect.objectContaining({ readPath: 'POST /graphql', view: 'minimised', principalOrganisation: 'boras', purpose: 'dpv:ServiceProvision' }));
      return true;
    });
  });
});

describe('errors and limits', () => {
  it('maps the service\'s problems to errors with a code and the problem type, without internals', async () => {
    const res = await gql('{ entities(q: "temperature>>1") { totalCount } }');
    expect(res.status).toBe(200);
    expect(res.body.errors[0]).toMatchObject({
      path: ['entities'],
      extensions: { code: 'BAD_USER_INPUT', type: 'https://uri.etsi.org/ngsi-ld/errors/BadRequestData', status: 400 },
    });
    expect(JSON.stringify(res.body)).not.toMatch(/stacktrace|at .*\.ts/);
    const cursor = await gql('{ entities(type: "WaterQualityObserved", after: "bm9wZQ") { totalCount } }');
    expect(cursor.body.errors[0].message).toMatch(/not a cursor/);
  });

  it('refuses a query past the depth limit before running it', async () => {
    const res = await gql(DEEP);
    expect(res.status).toBe(400);
    expect(res.body.errors[0].extensions).toMatchObject({ code: 'QUERY_TOO_DEEP' });
  });

  it('refuses a query whose pages multiply past the cost limit', async () => {
    const res = await gql('{ entities(first: 1000) { nodes { ... on WeatherObserved { refDevice { id } } } } datasets(first: 1000) { nodes { entities(first: 1000) { nodes { id } } } } }');
    expect(res.status).toBe(400);
    expect(res.body.errors[0].extensions).toMatchObject({ code: 'QUERY_TOO_COMPLEX' });
  });
});
