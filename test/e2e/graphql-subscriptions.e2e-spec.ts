import { AddressInfo } from 'node:net';
import request from 'supertest';
import { Client, createClient, FormattedExecutionResult } from 'graphql-ws';
import WebSocket from 'ws';
import { ChangeFanOut } from 'src/changes/change-fan-out.service';
import { ChangeLogRepository } from 'src/changes/change-log.repository';
import { ModelRegistry } from 'src/models/model-registry';
import { eventually } from 'test/support/eventually';
import { IdentityProvider, startIdentityProvider } from 'test/support/identity-provider';
import { startTestApp, TestApp } from 'test/support/test-app';

/*
 * GraphQL subscriptions through a real WebSocket (graphql-ws, as a browser client would speak
 * it). Göteborg publishes open bathing-water observations and a K2 dataset of weather
 * observations that only those it grants may read; changes are written through NGSI-LD.
 */

const WQO = 'https://smartdatamodels.org/dataModel.WaterQuality/WaterQualityObserved';
const TEMPERATURE = 'https://smartdatamodels.org/dataModel.WaterQuality/temperature';
let idp: IdentityProvider;
let t: TestApp;
let url: string;
const auth = {} as Record<'gbgAdmin' | 'gbgWriter' | 'analyst', Record<string, string>>;
const datasets = {} as Record<'water' | 'weather', string>;
let contexts: Record<'water' | 'weather', Record<string, string>>;
let weatherType: string;
const clients: Client[] = [];

type Result = FormattedExecutionResult<any, any>;

interface Subscription {
  /** The next result (data or errors); fails after `timeoutMs`. */
  next(timeoutMs?: number): Promise<Result>;
  /** Resolves with no result within `ms`; fails when one comes. */
  nothingWithin(ms: number): Promise<void>;
  readonly ended: Promise<unknown>;
}

function connect(params: Record<string, string> = {}): Client {
  const client = createClient({ url, webSocketImpl: WebSocket, connectionParams: params, retryAttempts: 0, lazy: true });
  clients.push(client);
  return client;
}

/** Subscribes and waits until the server follows the feed for it: what is written from then on is sent. */
async function subscribe(client: Client, query: string, variables: Record<string, unknown> = {}, live = true): Promise<Subscription> {
  const fanOut = t.app.get(ChangeFanOut);
  const before = fanOut.size;
  const results: Result[] = [];
  const waiting: ((result: Result) => void)[] = [];
  let markEnded: (reason: unknown) => void = () => undefined;
  const ended = new Promise((resolve) => (markEnded = resolve));
  client.subscribe(
    { query, variables },
    {
      next: (result) => (waiting.length > 0 ? waiting.shift()!(result) : results.push(result)),
      error: (error) => markEnded(error),
      complete: () => markEnded('complete'),
    },
  );
  if (live) await eventually(async () => (fanOut.size > before ? true : undefined), 5000);
  return {
    ended,
    next: (timeoutMs = 5000) =>
      new Promise((resolve, reject) => {
        if (results.length > 0) return resolve(results.shift()!);
        const timer = setTimeout(() => reject(new Error(`no result within ${timeoutMs} ms`)), timeoutMs);
        waiting.push((result) => {
          clearTimeout(timer);
          resolve(result);
        });
      }),
    nothingWithin: async (ms) => {
      await new Promise((resolve) => setTimeout(resolve, ms));
      if (results.length > 0) throw new Error(`unexpected result ${JSON.stringify(results[0])}`);
    },
  };
}

async function dataset(type: string, confidentiality: number): Promise<string> {
  const res = await request(t.http)
    .post('/api/v1/datasets')
    .set(auth.gbgAdmin)
    .send({ title: { sv: type }, description: { sv: type }, entities: [{ type }], classification: { confidentiality, integrity: 1, availability: 1 }, open: confidentiality === 0 })
    .expect(201);
  return res.body.id;
}

async function write(entity: Record<string, unknown>, context: Record<string, string>): Promise<void> {
  await request(t.http)
    .post('/ngsi-ld/v1/entityOperations/upsert?options=update')
    .set({ ...auth.gbgWriter, 'content-type': 'application/ld+json' })
    .send(JSON.stringify([{ ...entity, '@context': [context] }]))
    .expect((res) => expect([201, 204]).toContain(res.status));
}

const beach = (name: string, temperature: number) =>
  write({ id: `urn:ngsi-ld:WaterQualityObserved:${name}`, type: 'WaterQualityObserved', temperature: { type: 'Property', value: temperature } }, contexts.water);
const station = (name: string, temperature: number) =>
  write({ id: `urn:ngsi-ld:WeatherObserved:${name}`, type: 'WeatherObserved', temperature: { type: 'Property', value: temperature } }, contexts.weather);

/** Waits until every committed change has its position. */
async function settled(): Promise<void> {
  const log = t.app.get(ChangeLogRepository);
  for (let i = 0; i < 200 && (await log.hasUnnumbered()); i++) await new Promise((resolve) => setTimeout(resolve, 25));
}

const ENTITY_CHANGED = `subscription ($type: String, $ids: [ID!], $q: String, $dataset: ID, $after: String) {
  entityChanged(type: $type, ids: $ids, q: $q, dataset: $dataset, after: $after) {
    cursor kind id attributes entity { __typename id ... on WaterQualityObserved { temperature } }
  }
}`;

beforeAll(async () => {
  idp = await startIdentityProvider();
  t = await startTestApp({ ...idp.env, LOG_LEVEL: 'error', CHANGES_POLL_INTERVAL_MS: '50', GRAPHQL_MAX_DEPTH: '6', GRAPHQL_MAX_COST: '2000' }, { caller: 'anonymous' });
  await new Promise<void>((resolve) => t.http.listen(0, '127.0.0.1', resolve));
  url = `ws://127.0.0.1:${(t.http.address() as AddressInfo).port}/graphql`;
  auth.gbgAdmin = await idp.bearer({ sub: 'admin-gbg', organisation: 'goteborg', roles: ['admin'], amr: ['pwd', 'otp'] });
  auth.gbgWriter = await idp.bearer({ sub: 'writer-gbg', organisation: 'goteborg', roles: ['writer'] });
  auth.analyst = await idp.bearer({ sub: 'analyst', organisation: 'boras' });
  const registry = t.app.get(ModelRegistry);
  const contextOf = (name: string) => registry.contextDocument(registry.byName(name)!.contextUrls[0])!['@context'];
  contexts = { water: contextOf('WaterQualityObserved'), weather: contextOf('WeatherObserved') };
  weatherType = registry.byName('WeatherObserved')!.typeIri;
  datasets.water = await dataset(WQO, 0);
  datasets.weather = await dataset(weatherType, 2);
}, 60_000);

afterEach(async () => {
  await Promise.all(clients.splice(0).map((client) => client.dispose()));
  // A closed subscription stops listening to the feed: the next test counts its own.
  await eventually(async () => (t.app.get(ChangeFanOut).size === 0 ? true : undefined), 5000);
});

afterAll(async () => {
  await t?.close();
  await idp?.close();
}, 60_000);

describe('entityChanged', () => {
  it('sends a create and an update of a matching entity with typed fields, and nothing of others', async () => {
    const sub = await subscribe(connect(), ENTITY_CHANGED, { type: 'WaterQualityObserved', ids: ['urn:ngsi-ld:WaterQualityObserved:askim'] });
    await beach('saltholmen', 17);
    await beach('askim', 18);
    await beach('askim', 19);
    const created = await sub.next();
    expect(created.errors).toBeUndefined();
    expect(created.data.entityChanged).toMatchObject({
      kind: 'CREATED',
      id: 'urn:ngsi-ld:WaterQualityObserved:askim',
      entity: { __typename: 'WaterQualityObserved', id: 'urn:ngsi-ld:WaterQualityObserved:askim', temperature: 18 },
    });
    expect(created.data.entityChanged.attributes).toContain(TEMPERATURE);
    const updated = await sub.next();
    expect(updated.data.entityChanged).toMatchObject({ kind: 'UPDATED', entity: { temperature: 19 }, attributes: [TEMPERATURE] });
    expect(Number(updated.data.entityChanged.cursor)).toBeGreaterThan(Number(created.data.entityChanged.cursor));
    await sub.nothingWithin(200);
  });

  it('filters by q on the model’s terms and by dataset', async () => {
    const sub = await subscribe(connect(), ENTITY_CHANGED, { type: 'WaterQualityObserved', q: 'temperature>20', dataset: datasets.water });
    await beach('ruddalen', 12);
    await beach('delsjon', 22);
    expect((await sub.next()).data.entityChanged).toMatchObject({ id: 'urn:ngsi-ld:WaterQualityObserved:delsjon', entity: { temperature: 22 } });
    await sub.nothingWithin(200);
  });

  it('follows one model with its typed filter', async () => {
    const sub = await subscribe(connect(), `subscription { waterQualityObservedChanged(filter: {temperature: {gte: 25}}) { kind id entity { ... on WaterQualityObserved { temperature } } } }`);
    await beach('askim-typed', 14);
    await beach('saltholmen-typed', 26);
    expect((await sub.next()).data.waterQualityObservedChanged).toEqual({ kind: 'CREATED', id: 'urn:ngsi-ld:WaterQualityObserved:saltholmen-typed', entity: { temperature: 26 } });
    await sub.nothingWithin(200);
  });

  it('resumes after a cursor: the changes since then first, then live', async () => {
    const first = await subscribe(connect(), ENTITY_CHANGED, { ids: ['urn:ngsi-ld:WaterQualityObserved:hovas'] });
    await beach('hovas', 14);
    const cursor = (await first.next()).data.entityChanged.cursor;
    await beach('hovas', 15);
    await beach('hovas', 16);
    await settled();
    const resumed = await subscribe(connect(), ENTITY_CHANGED, { ids: ['urn:ngsi-ld:WaterQualityObserved:hovas'], after: cursor });
    expect((await resumed.next()).data.entityChanged.entity.temperature).toBe(15);
    expect((await resumed.next()).data.entityChanged.entity.temperature).toBe(16);
    await beach('hovas', 17);
    expect((await resumed.next()).data.entityChanged.entity.temperature).toBe(17);
  });

  it('refuses a cursor that is not one this feed sent', async () => {
    const sub = await subscribe(connect(), ENTITY_CHANGED, { after: 'yesterday' }, false);
    expect((await sub.next()).errors?.[0]).toMatchObject({ message: expect.stringContaining('"yesterday"'), extensions: { code: 'BAD_USER_INPUT', status: 400 } });
  });
});

describe('access', () => {
  it('sends nothing of a restricted dataset to a caller who may not read it', async () => {
    const anonymous = await subscribe(connect(), ENTITY_CHANGED, {});
    const analyst = await subscribe(connect({ Authorization: auth.analyst.authorization }), ENTITY_CHANGED, {});
    await station('gbg-1', 3);
    await beach('marks', 18);
    expect((await anonymous.next()).data.entityChanged.id).toBe('urn:ngsi-ld:WaterQualityObserved:marks');
    expect((await analyst.next()).data.entityChanged.id).toBe('urn:ngsi-ld:WaterQualityObserved:marks');
  });

  it('refuses to follow a restricted dataset the caller may not read, as the feed does', async () => {
    const sub = await subscribe(connect({ authorization: auth.analyst.authorization }), ENTITY_CHANGED, { dataset: datasets.weather }, false);
    const result = await sub.next();
    expect(result.errors?.[0].extensions).toMatchObject({ code: 'NOT_FOUND', status: 404 });
  });

  it('stops sending once the grant is revoked mid-stream, with an error that says why', async () => {
    const grant = await request(t.http).post(`/api/v1/datasets/${datasets.weather}/grants`).set(auth.gbgAdmin).send({ principal: 'analyst' }).expect(201);
    const sub = await subscribe(connect({ Authorization: auth.analyst.authorization }), `subscription ($dataset: ID) { entityChanged(dataset: $dataset) { id kind } }`, { dataset: datasets.weather });
    await station('gbg-2', 4);
    expect((await sub.next()).data.entityChanged).toEqual({ id: 'urn:ngsi-ld:WeatherObserved:gbg-2', kind: 'CREATED' });

    await request(t.http).delete(`/api/v1/datasets/${datasets.weather}/grants/${grant.body.id}`).set(auth.gbgAdmin).expect(204);
    await station('gbg-2', 5);
    const refused = await sub.next();
    expect(refused.data).toBeNull();
    expect(refused.errors?.[0]).toMatchObject({ message: `You may no longer read dataset ${datasets.weather}`, extensions: { code: 'FORBIDDEN', status: 403 } });
    expect(await sub.ended).toBe('complete');
  });

  it('stops sending a dataset that is no longer open to an anonymous subscriber of everything', async () => {
    const open = await dataset('https://example.org/Lamp', 0);
    const sub = await subscribe(connect(), `subscription { entityChanged { id } }`);
    await write({ id: 'urn:ngsi-ld:Lamp:1', type: 'https://example.org/Lamp', on: { type: 'Property', value: true } }, {});
    expect((await sub.next()).data.entityChanged.id).toBe('urn:ngsi-ld:Lamp:1');
    await request(t.http).patch(`/api/v1/datasets/${open}`).set(auth.gbgAdmin).send({ open: false, classification: { confidentiality: 1, integrity: 1, availability: 1 } }).expect(200);
    await write({ id: 'urn:ngsi-ld:Lamp:1', type: 'https://example.org/Lamp', on: { type: 'Property', value: false } }, {});
    await beach('lamp-side', 20);
    expect((await sub.next()).data.entityChanged.id).toBe('urn:ngsi-ld:WaterQualityObserved:lamp-side');
  });

  it('ends the subscription of an API key revoked mid-stream', async () => {
    const issued = await request(t.http).post('/api/v1/api-keys').set(auth.gbgAdmin).send({ name: 'twin', read: true, write: false }).expect(201);
    const sub = await subscribe(connect({ 'X-API-Key': issued.body.key }), `subscription { entityChanged(type: "WaterQualityObserved") { id } }`);
    await beach('frisksport', 16);
    expect((await sub.next()).data.entityChanged.id).toBe('urn:ngsi-ld:WaterQualityObserved:frisksport');
    await request(t.http).delete(`/api/v1/api-keys/${issued.body.id}`).set(auth.gbgAdmin).expect(204);
    await beach('frisksport', 17);
    const refused = await sub.next();
    expect(refused.errors?.[0].extensions).toMatchObject({ code: 'UNAUTHENTICATED', status: 401 });
    expect(await sub.ended).toBe('complete');
  });

  it('refuses to follow, together, datasets a combination rule keeps apart; and ends a follow when such a rule is made', async () => {
    const positions = await dataset('https://example.org/CounterPosition', 1);
    const times = await dataset('https://example.org/CounterTime', 1);
    const member = { Authorization: (await idp.bearer({ sub: 'member-boras', organisation: 'boras' })).authorization };
    const everything = await subscribe(connect(member), `subscription { entityChanged { id } }`);
    const one = await subscribe(connect(member), `subscription ($dataset: ID) { entityChanged(dataset: $dataset) { id } }`, { dataset: positions });
    const rule = await request(t.http).post('/api/v1/combination-rules').set(auth.gbgAdmin).send({ name: 'Positions with times', datasets: [positions, times], confidentiality: 3 }).expect(201);
    await write({ id: 'urn:ngsi-ld:CounterPosition:1', type: 'https://example.org/CounterPosition', n: { type: 'Property', value: 1 } }, {});
    const refused = await everything.next();
    expect(refused.errors?.[0].extensions).toMatchObject({ code: 'FORBIDDEN', type: 'urn:vg-datashare:problem:combination-refused' });
    expect(await everything.ended).toBe('complete');
    expect((await one.next()).data?.entityChanged).toEqual({ id: 'urn:ngsi-ld:CounterPosition:1' });
    const again = await subscribe(connect(member), `subscription { entityChanged { id } }`, {}, false);
    expect((await again.next()).errors?.[0]).toMatchObject({ message: expect.stringContaining('Positions with times'), extensions: { code: 'FORBIDDEN', status: 403 } });
    const audit = await request(t.http).get(`/api/v1/audit-log?event=access.refused`).set(auth.gbgAdmin).expect(200);
    expect(JSON.stringify(audit.body)).toContain(rule.body.id);
  });

  it('closes a connection with wrong credentials with 4401 and the reason', async () => {
    const sub = await subscribe(connect({ Authorization: 'Bearer not-a-token' }), ENTITY_CHANGED, {}, false);
    const closed = (await sub.ended) as { code: number; reason: string };
    expect(closed.code).toBe(4401);
    expect(closed.reason).not.toBe('');
  });
});

describe('attributeChanged', () => {
  it('sends one event per named attribute changed, with its value', async () => {
    const sub = await subscribe(connect(), `subscription { attributeChanged(type: "WaterQualityObserved", attributes: ["temperature"]) { kind id attribute value entity { id } } }`);
    await beach('brudaremossen', 11);
    const created = await sub.next();
    expect(created.errors).toBeUndefined();
    expect(created.data.attributeChanged).toMatchObject({ kind: 'CREATED', id: 'urn:ngsi-ld:WaterQualityObserved:brudaremossen', attribute: TEMPERATURE, value: { type: 'Property', value: 11 } });
    await beach('brudaremossen', 12);
    expect((await sub.next()).data.attributeChanged).toMatchObject({ kind: 'UPDATED', value: { value: 12 } });
  });
});

describe('limits', () => {
  it('refuses a subscription deeper than the limit before it starts', async () => {
    const deep = `subscription { entityChanged { entity { dataset { entities { nodes { dataset { entities { nodes { id } } } } } } } } }`;
    const sub = await subscribe(connect(), deep, {}, false);
    const closed = await sub.ended;
    expect(Array.isArray(closed)).toBe(true);
    expect((closed as { extensions: Record<string, unknown> }[])[0].extensions).toMatchObject({ code: 'QUERY_TOO_DEEP' });
  });

  it('refuses a subscription whose events would cost more than the limit', async () => {
    const costly = `subscription { entityChanged { entity { dataset { entities(first: 1000) { nodes { id } } } } } }`;
    const sub = await subscribe(connect(), costly, {}, false);
    const closed = await sub.ended;
    expect((closed as { extensions: Record<string, unknown> }[])[0].extensions).toMatchObject({ code: 'QUERY_TOO_COMPLEX' });
  });
});
