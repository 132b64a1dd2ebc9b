import { AddressInfo } from 'node:net';
import request from 'supertest';
import { cellCentre } from 'src/governance/privacy/views/minimise';
import { followEventStream } from 'test/support/event-stream';
import { IdentityProvider, startIdentityProvider } from 'test/support/identity-provider';
import { NotificationReceiver } from 'test/support/notification-receiver';
import { startTestApp, TestApp } from 'test/support/test-app';

/*
 * Personal data through every read path. Göteborg publishes people counters (K1, pseudonymised
 * personal data): its own members read everything; Borås members read the minimised view (no
 * person reference or serial number, locations on a 500 m grid, hours, whole numbers, counts
 * below 5 withheld) and only for an allowed purpose; an analyst granted `view: full` reads it all.
 */

const PURPOSE_REQUIRED = 'urn:vg-datashare:problem:purpose-required';
const PURPOSE = { 'vgds-purpose': 'dpv:ServiceProvision' };
const json = { 'content-type': 'application/json' };
const SMALL = 'urn:ngsi-ld:PeopleCounter:small';
const BIG = 'urn:ngsi-ld:PeopleCounter:big';
const POINT = [11.97461, 57.70887];
const [CELL_LON, CELL_LAT] = cellCentre(POINT[0], POINT[1], 500);
const RAW_TIME = '2026-11-30T10:17:23.000Z';

let idp: IdentityProvider;
let t: TestApp;
let receiver: NotificationReceiver;
let counters: string;
const auth = {} as Record<'gbgAdmin' | 'gbgWriter' | 'gbgMember' | 'borasAdmin' | 'borasMember' | 'analyst', Record<string, string>>;

const property = (value: unknown, observedAt = RAW_TIME) => ({ type: 'Property', value, observedAt });
const counter = (id: string, count: number) => ({
  id,
  type: 'PeopleCounter',
  peopleCount: property(count),
  occupancy: property(0.4372),
  deviceSerial: { type: 'Property', value: 'SN-99-1234' },
  refPerson: { type: 'Relationship', object: 'urn:ngsi-ld:Person:resident-42' },
  location: { type: 'GeoProperty', value: { type: 'Point', coordinates: POINT } },
});

const get = (path: string, headers: Record<string, string>) => request(t.http).get(path).set(headers);
const entity = (id: string, headers: Record<string, string>) => get(`/ngsi-ld/v1/entities/${encodeURIComponent(id)}`, headers);
const ids = (res: request.Response) => (res.body as { id: string }[]).map((e) => e.id).sort();

beforeAll(async () => {
  idp = await startIdentityProvider();
  receiver = await NotificationReceiver.start();
  t = await startTestApp({ ...idp.env, READ_LOG_FLUSH_MS: '50', CHANGES_POLL_INTERVAL_MS: '50' }, { caller: 'anonymous' });
  await new Promise<void>((resolve) => t.http.listen(0, '127.0.0.1', resolve));
  auth.gbgAdmin = await idp.bearer({ sub: 'admin-gbg', organisation: 'goteborg', roles: ['admin'], amr: ['pwd', 'otp'] });
  auth.gbgWriter = await idp.bearer({ sub: 'writer-gbg', organisation: 'goteborg', roles: ['writer'] });
  auth.gbgMember = await idp.bearer({ sub: 'member-gbg', organisation: 'goteborg' });
  auth.borasAdmin = await idp.bearer({ sub: 'admin-boras', organisation: 'boras', roles: ['admin'], amr: ['pwd', 'otp'] });
  auth.borasMember = await idp.bearer({ sub: 'member-boras', organisation: 'boras' });
  auth.analyst = await idp.bearer({ sub: 'analyst', organisation: 'boras', purpose: 'dpv:ServiceProvision' });
  const res = await request(t.http)
    .post('/api/v1/datasets')
    .set(auth.gbgAdmin)
    .send({
      title: { sv: 'Personräknare' },
      description: { sv: 'Antal personer per sensor' },
      entities: [{ type: 'PeopleCounter' }],
      classification: { confidentiality: 1, integrity: 1, availability: 1 },
      personalData: {
        category: 'pseudonymised',
        legalBasis: ['dpv:PublicInterest'],
        purposes: ['dpv:ServiceProvision', 'dpv:ResearchAndDevelopment'],
        identifyingAttributes: ['refPerson'],
        minimisation: { removeAttributes: ['deviceSerial'], locationGrid: 500, timeResolution: 'PT1H', numberPrecision: 1, smallCounts: { attributes: ['peopleCount'], k: 5 } },
      },
    })
    .expect(201);
  counters = res.body.id;
  await request(t.http).post(`/api/v1/datasets/${counters}/grants`).set(auth.gbgAdmin).send({ principal: 'analyst', view: 'full' }).expect(201);
  for (const [id, count] of [[SMALL, 3], [BIG, 17]] as const) {
    await request(t.http).post('/ngsi-ld/v1/entities').set({ ...auth.gbgWriter, ...json }).send(JSON.stringify(counter(id, count))).expect(201);
  }
}, 60_000);
afterAll(async () => {
  await t?.close();
  await receiver?.close();
  await idp?.close();
}, 60_000);

describe('views of one entity', () => {
  it('shows the owning organisation everything, and says it is the full view', async () => {
    const res = await entity(SMALL, { ...auth.gbgMember, ...PURPOSE }).expect(200);
    expect(res.headers['vgds-view']).toBe('full');
    expect(res.body.refPerson.object).toBe('urn:ngsi-ld:Person:resident-42');
    expect(res.body.location.value.coordinates).toEqual(POINT);
    expect(res.body.peopleCount).toMatchObject({ value: 3, observedAt: RAW_TIME });
  });

  it('refuses personal data without a purpose, naming the allowed ones', async () => {
    const res = await entity(SMALL, auth.borasMember).expect(403);
    expect(res.body).toMatchObject({ type: PURPOSE_REQUIRED, allowedPurposes: ['dpv:ServiceProvision', 'dpv:ResearchAndDevelopment'], datasets: [counters] });
    const wrong = await entity(SMALL, { ...auth.borasMember, 'vgds-purpose': 'dpv:Marketing' }).expect(403);
    expect(wrong.body).toMatchObject({ type: PURPOSE_REQUIRED, declaredPurpose: 'dpv:Marketing' });
    await entity(SMALL, { ...auth.borasMember, 'vgds-purpose': 'marketing please' }).expect(400);
  });

  it('shows another organisation the minimised view: no identifiers, a grid cell, the hour, rounded numbers, no small counts', async () => {
    const small = await entity(SMALL, { ...auth.borasMember, ...PURPOSE }).expect(200);
    expect(small.headers['vgds-view']).toBe('minimised');
    expect(small.body.refPerson).toBeUndefined();
    expect(small.body.deviceSerial).toBeUndefined();
    expect(small.body.peopleCount).toBeUndefined();
    expect(small.body.location.value).toEqual({ type: 'Point', coordinates: [CELL_LON, CELL_LAT] });
    expect(small.body.occupancy).toMatchObject({ value: 0.4, observedAt: '2026-11-30T10:00:00.000Z' });
    const big = await entity(BIG, { ...auth.borasMember, ...PURPOSE }).expect(200);
    expect(big.body.peopleCount).toMatchObject({ value: 17, observedAt: '2026-11-30T10:00:00.000Z' });
  });

  it('answers a probe without a purpose only on what the minimised view shows', async () => {
    const probe = (q: string) => get(`/ngsi-ld/v1/entities?type=PeopleCounter&q=${q}`, auth.borasMember);
    // Would the raw data match? The refusal must not say: it is decided on the minimised view.
    expect((await probe('refPerson==%22urn:ngsi-ld:Person:resident-42%22').expect(200)).body).toEqual([]);
    expect((await probe('peopleCount<4').expect(200)).body).toEqual([]);
    expect((await probe('occupancy').expect(403)).body.type).toBe(PURPOSE_REQUIRED);
  });

  it('gives a grant with view full everything, with the purpose of its token', async () => {
    const res = await entity(SMALL, auth.analyst).expect(200);
    expect(res.headers['vgds-view']).toBe('full');
    expect(res.body.refPerson.object).toBe('urn:ngsi-ld:Person:resident-42');
  });
});

describe('a removed location', () => {
  it('is no location at all for geo-queries', async () => {
    const homes = await request(t.http)
      .post('/api/v1/datasets')
      .set(auth.gbgAdmin)
      .send({
        title: { sv: 'Larm' },
        description: { sv: 'Trygghetslarm' },
        entities: [{ type: 'CareAlarm' }],
        classification: { confidentiality: 1, integrity: 1, availability: 1 },
        personalData: { category: 'personal', legalBasis: ['dpv:PublicInterest'], purposes: ['dpv:ServiceProvision'], identifyingAttributes: ['location'] },
      })
      .expect(201);
    const alarm = { id: 'urn:ngsi-ld:CareAlarm:1', type: 'CareAlarm', status: property('ok'), location: { type: 'GeoProperty', value: { type: 'Point', coordinates: POINT } } };
    await request(t.http).post('/ngsi-ld/v1/entities').set({ ...auth.gbgWriter, ...json }).send(JSON.stringify(alarm)).expect(201);
    const near = `/ngsi-ld/v1/entities?type=CareAlarm&georel=near;maxDistance==10&geometry=Point&coordinates=%5B${POINT[0]},${POINT[1]}%5D`;
    expect(ids(await get(near, { ...auth.borasMember, ...PURPOSE }).expect(200))).toEqual([]);
    expect(ids(await get(near, { ...auth.gbgMember, ...PURPOSE }).expect(200))).toEqual([alarm.id]);
    expect((await entity(alarm.id, { ...auth.borasMember, ...PURPOSE }).expect(200)).body.location).toBeUndefined();
    expect(homes.body.personalData.identifyingAttributes).toEqual(['https://uri.etsi.org/ngsi-ld/location']);
  });
});

describe('locations coarsened to named areas', () => {
  const MAJORNA = { type: 'Polygon', coordinates: [[[11.90, 57.68], [11.95, 57.68], [11.95, 57.70], [11.90, 57.70], [11.90, 57.68]]] };
  const CENTRUM = { type: 'Polygon', coordinates: [[[11.95, 57.69], [12.00, 57.69], [12.00, 57.72], [11.95, 57.72], [11.95, 57.69]]] };

  it('shows the area a location lies in, answers geo-queries on it, and leaves out a location outside every area', async () => {
    await request(t.http)
      .post('/api/v1/datasets')
      .set(auth.gbgAdmin)
      .send({
        title: { sv: 'Hemtjänstbesök' },
        description: { sv: 'Besök per stadsdel' },
        entities: [{ type: 'HomeCareVisit' }],
        classification: { confidentiality: 1, integrity: 1, availability: 1 },
        personalData: {
          category: 'personal', legalBasis: ['dpv:PublicInterest'], purposes: ['dpv:ServiceProvision'],
          minimisation: { locationAreas: [{ name: 'Majorna', geometry: MAJORNA }, { name: 'Centrum', geometry: CENTRUM }] },
        },
      })
      .expect(201);
    const visit = (id: string, coordinates: number[]) => ({ id, type: 'HomeCareVisit', minutes: property(25), location: { type: 'GeoProperty', value: { type: 'Point', coordinates } } });
    for (const [id, at] of [['urn:ngsi-ld:HomeCareVisit:1', POINT], ['urn:ngsi-ld:HomeCareVisit:2', [12.5, 58.0]]] as const) {
      await request(t.http).post('/ngsi-ld/v1/entities').set({ ...auth.gbgWriter, ...json }).send(JSON.stringify(visit(id, [...at]))).expect(201);
    }
    const reader = { ...auth.borasMember, ...PURPOSE };
    expect((await entity('urn:ngsi-ld:HomeCareVisit:1', reader).expect(200)).body.location.value).toEqual(CENTRUM);
    expect((await entity('urn:ngsi-ld:HomeCareVisit:2', reader).expect(200)).body.location).toBeUndefined();
    // A box around the raw position, much smaller than the area: only who sees the raw position finds it.
    const box = `georel=within&geometry=Polygon&coordinates=${encodeURIComponent(JSON.stringify([[[11.97, 57.70], [11.98, 57.70], [11.98, 57.71], [11.97, 57.71], [11.97, 57.70]]]))}`;
    expect(ids(await get(`/ngsi-ld/v1/entities?type=HomeCareVisit&${box}`, reader).expect(200))).toEqual([]);
    expect(ids(await get(`/ngsi-ld/v1/entities?type=HomeCareVisit&${box}`, { ...auth.gbgMember, ...PURPOSE }).expect(200))).toEqual(['urn:ngsi-ld:HomeCareVisit:1']);
    const intersects = `georel=intersects&geometry=Point&coordinates=%5B11.99,57.715%5D`;
    expect(ids(await get(`/ngsi-ld/v1/entities?type=HomeCareVisit&${intersects}`, reader).expect(200))).toEqual(['urn:ngsi-ld:HomeCareVisit:1']);
  });
});

describe('queries cannot find what the minimised view hides', () => {
  const query = (params: string, headers: Record<string, string>) => get(`/ngsi-ld/v1/entities?type=PeopleCounter&${params}`, headers);
  const minimised = { ...auth.borasMember, ...PURPOSE };

  it('matches nothing on removed or withheld attributes, or on rounded numbers', async () => {
    const reader = { ...auth.borasMember, ...PURPOSE };
    for (const q of ['refPerson==%22urn:ngsi-ld:Person:resident-42%22', 'peopleCount<5', 'occupancy>0.43', 'deviceSerial']) {
      expect(ids(await query(`q=${q}`, reader).expect(200))).toEqual([]);
    }
    expect(ids(await query('attrs=refPerson', reader).expect(200))).toEqual([]);
    expect(ids(await query('q=peopleCount<5', { ...auth.gbgMember, ...PURPOSE }).expect(200))).toEqual([SMALL]);
    expect(minimised).toBeDefined();
  });

  it('answers geo-queries on the coarsened location', async () => {
    const reader = { ...auth.borasMember, ...PURPOSE };
    const near = (lon: number, lat: number) => `georel=near;maxDistance==30&geometry=Point&coordinates=%5B${lon},${lat}%5D`;
    expect(ids(await query(near(POINT[0], POINT[1]), reader).expect(200))).toEqual([]);
    expect(ids(await query(near(CELL_LON, CELL_LAT), reader).expect(200))).toEqual([BIG, SMALL]);
    expect(ids(await query(near(POINT[0], POINT[1]), { ...auth.gbgMember, ...PURPOSE }).expect(200))).toEqual([BIG, SMALL]);
  });

  it('minimises GeoJSON and the batch query alike', async () => {
    const reader = { ...auth.borasMember, ...PURPOSE };
    const geojson = await query('', { ...reader, accept: 'application/geo+json' }).expect(200);
    expect(geojson.headers['vgds-view']).toBe('minimised');
    for (const feature of geojson.body.features) expect(feature.geometry.coordinates).toEqual([CELL_LON, CELL_LAT]);
    const batch = await request(t.http)
      .post('/ngsi-ld/v1/entityOperations/query')
      .set({ ...reader, ...json })
      .send(JSON.stringify({ type: 'Query', entities: [{ type: 'PeopleCounter' }] }))
      .expect(200);
    expect(batch.body.every((e: Record<string, unknown>) => e.refPerson === undefined && e.deviceSerial === undefined)).toBe(true);
  });
});

describe('history and aggregations on minimised values', () => {
  const instances = [
    ['2026-11-30T11:05:00Z', 2, 0.21],
    ['2026-11-30T11:35:00Z', 9, 0.26],
    ['2026-11-30T12:10:00Z', 12, 0.34],
  ] as const;

  beforeAll(async () => {
    const body = {
      peopleCount: instances.map(([at, count]) => property(count, at)),
      occupancy: instances.map(([at, , occupancy]) => property(occupancy, at)),
    };
    await request(t.http).post(`/ngsi-ld/v1/temporal/entities/${encodeURIComponent(BIG)}/attrs`).set({ ...auth.gbgWriter, ...json }).send(JSON.stringify(body)).expect(204);
  });

  const history = (params: string, headers: Record<string, string>) => get(`/ngsi-ld/v1/temporal/entities/${encodeURIComponent(BIG)}?${params}`, headers);

  it('truncates instants, rounds values, withholds small counts and removed attributes', async () => {
    const res = await history('timerel=after&timeAt=2026-11-30T10:59:00Z', { ...auth.borasMember, ...PURPOSE }).expect(200);
    expect(res.headers['vgds-view']).toBe('minimised');
    expect(res.body.refPerson).toBeUndefined();
    expect(res.body.peopleCount.map((i: { value: number; observedAt: string }) => [i.observedAt, i.value])).toEqual([
      ['2026-11-30T11:00:00.000Z', 9],
      ['2026-11-30T12:00:00.000Z', 12],
    ]);
    // Within an hour the order is not the raw one either (instants are equal once truncated).
    expect(res.body.occupancy.map((i: { value: number }) => i.value).sort()).toEqual([0.2, 0.3, 0.3]);
  });

  it('finds nothing in a time window narrower than the resolution', async () => {
    const narrow = 'timerel=between&timeAt=2026-11-30T11:04:00Z&endTimeAt=2026-11-30T11:06:00Z&attrs=occupancy';
    expect((await history(narrow, { ...auth.borasMember, ...PURPOSE }).expect(200)).body.occupancy ?? []).toEqual([]);
    expect((await history(narrow, { ...auth.gbgMember, ...PURPOSE }).expect(200)).body.occupancy).toHaveLength(1);
  });

  it('aggregates what the view shows, not the raw values', async () => {
    const params = 'timerel=after&timeAt=2026-11-30T10:59:00Z&options=aggregatedValues&aggrMethods=sum,max&aggrPeriodDuration=PT1H&attrs=peopleCount';
    const minimised = await history(params, { ...auth.borasMember, ...PURPOSE }).expect(200);
    const full = await history(params, { ...auth.gbgMember, ...PURPOSE }).expect(200);
    const sums = (res: request.Response) => res.body.peopleCount.sum.map(([value]: [number]) => value);
    expect(sums(minimised)).toEqual([9, 12]);
    expect(sums(full)).toEqual([11, 12]);
  });
});

describe('notifications and the change feed apply the reader view when they are sent', () => {
  it('notifies a minimised subscriber with the minimised entity, and not of a change it could not see', async () => {
    const subscription = {
      type: 'Subscription',
      entities: [{ type: 'PeopleCounter' }],
      notification: { endpoint: { uri: receiver.url('/boras') } },
    };
    await request(t.http).post('/ngsi-ld/v1/subscriptions').set({ ...auth.borasMember, ...PURPOSE, ...json }).send(JSON.stringify(subscription)).expect(201);
    await request(t.http)
      .patch(`/ngsi-ld/v1/entities/${encodeURIComponent(BIG)}/attrs`)
      .set({ ...auth.gbgWriter, ...json })
      .send(JSON.stringify({ peopleCount: property(21, '2026-11-30T13:14:15Z') }))
      .expect(204);
    await receiver.until(() => receiver.entities('/boras').length > 0, 10_000, 'a notification');
    const [notified] = receiver.entities('/boras') as Record<string, any>[];
    expect(notified.refPerson).toBeUndefined();
    expect(notified.peopleCount).toMatchObject({ value: 21, observedAt: '2026-11-30T13:00:00.000Z' });
    expect(notified.location.value.coordinates).toEqual([CELL_LON, CELL_LAT]);
  });

  it('matches a geo-query subscription on the coarsened location, never on the raw one', async () => {
    const subscribe = (where: string, coordinates: number[]) =>
      request(t.http)
        .post('/ngsi-ld/v1/subscriptions')
        .set({ ...auth.borasMember, ...PURPOSE, ...json })
        .send(
          JSON.stringify({
            type: 'Subscription',
            entities: [{ type: 'PeopleCounter' }],
            geoQ: { georel: 'near;maxDistance==10', geometry: 'Point', coordinates },
            notification: { endpoint: { uri: receiver.url(where) } },
          }),
        )
        .expect(201);
    await subscribe('/raw', POINT);
    await subscribe('/cell', [CELL_LON, CELL_LAT]);
    await request(t.http)
      .patch(`/ngsi-ld/v1/entities/${encodeURIComponent(BIG)}/attrs`)
      .set({ ...auth.gbgWriter, ...json })
      .send(JSON.stringify({ occupancy: property(0.5, '2026-11-30T13:20:00Z') }))
      .expect(204);
    await receiver.until(() => receiver.entities('/cell').length > 0, 10_000, 'the notification near the cell centre');
    await new Promise((resolve) => setTimeout(resolve, 500));
    expect(receiver.entities('/raw')).toEqual([]);
  });

  it('streams minimised changes, and refuses a stream without a purpose', async () => {
    const base = `http://127.0.0.1:${(t.http.address() as AddressInfo).port}`;
    const refused = await fetch(`${base}/api/v1/changes?dataset=${counters}`, { headers: { ...auth.borasMember, accept: 'text/event-stream' } });
    expect(refused.status).toBe(403);
    expect(((await refused.json()) as { type: string }).type).toBe(PURPOSE_REQUIRED);
    const stream = followEventStream(`${base}/api/v1/changes?dataset=${counters}`, { ...auth.borasMember, ...PURPOSE, accept: 'text/event-stream' });
    await stream.opened;
    // A change of a removed attribute alone is no event for a minimised reader.
    await request(t.http)
      .patch(`/ngsi-ld/v1/entities/${encodeURIComponent(SMALL)}/attrs`)
      .set({ ...auth.gbgWriter, ...json })
      .send(JSON.stringify({ deviceSerial: { type: 'Property', value: 'SN-00-0001' } }))
      .expect(204);
    await request(t.http)
      .patch(`/ngsi-ld/v1/entities/${encodeURIComponent(SMALL)}/attrs`)
      .set({ ...auth.gbgWriter, ...json })
      .send(JSON.stringify({ occupancy: property(0.777, '2026-11-30T14:59:59Z') }))
      .expect(204);
    await new Promise((resolve) => setTimeout(resolve, 1500));
    stream.close();
    const text = await stream.ended;
    expect(text.match(/event: change/g)).toHaveLength(1);
    expect(text).toContain(SMALL);
    expect(text).toContain('0.8');
    expect(text).not.toContain('resident-42');
    expect(text).not.toContain('0.777');
    expect(text).not.toContain('SN-99');
  });
});

describe('the read log', () => {
  it('records who read personal data, for which purpose and how, for the owning organisation only', async () => {
    await entity(BIG, { ...auth.borasMember, 'vgds-purpose': 'dpv:ResearchAndDevelopment' }).expect(200);
    const reads = async () => (await get(`/api/v1/datasets/${counters}/reads?principal=member-boras&purpose=dpv:ResearchAndDevelopment`, auth.gbgAdmin).expect(200)).body;
    let entries = await reads();
    for (let i = 0; entries.length === 0 && i < 50; i++) entries = await new Promise((r) => setTimeout(r, 100)).then(reads);
    expect(entries[0]).toMatchObject({
      datasetId: counters,
      organisation: 'goteborg',
      principal: 'member-boras',
      principalOrganisation: 'boras',
      purpose: 'dpv:ResearchAndDevelopment',
      readPath: 'GET /ngsi-ld/v1/entities/:entityId',
      view: 'minimised',
      items: 1,
    });
    const all = await get(`/api/v1/datasets/${counters}/reads`, auth.gbgAdmin).expect(200);
    expect(Number(all.headers['x-total-count'])).toBeGreaterThan(3);
    expect(all.body.map((e: { readPath: string }) => e.readPath)).toEqual(expect.arrayContaining(['notification', 'GET /api/v1/changes']));
    const daily = await get(`/api/v1/datasets/${counters}/reads/daily`, auth.gbgAdmin).expect(200);
    expect(daily.body[0]).toMatchObject({ purposes: expect.arrayContaining(['dpv:ServiceProvision', 'dpv:ResearchAndDevelopment']) });
    await get(`/api/v1/datasets/${counters}/reads`, auth.borasAdmin).expect(403);
    await get(`/api/v1/datasets/${counters}/reads`, auth.gbgMember).expect(403);
  });
});

describe('discovery', () => {
  it('does not list the attributes a minimised view removes', async () => {
    const names = async (headers: Record<string, string>) =>
      ((await get('/ngsi-ld/v1/attributes', headers).expect(200)).body.attributeList as string[]).filter((name) => !name.includes('/'));
    expect(await names({ ...auth.gbgMember, ...PURPOSE })).toEqual(expect.arrayContaining(['refPerson', 'deviceSerial']));
    const minimised = await names({ ...auth.borasMember, ...PURPOSE });
    expect(minimised).toEqual(expect.arrayContaining(['occupancy', 'peopleCount']));
    expect(minimised).not.toContain('refPerson');
    expect(minimised).not.toContain('deviceSerial');
  });
});
