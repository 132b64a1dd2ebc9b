import request from 'supertest';
import { ContextServer, startContextServer } from 'test/support/context-server';
import { eventually } from 'test/support/eventually';
import { NotificationReceiver } from 'test/support/notification-receiver';
import { startTestApp, TestApp } from 'test/support/test-app';

/*
 * What subscriptions notify, and when: each option of a subscription against a real HTTP
 * receiver. Every test has entity types and receiver paths of its own. That something did NOT
 * arrive is shown by a later change that did (one sender delivers a subscription's changes in
 * order), or by the subscription having nothing pending once a later change was handled.
 */

let t: TestApp;
let receiver: NotificationReceiver;
let contexts: ContextServer;

const json = { 'content-type': 'application/json' };
const CORE = '<https://uri.etsi.org/ngsi-ld/v1/ngsi-ld-core-context-v1.9.jsonld>';
const prop = (value: unknown, extra: Record<string, unknown> = {}) => ({ type: 'Property', value, ...extra });
const point = (lon: number, lat: number) => ({ type: 'GeoProperty', value: { type: 'Point', coordinates: [lon, lat] } });
const path = (id: string) => `/ngsi-ld/v1/entities/${encodeURIComponent(id)}`;
const sendJson = (req: request.Test, body: unknown, headers: Record<string, string> = {}) => req.set({ ...json, ...headers }).send(JSON.stringify(body));

const create = (entity: Record<string, unknown>, headers: Record<string, string> = {}) => sendJson(request(t.http).post('/ngsi-ld/v1/entities'), entity, headers).expect(201);
const patchAttrs = (id: string, attrs: Record<string, unknown>, headers: Record<string, string> = {}) => sendJson(request(t.http).patch(`${path(id)}/attrs`), attrs, headers).expect(204);
const appendAttrs = (id: string, attrs: Record<string, unknown>) => sendJson(request(t.http).post(`${path(id)}/attrs`), attrs).expect(204);
const deleteAttr = (id: string, name: string) => request(t.http).delete(`${path(id)}/attrs/${name}`).expect(204);
const deleteEntity = (id: string) => request(t.http).delete(path(id)).expect(204);

async function subscribe(body: Record<string, unknown>, headers: Record<string, string> = {}): Promise<string> {
  const res = await sendJson(request(t.http).post('/ngsi-ld/v1/subscriptions'), { type: 'Subscription', ...body }, headers);
  expect([res.status, res.body]).toEqual([201, {}]);
  return decodeURIComponent((res.headers.location as string).split('/').pop()!);
}
const endpoint = (where: string, extra: Record<string, unknown> = {}) => ({ endpoint: { uri: receiver.url(where), ...extra } });
const retrieve = async (id: string, headers: Record<string, string> = {}) =>
  (await request(t.http).get(`/ngsi-ld/v1/subscriptions/${encodeURIComponent(id)}`).set(headers).expect(200)).body;
const arrived = (where: string, count: number) => receiver.until(() => receiver.entities(where).length >= count, 10_000, `${count} entities at ${where}`);
/** Waits until everything the subscription was matched with has been delivered (or dropped). */
const settled = (id: string, headers: Record<string, string> = {}) =>
  eventually(async () => ((await retrieve(id, headers)).notification.pendingNotifications === 0 ? true : undefined), 10_000);
const ids = (where: string) => receiver.entities(where).map((e) => e.id);
const values = (where: string, name: string) => receiver.entities(where).map((e) => (e[name] as { value: unknown } | undefined)?.value);

beforeAll(async () => {
  receiver = await NotificationReceiver.start();
  contexts = await startContextServer();
  // Periodic notifications every second, below the default bound, to keep the test short.
  t = await startTestApp({ CHANGES_POLL_INTERVAL_MS: '50', NOTIFICATION_MAX_BACKOFF_MS: '2000', NOTIFICATION_MIN_TIME_INTERVAL_SECONDS: '1' });
});
afterAll(async () => {
  await t?.close();
  await receiver?.close();
  await contexts?.close();
});

describe('which changes a subscription is notified of', () => {
  it('selects entities by id, by idPattern and by type', async () => {
    const byId = await subscribe({ entities: [{ id: 'urn:ngsi-ld:Sel:a1', type: 'Sel' }], notification: endpoint('/sel-id') });
    const byPattern = await subscribe({ entities: [{ idPattern: '^urn:ngsi-ld:Sel:a', type: 'Sel' }], notification: endpoint('/sel-pattern') });
    await subscribe({ entities: [{ type: 'Sel' }], notification: endpoint('/sel-type') });
    for (const n of ['b1', 'a2', 'a1', 'z9']) await create({ id: `urn:ngsi-ld:Sel:${n}`, type: 'Sel', level: prop(1) });
    await create({ id: 'urn:ngsi-ld:Sel:a3', type: 'NotSel', level: prop(1) });
    await arrived('/sel-type', 4);
    await settled(byId);
    await settled(byPattern);
    expect(ids('/sel-type')).toEqual(['b1', 'a2', 'a1', 'z9'].map((n) => `urn:ngsi-ld:Sel:${n}`));
    expect(ids('/sel-pattern')).toEqual(['urn:ngsi-ld:Sel:a2', 'urn:ngsi-ld:Sel:a1']);
    expect(ids('/sel-id')).toEqual(['urn:ngsi-ld:Sel:a1']);
  });

  it('notifies each notificationTrigger of the changes it names', async () => {
    const triggers = ['entityCreated', 'entityUpdated', 'entityDeleted', 'attributeCreated', 'attributeUpdated', 'attributeDeleted', 'default'];
    const subs: Record<string, string> = {};
    for (const trigger of triggers) {
      const notificationTrigger = trigger === 'default' ? undefined : [trigger];
      subs[trigger] = await subscribe({ entities: [{ type: 'Trig' }], notificationTrigger, notification: endpoint(`/trig-${trigger}`) });
    }
    const E = 'urn:ngsi-ld:Trig:1';
    await create({ id: E, type: 'Trig', temperature: prop(1), humidity: prop(50) }); // 1 create
    await patchAttrs(E, { temperature: prop(2) }); // 2 update of temperature
    await appendAttrs(E, { pressure: prop(1013) }); // 3 pressure created
    await deleteAttr(E, 'humidity'); // 4 humidity deleted
    await deleteEntity(E); // 5 entity deleted
    await arrived('/trig-entityDeleted', 1);
    for (const trigger of triggers) await settled(subs[trigger]);

    const step = (where: string) =>
      receiver.entities(where).map((e) => (e.deletedAt ? 'deleted' : e.humidity && (e.humidity as { value: unknown }).value === 'urn:ngsi-ld:null' ? 'humidity deleted' : e.pressure ? 'pressure' : `temperature ${(e.temperature as { value: number }).value}`));
    expect(step('/trig-entityCreated')).toEqual(['temperature 1']);
    expect(step('/trig-entityUpdated')).toEqual(['temperature 2', 'pressure', 'pressure']);
    expect(step('/trig-entityDeleted')).toEqual(['deleted']);
    expect(step('/trig-attributeCreated')).toEqual(['temperature 1', 'pressure']);
    expect(step('/trig-attributeUpdated')).toEqual(['temperature 2']);
    // A deleted entity's attributes are deleted with it.
    expect(step('/trig-attributeDeleted')).toEqual(['humidity deleted', 'deleted']);
    // Without notificationTrigger: attributes created and updated.
    expect(step('/trig-default')).toEqual(['temperature 1', 'temperature 2', 'pressure']);

    const [deleted] = receiver.entities('/trig-entityDeleted');
    expect(deleted).toEqual({ id: E, type: 'Trig', deletedAt: expect.any(String) });
    expect(Date.parse(deleted.deletedAt as string)).toBeLessThanOrEqual(Date.now());
    const [attributeDeleted, entityGone] = receiver.entities('/trig-attributeDeleted');
    expect(attributeDeleted.humidity).toEqual({ type: 'Property', value: 'urn:ngsi-ld:null' });
    expect(attributeDeleted.pressure).toEqual(prop(1013));
    expect(entityGone).toEqual({ id: E, type: 'Trig', deletedAt: deleted.deletedAt, temperature: { type: 'Property', value: 'urn:ngsi-ld:null' }, pressure: { type: 'Property', value: 'urn:ngsi-ld:null' } });
  });

  it('notifies changes of watchedAttributes only', async () => {
    const sub = await subscribe({ entities: [{ type: 'Watched' }], watchedAttributes: ['temperature'], notification: endpoint('/watched') });
    const E = 'urn:ngsi-ld:Watched:1';
    await create({ id: E, type: 'Watched', temperature: prop(1), humidity: prop(50) });
    await patchAttrs(E, { humidity: prop(51) });
    await appendAttrs(E, { pressure: prop(1013) });
    await patchAttrs(E, { temperature: prop(2) });
    await arrived('/watched', 2);
    await settled(sub);
    expect(values('/watched', 'temperature')).toEqual([1, 2]);
    expect(values('/watched', 'humidity')).toEqual([50, 51]);
  });

  it('selects by watchedAttributes alone, whatever the type', async () => {
    const sub = await subscribe({ watchedAttributes: ['rareAttribute'], notification: endpoint('/watched-only') });
    await create({ id: 'urn:ngsi-ld:WatchedA:1', type: 'WatchedA', commonAttribute: prop(1) });
    await create({ id: 'urn:ngsi-ld:WatchedB:1', type: 'WatchedB', rareAttribute: prop(2) });
    await arrived('/watched-only', 1);
    await settled(sub);
    expect(ids('/watched-only')).toEqual(['urn:ngsi-ld:WatchedB:1']);
  });

  it('notifies only the changes after which q holds', async () => {
    const sub = await subscribe({ entities: [{ type: 'Queried' }], q: 'temperature>20;status=="open"', notification: endpoint('/q') });
    const E = 'urn:ngsi-ld:Queried:1';
    await create({ id: E, type: 'Queried', temperature: prop(10), status: prop('open') });
    await patchAttrs(E, { temperature: prop(25) });
    await patchAttrs(E, { temperature: prop(15) });
    await patchAttrs(E, { status: prop('closed'), temperature: prop(28) });
    await patchAttrs(E, { status: prop('open') });
    await arrived('/q', 2);
    await settled(sub);
    expect(values('/q', 'temperature')).toEqual([25, 28]);
    expect(values('/q', 'status')).toEqual(['open', 'open']);
  });

  it('notifies entities near a point (maxDistance) and within a polygon (geoQ)', async () => {
    const near = await subscribe({
      entities: [{ type: 'Placed' }],
      geoQ: { geometry: 'Point', coordinates: [11.97, 57.71], georel: 'near;maxDistance==1000' },
      notification: endpoint('/geo-near'),
    });
    const within = await subscribe({
      entities: [{ type: 'Placed' }],
      geoQ: { geometry: 'Polygon', coordinates: [[[11.9, 57.6], [12.1, 57.6], [12.1, 57.8], [11.9, 57.8], [11.9, 57.6]]], georel: 'within' },
      notification: endpoint('/geo-within'),
    });
    await create({ id: 'urn:ngsi-ld:Placed:far', type: 'Placed', location: point(12.5, 58.5) });
    await create({ id: 'urn:ngsi-ld:Placed:town', type: 'Placed', location: point(12.0, 57.75) }); // in the polygon, 3 km away
    await create({ id: 'urn:ngsi-ld:Placed:close', type: 'Placed', location: point(11.975, 57.71) }); // 300 m away
    await create({ id: 'urn:ngsi-ld:Placed:nowhere', type: 'Placed', level: prop(1) });
    // Moving into range is a change after which the geo-query holds.
    await patchAttrs('urn:ngsi-ld:Placed:far', { location: point(11.971, 57.711) });
    await arrived('/geo-near', 2);
    await settled(near);
    await settled(within);
    expect(ids('/geo-near')).toEqual(['urn:ngsi-ld:Placed:close', 'urn:ngsi-ld:Placed:far']);
    expect(ids('/geo-within')).toEqual(['urn:ngsi-ld:Placed:town', 'urn:ngsi-ld:Placed:close', 'urn:ngsi-ld:Placed:far']);
  });

  it('notifies entities in the scopes of scopeQ', async () => {
    const sub = await subscribe({ entities: [{ type: 'Scoped' }], scopeQ: '/Gothenburg/#', notification: endpoint('/scoped') });
    await create({ id: 'urn:ngsi-ld:Scoped:boras', type: 'Scoped', scope: '/Boras', level: prop(1) });
    await create({ id: 'urn:ngsi-ld:Scoped:none', type: 'Scoped', level: prop(1) });
    await create({ id: 'urn:ngsi-ld:Scoped:askim', type: 'Scoped', scope: ['/Gothenburg/Askim'], level: prop(1) });
    await arrived('/scoped', 1);
    await settled(sub);
    expect(ids('/scoped')).toEqual(['urn:ngsi-ld:Scoped:askim']);
  });

  it('notifies the changes of its own tenant, with NGSILD-Tenant', async () => {
    const tenant = { 'ngsild-tenant': 'vasttrafik' };
    const sub = await subscribe({ entities: [{ type: 'Tenanted' }], notification: endpoint('/tenant') }, tenant);
    await create({ id: 'urn:ngsi-ld:Tenanted:default', type: 'Tenanted', level: prop(1) });
    await create({ id: 'urn:ngsi-ld:Tenanted:own', type: 'Tenanted', level: prop(2) }, tenant);
    await arrived('/tenant', 1);
    await settled(sub, tenant);
    expect(ids('/tenant')).toEqual(['urn:ngsi-ld:Tenanted:own']);
    expect(receiver.at('/tenant')[0].headers['ngsild-tenant']).toBe('vasttrafik');
    // The default tenant's notifications carry no such header.
    await subscribe({ entities: [{ type: 'Untenanted' }], notification: endpoint('/no-tenant') });
    await create({ id: 'urn:ngsi-ld:Untenanted:1', type: 'Untenanted', level: prop(1) });
    await arrived('/no-tenant', 1);
    expect(receiver.at('/no-tenant')[0].headers).not.toHaveProperty('ngsild-tenant');
  });
});

describe('what a notification carries', () => {
  const E = (type: string) => ({ id: `urn:ngsi-ld:${type}:1`, type, temperature: prop(21.5, { unitCode: 'CEL' }), humidity: prop(60) });

  it('the attributes asked for, in keyValues or concise format', async () => {
    await subscribe({ entities: [{ type: 'Shaped' }], notification: { attributes: ['temperature'], format: 'keyValues', ...endpoint('/key-values') } });
    await subscribe({ entities: [{ type: 'Shaped' }], notification: { format: 'concise', ...endpoint('/concise') } });
    await subscribe({ entities: [{ type: 'Shaped' }], notification: { attributes: ['humidity'], ...endpoint('/normalized') } });
    await create(E('Shaped'));
    await arrived('/key-values', 1);
    await arrived('/concise', 1);
    await arrived('/normalized', 1);
    expect(receiver.entities('/key-values')).toEqual([{ id: 'urn:ngsi-ld:Shaped:1', type: 'Shaped', temperature: 21.5 }]);
    expect(receiver.entities('/concise')).toEqual([{ id: 'urn:ngsi-ld:Shaped:1', type: 'Shaped', temperature: { value: 21.5, unitCode: 'CEL' }, humidity: 60 }]);
    expect(receiver.entities('/normalized')).toEqual([{ id: 'urn:ngsi-ld:Shaped:1', type: 'Shaped', humidity: prop(60) }]);
    const notification = receiver.at('/key-values')[0].body;
    expect(notification).toEqual({ id: expect.stringMatching(/^urn:ngsi-ld:Notification:/), type: 'Notification', subscriptionId: expect.any(String), notifiedAt: expect.any(String), data: expect.any(Array) });
  });

  it('system attributes (sysAttrs) and previous values (showChanges)', async () => {
    await subscribe({ entities: [{ type: 'Changed' }], notification: { sysAttrs: true, ...endpoint('/sys-attrs') } });
    await subscribe({ entities: [{ type: 'Changed' }], notification: { showChanges: true, ...endpoint('/show-changes') } });
    const entity = E('Changed');
    await create(entity);
    await patchAttrs(entity.id, { temperature: prop(23, { unitCode: 'CEL' }) });
    await arrived('/sys-attrs', 2);
    await arrived('/show-changes', 2);
    const [created, updated] = receiver.entities('/sys-attrs');
    expect(created.createdAt).toEqual(expect.any(String));
    expect(updated.createdAt).toBe(created.createdAt);
    expect(Date.parse(updated.modifiedAt as string)).toBeGreaterThan(Date.parse(created.createdAt as string));
    expect(updated.temperature).toEqual(expect.objectContaining({ value: 23, createdAt: expect.any(String), modifiedAt: expect.any(String) }));
    const [first, second] = receiver.entities('/show-changes');
    expect(first.createdAt).toBeUndefined();
    expect(first.temperature).toEqual(prop(21.5, { unitCode: 'CEL' }));
    expect(second.temperature).toEqual(prop(23, { unitCode: 'CEL', previousValue: 21.5 }));
    expect(second.humidity).toEqual(prop(60));
  });

  it('deletions: attributes as NGSI-LD Null of their own kind, previous values (showChanges), and system attributes (sysAttrs)', async () => {
    const changes = await subscribe({ entities: [{ type: 'Gone' }], notificationTrigger: ['attributeDeleted', 'entityDeleted'], notification: { showChanges: true, ...endpoint('/gone-changes') } });
    const sys = await subscribe({ entities: [{ type: 'Gone' }], notificationTrigger: ['entityDeleted'], notification: { sysAttrs: true, ...endpoint('/gone-sys') } });
    const E = 'urn:ngsi-ld:Gone:1';
    await create({
      id: E,
      type: 'Gone',
      level: prop(3),
      locatedAt: { type: 'Relationship', object: 'urn:ngsi-ld:City:goteborg' },
      name: { type: 'LanguageProperty', languageMap: { sv: 'Badplats', en: 'Bathing place' } },
    });
    await deleteAttr(E, 'locatedAt');
    await patchAttrs(E, { level: prop(4) });
    await deleteEntity(E);
    await arrived('/gone-changes', 2);
    await arrived('/gone-sys', 1);
    await settled(changes);
    await settled(sys);
    const NULL = 'urn:ngsi-ld:null';
    const [relationshipDeleted, entityDeleted] = receiver.entities('/gone-changes');
    expect(relationshipDeleted.locatedAt).toEqual({ type: 'Relationship', object: NULL, previousObject: 'urn:ngsi-ld:City:goteborg' });
    expect(entityDeleted).toEqual({
      id: E,
      type: 'Gone',
      deletedAt: expect.any(String),
      level: { type: 'Property', value: NULL, previousValue: 4 },
      name: { type: 'LanguageProperty', languageMap: { '@none': NULL }, previousLanguageMap: { sv: 'Badplats', en: 'Bathing place' } },
    });
    const [withSysAttrs] = receiver.entities('/gone-sys');
    expect(Object.keys(withSysAttrs).sort()).toEqual(['createdAt', 'deletedAt', 'id', 'modifiedAt', 'type']);
    // modifiedAt is when the entity last changed, before it was deleted.
    expect(Date.parse(withSysAttrs.createdAt as string)).toBeLessThan(Date.parse(withSysAttrs.modifiedAt as string));
    expect(Date.parse(withSysAttrs.modifiedAt as string)).toBeLessThan(Date.parse(withSysAttrs.deletedAt as string));
  });

  it('an @context in the body for application/ld+json, and a FeatureCollection for application/geo+json', async () => {
    await subscribe({ entities: [{ type: 'Mapped' }], notification: endpoint('/ld', { accept: 'application/ld+json' }) });
    await subscribe({ entities: [{ type: 'Mapped' }], notification: { format: 'keyValues', ...endpoint('/geo', { accept: 'application/geo+json' }) } });
    await create({ id: 'urn:ngsi-ld:Mapped:1', type: 'Mapped', location: point(11.97, 57.71), level: prop(3) });
    await arrived('/ld', 1);
    await receiver.until(() => receiver.at('/geo').length === 1);
    const [ld] = receiver.at('/ld');
    expect(ld.headers['content-type']).toBe('application/ld+json');
    expect(ld.headers.link).toBeUndefined();
    expect(ld.body['@context']).toEqual(expect.stringContaining('ngsi-ld-core-context'));
    expect(ld.body.data[0].id).toBe('urn:ngsi-ld:Mapped:1');
    const [geo] = receiver.at('/geo');
    expect(geo.headers['content-type']).toBe('application/geo+json');
    expect(geo.headers.link).toContain('ngsi-ld-core-context');
    expect(geo.body.data).toEqual({
      type: 'FeatureCollection',
      features: [{ id: 'urn:ngsi-ld:Mapped:1', type: 'Feature', geometry: { type: 'Point', coordinates: [11.97, 57.71] }, properties: expect.objectContaining({ type: 'Mapped', level: 3 }) }],
    });
  });

  it('the receiverInfo headers', async () => {
    const receiverInfo = [{ key: 'Authorization', value: 'Bearer s3cret' }, { key: 'X-Source', value: 'vg-datashare' }];
    await subscribe({ entities: [{ type: 'Headed' }], notification: endpoint('/headers', { receiverInfo }) });
    await create({ id: 'urn:ngsi-ld:Headed:1', type: 'Headed', level: prop(1) });
    await arrived('/headers', 1);
    const { headers } = receiver.at('/headers')[0];
    expect(headers.authorization).toBe('Bearer s3cret');
    expect(headers['x-source']).toBe('vg-datashare');
    expect(headers['content-type']).toBe('application/json');
  });

  it('LanguageProperties in the language of lang', async () => {
    await subscribe({ entities: [{ type: 'Spoken' }], lang: 'en', notification: endpoint('/lang') });
    await subscribe({ entities: [{ type: 'Spoken' }], lang: 'en', notification: { format: 'keyValues', ...endpoint('/lang-kv') } });
    await create({ id: 'urn:ngsi-ld:Spoken:1', type: 'Spoken', name: { type: 'LanguageProperty', languageMap: { sv: 'Badplats', en: 'Bathing place' } } });
    await arrived('/lang', 1);
    await arrived('/lang-kv', 1);
    expect(receiver.entities('/lang')[0].name).toEqual({ type: 'Property', value: 'Bathing place', lang: 'en' });
    expect(receiver.entities('/lang-kv')[0].name).toBe('Bathing place');
  });

  it('names compacted with jsonldContext, else with the @context the subscription was made with', async () => {
    const weather = contexts.url('weather.jsonld');
    const link = { link: `<${weather}>; rel="http://www.w3.org/ns/json-ld#context"; type="application/ld+json"` };
    const TYPE = 'https://smartdatamodels.org/dataModel.Weather/WeatherObserved';
    await subscribe({ entities: [{ type: TYPE }], jsonldContext: weather, notification: endpoint('/ctx-given') });
    await subscribe({ entities: [{ type: 'WeatherObserved' }], notification: endpoint('/ctx-linked') }, link);
    await subscribe({ entities: [{ type: TYPE }], notification: endpoint('/ctx-core') });
    await create({ id: 'urn:ngsi-ld:WeatherObserved:ctx', type: 'WeatherObserved', temperature: prop(12) }, link);
    for (const where of ['/ctx-given', '/ctx-linked', '/ctx-core']) await arrived(where, 1);
    for (const where of ['/ctx-given', '/ctx-linked']) {
      expect(receiver.entities(where)).toEqual([{ id: 'urn:ngsi-ld:WeatherObserved:ctx', type: 'WeatherObserved', temperature: prop(12) }]);
      expect(receiver.at(where)[0].headers.link).toBe(`<${weather}>; rel="http://www.w3.org/ns/json-ld#context"; type="application/ld+json"`);
    }
    expect(receiver.entities('/ctx-core')).toEqual([{ id: 'urn:ngsi-ld:WeatherObserved:ctx', type: TYPE, 'https://smartdatamodels.org/dataModel.Weather/temperature': prop(12) }]);
    expect(receiver.at('/ctx-core')[0].headers.link).toContain(CORE.slice(1, -1));
  });

  it('a Link header that names the @context the data are compacted with, whatever form the subscription’s took', async () => {
    const weather = contexts.url('weather.jsonld');
    const ld = { 'content-type': 'application/ld+json' };
    const TYPE = 'https://smartdatamodels.org/dataModel.Weather/WeatherObserved';
    const inline = { WeatherObserved: TYPE, temperature: 'https://smartdatamodels.org/dataModel.Weather/temperature' };
    const made = (where: string, context: unknown, accept?: string) =>
      subscribe({ entities: [{ type: 'WeatherObserved' }], notification: endpoint(where, accept ? { accept } : {}), '@context': context }, ld);
    // As the ETSI examples write it: the context and the core context, in an array.
    await made('/link-array', [weather, CORE.slice(1, -1)]);
    // Inline, or several contexts: no one URL names them, so JSON notifications use the core context alone.
    await made('/link-inline', inline);
    await made('/link-several', [weather, inline]);
    await made('/link-inline-ld', inline, 'application/ld+json');
    await create({ id: 'urn:ngsi-ld:WeatherObserved:link', type: TYPE, 'https://smartdatamodels.org/dataModel.Weather/temperature': prop(9) });
    for (const where of ['/link-array', '/link-inline', '/link-several', '/link-inline-ld']) await arrived(where, 1);
    const short = { id: 'urn:ngsi-ld:WeatherObserved:link', type: 'WeatherObserved', temperature: prop(9) };
    const full = { id: 'urn:ngsi-ld:WeatherObserved:link', type: TYPE, 'https://smartdatamodels.org/dataModel.Weather/temperature': prop(9) };
    expect(receiver.entities('/link-array')).toEqual([short]);
    expect(receiver.at('/link-array')[0].headers.link).toBe(`<${weather}>; rel="http://www.w3.org/ns/json-ld#context"; type="application/ld+json"`);
    for (const where of ['/link-inline', '/link-several']) {
      expect(receiver.entities(where)).toEqual([full]);
      expect(receiver.at(where)[0].headers.link).toContain(CORE.slice(1, -1));
    }
    expect(receiver.at('/link-inline-ld')[0].body['@context']).toEqual(inline);
    expect(receiver.entities('/link-inline-ld')).toEqual([short]);
  });
});

describe('when notifications are sent', () => {
  it('sends nothing while paused (isActive false), and the changes after it is resumed', async () => {
    const paused = await subscribe({ entities: [{ type: 'Paused' }], isActive: false, notification: endpoint('/paused') });
    await subscribe({ entities: [{ type: 'Paused' }], notification: endpoint('/paused-witness') });
    expect((await retrieve(paused)).status).toBe('paused');
    const E = 'urn:ngsi-ld:Paused:1';
    await create({ id: E, type: 'Paused', level: prop(1) });
    await arrived('/paused-witness', 1);
    await settled(paused);
    expect(receiver.at('/paused')).toEqual([]);
    await sendJson(request(t.http).patch(`/ngsi-ld/v1/subscriptions/${encodeURIComponent(paused)}`), { isActive: true }).expect(204);
    expect((await retrieve(paused)).status).toBe('active');
    await patchAttrs(E, { level: prop(2) });
    await arrived('/paused', 1);
    expect(values('/paused', 'level')).toEqual([2]);
  });

  it('sends nothing once expired (expiresAt), and shows it expired', async () => {
    const expiresAt = new Date(Date.now() + 1500).toISOString();
    const expiring = await subscribe({ entities: [{ type: 'Expiring' }], expiresAt, notification: endpoint('/expiring') });
    await subscribe({ entities: [{ type: 'Expiring' }], notification: endpoint('/expiring-witness') });
    const E = 'urn:ngsi-ld:Expiring:1';
    await create({ id: E, type: 'Expiring', level: prop(1) });
    await arrived('/expiring', 1);
    expect((await retrieve(expiring)).status).toBe('active');
    await eventually(async () => ((await retrieve(expiring)).status === 'expired' ? true : undefined), 5000);
    await patchAttrs(E, { level: prop(2) });
    await arrived('/expiring-witness', 2);
    await settled(expiring);
    expect(values('/expiring', 'level')).toEqual([1]);
    expect((await retrieve(expiring)).expiresAt).toBe(expiresAt);
    // Given a later expiresAt, it notifies again (the changes from then on).
    const later = new Date(Date.now() + 3600_000).toISOString();
    await sendJson(request(t.http).patch(`/ngsi-ld/v1/subscriptions/${encodeURIComponent(expiring)}`), { expiresAt: later }).expect(204);
    expect((await retrieve(expiring)).status).toBe('active');
    await patchAttrs(E, { level: prop(3) });
    await arrived('/expiring', 2);
    expect(values('/expiring', 'level')).toEqual([1, 3]);
  });

  it('gathers changes into notifications at least throttling seconds apart, losing none', async () => {
    await subscribe({ entities: [{ type: 'Throttled' }], throttling: 1, notification: endpoint('/throttled') });
    const E = 'urn:ngsi-ld:Throttled:1';
    await create({ id: E, type: 'Throttled', level: prop(0) });
    await arrived('/throttled', 1);
    for (let v = 1; v <= 6; v++) await patchAttrs(E, { level: prop(v) });
    await arrived('/throttled', 7);
    expect(values('/throttled', 'level')).toEqual([0, 1, 2, 3, 4, 5, 6]);
    const times = receiver.at('/throttled').map((r) => r.at);
    expect(times.length).toBeLessThan(7);
    for (let i = 1; i < times.length; i++) expect(times[i] - times[i - 1]).toBeGreaterThanOrEqual(990);
  });

  it('sends the current state every timeInterval seconds (periodic)', async () => {
    const E = 'urn:ngsi-ld:Periodic:1';
    await create({ id: E, type: 'Periodic', level: prop(1) });
    await subscribe({ entities: [{ type: 'Periodic' }], timeInterval: 1, notification: { format: 'keyValues', ...endpoint('/periodic') } });
    await receiver.until(() => receiver.at('/periodic').length >= 2, 5000);
    await patchAttrs(E, { level: prop(2) });
    const latest = () => receiver.at('/periodic').at(-1)!.body.data;
    await receiver.until(() => (latest()[0] as { level: number }).level === 2, 5000);
    const notified = receiver.at('/periodic');
    expect(notified.slice(0, 2).map((r) => r.body.data)).toEqual([[{ id: E, type: 'Periodic', level: 1 }], [{ id: E, type: 'Periodic', level: 1 }]]);
    expect(latest()).toEqual([{ id: E, type: 'Periodic', level: 2 }]);
    const times = notified.map((r) => r.at);
    for (let i = 1; i < times.length; i++) expect(times[i] - times[i - 1]).toBeGreaterThanOrEqual(900);
  });
});
