import request from 'supertest';
import { IdentityProvider, startIdentityProvider } from 'test/support/identity-provider';
import { eventually } from 'test/support/eventually';
import { NotificationReceiver } from 'test/support/notification-receiver';
import { startTestApp, TestApp } from 'test/support/test-app';

/*
 * Notifications carry only what their owner may read when they are sent. Göteborg publishes a K2
 * dataset of water meters and an open K0 dataset of beaches; Borås members read the meters only
 * with a grant. Each subscription also watches beaches: a beach change that arrives shows that an
 * earlier meter change was handled (one sender per subscription, in order), and not sent.
 */

let idp: IdentityProvider;
let t: TestApp;
let receiver: NotificationReceiver;
const auth = {} as Record<'gbgAdmin' | 'gbgWriter' | 'gbgMember' | 'borasMember' | 'analyst' | 'auditor', Record<string, string>>;
const datasets = {} as Record<'meters' | 'beaches', string>;

const json = { 'content-type': 'application/json' };
const prop = (value: unknown) => ({ type: 'Property', value });
let counter = 0;

async function dataset(body: Record<string, unknown>): Promise<string> {
  const res = await request(t.http)
    .post('/api/v1/datasets')
    .set(auth.gbgAdmin)
    .send({ title: { sv: 'Data' }, description: { sv: 'Data' }, classification: { confidentiality: 1, integrity: 1, availability: 1 }, ...body })
    .expect(201);
  return res.body.id;
}

/** Writes (creates, then updates) an entity as Göteborg's writer; returns its id. */
async function write(type: string, level: number, id = `urn:ngsi-ld:${type}:${++counter}`): Promise<string> {
  const exists = (await request(t.http).get(`/ngsi-ld/v1/entities/${encodeURIComponent(id)}`).set(auth.gbgWriter)).status === 200;
  const req = exists
    ? request(t.http).patch(`/ngsi-ld/v1/entities/${encodeURIComponent(id)}/attrs`).set({ ...auth.gbgWriter, ...json }).send(JSON.stringify({ level: prop(level) }))
    : request(t.http).post('/ngsi-ld/v1/entities').set({ ...auth.gbgWriter, ...json }).send(JSON.stringify({ id, type, level: prop(level) }));
  await req.expect(exists ? 204 : 201);
  return id;
}

async function subscribe(headers: Record<string, string>, where: string, types = ['Meter', 'Beach']): Promise<string> {
  const body = { type: 'Subscription', entities: types.map((type) => ({ type })), notification: { format: 'keyValues', endpoint: { uri: receiver.url(where) } } };
  const res = await request(t.http).post('/ngsi-ld/v1/subscriptions').set({ ...headers, ...json }).send(JSON.stringify(body)).expect(201);
  return decodeURIComponent((res.headers.location as string).split('/').pop()!);
}
const retrieve = async (id: string, headers: Record<string, string>) =>
  (await request(t.http).get(`/ngsi-ld/v1/subscriptions/${encodeURIComponent(id)}`).set(headers).expect(200)).body;
/** The subscription once nothing is pending (acknowledged a moment after the endpoint got it). */
const settled = (id: string, headers: Record<string, string>) =>
  eventually(async () => {
    const body = await retrieve(id, headers);
    return body.notification.pendingNotifications === 0 ? body : undefined;
  });
const seen = (where: string) => receiver.entities(where).map((e) => `${e.type} ${e.level}`);
const arrives = (where: string, what: string) => receiver.until(() => seen(where).includes(what), 10_000, `${what} at ${where}`);

beforeAll(async () => {
  idp = await startIdentityProvider();
  receiver = await NotificationReceiver.start();
  t = await startTestApp({ ...idp.env, CHANGES_POLL_INTERVAL_MS: '50', NOTIFICATION_MAX_BACKOFF_MS: '2000' }, { caller: 'anonymous' });
  auth.gbgAdmin = await idp.bearer({ sub: 'admin-gbg', organisation: 'goteborg', roles: ['admin'], amr: ['pwd', 'otp'] });
  auth.gbgWriter = await idp.bearer({ sub: 'writer-gbg', organisation: 'goteborg', roles: ['writer'] });
  auth.gbgMember = await idp.bearer({ sub: 'member-gbg', organisation: 'goteborg' });
  auth.borasMember = await idp.bearer({ sub: 'member-boras', organisation: 'boras' });
  auth.analyst = await idp.bearer({ sub: 'analyst', organisation: 'boras' });
  auth.auditor = await idp.bearer({ sub: 'auditor', organisation: 'boras' });
  datasets.meters = await dataset({ entities: [{ type: 'Meter' }], classification: { confidentiality: 2, integrity: 2, availability: 1 } });
  datasets.beaches = await dataset({ entities: [{ type: 'Beach' }], classification: { confidentiality: 0, integrity: 1, availability: 1 }, open: true });
});
afterAll(async () => {
  await t?.close();
  await receiver?.close();
  await idp?.close();
});

describe('a K2 dataset', () => {
  it('notifies its own organisation’s members of its changes', async () => {
    await subscribe(auth.gbgMember, '/k2-own');
    await write('Meter', 1);
    await arrives('/k2-own', 'Meter 1');
  });

  it('withholds its changes from another organisation without a grant, as if they did not exist', async () => {
    const sub = await subscribe(auth.borasMember, '/k2-other');
    await write('Meter', 2);
    await write('Beach', 2);
    await arrives('/k2-other', 'Beach 2');
    expect(seen('/k2-other')).toEqual(['Beach 2']);
    const body = await settled(sub, auth.borasMember);
    // Hidden is absent: the subscription is not told that something it may not see changed.
    expect(body.notification).toEqual(expect.objectContaining({ status: 'ok', timesFailed: 0, timesSent: 1 }));
    expect(body.notification.lastFailure).toBeUndefined();
    expect(body.notification.lastFailureReason).toBeUndefined();
  });

  it('notifies a principal granted it, and stops with the next change once the grant is revoked', async () => {
    const sub = await subscribe(auth.analyst, '/granted');
    const meter = await write('Meter', 10);
    await write('Beach', 10);
    await arrives('/granted', 'Beach 10');
    expect(seen('/granted')).toEqual(['Beach 10']);

    const grant = await request(t.http).post(`/api/v1/datasets/${datasets.meters}/grants`).set(auth.gbgAdmin).send({ principal: 'analyst' }).expect(201);
    await write('Meter', 11, meter);
    await arrives('/granted', 'Meter 11');
    expect((await retrieve(sub, auth.analyst)).notification.status).toBe('ok');

    await request(t.http).delete(`/api/v1/datasets/${datasets.meters}/grants/${grant.body.id}`).set(auth.gbgAdmin).expect(204);
    await write('Meter', 12, meter);
    await write('Beach', 12);
    await arrives('/granted', 'Beach 12');
    expect(seen('/granted')).toEqual(['Beach 10', 'Meter 11', 'Beach 12']);
    const body = await settled(sub, auth.analyst);
    expect(body.notification).toEqual(expect.objectContaining({ status: 'ok', timesFailed: 0 }));
    expect(body.notification.lastFailureReason).toBeUndefined();
  });

  it('notifies an organisation granted it, for as long as the grant stands', async () => {
    const sub = await subscribe(auth.auditor, '/org-granted', ['Meter']);
    const grant = await request(t.http).post(`/api/v1/datasets/${datasets.meters}/grants`).set(auth.gbgAdmin).send({ organisation: 'boras' }).expect(201);
    const meter = await write('Meter', 20);
    await arrives('/org-granted', 'Meter 20');
    await request(t.http).delete(`/api/v1/datasets/${datasets.meters}/grants/${grant.body.id}`).set(auth.gbgAdmin).expect(204);
    // A witness that may read the meters shows when the next change has been handled.
    const witness = await subscribe(auth.gbgMember, '/org-granted-witness', ['Meter']);
    await write('Meter', 21, meter);
    await arrives('/org-granted-witness', 'Meter 21');
    await settled(witness, auth.gbgMember);
    const body = await settled(sub, auth.auditor);
    expect(seen('/org-granted')).toEqual(['Meter 20']);
    expect(body.notification).toEqual(expect.objectContaining({ status: 'ok', timesSent: 1 }));
    expect(body.notification.lastFailureReason).toBeUndefined();
  });
});

describe('a subscription made with an API key', () => {
  it('notifies while the key is valid, and nothing at all once it is revoked', async () => {
    const issued = await request(t.http).post('/api/v1/api-keys').set(auth.gbgAdmin).send({ name: 'dashboard', organisation: 'goteborg' }).expect(201);
    const key = { 'x-api-key': issued.body.key as string };
    const sub = await subscribe(key, '/keyed');
    const witness = await subscribe(auth.gbgMember, '/keyed-witness');
    const meter = await write('Meter', 30);
    await arrives('/keyed', 'Meter 30');

    await request(t.http).delete(`/api/v1/api-keys/${issued.body.id}`).set(auth.gbgAdmin).expect(204);
    await write('Meter', 31, meter);
    await write('Beach', 31);
    await arrives('/keyed-witness', 'Beach 31');
    const status = await settled(sub, auth.gbgAdmin);
    expect(seen('/keyed')).toEqual(['Meter 30']);
    expect(status.notification).toEqual(expect.objectContaining({ status: 'failed', lastFailureReason: "The subscription owner's API key is revoked or expired" }));
    expect((await retrieve(witness, auth.gbgMember)).notification.status).toBe('ok');
    // The revoked key itself no longer reaches its subscription.
    expect((await request(t.http).get(`/ngsi-ld/v1/subscriptions/${encodeURIComponent(sub)}`).set(key)).status).toBe(401);
  });
});

describe('a combination rule', () => {
  it('withholds the changes of the dataset that would complete the combination', async () => {
    const positions = await dataset({ entities: [{ type: 'CounterPosition' }] });
    const times = await dataset({ entities: [{ type: 'CounterTime' }] });
    await request(t.http).post('/api/v1/combination-rules').set(auth.gbgAdmin).send({ name: 'Counters', datasets: [positions, times], confidentiality: 3 }).expect(201);
    const sub = await subscribe(auth.borasMember, '/combined', ['CounterPosition', 'CounterTime']);
    await write('CounterPosition', 1);
    await write('CounterTime', 1);
    await write('CounterPosition', 2);
    await arrives('/combined', 'CounterPosition 2');
    expect(seen('/combined')).toEqual(['CounterPosition 1', 'CounterPosition 2']);
    const { notification } = await retrieve(sub, auth.borasMember);
    expect(notification.lastFailureReason).toMatch(/combination rule/);
  });
});

describe('previous values (showChanges) of an entity moved between datasets', () => {
  /** A normalized subscription to meters with showChanges. */
  async function subscribeToChanges(headers: Record<string, string>, where: string): Promise<string> {
    const body = { type: 'Subscription', entities: [{ type: 'Meter' }], notification: { showChanges: true, endpoint: { uri: receiver.url(where) } } };
    const res = await request(t.http).post('/ngsi-ld/v1/subscriptions').set({ ...headers, ...json }).send(JSON.stringify(body)).expect(201);
    return decodeURIComponent((res.headers.location as string).split('/').pop()!);
  }
  const levelNotified = async (where: string, id: string, value: number) => {
    const find = () => receiver.entities(where).find((e) => e.id === id && (e.level as { value?: unknown } | undefined)?.value === value);
    await receiver.until(() => find() !== undefined, 10_000, `${id} with level ${value} at ${where}`);
    return find()!;
  };

  it('shows K2-era values only to a subscriber who may read the K2 dataset they were written in', async () => {
    const id = await write('Meter', 40);
    await subscribeToChanges(auth.gbgMember, '/moved-may');
    await subscribeToChanges(auth.borasMember, '/moved-may-not');
    // Moved into the open beach dataset with a new level: both may read it there.
    await request(t.http)
      .post('/ngsi-ld/v1/entityOperations/upsert')
      .set({ ...auth.gbgWriter, ...json, 'vgds-dataset': datasets.beaches })
      .send(JSON.stringify([{ id, type: 'Meter', level: prop(41) }]))
      .expect(204);
    expect((await request(t.http).get(`/ngsi-ld/v1/entities/${encodeURIComponent(id)}`).set(auth.borasMember).expect(200)).body.level.value).toBe(41);

    expect((await levelNotified('/moved-may', id, 41)).level).toEqual({ type: 'Property', value: 41, previousValue: 40 });
    expect((await levelNotified('/moved-may-not', id, 41)).level).toEqual({ type: 'Property', value: 41 });
  });

  it('shows previous values within an open dataset to everyone who may read it', async () => {
    const id = await write('Meter', 50);
    await request(t.http)
      .post('/ngsi-ld/v1/entityOperations/upsert')
      .set({ ...auth.gbgWriter, ...json, 'vgds-dataset': datasets.beaches })
      .send(JSON.stringify([{ id, type: 'Meter', level: prop(51) }]))
      .expect(204);
    await subscribeToChanges(auth.borasMember, '/open-previous');
    await write('Meter', 52, id);
    expect((await levelNotified('/open-previous', id, 52)).level).toEqual({ type: 'Property', value: 52, previousValue: 51 });
  });
});
