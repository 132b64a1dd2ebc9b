import request from 'supertest';
import { startTestApp, TestApp } from 'test/support/test-app';

/*
 * Paging of long histories (clause 6.3.10): a response holds at most
 * TEMPORAL_MAX_INSTANCES_PER_ATTRIBUTE instances of an attribute and TEMPORAL_MAX_INSTANCES_PER_RESPONSE
 * in all; beyond, 206 with Content-Range naming the time range that is complete, and the client
 * asks for the next one with timerel=after&timeAt=<end>.
 */

const PER_ATTRIBUTE = 5;
let t: TestApp;

const minute = (n: number) => new Date(Date.parse('2026-07-01T00:00:00Z') + n * 60_000).toISOString();
const property = (value: unknown, at: string, extra: object = {}) => ({ type: 'Property', value, observedAt: at, ...extra });

function createTemporal(app: TestApp, entity: object) {
  return request(app.http).post('/ngsi-ld/v1/temporal/entities').set('content-type', 'application/json').send(JSON.stringify(entity)).expect(201);
}

type Instance = { value: unknown; observedAt: string; datasetId?: string; instanceId: string };
type Body = Record<string, unknown> & { id: string };

/** Follows the pages of `path` (a GET with `?`-parameters) from the first, collecting every instance; returns the pages' statuses and ranges. */
async function allPages(app: TestApp, path: string, maxPages = 50) {
  const seen = new Map<string, Instance[]>();
  const pages: { status: number; range?: string }[] = [];
  let timeAt: string | undefined;
  for (let i = 0; i < maxPages; i++) {
    const res = await request(app.http).get(`${path}${timeAt ? `&timerel=after&timeAt=${timeAt}` : ''}`);
    expect([200, 206]).toContain(res.status);
    pages.push({ status: res.status, range: res.headers['content-range'] });
    for (const entity of (Array.isArray(res.body) ? res.body : [res.body]) as Body[]) {
      for (const [name, instances] of Object.entries(entity)) {
        if (!Array.isArray(instances)) continue;
        const key = `${entity.id} ${name}`;
        seen.set(key, [...(seen.get(key) ?? []), ...(instances as Instance[])]);
      }
    }
    if (res.status === 200) return { seen, pages };
    timeAt = /^date-time (.+Z)-(.+Z)\/\*$/.exec(res.headers['content-range'])![2];
  }
  throw new Error(`more than ${maxPages} pages`);
}

const LONG = 'urn:ngsi-ld:Buoy:long';
const WIDE = 'urn:ngsi-ld:Buoy:wide';
const TIED = 'urn:ngsi-ld:Buoy:tied';
const PRECISE = 'urn:ngsi-ld:Buoy:precise';

beforeAll(async () => {
  t = await startTestApp({ TEMPORAL_MAX_INSTANCES_PER_ATTRIBUTE: String(PER_ATTRIBUTE), LOG_LEVEL: 'error' });
  await createTemporal(t, {
    id: LONG,
    type: 'Buoy',
    temperature: Array.from({ length: 23 }, (_, i) => property(i, minute(i))),
    salinity: Array.from({ length: 8 }, (_, i) => property(100 + i, minute(3 * i))),
  });
  await createTemporal(t, { id: WIDE, type: 'Buoy', temperature: Array.from({ length: 7 }, (_, i) => property(50 + i, minute(2 * i + 1))) });
  // Eight instances at one instant (eight datasetIds), and two later.
  await createTemporal(t, {
    id: TIED,
    type: 'Gauge',
    level: [
      ...Array.from({ length: 8 }, (_, i) => property(i, minute(0), { datasetId: `urn:ngsi-ld:Dataset:${i}` })),
      property(8, minute(1)),
      property(9, minute(2)),
    ],
  });
  // Readings stamped to the microsecond, several in one millisecond.
  await createTemporal(t, {
    id: PRECISE,
    type: 'Gauge',
    level: Array.from({ length: 12 }, (_, i) => property(i, `2026-07-01T00:00:00.000${String(100 + i * 50).padStart(3, '0')}Z`)),
  });
}, 60_000);
afterAll(async () => {
  await t?.close();
}, 60_000);

describe('one attribute longer than a response may hold', () => {
  it('answers 206 with the first instances and their range in Content-Range', async () => {
    const res = await request(t.http).get(`/ngsi-ld/v1/temporal/entities/${LONG}?attrs=temperature`).expect(206);
    expect(res.body.temperature.map((i: Instance) => i.value)).toEqual([0, 1, 2, 3, 4]);
    expect(res.headers['content-range']).toBe(`date-time ${minute(0)}-${minute(4)}/*`);
  });

  it('answers 200 without Content-Range when everything fits', async () => {
    const res = await request(t.http).get(`/ngsi-ld/v1/temporal/entities/${LONG}?attrs=temperature&timerel=after&timeAt=${minute(17)}`).expect(200);
    expect(res.body.temperature.map((i: Instance) => i.value)).toEqual([18, 19, 20, 21, 22]);
    expect(res.headers['content-range']).toBeUndefined();
  });

  it('reaches every instance exactly once by following the pages', async () => {
    const { seen, pages } = await allPages(t, `/ngsi-ld/v1/temporal/entities/${LONG}?attrs=temperature`);
    expect(seen.get(`${LONG} temperature`)!.map((i) => i.value)).toEqual(Array.from({ length: 23 }, (_, i) => i));
    expect(pages.map((p) => p.status)).toEqual([206, 206, 206, 206, 200]);
  });

  it('pages the simplified representation too', async () => {
    const first = await request(t.http).get(`/ngsi-ld/v1/temporal/entities/${LONG}?attrs=temperature&options=temporalValues`).expect(206);
    expect(first.body.temperature.values).toEqual([0, 1, 2, 3, 4].map((v) => [v, minute(v)]));
    expect(first.headers['content-range']).toBe(`date-time ${minute(0)}-${minute(4)}/*`);
  });

  it('gives the last N newest first in pages, naming lastN in Content-Range', async () => {
    const res = await request(t.http).get(`/ngsi-ld/v1/temporal/entities/${LONG}?attrs=temperature&lastN=12`).expect(206);
    expect(res.body.temperature.map((i: Instance) => i.value)).toEqual([18, 19, 20, 21, 22]);
    expect(res.headers['content-range']).toBe(`date-time ${minute(18)}-${minute(22)}/12`);
    const next = await request(t.http).get(`/ngsi-ld/v1/temporal/entities/${LONG}?attrs=temperature&lastN=7&timerel=before&timeAt=${minute(18)}`).expect(206);
    expect(next.body.temperature.map((i: Instance) => i.value)).toEqual([13, 14, 15, 16, 17]);
  });

  it('answers 200 when lastN itself fits', async () => {
    const res = await request(t.http).get(`/ngsi-ld/v1/temporal/entities/${LONG}?attrs=temperature&lastN=${PER_ATTRIBUTE}`).expect(200);
    expect(res.body.temperature.map((i: Instance) => i.value)).toEqual([18, 19, 20, 21, 22]);
  });

  it('pages aggregation periods like instances', async () => {
    const res = await request(t.http).get(`/ngsi-ld/v1/temporal/entities/${LONG}?attrs=temperature&format=aggregatedValues&aggrMethods=sum&aggrPeriodDuration=PT2M`).expect(206);
    expect(res.body.temperature.sum).toEqual([0, 1, 2, 3, 4].map((p) => [4 * p + 1, minute(2 * p), minute(2 * p + 2)]));
    expect(res.headers['content-range']).toMatch(/^date-time 2026-07-01T00:00:00\.000Z-\S+Z\/\*$/);
  });
});

describe('several attributes and entities in one response', () => {
  it('cuts every attribute at one common time', async () => {
    const res = await request(t.http).get(`/ngsi-ld/v1/temporal/entities/${LONG}`).expect(206);
    expect(res.body.temperature.map((i: Instance) => i.observedAt)).toEqual([0, 1, 2, 3, 4].map(minute));
    // salinity has only two instances up to minute 4, though five would fit.
    expect(res.body.salinity.map((i: Instance) => i.observedAt)).toEqual([minute(0), minute(3)]);
  });

  it('cuts every entity of a query at one common time', async () => {
    const res = await request(t.http).get('/ngsi-ld/v1/temporal/entities?type=Buoy&attrs=temperature').expect(206);
    expect(res.headers['content-range']).toBe(`date-time ${minute(0)}-${minute(4)}/*`);
    const [long, wide] = res.body as { id: string; temperature: Instance[] }[];
    expect(long.id).toBe(LONG);
    expect(long.temperature.map((i) => i.value)).toEqual([0, 1, 2, 3, 4]);
    expect(wide.temperature.map((i) => i.observedAt)).toEqual([minute(1), minute(3)]);
  });

  it('reaches every instance of every entity and attribute exactly once', async () => {
    const { seen } = await allPages(t, '/ngsi-ld/v1/temporal/entities?type=Buoy');
    expect(seen.get(`${LONG} temperature`)!.map((i) => i.value)).toEqual(Array.from({ length: 23 }, (_, i) => i));
    expect(seen.get(`${LONG} salinity`)!.map((i) => i.value)).toEqual(Array.from({ length: 8 }, (_, i) => 100 + i));
    expect(seen.get(`${WIDE} temperature`)!.map((i) => i.value)).toEqual(Array.from({ length: 7 }, (_, i) => 50 + i));
    const ids = [...seen.values()].flat().map((i) => i.instanceId);
    expect(new Set(ids).size).toBe(ids.length);
  });

  it('never splits an instant across pages, even when it holds more instances than a page', async () => {
    const { seen } = await allPages(t, `/ngsi-ld/v1/temporal/entities/${TIED}?attrs=level`);
    const values = seen.get(`${TIED} level`)!.map((i) => i.value as number);
    expect(values.sort((a, b) => a - b)).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
  });

  it('reaches every instance exactly once when observedAt has microseconds', async () => {
    const { seen } = await allPages(t, `/ngsi-ld/v1/temporal/entities/${PRECISE}?attrs=level`);
    expect(seen.get(`${PRECISE} level`)!.map((i) => i.value)).toEqual(Array.from({ length: 12 }, (_, i) => i));
  });
});

describe('the budget of a whole response', () => {
  let small: TestApp;
  beforeAll(async () => {
    small = await startTestApp({ TEMPORAL_MAX_INSTANCES_PER_ATTRIBUTE: '100', TEMPORAL_MAX_INSTANCES_PER_RESPONSE: '12', LOG_LEVEL: 'error' });
    await createTemporal(small, {
      id: 'urn:ngsi-ld:Station:1',
      type: 'Station',
      a: Array.from({ length: 10 }, (_, i) => property(i, minute(i))),
      b: Array.from({ length: 10 }, (_, i) => property(10 + i, minute(i))),
      c: Array.from({ length: 10 }, (_, i) => property(20 + i, minute(i))),
    });
  }, 60_000);
  afterAll(async () => {
    await small?.close();
  }, 60_000);

  it('shares TEMPORAL_MAX_INSTANCES_PER_RESPONSE among the attributes', async () => {
    const res = await request(small.http).get('/ngsi-ld/v1/temporal/entities/urn:ngsi-ld:Station:1').expect(206);
    const shown = ['a', 'b', 'c'].map((name) => res.body[name].length);
    expect(shown.reduce((x, y) => x + y, 0)).toBeLessThanOrEqual(12);
    expect(shown).toEqual([4, 4, 4]);
    expect(res.headers['content-range']).toBe(`date-time ${minute(0)}-${minute(3)}/*`);
  });

  it('gives one attribute the whole budget when only it is asked for', async () => {
    const res = await request(small.http).get('/ngsi-ld/v1/temporal/entities/urn:ngsi-ld:Station:1?attrs=a').expect(200);
    expect(res.body.a).toHaveLength(10);
  });

  it('reaches every instance by following the pages', async () => {
    const { seen } = await allPages(small, '/ngsi-ld/v1/temporal/entities/urn:ngsi-ld:Station:1?options=sysAttrs');
    expect(seen.get('urn:ngsi-ld:Station:1 c')!.map((i) => i.value)).toEqual(Array.from({ length: 10 }, (_, i) => 20 + i));
  });
});
