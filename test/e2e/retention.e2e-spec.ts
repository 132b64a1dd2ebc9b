import { Client } from 'pg';
import request from 'supertest';
import { Sql } from 'src/database/sql';
import { RetentionJob } from 'src/governance/privacy/retention/retention.job';
import { HistoryPartitions } from 'src/ngsi-ld/temporal/history-partitions';
import { eventually } from 'test/support/eventually';
import { IdentityProvider, startIdentityProvider } from 'test/support/identity-provider';
import { startTestApp, TestApp } from 'test/support/test-app';

/*
 * Retention (gallring): what is past a dataset's retention period is deleted, and nothing else.
 * Göteborg keeps sensors for six months and gauges for a year (both in the p1y history class), counters for
 * 30 days (current values too) and an archive forever; Borås keeps buoys for six months. Values are
 * observed months ago, so that whole month partitions of the history are due.
 */

const FORBIDDEN = 'urn:vg-datashare:problem:forbidden';
const MFA = ['pwd', 'otp'];
let idp: IdentityProvider;
let t: TestApp;
const auth = {} as Record<'platform' | 'gbgAdmin' | 'gbgAdminNoMfa' | 'gbgWriter' | 'gbgMember' | 'borasAdmin' | 'borasWriter', Record<string, string>>;
const ds = {} as Record<'halfYear' | 'year' | 'month' | 'forever' | 'buoys', string>;
const sql = () => t.app.get(Sql);

const DAY = 24 * 3600 * 1000;
/** The 15th, noon (UTC), `n` months before this one. */
const monthsAgo = (n: number) => {
  const now = new Date();
  return new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth() - n, 15, 12)).toISOString();
};
const daysAgo = (n: number) => new Date(Math.floor((Date.now() - n * DAY) / 1000) * 1000).toISOString();
const leafOf = (klass: string, time: string) => `attribute_instance_${klass}_${time.slice(0, 4)}${time.slice(5, 7)}`;

const SENSOR = 'urn:ngsi-ld:Sensor:1';
const GAUGE = 'urn:ngsi-ld:Gauge:1';
const STALE_COUNTER = 'urn:ngsi-ld:Counter:stale';
const FRESH_COUNTER = 'urn:ngsi-ld:Counter:fresh';
const ARCHIVE = 'urn:ngsi-ld:Archive:1';
const BUOY = 'urn:ngsi-ld:Buoy:1';

async function dataset(admin: Record<string, string>, type: string, extra: Record<string, unknown>): Promise<string> {
  const body = { title: { sv: type }, description: { sv: type }, classification: { confidentiality: 1, integrity: 1, availability: 1 }, entities: [{ type }], ...extra };
  return (await request(t.http).post('/api/v1/datasets').set(admin).send(body).expect(201)).body.id;
}

async function history(id: string, type: string, times: readonly string[], writer: Record<string, string>) {
  const body = { id, type, level: times.map((observedAt, i) => ({ type: 'Property', value: i, observedAt })) };
  await request(t.http).post('/ngsi-ld/v1/temporal/entities').set({ ...writer, 'content-type': 'application/json' }).send(JSON.stringify(body)).expect(201);
}

const timesOf = async (id: string) =>
  (await sql().query<{ time: Date }>('SELECT time FROM attribute_instance WHERE entity_id = $1 ORDER BY time', [id])).rows.map((r) => r.time.toISOString());
const exists = async (table: string) => (await sql().query<{ oid: string | null }>('SELECT to_regclass($1)::text AS oid', [table])).rows[0].oid !== null;
const count = async (text: string, params: unknown[]) => (await sql().query<{ n: number }>(`SELECT count(*)::int AS n FROM ${text}`, params)).rows[0].n;
const runs = (headers: Record<string, string>) => request(t.http).post('/api/v1/retention/runs').set(headers);

function expectProblem(res: request.Response, status: number, type: string) {
  expect([res.status, res.headers['content-type']]).toEqual([status, expect.stringMatching(/^application\/problem\+json/)]);
  expect(res.body.type).toBe(type);
}

const written = {
  sensor: [monthsAgo(14), monthsAgo(8), monthsAgo(5)],
  gauge: [monthsAgo(14), monthsAgo(8)],
  counter: [daysAgo(40), daysAgo(10)],
  archive: [monthsAgo(36)],
  buoy: [monthsAgo(8), monthsAgo(2)],
};
/** Written after the partitions were made: it stays in the DEFAULT partition. */
const SENSOR_IN_DEFAULT = monthsAgo(20);

beforeAll(async () => {
  idp = await startIdentityProvider();
  t = await startTestApp({ ...idp.env, LOG_LEVEL: 'error' }, { caller: 'anonymous' });
  auth.platform = await idp.bearer({ sub: 'platform-admin', roles: ['platform-admin'], amr: MFA });
  auth.gbgAdmin = await idp.bearer({ sub: 'admin-gbg', organisation: 'goteborg', roles: ['admin'], amr: MFA });
  auth.gbgAdminNoMfa = await idp.bearer({ sub: 'admin-gbg', organisation: 'goteborg', roles: ['admin'] });
  auth.gbgWriter = await idp.bearer({ sub: 'writer-gbg', organisation: 'goteborg', roles: ['writer'] });
  auth.gbgMember = await idp.bearer({ sub: 'member-gbg', organisation: 'goteborg' });
  auth.borasAdmin = await idp.bearer({ sub: 'admin-boras', organisation: 'boras', roles: ['admin'], amr: MFA });
  auth.borasWriter = await idp.bearer({ sub: 'writer-boras', organisation: 'boras', roles: ['writer'] });
  ds.halfYear = await dataset(auth.gbgAdmin, 'Sensor', { retentionPeriod: 'P6M' });
  ds.year = await dataset(auth.gbgAdmin, 'Gauge', { retentionPeriod: 'P1Y' });
  ds.month = await dataset(auth.gbgAdmin, 'Counter', { retentionPeriod: 'P30D', retentionIncludesCurrentValues: true });
  ds.forever = await dataset(auth.gbgAdmin, 'Archive', {});
  ds.buoys = await dataset(auth.borasAdmin, 'Buoy', { retentionPeriod: 'P6M' });
  await history(SENSOR, 'Sensor', written.sensor, auth.gbgWriter);
  await history(GAUGE, 'Gauge', written.gauge, auth.gbgWriter);
  await history(STALE_COUNTER, 'Counter', written.counter, auth.gbgWriter);
  await history(FRESH_COUNTER, 'Counter', written.counter, auth.gbgWriter);
  await history(ARCHIVE, 'Archive', written.archive, auth.gbgWriter);
  await history(BUOY, 'Buoy', written.buoy, auth.borasWriter);
  await t.app.get(HistoryPartitions).ensure();
  await request(t.http)
    .post(`/ngsi-ld/v1/temporal/entities/${SENSOR}/attrs`)
    .set({ ...auth.gbgWriter, 'content-type': 'application/json' })
    .send(JSON.stringify({ level: [{ type: 'Property', value: 9, observedAt: SENSOR_IN_DEFAULT }] }))
    .expect(204);
}, 60_000);
afterAll(async () => {
  await t?.close();
  await idp?.close();
}, 60_000);

/** Makes the entities, their changes and the read log look old, as they would be after months. */
async function age(): Promise<void> {
  await eventually(async () => ((await count('change WHERE position IS NULL', [])) === 0 ? true : undefined));
  await sql().query(`UPDATE entity SET modified_at = now() - interval '40 days' WHERE id = ANY ($1)`, [[STALE_COUNTER, SENSOR]]);
  await sql().query(`UPDATE change SET changed_at = now() - interval '9 months' WHERE entity_id = ANY ($1)`, [[SENSOR, GAUGE, BUOY]]);
  const readLog = `INSERT INTO read_log (dataset_id, organisation, at, principal, read_path, view, requests, items) VALUES ($1, $2, now() - make_interval(days => $3), 'reader', 'ngsi-ld', 'full', 1, 1)`;
  for (const [dataset, organisation] of [[ds.halfYear, 'goteborg'], [ds.buoys, 'boras']]) {
    await sql().query(readLog, [dataset, organisation, 400]);
    await sql().query(readLog, [dataset, organisation, 10]);
  }
}

/** A subscription that has yet to receive the sensor's changes (its endpoint answers nothing). */
async function pendingForSensor(): Promise<number> {
  const subscription = { type: 'Subscription', entities: [{ type: 'Nothing' }], notification: { endpoint: { uri: 'http://127.0.0.1:9/nowhere' } } };
  await request(t.http).post('/ngsi-ld/v1/subscriptions').set({ ...auth.gbgAdmin, 'content-type': 'application/json' }).send(JSON.stringify(subscription)).expect(201);
  const { rowCount } = await sql().query(
    `INSERT INTO pending_notification (subscription_key, position) SELECT s.key, c.position FROM subscription s, change c WHERE c.entity_id = $1`,
    [SENSOR],
  );
  return rowCount;
}

describe('a run by an organisation admin', () => {
  let receipt: Record<string, any>;
  let sensorChanges: number;
  let pending: number;
  const receiptOf = (dataset: string) => receipt.datasets.find((d: { dataset: string }) => d.dataset === dataset);
  beforeAll(async () => {
    await age();
    pending = await pendingForSensor();
    sensorChanges = await count('change WHERE entity_id = $1', [SENSOR]);
    expect([sensorChanges > 0, pending > 0]).toEqual([true, true]);
    expect(await exists(leafOf('p1y', monthsAgo(14)))).toBe(true);
    expect(await exists(leafOf('p1y', monthsAgo(8)))).toBe(true);
    expect(await timesOf(SENSOR)).toContain(SENSOR_IN_DEFAULT);
    receipt = (await runs(auth.gbgAdmin).expect(200)).body;
  });

  it('deletes the history older than each dataset’s period and keeps what is newer', async () => {
    expect(await timesOf(SENSOR)).toEqual([monthsAgo(5)]);
    expect(await timesOf(GAUGE)).toEqual([monthsAgo(8)]);
    expect(await timesOf(FRESH_COUNTER)).toEqual([written.counter[1]]);
  });

  it('drops a month partition whose every row is due, and deletes rows from one that is due only in part', async () => {
    expect(await exists(leafOf('p1y', monthsAgo(14)))).toBe(false);
    expect(await exists(leafOf('p1y', monthsAgo(8)))).toBe(true);
    expect(await count(`${leafOf('p1y', monthsAgo(8))} WHERE dataset_id = $1`, [ds.halfYear])).toBe(0);
    expect(await count(`${leafOf('p1y', monthsAgo(8))} WHERE dataset_id = ANY ($1)`, [[ds.year, ds.buoys]])).toBe(2);
  });

  it('leaves datasets without a period, and other organisations’ datasets, alone', async () => {
    expect(await timesOf(ARCHIVE)).toEqual(written.archive);
    expect(await timesOf(BUOY)).toEqual(written.buoy);
    expect(await count('change WHERE entity_id = $1', [BUOY])).toBeGreaterThan(0);
    expect(await count('read_log WHERE organisation = $1', ['boras'])).toBe(2);
  });

  it('deletes entities unmodified for the period only where the dataset says current values go too', async () => {
    expect(await count('entity WHERE id = $1', [STALE_COUNTER])).toBe(0);
    expect(await count('entity_attr_value WHERE entity_id = $1', [STALE_COUNTER])).toBe(0);
    expect(await timesOf(STALE_COUNTER)).toEqual([]);
    expect(await count('entity WHERE id = ANY ($1)', [[FRESH_COUNTER, SENSOR]])).toBe(2);
    // Subscribers learn it is gone, without its values.
    const { rows } = await sql().query<{ attrs: object }>(`SELECT attrs FROM change WHERE entity_id = $1 AND operation = 'delete'`, [STALE_COUNTER]);
    expect(rows).toEqual([{ attrs: {} }]);
  });

  it('deletes the changes past the period and their pending notifications, and the old read log', async () => {
    expect(await count('change WHERE entity_id = $1', [SENSOR])).toBe(0);
    expect(await count('change WHERE entity_id = $1', [GAUGE])).toBeGreaterThan(0);
    expect(await count('pending_notification', [])).toBe(0);
    expect(await count('read_log WHERE organisation = $1', ['goteborg'])).toBe(1);
  });

  it('answers with what it deleted, per dataset of the organisation that has a period', async () => {
    expect(Object.keys(receipt).sort()).toEqual(['datasets', 'finishedAt', 'id', 'readLogRows', 'startedAt']);
    expect(receipt.datasets.map((d: { dataset: string }) => d.dataset).sort()).toEqual([ds.halfYear, ds.year, ds.month].sort());
    expect(receiptOf(ds.halfYear)).toEqual({
      dataset: ds.halfYear,
      organisation: 'goteborg',
      retentionPeriod: 'P6M',
      cutoff: expect.any(String),
      historyRows: 3,
      partitionsDropped: 1,
      changeRows: sensorChanges,
      notifications: pending,
      entities: 0,
    });
    expect(receiptOf(ds.year)).toEqual(expect.objectContaining({ historyRows: 1, partitionsDropped: 1, changeRows: 0, entities: 0 }));
    expect(receiptOf(ds.month)).toEqual(expect.objectContaining({ historyRows: 3, entities: 1, changeRows: 0 }));
    const sixMonthsAgo = new Date();
    sixMonthsAgo.setUTCMonth(sixMonthsAgo.getUTCMonth() - 6);
    expect(Math.abs(Date.parse(receiptOf(ds.halfYear).cutoff) - sixMonthsAgo.getTime())).toBeLessThan(2 * DAY);
    expect(receipt.readLogRows).toBe(1);
  });

  it('is in the audit log, with what it deleted', async () => {
    const res = await request(t.http).get('/api/v1/audit-log?event=retention.run&organisation=goteborg').set(auth.gbgAdmin).expect(200);
    const record = res.body.at(-1);
    expect(record).toEqual(expect.objectContaining({ actor: 'admin-gbg', organisation: 'goteborg', target: receipt.id }));
    expect(record.details).toEqual({ startedAt: receipt.startedAt, finishedAt: receipt.finishedAt, datasets: receipt.datasets, readLogRows: 1 });
  });

  it('shows as the last run', async () => {
    const res = await request(t.http).get('/api/v1/retention').set(auth.gbgAdmin).expect(200);
    expect(res.body.lastRun).toEqual(receipt);
  });
});

describe('a run by a platform admin', () => {
  let receipt: Record<string, any>;
  beforeAll(async () => {
    receipt = (await runs(auth.platform).expect(200)).body;
  });

  it('covers every organisation’s datasets', async () => {
    expect(await timesOf(BUOY)).toEqual([monthsAgo(2)]);
    expect(await count('change WHERE entity_id = $1', [BUOY])).toBe(0);
    expect(await count('read_log', [])).toBe(2);
    expect(receipt.datasets.find((d: { dataset: string }) => d.dataset === ds.buoys)).toEqual(expect.objectContaining({ organisation: 'boras', historyRows: 1 }));
    expect(receipt.readLogRows).toBe(1);
  });

  it('deletes nothing twice: what was due is gone', () => {
    const gbg = receipt.datasets.filter((d: { organisation: string }) => d.organisation === 'goteborg');
    expect(gbg.every((d: Record<string, number>) => d.historyRows + d.partitionsDropped + d.changeRows + d.notifications + d.entities === 0)).toBe(true);
  });

  it('shows each organisation’s admins the last run as far as it concerned them', async () => {
    expect((await request(t.http).get('/api/v1/retention').set(auth.platform).expect(200)).body.lastRun).toEqual(receipt);
    const boras = (await request(t.http).get('/api/v1/retention').set(auth.borasAdmin).expect(200)).body.lastRun;
    expect(boras.id).toBe(receipt.id);
    expect(boras.datasets.map((d: { dataset: string }) => d.dataset)).toEqual([ds.buoys]);
    expect(boras.readLogRows).toBe(1);
  });
});

describe('the schedule', () => {
  it('shows when the next run is, and the interval', async () => {
    const res = await request(t.http).get('/api/v1/retention').set(auth.gbgAdmin).expect(200);
    expect(res.body.intervalSeconds).toBe(3600);
    const next = Date.parse(res.body.nextRunAt);
    expect(next).toBeGreaterThan(Date.now());
    expect(next).toBeLessThanOrEqual(Date.now() + 3600_000);
  });
});

describe('who may run it', () => {
  it('needs credentials (401)', async () => {
    expectProblem(await runs({}), 401, 'urn:vg-datashare:problem:unauthorized');
    expectProblem(await request(t.http).get('/api/v1/retention'), 401, 'urn:vg-datashare:problem:unauthorized');
  });

  it('refuses members and writers (403)', async () => {
    for (const caller of [auth.gbgMember, auth.gbgWriter, auth.borasWriter]) {
      expectProblem(await runs(caller), 403, FORBIDDEN);
      expectProblem(await request(t.http).get('/api/v1/retention').set(caller), 403, FORBIDDEN);
    }
  });

  it('refuses an admin whose token proves no second factor (403)', async () => {
    const res = await runs(auth.gbgAdminNoMfa);
    expectProblem(res, 403, FORBIDDEN);
    expect(res.body.detail).toMatch(/multi-factor/);
  });

  it('answers 409 while a run is under way in this process', async () => {
    const platformAdmin = { kind: 'user' as const, subject: 'platform-admin', roles: new Set(['platform-admin'] as const), mfa: true };
    // The first run waits before its transaction until the second request has been answered.
    let release = () => {};
    const gate = new Promise<void>((resolve) => (release = resolve));
    const transaction = sql().transaction.bind(sql());
    const spy = jest.spyOn(sql(), 'transaction').mockImplementationOnce(async (work) => {
      await gate;
      return transaction(work);
    });
    const first = t.app.get(RetentionJob).run(platformAdmin);
    expectProblem(await runs(auth.platform), 409, 'urn:vg-datashare:problem:retention-run-under-way');
    release();
    spy.mockRestore();
    expect(await first).toEqual(expect.objectContaining({ id: expect.any(String) }));
  });

  // Another replica is another session; the embedded database has only one.
  const onServer = process.env.DATABASE_URL ? it : it.skip;
  onServer('answers 409 while another replica’s run holds the lock, and does nothing', async () => {
    const other = new Client({ connectionString: t.config.database.url });
    await other.connect();
    try {
      await other.query(`SELECT pg_advisory_lock(hashtext('vg-datashare:retention'))`);
      const before = await count('audit_log', []);
      expectProblem(await runs(auth.platform), 409, 'urn:vg-datashare:problem:retention-run-under-way');
      expect(await count('audit_log', [])).toBe(before);
    } finally {
      await other.end();
    }
  });

  it('answers 400 to a parameter it does not take', async () => {
    expectProblem(await runs(auth.gbgAdmin).query({ all: 'true' }), 400, 'https://uri.etsi.org/ngsi-ld/errors/BadRequestData');
  });
});
