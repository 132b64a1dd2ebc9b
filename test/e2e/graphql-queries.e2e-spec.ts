import request from 'supertest';
import { ModelRegistry } from 'src/models/model-registry';
import { IdentityProvider, startIdentityProvider } from 'test/support/identity-provider';
import { startTestApp, TestApp } from 'test/support/test-app';

/*
 * GraphQL reads, typed from the data models: Göteborg publishes open bathing-water observations
 * (WaterQualityObserved) and weather stations with their devices; queries filter, page, search
 * near a point, read history and aggregates, and follow relationships in batches.
 */

let idp: IdentityProvider;
let t: TestApp;
const auth = {} as Record<'gbgAdmin' | 'gbgWriter', Record<string, string>>;
let contexts: Record<'water' | 'weather' | 'device', Record<string, string>>;

const WQO = 'https://smartdatamodels.org/dataModel.WaterQuality/WaterQualityObserved';
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
    .expect((res) => expect([201, 204]).toContain(res.status));
}

export async function gql(query: string, variables: Record<string, unknown> = {}, headers: Record<string, string> = {}) {
  const res = await request(t.http).post('/graphql').set(headers).send({ query, variables });
  return res;
}

beforeAll(async () => {
  idp = await startIdentityProvider();
  t = await startTestApp({ ...idp.env, LOG_LEVEL: 'error' }, { caller: 'anonymous' });
  auth.gbgAdmin = await idp.bearer({ sub: 'admin-gbg', organisation: 'goteborg', roles: ['admin'], amr: ['pwd', 'otp'] });
  auth.gbgWriter = await idp.bearer({ sub: 'writer-gbg', organisation: 'goteborg', roles: ['writer'] });
  const registry = t.app.get(ModelRegistry);
  const contextOf = (name: string) => registry.contextDocument(registry.byName(name)!.contextUrls[0])!['@context'];
  contexts = { water: contextOf('WaterQualityObserved'), weather: contextOf('WeatherObserved'), device: contextOf('Device') };
  await dataset({ entities: [{ type: WQO }] });
  for (let n = 1; n <= 5; n++) {
    await write(
      {
        id: beach(n),
        type: 'WaterQualityObserved',
        temperature: { type: 'Property', value: 15 + n, observedAt: '2026-07-01T10:00:00Z', unitCode: 'CEL' },
        location: { type: 'GeoProperty', value: { type: 'Point', coordinates: [11.9 + n / 100, 57.6] } },
      },
      contexts.water,
    );
  }
});

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
    const res = await gql(`query($id: ID!) { entity(id: $id) { id type ... on WaterQualityObserved { temperature } } missing: entity(id: "urn:ngsi-ld:X:none") { id } }`, { id: beach(1) });
    expect(res.body).toEqual({ data: { entity: { id: beach(1), type: WQO, temperature: 16 }, missing: null } });
  });
});
