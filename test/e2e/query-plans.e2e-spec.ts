import { randomBytes } from 'node:crypto';
import request from 'supertest';
import { ContextCompiler, RequestContext } from 'src/jsonld/context-compiler';
import { StatisticsKeeper } from 'src/database/statistics-keeper';
import { EntitiesRepository } from 'src/ngsi-ld/entities/entities.repository';
import { parseEntityQuery } from 'src/ngsi-ld/entities/dto/entity-request-params';
import { entityFilterOf } from 'src/ngsi-ld/entities/entity-query.mapper';
import { startTestApp, TestApp } from 'test/support/test-app';

/*
 * The queries that must not read every entity do not: PostgreSQL's plans for them, over a few
 * thousand entities, name the indexes meant for them. Their statistics come from the service's own
 * StatisticsKeeper, as in production (its timer is off here, so that the test calls it).
 */

let t: TestApp;
let context: RequestContext;
let analysed: string[];
const ENTITIES = 6000;

function plan(query: Record<string, string>): Promise<string> {
  const parsed = parseEntityQuery({ local: 'true', ...query }, t.config);
  return t.app.get(EntitiesRepository).explain('', [t.writer.datasetId], entityFilterOf(context.compiled, parsed), parsed.limit);
}

beforeAll(async () => {
  t = await startTestApp({ DATABASE_ANALYZE_INTERVAL_SECONDS: '0' });
  context = await t.app.get(ContextCompiler).compile(undefined);
  for (let start = 0; start < ENTITIES; start += 1000) {
    const batch = Array.from({ length: 1000 }, (_, k) => {
      const n = start + k;
      return {
        id: `urn:ngsi-ld:Sensor:${String(n).padStart(5, '0')}`,
        type: n % 100 === 0 ? 'RareSensor' : `Sensor${n % 4}`,
        level: { type: 'Property', value: n, observedAt: new Date(Date.UTC(2026, 0, 1) + n * 60_000).toISOString() },
        station: { type: 'Property', value: `station-${n}` },
        ...(n % 500 === 0 ? { alarm: { type: 'Property', value: true } } : {}),
        location: { type: 'GeoProperty', value: { type: 'Point', coordinates: [11 + (n % 100) / 50, 57 + Math.floor(n / 100) / 50] } },
      };
    });
    await request(t.http).post('/ngsi-ld/v1/entityOperations/upsert').set('content-type', 'application/json').send(JSON.stringify(batch)).expect(201);
  }
  analysed = await t.app.get(StatisticsKeeper).keep();
}, 180_000);
afterAll(async () => {
  await t?.close();
});

/** Text that does not compress, as real long values do not: a B-tree row of it would be too large. */
const incompressible = (length: number) => randomBytes(length).toString('base64url').slice(0, length);

describe('long text values', () => {
  // Two long texts that share their first 3,000 characters, so that only the whole text tells them apart.
  const shared = incompressible(3000);
  const texts: Record<string, string> = {
    'urn:ngsi-ld:Note:long-a': `${shared}a`,
    'urn:ngsi-ld:Note:long-b': `${shared}b`,
    'urn:ngsi-ld:Note:short-a': 'a',
    'urn:ngsi-ld:Note:short-z': 'z',
  };
  const idsWhere = async (q: string, route: 'index' | 'json' = 'index') => {
    const parsed = parseEntityQuery({ type: 'Note', q, limit: '100' }, t.config);
    const filter = entityFilterOf(context.compiled, parsed);
    const found = await t.app.get(EntitiesRepository).find('', [t.writer.datasetId], filter, 100, 0, { routes: route });
    return found.map((entity) => entity.id).sort();
  };

  beforeAll(async () => {
    for (const [id, text] of Object.entries(texts)) {
      await request(t.http)
        .post('/ngsi-ld/v1/entities')
        .set('content-type', 'application/json')
        .send(JSON.stringify({ id, type: 'Note', text: { type: 'Property', value: text } }))
        .expect(201);
    }
  });

  it('stores them, and changes them', async () => {
    const id = 'urn:ngsi-ld:Note:long-a';
    const res = await request(t.http).get(`/ngsi-ld/v1/entities/${id}?options=keyValues`).expect(200);
    expect(res.body.text).toBe(texts[id]);
    const changed = incompressible(5000);
    await request(t.http).patch(`/ngsi-ld/v1/entities/${id}/attrs/text`).set('content-type', 'application/json').send(JSON.stringify({ value: changed })).expect(204);
    expect((await request(t.http).get(`/ngsi-ld/v1/entities/${id}?options=keyValues`).expect(200)).body.text).toBe(changed);
    await request(t.http).patch(`/ngsi-ld/v1/entities/${id}/attrs/text`).set('content-type', 'application/json').send(JSON.stringify({ value: texts[id] })).expect(204);
  });

  it.each(['index', 'json'] as const)('compares short and long texts alike, read from the %s', async (route) => {
    expect(await idsWhere(`text==${JSON.stringify(texts['urn:ngsi-ld:Note:long-a'])}`, route)).toEqual(['urn:ngsi-ld:Note:long-a']);
    expect(await idsWhere(`text==${JSON.stringify(texts['urn:ngsi-ld:Note:long-b'])}`, route)).toEqual(['urn:ngsi-ld:Note:long-b']);
    expect(await idsWhere(`text==${JSON.stringify(shared)}`, route)).toEqual([]);
    expect(await idsWhere('text=="z"', route)).toEqual(['urn:ngsi-ld:Note:short-z']);
    expect(await idsWhere(`text>${JSON.stringify(texts['urn:ngsi-ld:Note:long-a'])}`, route)).toEqual(
      Object.keys(texts).filter((id) => texts[id] > texts['urn:ngsi-ld:Note:long-a']).sort(),
    );
    expect(await idsWhere(`text<=${JSON.stringify(texts['urn:ngsi-ld:Note:long-b'])}`, route)).toEqual(
      Object.keys(texts).filter((id) => texts[id] <= texts['urn:ngsi-ld:Note:long-b']).sort(),
    );
    expect(await idsWhere(`text<${JSON.stringify(shared)}`, route)).toEqual(Object.keys(texts).filter((id) => texts[id] < shared).sort());
    expect(await idsWhere(`text!=${JSON.stringify(texts['urn:ngsi-ld:Note:long-b'])}`, route)).toEqual(
      Object.keys(texts).filter((id) => id !== 'urn:ngsi-ld:Note:long-b').sort(),
    );
  });

  it('answers over HTTP too', async () => {
    const q = encodeURIComponent(`text==${JSON.stringify(texts['urn:ngsi-ld:Note:long-b'])}`);
    const res = await request(t.http).get(`/ngsi-ld/v1/entities?type=Note&q=${q}&options=keyValues`).expect(200);
    expect(res.body.map((e: { id: string }) => e.id)).toEqual(['urn:ngsi-ld:Note:long-b']);
  });

  it('finds long texts by the value index', async () => {
    const parsed = parseEntityQuery({ local: 'true', q: `text==${JSON.stringify(texts['urn:ngsi-ld:Note:long-a'])}` }, t.config);
    const explained = await t.app.get(EntitiesRepository).explain('', [t.writer.datasetId], entityFilterOf(context.compiled, parsed), parsed.limit);
    expect(explained).toMatch(/entity_attr_value_txt_prefix_idx/);
  });
});

describe('query plans', () => {
  it('rest on statistics the service brought up to date after the load', async () => {
    expect(analysed).toEqual(expect.arrayContaining(['entity', 'entity_attr_value']));
  });

  it('finds a type by its GIN index', async () => {
    expect(await plan({ type: 'RareSensor' })).toMatch(/entity_types_idx/);
  });

  it('finds attribute values by the value index: numbers, text, time', async () => {
    expect(await plan({ q: 'level>5990' })).toMatch(/entity_attr_value_num_idx/);
    expect(await plan({ q: 'level==10..20' })).toMatch(/entity_attr_value_num_idx/);
    expect(await plan({ q: 'station=="station-42"' })).toMatch(/entity_attr_value_txt_prefix_idx/);
    expect(await plan({ q: 'station>"station-5998"' })).toMatch(/entity_attr_value_txt_prefix_idx/);
    expect(await plan({ q: 'level.observedAt<2026-01-01T00:10:00Z' })).toMatch(/entity_attr_value_ts_idx/);
    expect(await plan({ type: 'Sensor1', q: 'level<10' })).toMatch(/entity_attr_value_num_idx/);
  });

  it('finds attribute existence by the attribute-name index', async () => {
    expect(await plan({ attrs: 'alarm' })).toMatch(/entity_attr_names_idx/);
    expect(await plan({ q: 'alarm' })).toMatch(/entity_attr_names_idx/);
  });

  it('finds places by the spatial indexes', async () => {
    const near = { georel: 'near;maxDistance==500', geometry: 'Point', coordinates: '[11.5,57.5]' };
    expect(await plan(near)).toMatch(/entity_location_geography_idx/);
    const within = { georel: 'within', geometry: 'Polygon', coordinates: '[[[11,57],[11.1,57],[11.1,57.1],[11,57]]]' };
    expect(await plan(within)).toMatch(/entity_location_idx/);
    const intersects = { georel: 'intersects', geometry: 'LineString', coordinates: '[[11,57],[11.05,57.05]]' };
    expect(await plan(intersects)).toMatch(/entity_location_idx/);
  });

  it('answers those queries correctly over all the entities', async () => {
    const get = (qs: string) => request(t.http).get(`/ngsi-ld/v1/entities?${qs}&count=true&limit=0`).expect(200);
    expect((await get('type=RareSensor')).headers['ngsild-results-count']).toBe('60');
    expect((await get(`q=${encodeURIComponent('level>5990')}`)).headers['ngsild-results-count']).toBe('9');
    expect((await get('attrs=alarm')).headers['ngsild-results-count']).toBe('12');
  });
});
