import request from 'supertest';
import { Sql } from 'src/database/sql';
import { startTestApp, TestApp } from 'test/support/test-app';

/*
 * The value index (`entity_attr_value`) is written by the service with each entity write, for the
 * attributes that changed. Whatever the write path, it must hold exactly what the database derives
 * from the stored JSON (`vgds_attribute_items` and `vgds_timestamptz`, which the JSON route of q
 * reads): no row missing, none left over, none twice.
 */

let t: TestApp;
const json = { 'content-type': 'application/json' };
const send = (method: 'post' | 'patch' | 'put' | 'delete', path: string, body?: unknown) =>
  request(t.http)[method](`/ngsi-ld/v1${path}`).set(json).send(body === undefined ? undefined : JSON.stringify(body));

beforeAll(async () => {
  t = await startTestApp();
});
afterAll(async () => {
  await t?.close();
});

/** Index rows that differ from what the JSON says, both ways (with their counts). */
async function differences(): Promise<unknown[]> {
  const derived = `
    SELECT e.tenant, e.id AS entity_id, x.attr, x.member,
           CASE WHEN jsonb_typeof(x.s) = 'number' THEN (x.s)::numeric END AS num,
           CASE WHEN jsonb_typeof(x.s) = 'string' THEN x.s #>> '{}' END AS txt,
           CASE WHEN jsonb_typeof(x.s) = 'boolean' THEN (x.s)::boolean END AS bool,
           vgds_timestamptz(x.s) AS ts
    FROM entity e CROSS JOIN LATERAL (
      SELECT i.attr, i.member, CASE WHEN jsonb_typeof(i.item) = 'object' AND i.item ? '@value' THEN i.item -> '@value' ELSE i.item END AS s
      FROM vgds_attribute_items(e.attrs) AS i) AS x`;
  const counted = (rows: string) => `SELECT tenant, entity_id, attr, member, num, txt, bool, ts, count(*) AS n FROM (${rows}) AS r
    WHERE num IS NOT NULL OR txt IS NOT NULL OR bool IS NOT NULL OR ts IS NOT NULL GROUP BY 1, 2, 3, 4, 5, 6, 7, 8`;
  const indexed = 'SELECT tenant, entity_id, attr, member, num, txt, bool, ts FROM entity_attr_value';
  const { rows } = await t.app.get(Sql).query(
    `(${counted(indexed)} EXCEPT ${counted(derived)}) UNION ALL (${counted(derived)} EXCEPT ${counted(indexed)})`,
  );
  return rows;
}

it('holds what the JSON says after every kind of write', async () => {
  const sensor = (n: number, extra: Record<string, unknown> = {}) => ({
    id: `urn:ngsi-ld:Sensor:v${n}`,
    type: 'Sensor',
    temperature: [
      { type: 'Property', value: 20 + n, observedAt: '2026-11-20T10:00:00.123456Z', datasetId: 'urn:ngsi-ld:Dataset:a' },
      { type: 'Property', value: 21 + n, observedAt: '2026-11-20T10:00:00+01:00', datasetId: 'urn:ngsi-ld:Dataset:b' },
    ],
    name: { type: 'Property', value: `Sensor ${n}` },
    dateObserved: { type: 'Property', value: { '@type': 'DateTime', '@value': '2026-02-28T23:59:60Z' } },
    tags: { type: 'Property', value: ['a', 1, true, '2026-01-01T00:00:00Z', ['nested']] },
    active: { type: 'Property', value: false },
    address: { type: 'Property', value: { streetAddress: 'Gatan 1' } },
    refDevice: { type: 'Relationship', object: `urn:ngsi-ld:Device:${n}` },
    category: { type: 'VocabProperty', vocab: ['urban', 'coastal'] },
    label: { type: 'LanguageProperty', languageMap: { sv: 'Givare', en: ['Sensor', 'Probe'] } },
    readings: { type: 'ListProperty', valueList: [1.5, 2.5, 'x'] },
    config: { type: 'JsonProperty', json: { a: 1 } },
    location: { type: 'GeoProperty', value: { type: 'Point', coordinates: [11.9, 57.7] } },
    ...extra,
  });
  await send('post', '/entities', sensor(1)).expect(201);
  await send('post', '/entityOperations/create', [sensor(2), sensor(3), sensor(4)]).expect(201);
  expect(await differences()).toEqual([]);

  // One attribute changed, one added, one deleted, one instance of a multi-instance attribute changed.
  await send('patch', '/entities/urn:ngsi-ld:Sensor:v1/attrs/name', { value: 'Renamed' }).expect(204);
  await send('post', '/entities/urn:ngsi-ld:Sensor:v1/attrs', { level: { type: 'Property', value: '2026-02-30T00:00:00Z', observedAt: '2026-03-01T00:00:00Z' } }).expect(204);
  await send('delete', '/entities/urn:ngsi-ld:Sensor:v1/attrs/tags').expect(204);
  await send('patch', '/entities/urn:ngsi-ld:Sensor:v1/attrs/temperature', { value: 99, datasetId: 'urn:ngsi-ld:Dataset:b' }).expect(204);
  await send('patch', '/entities/urn:ngsi-ld:Sensor:v2/attrs', { active: { type: 'Property', value: true }, refDevice: { type: 'Relationship', object: 'urn:ngsi-ld:Device:x' } }).expect(204);
  await send('patch', '/entities/urn:ngsi-ld:Sensor:v3', { name: { type: 'Property', value: 'Merged' }, label: 'urn:ngsi-ld:null' }).expect(204);
  await send('put', '/entities/urn:ngsi-ld:Sensor:v4', { type: 'Sensor', only: { type: 'Property', value: 'left' } }).expect(204);
  expect(await differences()).toEqual([]);

  // Batches: upsert (replace and update), update, merge, delete; a rewrite with the same values.
  await send('post', '/entityOperations/upsert', [sensor(2), sensor(5)]).expect(201);
  await send('post', '/entityOperations/upsert?options=update', [{ id: 'urn:ngsi-ld:Sensor:v3', type: 'Sensor', name: { type: 'Property', value: 'Upserted' } }]).expect(204);
  await send('post', '/entityOperations/update', [{ id: 'urn:ngsi-ld:Sensor:v5', type: 'Sensor', active: { type: 'Property', value: 1 } }]).expect(204);
  await send('post', '/entityOperations/merge', [{ id: 'urn:ngsi-ld:Sensor:v5', type: 'Sensor', readings: { type: 'ListProperty', valueList: [] } }]).expect(204);
  await send('post', '/entityOperations/upsert', [sensor(5, { readings: { type: 'ListProperty', valueList: [] }, active: { type: 'Property', value: 1 } })]).expect(204);
  await send('post', '/entityOperations/delete', ['urn:ngsi-ld:Sensor:v4']).expect(204);
  expect(await differences()).toEqual([]);

  // History written alongside: a newer instance moves the current state.
  await send('post', '/temporal/entities/urn:ngsi-ld:Sensor:v1/attrs', { level: [{ type: 'Property', value: 7, observedAt: '2030-01-01T00:00:00Z' }] }).expect(204);
  await send('delete', '/entities/urn:ngsi-ld:Sensor:v2').expect(204);
  expect(await differences()).toEqual([]);
  const { rows } = await t.app.get(Sql).query<{ n: number }>('SELECT count(*)::int AS n FROM entity_attr_value');
  expect(rows[0].n).toBeGreaterThan(50);
});
