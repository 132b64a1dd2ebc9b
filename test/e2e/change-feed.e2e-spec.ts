import { get as httpGet, IncomingHttpHeaders } from 'node:http';
import { AddressInfo } from 'node:net';
import request from 'supertest';
import { ChangeLogRepository } from 'src/changes/change-log.repository';
import { ContextServer, startContextServer } from 'test/support/context-server';
import { IdentityProvider, startIdentityProvider } from 'test/support/identity-provider';
import { startTestApp, TestApp } from 'test/support/test-app';

/*
 * The change feed as Server-Sent Events: GET /api/v1/changes?dataset=... read as a browser's
 * EventSource reads it, incrementally over a raw connection. Göteborg publishes an open K0 dataset
 * of beaches and one of lamps, and a K2 dataset of water meters; Borås is another organisation.
 */

const ERRORS = 'https://uri.etsi.org/ngsi-ld/errors/';
const SDM_TEMPERATURE = 'https://smartdatamodels.org/dataModel.Weather/temperature';
let idp: IdentityProvider;
let contexts: ContextServer;
let t: TestApp;
let base: string;
const auth = {} as Record<'gbgAdmin' | 'gbgWriter' | 'gbgMember' | 'borasMember' | 'analyst', Record<string, string>>;
const datasets = {} as Record<'beaches' | 'lamps' | 'meters', string>;
/** Every stream a test opened, closed after it. */
const opened: EventStream[] = [];

interface FeedEvent {
  readonly id?: string;
  readonly event: string;
  readonly data: Record<string, any>;
}

interface EventStream {
  readonly status: number;
  readonly headers: IncomingHttpHeaders;
  /** The problem, when the stream was refused. */
  readonly problem?: Record<string, any>;
  /** The position the stream follows from, as its opening comment tells. */
  readonly from?: number;
  /** The next event (comments and keep-alives skipped); fails after `timeoutMs` or when the stream ends first. */
  next(timeoutMs?: number): Promise<FeedEvent>;
  /** Resolves when the service ends the stream. */
  readonly ended: Promise<void>;
  close(): void;
}

/** Opens the feed and waits for its first block (retry and the "following" comment): from then on it is live. */
function follow(query: string, headers: Record<string, string> = {}): Promise<EventStream> {
  return new Promise((resolve, reject) => {
    const req = httpGet(`${base}/api/v1/changes?${query}`, { headers: { accept: 'text/event-stream', ...headers } }, (res) => {
      res.setEncoding('utf8');
      let buffer = '';
      const queue: FeedEvent[] = [];
      const waiting: ((event: FeedEvent | undefined) => void)[] = [];
      let isEnded = false;
      let markEnded = (): void => undefined;
      const ended = new Promise<void>((done) => (markEnded = done));
      const stream = (from?: number, problem?: Record<string, any>): EventStream => {
        const s: EventStream = {
          status: res.statusCode ?? 0,
          headers: res.headers,
          problem,
          from,
          ended,
          close: () => req.destroy(),
          next: (timeoutMs = 5000) =>
            new Promise<FeedEvent>((resolveEvent, rejectEvent) => {
              if (queue.length > 0) return resolveEvent(queue.shift()!);
              if (isEnded) return rejectEvent(new Error('the stream ended'));
              const timer = setTimeout(() => {
                waiting.splice(waiting.indexOf(take), 1);
                rejectEvent(new Error(`no event within ${timeoutMs} ms`));
              }, timeoutMs);
              const take = (event: FeedEvent | undefined) => {
                clearTimeout(timer);
                if (event) resolveEvent(event);
                else rejectEvent(new Error('the stream ended'));
              };
              waiting.push(take);
            }),
        };
        opened.push(s);
        return s;
      };
      if (res.statusCode !== 200) {
        res.on('data', (chunk: string) => (buffer += chunk));
        res.on('end', () => resolve(stream(undefined, JSON.parse(buffer))));
        return;
      }
      let live = false;
      res.on('data', (chunk: string) => {
        buffer += chunk;
        for (let end = buffer.indexOf('\n\n'); end >= 0; end = buffer.indexOf('\n\n')) {
          const block = buffer.slice(0, end);
          buffer = buffer.slice(end + 2);
          if (!live) {
            live = true;
            const from = /after position (\d+)/.exec(block)?.[1];
            resolve(stream(from === undefined ? undefined : Number(from)));
            continue;
          }
          const event = parseBlock(block);
          if (!event) continue;
          const take = waiting.shift();
          if (take) take(event);
          else queue.push(event);
        }
      });
      res.on('close', () => {
        isEnded = true;
        markEnded();
        for (const take of waiting.splice(0)) take(undefined);
      });
    });
    req.on('error', reject);
  });
}

/** One SSE block; undefined for comments and keep-alives. */
function parseBlock(block: string): FeedEvent | undefined {
  const fields: Record<string, string> = {};
  for (const line of block.split('\n')) {
    if (line.startsWith(':')) continue;
    const colon = line.indexOf(':');
    const name = colon < 0 ? line : line.slice(0, colon);
    fields[name] = (fields[name] === undefined ? '' : `${fields[name]}\n`) + line.slice(colon + 1).replace(/^ /, '');
  }
  if (fields.data === undefined) return undefined;
  return { id: fields.id, event: fields.event ?? 'message', data: JSON.parse(fields.data) };
}

async function dataset(type: string, confidentiality: number): Promise<string> {
  const res = await request(t.http)
    .post('/api/v1/datasets')
    .set(auth.gbgAdmin)
    .send({
      title: { sv: type },
      description: { sv: type },
      entities: [{ type }],
      classification: { confidentiality, integrity: 1, availability: 1 },
      open: confidentiality === 0,
    })
    .expect(201);
  return res.body.id;
}

const property = (value: unknown) => ({ type: 'Property', value });
const ngsi = (method: 'post' | 'patch' | 'delete', path: string, body?: unknown, headers: Record<string, string> = auth.gbgWriter) => {
  const req = request(t.http)[method](`/ngsi-ld/v1${path}`).set(headers);
  return body === undefined ? req : req.set('content-type', 'application/json').send(JSON.stringify(body));
};
const create = (id: string, type: string, attrs: Record<string, unknown> = { temperature: property(18) }, headers?: Record<string, string>) =>
  ngsi('post', '/entities', { id, type, ...attrs }, headers).expect(201);

/** Waits until every committed change has its position, so that a stream opened now starts after them. */
async function settled(): Promise<void> {
  const log = t.app.get(ChangeLogRepository);
  for (let i = 0; i < 200 && (await log.hasUnnumbered()); i++) await new Promise((resolve) => setTimeout(resolve, 25));
}

function expectProblem(stream: EventStream, status: number, type: string) {
  expect(stream.status).toBe(status);
  expect(stream.headers['content-type']).toMatch(/^application\/problem\+json/);
  expect(stream.problem?.type).toBe(type);
}

beforeAll(async () => {
  idp = await startIdentityProvider();
  contexts = await startContextServer();
  t = await startTestApp({ ...idp.env, CHANGES_POLL_INTERVAL_MS: '50' }, { caller: 'anonymous' });
  await new Promise<void>((resolve) => t.http.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(t.http.address() as AddressInfo).port}`;
  auth.gbgAdmin = await idp.bearer({ sub: 'admin-gbg', organisation: 'goteborg', roles: ['admin'], amr: ['pwd', 'otp'] });
  auth.gbgWriter = await idp.bearer({ sub: 'writer-gbg', organisation: 'goteborg', roles: ['writer'] });
  auth.gbgMember = await idp.bearer({ sub: 'member-gbg', organisation: 'goteborg' });
  auth.borasMember = await idp.bearer({ sub: 'member-boras', organisation: 'boras' });
  auth.analyst = await idp.bearer({ sub: 'analyst', organisation: 'boras' });
  datasets.beaches = await dataset('Beach', 0);
  datasets.lamps = await dataset('Lamp', 0);
  datasets.meters = await dataset('Meter', 2);
}, 60_000);
afterEach(() => {
  for (const stream of opened.splice(0)) stream.close();
});
afterAll(async () => {
  await t?.close();
  await contexts?.close();
  await idp?.close();
}, 60_000);

describe('events', () => {
  it('answers text/event-stream that browsers and proxies do not buffer', async () => {
    const stream = await follow(`dataset=${datasets.beaches}`);
    expect(stream.status).toBe(200);
    expect(stream.headers['content-type']).toBe('text/event-stream; charset=utf-8');
    expect(stream.headers['cache-control']).toBe('no-cache, no-transform');
    expect(stream.headers['x-accel-buffering']).toBe('no');
  });

  it('tells each create, update and delete with its position, what changed and the entity', async () => {
    const id = 'urn:ngsi-ld:Beach:askim';
    const stream = await follow(`dataset=${datasets.beaches}`);
    await create(id, 'Beach');
    await ngsi('post', `/entities/${id}/attrs`, { temperature: property(21), name: property('Askimsbadet') }).expect(204);
    await ngsi('delete', `/entities/${id}/attrs/name`).expect(204);
    await ngsi('delete', `/entities/${id}`).expect(204);

    const events = [await stream.next(), await stream.next(), await stream.next(), await stream.next()];
    expect(events.map((e) => e.event)).toEqual(['change', 'change', 'change', 'change']);
    const positions = events.map((e) => Number(e.id));
    expect(positions.every((p, i) => Number.isInteger(p) && p > (i === 0 ? stream.from! : positions[i - 1]))).toBe(true);
    expect(events.map((e) => e.data.position)).toEqual(positions);
    for (const e of events) {
      expect(e.data).toMatchObject({ dataset: datasets.beaches, entityId: id });
      expect(Date.parse(e.data.changedAt)).not.toBeNaN();
    }
    expect(events.map((e) => [e.data.operation, e.data.attributes])).toEqual([
      ['create', { created: ['temperature'], updated: [], deleted: [] }],
      ['update', { created: ['name'], updated: ['temperature'], deleted: [] }],
      ['update', { created: [], updated: [], deleted: ['name'] }],
      ['delete', { created: [], updated: [], deleted: [] }],
    ]);
    expect(events[0].data.entity).toMatchObject({ id, type: 'Beach', temperature: { type: 'Property', value: 18 } });
    expect(events[0].data.entity.temperature.createdAt).toBeDefined();
    expect(events[1].data.entity).toMatchObject({ temperature: { value: 21 }, name: { value: 'Askimsbadet' } });
    expect(events[2].data.entity).not.toHaveProperty('name');
    // A deletion shows the entity as it was.
    expect(events[3].data.entity).toMatchObject({ id, type: 'Beach', temperature: { value: 21 } });
  });

  it('starts now without Last-Event-ID: earlier changes are not replayed', async () => {
    await create('urn:ngsi-ld:Beach:earlier', 'Beach');
    await settled();
    const stream = await follow(`dataset=${datasets.beaches}`);
    await create('urn:ngsi-ld:Beach:later', 'Beach');
    const first = await stream.next();
    expect(first.data).toMatchObject({ operation: 'create', entityId: 'urn:ngsi-ld:Beach:later' });
    expect(Number(first.id)).toBeGreaterThan(stream.from!);
  });

  it('leaves out the changes of datasets it does not follow, and follows several', async () => {
    const beaches = await follow(`dataset=${datasets.beaches}`);
    const both = await follow(`dataset=${datasets.beaches},${datasets.lamps}`);
    await create('urn:ngsi-ld:Lamp:torget', 'Lamp');
    await create('urn:ngsi-ld:Beach:saltholmen', 'Beach');
    // The lamp came first: had the beach stream had it, it would be its first event.
    expect((await beaches.next()).data).toMatchObject({ entityId: 'urn:ngsi-ld:Beach:saltholmen', dataset: datasets.beaches });
    expect((await both.next()).data).toMatchObject({ entityId: 'urn:ngsi-ld:Lamp:torget', dataset: datasets.lamps });
    expect((await both.next()).data).toMatchObject({ entityId: 'urn:ngsi-ld:Beach:saltholmen', dataset: datasets.beaches });
  });

  it('keeps the tenants apart', async () => {
    const kungalv = { 'ngsild-tenant': 'kungalv' };
    const beaches = await follow(`dataset=${datasets.beaches}`);
    await create('urn:ngsi-ld:Beach:kungalv-1', 'Beach', undefined, { ...auth.gbgWriter, ...kungalv });
    await settled();
    const ofKungalv = await follow(`dataset=${datasets.beaches}`, kungalv);
    await create('urn:ngsi-ld:Beach:kungalv-2', 'Beach', undefined, { ...auth.gbgWriter, ...kungalv });
    await create('urn:ngsi-ld:Beach:default-1', 'Beach');
    expect((await beaches.next()).data.entityId).toBe('urn:ngsi-ld:Beach:default-1');
    expect((await ofKungalv.next()).data).toMatchObject({ entityId: 'urn:ngsi-ld:Beach:kungalv-2', dataset: datasets.beaches });
  });

  it('compacts entities and attribute names with the @context of a Link header', async () => {
    const link = `<${contexts.url('weather.jsonld')}>; rel="http://www.w3.org/ns/json-ld#context"; type="application/ld+json"`;
    const linked = await follow(`dataset=${datasets.beaches}`, { link });
    const plain = await follow(`dataset=${datasets.beaches}`);
    await create('urn:ngsi-ld:Beach:tofta', 'Beach', { temperature: property(17) }, { ...auth.gbgWriter, link });

    const withContext = await linked.next();
    expect(withContext.data.attributes.created).toEqual(['temperature']);
    expect(withContext.data.entity).toMatchObject({ id: 'urn:ngsi-ld:Beach:tofta', type: 'Beach', temperature: { type: 'Property', value: 17 } });
    const withoutContext = await plain.next();
    expect(withoutContext.data.attributes.created).toEqual([SDM_TEMPERATURE]);
    expect(withoutContext.data.entity[SDM_TEMPERATURE]).toMatchObject({ value: 17 });
    expect(withoutContext.data.entity).not.toHaveProperty('temperature');
  });
});

describe('resuming', () => {
  /** Four changes of one beach, and the events a live stream told of them. */
  async function history(name: string): Promise<FeedEvent[]> {
    const id = `urn:ngsi-ld:Beach:${name}`;
    const stream = await follow(`dataset=${datasets.beaches}`);
    await create(id, 'Beach');
    for (const value of [19, 20, 21]) await ngsi('patch', `/entities/${id}/attrs`, { temperature: property(value) }).expect(204);
    const events = [];
    for (let i = 0; i < 4; i++) events.push(await stream.next());
    stream.close();
    return events;
  }

  /** The events of a resumed stream up to a marker written after it opened: none lost, none repeated, nothing else. */
  async function resumedUpTo(marker: string, stream: EventStream): Promise<string[]> {
    await create(`urn:ngsi-ld:Beach:${marker}`, 'Beach');
    const ids: string[] = [];
    for (;;) {
      const event = await stream.next();
      if (event.data.entityId === `urn:ngsi-ld:Beach:${marker}`) return ids;
      ids.push(event.id!);
    }
  }

  it.each([
    ['the Last-Event-ID header', (id: string) => follow(`dataset=${datasets.beaches}`, { 'last-event-id': id })],
    ['?lastEventId=', (id: string) => follow(`dataset=${datasets.beaches}&lastEventId=${id}`)],
  ])('with %s, gives exactly the events after it', async (how, resume) => {
    const events = await history(`resume-${how.length}`);
    const stream = await resume(events[1].id!);
    expect(stream.from).toBe(Number(events[1].id));
    expect(await resumedUpTo(`marker-${how.length}`, stream)).toEqual([events[2].id, events[3].id]);
  });

  it('resumed from the last event, gives nothing old', async () => {
    const events = await history('resume-last');
    const stream = await follow(`dataset=${datasets.beaches}`, { 'last-event-id': events[3].id! });
    expect(await resumedUpTo('marker-last', stream)).toEqual([]);
  });

  it('prefers the header to the query parameter', async () => {
    const events = await history('resume-both');
    const stream = await follow(`dataset=${datasets.beaches}&lastEventId=${events[0].id}`, { 'last-event-id': events[2].id! });
    expect(await resumedUpTo('marker-both', stream)).toEqual([events[3].id]);
  });

  it('resumes with the same events another stream was told, the same data', async () => {
    const events = await history('resume-same');
    const stream = await follow(`dataset=${datasets.beaches}&lastEventId=${Number(events[0].id) - 1}`);
    for (const expected of events) expect(await stream.next()).toEqual(expected);
  });
});

describe('retention', () => {
  const pruneAll = () => t.app.get(ChangeLogRepository).prune(new Date('9999-01-01T00:00:00Z'));

  it('tells a reader who resumes before the oldest change kept that changes were lost', async () => {
    const live = await follow(`dataset=${datasets.beaches}`);
    await create('urn:ngsi-ld:Beach:pruned-1', 'Beach');
    const lost = await live.next();
    await settled();
    await pruneAll();
    await create('urn:ngsi-ld:Beach:kept-1', 'Beach');
    const kept = await live.next();
    const resumed = await follow(`dataset=${datasets.beaches}`, { 'last-event-id': String(Number(lost.id) - 1) });
    expect(await resumed.next()).toEqual({
      id: undefined,
      event: 'truncated',
      data: { firstAvailable: Number(kept.id), detail: 'Changes before this position are past retention' },
    });
    expect(await resumed.next()).toEqual(kept);
  });

  // With no change kept at all, the clock's position tells what is gone.
  it('tells it too when no change is kept at all', async () => {
    const live = await follow(`dataset=${datasets.beaches}`);
    await create('urn:ngsi-ld:Beach:pruned-2', 'Beach');
    const lost = await live.next();
    await settled();
    await pruneAll();
    const resumed = await follow(`dataset=${datasets.beaches}`, { 'last-event-id': String(Number(lost.id) - 1) });
    expect((await resumed.next(1500)).event).toBe('truncated');
  });
});

describe('a Last-Event-ID ahead of the feed', () => {
  it('starts now and says so (an id from another feed, a database restored)', async () => {
    const live = await follow(`dataset=${datasets.beaches}`);
    await create('urn:ngsi-ld:Beach:ahead-1', 'Beach');
    const last = await live.next();
    const resumed = await follow(`dataset=${datasets.beaches}`, { 'last-event-id': String(Number(last.id) + 1000) });
    const reset = await resumed.next();
    expect(reset.event).toBe('reset');
    expect(reset.data.lastPosition).toBeGreaterThanOrEqual(Number(last.id));
    await create('urn:ngsi-ld:Beach:ahead-2', 'Beach');
    expect((await resumed.next()).data.entityId).toBe('urn:ngsi-ld:Beach:ahead-2');
  });
});

describe('access', () => {
  it('lets anyone follow an open K0 dataset', async () => {
    expect((await follow(`dataset=${datasets.beaches}`)).status).toBe(200);
  });

  it('answers 404 for a dataset that does not exist and for one the caller may not read, alike', async () => {
    const unknown = await follow('dataset=00000000-0000-4000-8000-000000000000');
    expectProblem(unknown, 404, `${ERRORS}ResourceNotFound`);
    for (const caller of [{}, auth.borasMember]) {
      const hidden = await follow(`dataset=${datasets.meters}`, caller);
      expectProblem(hidden, 404, `${ERRORS}ResourceNotFound`);
      expect(hidden.problem!.title).toBe(unknown.problem!.title);
      expectProblem(await follow(`dataset=${datasets.beaches},${datasets.meters}`, caller), 404, `${ERRORS}ResourceNotFound`);
    }
  });

  it('streams a K2 dataset to its own organisation', async () => {
    const stream = await follow(`dataset=${datasets.meters}`, auth.gbgMember);
    expect(stream.status).toBe(200);
    await create('urn:ngsi-ld:Meter:house-1', 'Meter', { volume: property(100) });
    expect((await stream.next()).data).toMatchObject({ entityId: 'urn:ngsi-ld:Meter:house-1', dataset: datasets.meters });
  });

  it('ends the stream with an error event once the reader’s grant is revoked', async () => {
    expectProblem(await follow(`dataset=${datasets.meters}`, auth.analyst), 404, `${ERRORS}ResourceNotFound`);
    const grant = await request(t.http).post(`/api/v1/datasets/${datasets.meters}/grants`).set(auth.gbgAdmin).send({ principal: 'analyst' }).expect(201);
    const stream = await follow(`dataset=${datasets.meters}`, auth.analyst);
    expect(stream.status).toBe(200);
    await create('urn:ngsi-ld:Meter:house-2', 'Meter', { volume: property(5) });
    expect((await stream.next()).data).toMatchObject({ entityId: 'urn:ngsi-ld:Meter:house-2' });

    await request(t.http).delete(`/api/v1/datasets/${datasets.meters}/grants/${grant.body.id}`).set(auth.gbgAdmin).expect(204);
    await ngsi('patch', '/entities/urn:ngsi-ld:Meter:house-2/attrs', { volume: property(6) }).expect(204);
    const error = await stream.next();
    expect(error).toEqual({ id: undefined, event: 'error', data: { status: 403, detail: `You may no longer read dataset ${datasets.meters}` } });
    await stream.ended;
    await expect(stream.next(100)).rejects.toThrow('the stream ended');
  });
});

describe('combination rules', () => {
  const COMBINATION_REFUSED = 'urn:vg-datashare:problem:combination-refused';
  /** Two K1 datasets that Göteborg classifies K2 together: its own members may combine them, Borås members may not. */
  async function combinedPair(name: string, rule = true): Promise<[string, string]> {
    const pair: [string, string] = [await dataset(`${name}Position`, 1), await dataset(`${name}Time`, 1)];
    if (rule) await combine(name, pair);
    return pair;
  }
  const combine = (name: string, pair: string[]) =>
    request(t.http).post('/api/v1/combination-rules').set(auth.gbgAdmin).send({ name, datasets: pair, confidentiality: 2 }).expect(201);

  it('refuses to stream datasets together to a caller who may not combine them, as a query is refused', async () => {
    const [positions, times] = await combinedPair('Counter');
    await create('urn:ngsi-ld:CounterPosition:1', 'CounterPosition');
    await create('urn:ngsi-ld:CounterTime:1', 'CounterTime');
    const stream = await follow(`dataset=${positions},${times}`, auth.borasMember);
    expectProblem(stream, 403, COMBINATION_REFUSED);
    expect(stream.problem!.combinationRule).toMatchObject({ name: 'Counter', confidentiality: 2 });
    // The same pair in one query (whose answer draws on both):
    const query = await request(t.http).get('/ngsi-ld/v1/entities?type=CounterPosition,CounterTime').set(auth.borasMember).expect(403);
    expect(query.body.type).toBe(COMBINATION_REFUSED);
    // Each alone is fine.
    expect((await follow(`dataset=${positions}`, auth.borasMember)).status).toBe(200);
    expect((await follow(`dataset=${times}`, auth.borasMember)).status).toBe(200);
  });

  it('streams them together to a caller who may combine them', async () => {
    const [positions, times] = await combinedPair('Visitor');
    const stream = await follow(`dataset=${positions},${times}`, auth.gbgMember);
    expect(stream.status).toBe(200);
    await create('urn:ngsi-ld:VisitorPosition:1', 'VisitorPosition');
    await create('urn:ngsi-ld:VisitorTime:1', 'VisitorTime');
    expect((await stream.next()).data).toMatchObject({ entityId: 'urn:ngsi-ld:VisitorPosition:1', dataset: positions });
    expect((await stream.next()).data).toMatchObject({ entityId: 'urn:ngsi-ld:VisitorTime:1', dataset: times });
  });

  it('ends a stream with an error event once a rule forbids what it combines, and not one its reader may combine', async () => {
    const [positions, times] = await combinedPair('Passage', false);
    const refused = await follow(`dataset=${positions},${times}`, auth.borasMember);
    const allowed = await follow(`dataset=${positions},${times}`, auth.gbgMember);
    expect([refused.status, allowed.status]).toEqual([200, 200]);
    await create('urn:ngsi-ld:PassagePosition:1', 'PassagePosition');
    expect((await refused.next()).data.entityId).toBe('urn:ngsi-ld:PassagePosition:1');

    await combine('Passage', [positions, times]);
    await create('urn:ngsi-ld:PassageTime:1', 'PassageTime');
    const error = await refused.next();
    expect(error.event).toBe('error');
    expect(error.data).toEqual({ status: 403, detail: expect.stringMatching(/combination rule "Passage"/) });
    await refused.ended;
    expect((await allowed.next()).data.entityId).toBe('urn:ngsi-ld:PassagePosition:1');
    expect((await allowed.next()).data.entityId).toBe('urn:ngsi-ld:PassageTime:1');
  });
});

describe('an entity moved in from a dataset the reader may not read', () => {
  it('shows which attributes it updated only to readers of the dataset it came from', async () => {
    const id = 'urn:ngsi-ld:Meter:moved';
    await create(id, 'Meter', { volume: property(1), owner: property('Andersson') });
    const anyone = await follow(`dataset=${datasets.beaches}`);
    const owner = await follow(`dataset=${datasets.beaches}`, auth.gbgMember);
    await ngsi('post', '/entityOperations/upsert', [{ id, type: 'Meter', volume: property(2) }], { ...auth.gbgWriter, 'vgds-dataset': datasets.beaches }).expect(204);

    const seenByOwner = await owner.next();
    expect(seenByOwner.data).toMatchObject({ entityId: id, operation: 'update', attributes: { created: [], updated: ['volume'], deleted: ['owner'] } });
    const seenByAnyone = await anyone.next();
    expect(seenByAnyone.data).toMatchObject({ entityId: id, operation: 'update', attributes: { created: ['volume'], updated: [], deleted: [] } });
    expect(seenByAnyone.data.entity).toEqual(seenByOwner.data.entity);
  });
});

describe('refused requests', () => {
  it.each([
    ['no dataset', '', /Name the datasets/],
    ['a dataset that is no UUID', 'dataset=beaches', /dataset must hold dataset ids \(UUIDs\), not "beaches"/],
    ['one of several that is no UUID', 'dataset=%s,42', /not "42"/],
    // Several datasets are comma-separated (the message for no dataset calls it "repeatable", which it is not).
    ['dataset given twice', 'dataset=%s&dataset=%s', /dataset may be given once/],
    ['an unknown parameter', 'dataset=%s&from=3', /from/],
    ['a lastEventId that is no number', 'dataset=%s&lastEventId=abc', /Last-Event-ID must be an event id/],
    ['a negative lastEventId', 'dataset=%s&lastEventId=-1', /Last-Event-ID must be an event id/],
    ['a fractional lastEventId', 'dataset=%s&lastEventId=1.5', /Last-Event-ID must be an event id/],
  ])('answers 400 for %s', async (_what, query, detail) => {
    const stream = await follow(query.replaceAll('%s', datasets.beaches));
    expectProblem(stream, 400, `${ERRORS}BadRequestData`);
    expect(stream.problem!.detail).toMatch(detail);
  });

  it.each(['abc', '12a', '1e3', '9999999999999999'])('answers 400 for Last-Event-ID: %s', async (id) => {
    const stream = await follow(`dataset=${datasets.beaches}`, { 'last-event-id': id });
    expectProblem(stream, 400, `${ERRORS}BadRequestData`);
    expect(stream.problem!.detail).toMatch(/Last-Event-ID must be an event id this stream sent/);
  });
});
