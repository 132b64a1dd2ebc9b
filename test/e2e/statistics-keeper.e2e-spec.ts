import request from 'supertest';
import { Sql } from 'src/database/sql';
import { eventually } from 'test/support/eventually';
import { startTestApp, TestApp } from 'test/support/test-app';

/*
 * After a bulk load the service analyses the tables itself, on its timer, without waiting for
 * autovacuum (which looks once a minute and may be off): `last_analyze` is set by a manual
 * ANALYZE only, which is what the keeper runs. PostgreSQL reports changed rows to its statistics
 * views with a lag (up to ~10 s for an idle connection), hence the wait.
 */

let t: TestApp;

beforeAll(async () => {
  t = await startTestApp({ DATABASE_ANALYZE_INTERVAL_SECONDS: '1' });
});
afterAll(async () => {
  await t?.close();
});

it('analyses the entity tables once enough of them changed', async () => {
  const lastAnalysed = async () => {
    const { rows } = await t.app.get(Sql).query<{ relname: string }>(
      `SELECT relname FROM pg_stat_user_tables WHERE relname IN ('entity', 'entity_attr_value') AND last_analyze IS NOT NULL ORDER BY relname`,
    );
    return rows.map((row) => row.relname);
  };
  const meters = Array.from({ length: 1500 }, (_, n) => ({
    id: `urn:ngsi-ld:Meter:${n}`,
    type: 'Meter',
    volume: { type: 'Property', value: n },
  }));
  for (const batch of [meters.slice(0, 750), meters.slice(750)]) {
    await request(t.http).post('/ngsi-ld/v1/entityOperations/create').set('content-type', 'application/json').send(JSON.stringify(batch)).expect(201);
  }
  await eventually(async () => {
    expect(await lastAnalysed()).toEqual(['entity', 'entity_attr_value']);
    return true;
  }, 30_000);
});
