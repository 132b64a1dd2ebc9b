import request from 'supertest';
import { IdentityProvider, startIdentityProvider } from 'test/support/identity-provider';
import { NotificationReceiver } from 'test/support/notification-receiver';
import { startTestApp, TestApp } from 'test/support/test-app';

/*
 * The subscription resource (POST/GET/PATCH/DELETE /ngsi-ld/v1/subscriptions): who may make and
 * see one, what is refused, and how updates merge. Alice and Bob are members of two organisations;
 * entities are written with the e2e writer's key into its open dataset.
 */

const ERRORS = 'https://uri.etsi.org/ngsi-ld/errors/';
/** How secrets (receiverInfo values, broker passwords) are shown. */
const MASK = '********';
let idp: IdentityProvider;
let t: TestApp;
let receiver: NotificationReceiver;
const auth = {} as Record<'alice' | 'bob' | 'carol' | 'gbgAdmin', Record<string, string>>;
let writer: Record<string, string>;

const json = { 'content-type': 'application/json' };
const send = (method: 'post' | 'patch', path: string, body: unknown, headers: Record<string, string>) =>
  request(t.http)[method](`/ngsi-ld/v1${path}`).set({ ...json, ...headers }).send(JSON.stringify(body));
const subscribe = (body: Record<string, unknown>, headers = auth.alice) => send('post', '/subscriptions', { type: 'Subscription', ...body }, headers);
const retrieve = (id: string, headers = auth.alice, params = '') => request(t.http).get(`/ngsi-ld/v1/subscriptions/${encodeURIComponent(id)}${params}`).set(headers);
const update = (id: string, fragment: unknown, headers = auth.alice) => send('patch', `/subscriptions/${encodeURIComponent(id)}`, fragment, headers);
const remove = (id: string, headers = auth.alice) => request(t.http).delete(`/ngsi-ld/v1/subscriptions/${encodeURIComponent(id)}`).set(headers);
const list = (params: string, headers: Record<string, string>) => request(t.http).get(`/ngsi-ld/v1/subscriptions${params}`).set(headers);
const sensor = (n: number, temperature: number) => ({ id: `urn:ngsi-ld:WeatherObserved:s${n}`, type: 'WeatherObserved', temperature: { type: 'Property', value: temperature } });
const endpoint = (path: string) => ({ endpoint: { uri: receiver.url(path) } });

/** A valid subscription body, with `id` and whatever else is given. */
const valid = (id: string, extra: Record<string, unknown> = {}) => ({ id, entities: [{ type: 'Thing' }], notification: endpoint('/unused'), ...extra });

function expectProblem(res: request.Response, status: number, type: string) {
  expect([res.status, res.body.type]).toEqual([status, type]);
  expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
}

beforeAll(async () => {
  idp = await startIdentityProvider();
  receiver = await NotificationReceiver.start();
  t = await startTestApp({ ...idp.env, CHANGES_POLL_INTERVAL_MS: '50' }, { caller: 'anonymous' });
  writer = { 'x-api-key': t.writer.apiKey };
  auth.alice = await idp.bearer({ sub: 'alice', organisation: 'goteborg' });
  auth.bob = await idp.bearer({ sub: 'bob', organisation: 'boras' });
  auth.carol = await idp.bearer({ sub: 'carol', organisation: 'boras' });
  auth.gbgAdmin = await idp.bearer({ sub: 'admin-gbg', organisation: 'goteborg', roles: ['admin'], amr: ['pwd', 'otp'] });
});
afterAll(async () => {
  await t?.close();
  await receiver?.close();
  await idp?.close();
});

describe('a subscription with an HTTP endpoint', () => {
  it('notifies creations and updates in order, and shows its status', async () => {
    const created = await subscribe({ entities: [{ type: 'WeatherObserved' }], notification: endpoint('/basic') }).expect(201);
    const location = created.headers.location as string;
    expect(location).toMatch(/^\/ngsi-ld\/v1\/subscriptions\/urn%3Angsi-ld%3ASubscription%3A/);
    await send('post', '/entities', sensor(1, 10), writer).expect(201);
    for (let v = 11; v <= 15; v++) await send('patch', `/entities/${encodeURIComponent('urn:ngsi-ld:WeatherObserved:s1')}/attrs`, { temperature: { type: 'Property', value: v } }, writer).expect(204);
    await receiver.until(() => receiver.entities('/basic').length >= 6);
    const values = receiver.entities('/basic').map((e) => (e.temperature as { value: number }).value);
    expect(values).toEqual([10, 11, 12, 13, 14, 15]);
    const first = receiver.at('/basic')[0];
    expect(first.body.type).toBe('Notification');
    expect(first.body.subscriptionId).toBe(decodeURIComponent(location.split('/').pop()!));
    expect(first.headers['content-type']).toBe('application/json');
    expect(first.headers.link).toContain('rel="http://www.w3.org/ns/json-ld#context"');
    const status = await request(t.http).get(location).set(auth.alice).expect(200);
    expect(status.body.status).toBe('active');
    expect(status.body.notification.timesSent).toBeGreaterThanOrEqual(1);
    expect(status.body.notification.status).toBe('ok');
    expect(status.body.notification.lastSuccess).toEqual(expect.any(String));
  });
});

describe('creating a subscription', () => {
  it('keeps an id given by the caller, and answers 409 AlreadyExists to the same id again, from anyone', async () => {
    const id = 'urn:ngsi-ld:Subscription:own-id';
    const res = await subscribe(valid(id)).expect(201);
    expect(res.headers.location).toBe(`/ngsi-ld/v1/subscriptions/${encodeURIComponent(id)}`);
    expectProblem(await subscribe(valid(id)), 409, `${ERRORS}AlreadyExists`);
    expectProblem(await subscribe(valid(id), auth.bob), 409, `${ERRORS}AlreadyExists`);
    expect((await retrieve(id).expect(200)).body.entities).toEqual([{ type: 'Thing' }]);
  });

  it('keeps ids apart per tenant', async () => {
    const id = 'urn:ngsi-ld:Subscription:per-tenant';
    await subscribe(valid(id)).expect(201);
    await subscribe(valid(id), { ...auth.alice, 'ngsild-tenant': 'boras' }).expect(201);
    expect((await retrieve(id, { ...auth.alice, 'ngsild-tenant': 'boras' }).expect(200)).body.id).toBe(id);
  });

  it('needs credentials: anonymous callers get 401 for every operation', async () => {
    const id = 'urn:ngsi-ld:Subscription:anonymous-target';
    await subscribe(valid(id)).expect(201);
    const unauthorized = 'urn:vg-datashare:problem:unauthorized';
    expectProblem(await subscribe(valid('urn:ngsi-ld:Subscription:anon'), {}), 401, unauthorized);
    expectProblem(await list('', {}), 401, unauthorized);
    expectProblem(await retrieve(id, {}), 401, unauthorized);
    expectProblem(await update(id, { isActive: false }, {}), 401, unauthorized);
    expectProblem(await remove(id, {}), 401, unauthorized);
    expect((await retrieve(id).expect(200)).body.status).toBe('active');
  });

  const past = new Date(Date.now() - 60_000).toISOString();
  const refused: [string, Record<string, unknown>][] = [
    ['no type', { type: undefined }],
    ['a type other than Subscription', { type: 'Registration' }],
    ['an id that is not a URI', { id: 'not a uri' }],
    ['neither entities nor watchedAttributes', { entities: undefined }],
    ['empty entities', { entities: [] }],
    ['an entity selector with nothing in it', { entities: [{}] }],
    ['an unknown entity selector member', { entities: [{ type: 'Thing', typo: 1 }] }],
    ['an invalid idPattern', { entities: [{ idPattern: '([a-z' }] }],
    ['an invalid type expression', { entities: [{ type: 'A;(B' }] }],
    ['an invalid q', { q: 'temperature>>' }],
    ['an invalid regular expression in q', { q: 'name~=([a' }],
    ['an invalid scopeQ', { scopeQ: 'Gothenburg' }],
    ['a geoQ without georel', { geoQ: { geometry: 'Point', coordinates: [11.97, 57.71] } }],
    ['a geoQ with bad coordinates', { geoQ: { geometry: 'Polygon', coordinates: [[1, 2]], georel: 'within' } }],
    ['a geoQ near without a distance', { geoQ: { geometry: 'Point', coordinates: [11.97, 57.71], georel: 'near;farAway==3' } }],
    ['an unknown geoQ member', { geoQ: { geometry: 'Point', coordinates: [11.97, 57.71], georel: 'intersects', crs: 'x' } }],
    ['expiresAt in the past', { expiresAt: past }],
    ['expiresAt that is not a date-time', { expiresAt: 'tomorrow' }],
    ['timeInterval with watchedAttributes', { timeInterval: 10, watchedAttributes: ['temperature'] }],
    ['timeInterval with throttling', { timeInterval: 10, throttling: 5 }],
    ['timeInterval with notificationTrigger', { timeInterval: 10, notificationTrigger: ['entityCreated'] }],
    ['timeInterval without entities', { entities: undefined, watchedAttributes: undefined, timeInterval: 10 }],
    ['a negative throttling', { throttling: -1 }],
    ['an unknown notificationTrigger', { notificationTrigger: ['entityTouched'] }],
    ['isActive that is not a boolean', { isActive: 'yes' }],
    ['an invalid lang', { lang: 'en_GB!' }],
    ['a jsonldContext that is not a URI', { jsonldContext: 'my context' }],
    ['an unknown member', { colour: 'blue' }],
    ['no notification', { notification: undefined }],
    ['an unknown notification member', { notification: { endpoint: { uri: 'http://example.org/x' }, colour: 'blue' } }],
    ['an unknown format', { notification: { endpoint: { uri: 'http://example.org/x' }, format: 'simplified' } }],
    ['an endpoint without uri', { notification: { endpoint: {} } }],
    ['an endpoint uri that is not a URI', { notification: { endpoint: { uri: 'nowhere' } } }],
    ['an endpoint uri with another scheme', { notification: { endpoint: { uri: 'ftp://example.org/notify' } } }],
    ['an MQTT endpoint without topic', { notification: { endpoint: { uri: 'mqtt://127.0.0.1:1883' } } }],
    ['an MQTT endpoint with a wildcard topic', { notification: { endpoint: { uri: 'mqtt://127.0.0.1:1883/a/%23' } } }],
    ['an unknown accept', { notification: { endpoint: { uri: 'http://example.org/x', accept: 'text/csv' } } }],
    ['a timeout of 0', { notification: { endpoint: { uri: 'http://example.org/x', timeout: 0 } } }],
    ['an unknown notifierInfo key', { notification: { endpoint: { uri: 'mqtt://127.0.0.1:1883/t', notifierInfo: [{ key: 'MQTT-Retain', value: 'true' }] } } }],
    ['an MQTT-QoS of 3', { notification: { endpoint: { uri: 'mqtt://127.0.0.1:1883/t', notifierInfo: [{ key: 'MQTT-QoS', value: '3' }] } } }],
    ['notifierInfo on an HTTP endpoint', { notification: { endpoint: { uri: 'http://example.org/x', notifierInfo: [{ key: 'MQTT-QoS', value: '1' }] } } }],
    ['a receiverInfo header the broker sets itself', { notification: { endpoint: { uri: 'http://example.org/x', receiverInfo: [{ key: 'Content-Type', value: 'text/plain' }] } } }],
    ['a receiverInfo NGSILD-Tenant', { notification: { endpoint: { uri: 'http://example.org/x', receiverInfo: [{ key: 'NGSILD-Tenant', value: 'other' }] } } }],
    ['a receiverInfo key that is no header name', { notification: { endpoint: { uri: 'http://example.org/x', receiverInfo: [{ key: 'a b', value: 'c' }] } } }],
    ['a receiverInfo value with a line break', { notification: { endpoint: { uri: 'http://example.org/x', receiverInfo: [{ key: 'X-A', value: 'b\r\nX-Evil: 1' }] } } }],
    ['receiverInfo that is not key-value pairs', { notification: { endpoint: { uri: 'http://example.org/x', receiverInfo: { 'X-A': 'b' } } } }],
  ];

  it.each(refused)('refuses %s with 400 BadRequestData, storing nothing', async (_name, change) => {
    const id = `urn:ngsi-ld:Subscription:refused-${Math.random().toString(36).slice(2)}`;
    const body = Object.fromEntries(Object.entries({ type: 'Subscription', ...valid(id), ...change }).filter(([, v]) => v !== undefined));
    const res = await send('post', '/subscriptions', body, auth.alice);
    expectProblem(res, 400, `${ERRORS}BadRequestData`);
    expect(res.body.detail).toEqual(expect.any(String));
    expect((await retrieve(id)).status).toBe(404);
  });

  it.each([['csf', 'p==1'], ['temporalQ', { timerel: 'after', timeAt: '2026-01-01T00:00:00Z' }], ['datasetId', ['urn:ngsi-ld:Dataset:a']]])(
    'answers 422 OperationNotSupported to %s',
    async (member, value) => {
      expectProblem(await subscribe(valid('urn:ngsi-ld:Subscription:unsupported', { [member]: value })), 422, `${ERRORS}OperationNotSupported`);
    },
  );

  it('refuses a body that is not a JSON object, and a media type it does not read', async () => {
    expectProblem(await send('post', '/subscriptions', [valid('urn:ngsi-ld:Subscription:array')], auth.alice), 400, `${ERRORS}InvalidRequest`);
    const res = await request(t.http).post('/ngsi-ld/v1/subscriptions').set({ ...auth.alice, 'content-type': 'text/plain' }).send('hello');
    expect(res.status).toBe(415);
    expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
  });

  it('takes back a retrieved subscription, status members and all, ignoring them', async () => {
    const id = 'urn:ngsi-ld:Subscription:round-trip';
    receiver.answer('/round-trip', [{ status: 500 }]);
    await subscribe({ id, entities: [{ type: 'RoundTrip' }], notification: endpoint('/round-trip') }).expect(201);
    await send('post', '/entities', { id: 'urn:ngsi-ld:RoundTrip:1', type: 'RoundTrip', level: { type: 'Property', value: 1 } }, writer).expect(201);
    await receiver.until(() => receiver.at('/round-trip').length === 1);
    const { body } = await retrieve(id).expect(200);
    expect(body.notification).toEqual(expect.objectContaining({ lastFailureReason: 'The endpoint answered 500', lastSuccess: expect.any(String) }));
    expect(body.notification).toHaveProperty('pendingNotifications');
    const copy = { ...body, id: 'urn:ngsi-ld:Subscription:round-trip-copy' };
    await send('post', '/subscriptions', copy, auth.alice).expect(201);
    const again = await retrieve(copy.id).expect(200);
    // Nothing attempted yet: no status (ok or failed) to tell.
    expect(again.body.notification).toEqual({ endpoint: { uri: receiver.url('/round-trip') }, timesSent: 0, timesFailed: 0, pendingNotifications: 0 });
    await update(id, body).expect(204);
  });
});

describe('bounds and dates', () => {
  it('refuses throttling and timeInterval below this broker’s lower bounds, naming them, when creating and updating', async () => {
    const id = 'urn:ngsi-ld:Subscription:bounded';
    const tooOften = await subscribe(valid(id, { throttling: 0.001 }));
    expectProblem(tooOften, 400, `${ERRORS}BadRequestData`);
    expect(tooOften.body.detail).toBe('throttling must be at least 1 seconds on this broker, not 0.001');
    const tooFast = await subscribe(valid(id, { timeInterval: 0.001 }));
    expectProblem(tooFast, 400, `${ERRORS}BadRequestData`);
    expect(tooFast.body.detail).toBe('timeInterval must be at least 5 seconds on this broker, not 0.001');
    await subscribe(valid(id, { throttling: 1 })).expect(201);
    expect((await update(id, { throttling: 0.5 })).body.detail).toBe('throttling must be at least 1 seconds on this broker, not 0.5');
    expect((await update(id, { throttling: null, timeInterval: 4 })).body.detail).toMatch(/timeInterval must be at least 5 seconds/);
    await update(id, { throttling: null, timeInterval: 5 }).expect(204);
    expect((await retrieve(id).expect(200)).body.timeInterval).toBe(5);
  });

  // The q parser's check of dates (issue 12, section 2) is made on another branch; this test fails
  // on a branch without it: the subscription path itself parses q when it is created and updated.
  it.each(['2026-02-30', '2026-04-31', '2026-02-30T00:00:00Z'])('refuses a q holding a date that does not exist (%s), when creating and updating', async (date) => {
    const id = `urn:ngsi-ld:Subscription:impossible-${date}`;
    expectProblem(await subscribe(valid(id, { q: `dateObserved==${date}` })), 400, `${ERRORS}BadRequestData`);
    await retrieve(id).expect(404);
    await subscribe(valid(id, { q: 'dateObserved==2026-02-28' })).expect(201);
    expectProblem(await update(id, { q: `dateObserved>${date}` }), 400, `${ERRORS}BadRequestData`);
    expect((await retrieve(id).expect(200)).body.q).toBe('dateObserved==2026-02-28');
  });
});

describe('secrets of an endpoint', () => {
  const token = { key: 'Authorization', value: 'Bearer twin-secret' };

  it('shows receiverInfo names with masked values, and broker URIs with a masked password, to owner and admins alike', async () => {
    const http = 'urn:ngsi-ld:Subscription:secret-http';
    const mqtt = 'urn:ngsi-ld:Subscription:secret-mqtt';
    await subscribe(valid(http, { notification: { endpoint: { uri: receiver.url('/secret'), receiverInfo: [token, { key: 'X-Twin', value: 'harbour' }] } } })).expect(201);
    await subscribe(valid(mqtt, { notification: { endpoint: { uri: 'mqtt://twin:broker-pass@127.0.0.1:1883/vgds-test/secret' } } })).expect(201);
    const masked = { uri: receiver.url('/secret'), receiverInfo: [{ key: 'Authorization', value: MASK }, { key: 'X-Twin', value: MASK }] };
    for (const who of [auth.alice, auth.gbgAdmin]) {
      expect((await retrieve(http, who).expect(200)).body.notification.endpoint).toEqual(masked);
      expect((await retrieve(mqtt, who).expect(200)).body.notification.endpoint).toEqual({ uri: `mqtt://twin:${MASK}@127.0.0.1:1883/vgds-test/secret` });
    }
    const listed = (await list('?limit=1000', auth.alice).expect(200)).body.find((s: { id: string }) => s.id === http);
    expect(listed.notification.endpoint).toEqual(masked);
    const ld = await retrieve(http, { ...auth.alice, accept: 'application/ld+json' }).expect(200);
    expect(JSON.stringify(ld.body)).not.toContain('twin-secret');
  });

  it('keeps sending the stored secrets, also after the retrieved subscription is sent back as an update', async () => {
    const id = 'urn:ngsi-ld:Subscription:secret-kept';
    await subscribe({ id, entities: [{ type: 'Guarded' }], notification: { endpoint: { uri: receiver.url('/secret-kept'), receiverInfo: [token] } } }).expect(201);
    const { body } = await retrieve(id).expect(200);
    await update(id, { ...body, notification: { ...body.notification, format: 'keyValues' } }).expect(204);
    expect((await retrieve(id).expect(200)).body.notification.endpoint.receiverInfo).toEqual([{ key: 'Authorization', value: MASK }]);
    await send('post', '/entities', { id: 'urn:ngsi-ld:Guarded:1', type: 'Guarded', level: { type: 'Property', value: 1 } }, writer).expect(201);
    await receiver.until(() => receiver.at('/secret-kept').length === 1);
    const [notification] = receiver.at('/secret-kept');
    expect(notification.headers.authorization).toBe('Bearer twin-secret');
    expect(notification.body.data).toEqual([{ id: 'urn:ngsi-ld:Guarded:1', type: 'Guarded', level: 1 }]);
  });

  it('does not carry stored secrets to another host, and refuses the mask as a new secret', async () => {
    const id = 'urn:ngsi-ld:Subscription:secret-moved';
    await subscribe(valid(id, { notification: { endpoint: { uri: receiver.url('/secret-moved'), receiverInfo: [token] } } })).expect(201);
    const moved = await update(id, { notification: { endpoint: { uri: 'https://twin.example.org/notify' } } });
    expectProblem(moved, 400, `${ERRORS}BadRequestData`);
    expect(moved.body.detail).toMatch(/another host: give receiverInfo again/);
    const copied = await subscribe(valid('urn:ngsi-ld:Subscription:secret-copied', { notification: { endpoint: { uri: receiver.url('/x'), receiverInfo: [{ key: 'Authorization', value: MASK }] } } }));
    expectProblem(copied, 400, `${ERRORS}BadRequestData`);
    expect(copied.body.detail).toMatch(/holds the mask/);
  });
});

describe('reading subscriptions', () => {
  it('shows a subscription as given, with its status, and sysAttrs on request', async () => {
    const id = 'urn:ngsi-ld:Subscription:shown';
    const given = {
      id,
      subscriptionName: 'Warm water',
      description: 'Bathing water above 20 degrees',
      entities: [{ type: 'WeatherObserved', idPattern: '^urn:ngsi-ld:WeatherObserved:' }],
      watchedAttributes: ['temperature'],
      q: 'temperature>20',
      throttling: 5,
      notification: { attributes: ['temperature'], format: 'keyValues', endpoint: { uri: receiver.url('/shown'), accept: 'application/json' } },
    };
    await subscribe(given).expect(201);
    const res = await retrieve(id).expect(200);
    expect(res.headers['content-type']).toMatch(/^application\/json/);
    expect(res.headers.link).toContain('rel="http://www.w3.org/ns/json-ld#context"');
    expect(res.body).toEqual({
      ...given,
      type: 'Subscription',
      isActive: true,
      status: 'active',
      notification: { ...given.notification, timesSent: 0, timesFailed: 0, pendingNotifications: 0 },
    });
    const withSysAttrs = await retrieve(id, auth.alice, '?options=sysAttrs').expect(200);
    expect(Date.parse(withSysAttrs.body.createdAt)).toBeLessThanOrEqual(Date.now());
    expect(withSysAttrs.body.modifiedAt).toBe(withSysAttrs.body.createdAt);
    const ld = await retrieve(id, { ...auth.alice, accept: 'application/ld+json' }).expect(200);
    expect(ld.headers['content-type']).toMatch(/^application\/ld\+json/);
    expect(ld.body['@context']).toBeDefined();
    expectProblem(await retrieve(id, auth.alice, '?options=keyValues'), 400, `${ERRORS}InvalidRequest`);
    expectProblem(await retrieve(id, auth.alice, '?limit=1'), 400, `${ERRORS}InvalidRequest`);
  });

  it('lists a caller’s subscriptions by id, with limit, offset and count', async () => {
    const ids = ['c', 'a', 'd', 'b', 'e'].map((n) => `urn:ngsi-ld:Subscription:carol-${n}`);
    for (const id of ids) await subscribe(valid(id), auth.carol).expect(201);
    const sorted = [...ids].sort();
    const page = async (params: string) => (await list(params, auth.carol).expect(200)).body.map((s: { id: string }) => s.id);
    expect(await page('')).toEqual(sorted);
    expect(await page('?limit=2')).toEqual(sorted.slice(0, 2));
    expect(await page('?limit=2&offset=2')).toEqual(sorted.slice(2, 4));
    expect(await page('?offset=4')).toEqual(sorted.slice(4));
    expect(await page('?offset=10')).toEqual([]);
    const counted = await list('?limit=1&count=true', auth.carol).expect(200);
    expect(counted.headers['ngsild-results-count']).toBe('5');
    expect(counted.body).toHaveLength(1);
    expect(counted.body[0]).toEqual(expect.objectContaining({ status: 'active', notification: expect.objectContaining({ timesSent: 0 }) }));
    expect((await list('', auth.bob).expect(200)).body.map((s: { id: string }) => s.id)).not.toContain(ids[0]);
    for (const bad of ['?limit=0', '?limit=abc', '?offset=-1', '?count=yes']) {
      expectProblem(await list(bad, auth.carol), 400, `${ERRORS}BadRequestData`);
    }
    for (const unknown of ['?options=keyValues', '?type=Thing']) {
      expectProblem(await list(unknown, auth.carol), 400, `${ERRORS}InvalidRequest`);
    }
  });

  it('answers 404 to others for another’s subscription, as if it did not exist, and changes nothing', async () => {
    const id = 'urn:ngsi-ld:Subscription:alices';
    await subscribe(valid(id)).expect(201);
    expectProblem(await retrieve(id, auth.bob), 404, `${ERRORS}ResourceNotFound`);
    expectProblem(await retrieve('urn:ngsi-ld:Subscription:nobodys', auth.bob), 404, `${ERRORS}ResourceNotFound`);
    expectProblem(await update(id, { isActive: false }, auth.bob), 404, `${ERRORS}ResourceNotFound`);
    expectProblem(await remove(id, auth.bob), 404, `${ERRORS}ResourceNotFound`);
    expect((await list('', auth.bob).expect(200)).body.map((s: { id: string }) => s.id)).not.toContain(id);
    expect((await retrieve(id).expect(200)).body.isActive).toBe(true);
    // Another tenant holds none of it either.
    expectProblem(await retrieve(id, { ...auth.alice, 'ngsild-tenant': 'boras' }), 404, `${ERRORS}ResourceNotFound`);
  });

  it('shows a member’s subscription to the admins of the member’s organisation', async () => {
    const id = 'urn:ngsi-ld:Subscription:seen-by-admin';
    await subscribe(valid(id)).expect(201);
    expect((await retrieve(id, auth.gbgAdmin).expect(200)).body.id).toBe(id);
    expect((await list('?limit=1000', auth.gbgAdmin).expect(200)).body.map((s: { id: string }) => s.id)).toContain(id);
    await update(id, { isActive: false }, auth.gbgAdmin).expect(204);
    expect((await retrieve(id).expect(200)).body.status).toBe('paused');
  });
});

describe('updating a subscription', () => {
  const id = 'urn:ngsi-ld:Subscription:patched';
  const stored = () => retrieve(id).expect(200).then((res) => res.body);

  beforeAll(async () => {
    await subscribe({
      id,
      entities: [{ type: 'Thing' }],
      q: 'level>1',
      notification: {
        attributes: ['level'],
        format: 'keyValues',
        endpoint: { uri: receiver.url('/patched'), accept: 'application/json', receiverInfo: [{ key: 'X-Token', value: 'a' }] },
      },
    }).expect(201);
  });

  it('replaces the members given and keeps the others', async () => {
    await update(id, { entities: [{ type: 'Other' }], subscriptionName: 'renamed' }).expect(204);
    const body = await stored();
    expect(body.entities).toEqual([{ type: 'Other' }]);
    expect(body.subscriptionName).toBe('renamed');
    expect(body.q).toBe('level>1');
  });

  it('merges notification and endpoint members instead of replacing them', async () => {
    await update(id, { notification: { format: 'concise' } }).expect(204);
    let body = await stored();
    expect(body.notification).toEqual(expect.objectContaining({ format: 'concise', attributes: ['level'] }));
    expect(body.notification.endpoint).toEqual({ uri: receiver.url('/patched'), accept: 'application/json', receiverInfo: [{ key: 'X-Token', value: MASK }] });
    await update(id, { notification: { endpoint: { accept: 'application/ld+json' } } }).expect(204);
    body = await stored();
    expect(body.notification.endpoint).toEqual({ uri: receiver.url('/patched'), accept: 'application/ld+json', receiverInfo: [{ key: 'X-Token', value: MASK }] });
    expect(body.notification.format).toBe('concise');
  });

  it('removes members given as null, at every level', async () => {
    await update(id, { q: null, notification: { attributes: null } }).expect(204);
    let body = await stored();
    expect(body).not.toHaveProperty('q');
    expect(body.notification).not.toHaveProperty('attributes');
    await update(id, { notification: { endpoint: { receiverInfo: null, accept: null } } }).expect(204);
    body = await stored();
    expect(body.notification.endpoint).toEqual({ uri: receiver.url('/patched') });
  });

  it('moves modifiedAt, not createdAt', async () => {
    const before = (await retrieve(id, auth.alice, '?options=sysAttrs').expect(200)).body;
    await update(id, { description: 'moved' }).expect(204);
    const after = (await retrieve(id, auth.alice, '?options=sysAttrs').expect(200)).body;
    expect(after.createdAt).toBe(before.createdAt);
    expect(Date.parse(after.modifiedAt)).toBeGreaterThan(Date.parse(before.modifiedAt));
  });

  it('refuses what would make the subscription invalid, and keeps it as it was', async () => {
    const before = await stored();
    for (const fragment of [
      {},
      { id: 'urn:ngsi-ld:Subscription:other' },
      { type: 'Registration' },
      { entities: null },
      { q: 'level>>' },
      { expiresAt: new Date(Date.now() - 1000).toISOString() },
      { notification: { endpoint: { uri: 'ftp://example.org/x' } } },
      { notification: { format: 'simplified' } },
      { notification: null },
      { timeInterval: 5, throttling: 1 },
      { colour: 'blue' },
    ]) {
      const res = await update(id, fragment);
      expect([JSON.stringify(fragment), res.status, res.body.type]).toEqual([JSON.stringify(fragment), 400, `${ERRORS}BadRequestData`]);
    }
    expectProblem(await update(id, { csf: 'a==1' }), 422, `${ERRORS}OperationNotSupported`);
    expect(await stored()).toEqual(before);
  });

  it('answers 404 for a subscription that does not exist', async () => {
    expectProblem(await update('urn:ngsi-ld:Subscription:absent', { isActive: false }), 404, `${ERRORS}ResourceNotFound`);
  });

  it('applies a new format to the next notification', async () => {
    const sub = 'urn:ngsi-ld:Subscription:reformatted';
    await subscribe({ id: sub, entities: [{ type: 'Reformatted' }], notification: endpoint('/reformatted') }).expect(201);
    const entity = 'urn:ngsi-ld:Reformatted:1';
    await send('post', '/entities', { id: entity, type: 'Reformatted', level: { type: 'Property', value: 1 } }, writer).expect(201);
    await receiver.until(() => receiver.entities('/reformatted').length === 1);
    await update(sub, { notification: { format: 'keyValues' } }).expect(204);
    await send('patch', `/entities/${encodeURIComponent(entity)}/attrs`, { level: { type: 'Property', value: 2 } }, writer).expect(204);
    await receiver.until(() => receiver.entities('/reformatted').length === 2);
    expect(receiver.entities('/reformatted').map((e) => e.level)).toEqual([{ type: 'Property', value: 1 }, 2]);
  });
});

describe('deleting a subscription', () => {
  it('answers 204, then 404, and sends nothing more', async () => {
    const id = 'urn:ngsi-ld:Subscription:deleted';
    await subscribe({ id, entities: [{ type: 'Deleted' }], notification: endpoint('/deleted') }).expect(201);
    // A witness on the same entities, to know when the next change has been handled.
    await subscribe({ id: 'urn:ngsi-ld:Subscription:deleted-witness', entities: [{ type: 'Deleted' }], notification: endpoint('/deleted-witness') }).expect(201);
    await send('post', '/entities', { id: 'urn:ngsi-ld:Deleted:1', type: 'Deleted', level: { type: 'Property', value: 1 } }, writer).expect(201);
    await receiver.until(() => receiver.entities('/deleted').length === 1);
    await remove(id).expect(204);
    expectProblem(await retrieve(id), 404, `${ERRORS}ResourceNotFound`);
    expectProblem(await remove(id), 404, `${ERRORS}ResourceNotFound`);
    await send('post', '/entities', { id: 'urn:ngsi-ld:Deleted:2', type: 'Deleted', level: { type: 'Property', value: 2 } }, writer).expect(201);
    await receiver.until(() => receiver.entities('/deleted-witness').length === 2);
    expect(receiver.entities('/deleted').map((e) => e.id)).toEqual(['urn:ngsi-ld:Deleted:1']);
    // Its id is free again.
    await subscribe({ id, entities: [{ type: 'Deleted' }], notification: endpoint('/deleted-again') }).expect(201);
    expect((await retrieve(id).expect(200)).body.notification.timesSent).toBe(0);
  });
});
