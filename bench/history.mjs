// Temporal queries over a large history: one attribute's day of 1-minute values, and an hourly
// average over 30 days, for one entity among BENCH_HISTORY_ENTITIES, each with
// BENCH_HISTORY_INSTANCES instances. vg-datashare over HTTP against the same SQL run through `pg`
// directly, alternating, in the same run. Writes the "History" section of bench/RESULTS.md.
//
//   npm run bench:history     (needs DATABASE_URL; about 35 GB of disk and half an hour for the defaults)
//
// BENCH_HISTORY_KEEP=<database name> keeps the loaded database and reuses it on the next run
// (only the queries are measured again); drop it yourself when done.
import { cpus, totalmem } from 'node:os';
import pg from 'pg';
import { send, summarize } from './load.mjs';
import { createDataset, peakRss, scratchDatabase, startService, writeSection } from './service.mjs';

const ENTITIES = Number(process.env.BENCH_HISTORY_ENTITIES ?? 1000);
const INSTANCES = Number(process.env.BENCH_HISTORY_INSTANCES ?? 100_000);
const REQUESTS = Number(process.env.BENCH_HISTORY_REQUESTS ?? 300);
const VOCAB = 'https://uri.etsi.org/ngsi-ld/default-context/';
const TEMPERATURE = `${VOCAB}temperature`;
/** The history ends at the start of this hour and goes back INSTANCES minutes. */
const END = new Date(Math.floor(Date.now() / 3_600_000) * 3_600_000);
const START = new Date(END.getTime() - INSTANCES * 60_000);
const DAY = 86_400_000;

const idOf = (i) => `urn:ngsi-ld:WaterQualityObserved:buoy-${String(i).padStart(4, '0')}`;

function random(seed) {
  let state = seed;
  return () => ((state = (state * 1103515245 + 12345) % 2147483648) / 2147483648);
}

/** The entities, through the API (so that they are placed and visible as any other). */
async function createEntities(service, datasetId) {
  for (let first = 0; first < ENTITIES; first += 500) {
    const batch = Array.from({ length: Math.min(500, ENTITIES - first) }, (_, k) => ({
      id: idOf(first + k),
      type: 'WaterQualityObserved',
      temperature: { type: 'Property', value: 15, unitCode: 'CEL', observedAt: END.toISOString() },
    }));
    const res = await send({
      base: service.base, method: 'POST', path: '/ngsi-ld/v1/entityOperations/upsert', body: JSON.stringify(batch),
      headers: { 'content-type': 'application/json', 'x-api-key': service.adminKey, 'vgds-dataset': datasetId },
    });
    if (res.status >= 300) throw new Error(`creating entities: ${res.status}`);
  }
}

/** The history, loaded with SQL (generate_series), entity by entity in chunks: INSTANCES 1-minute temperatures each. */
async function loadHistory(db, datasetId) {
  // Month partitions for the whole span first, so that nothing lands in the default partitions.
  for (let t = START.getTime(); t <= END.getTime(); t += 28 * DAY) {
    await db.query(`INSERT INTO attribute_instance (retention_class, time, tenant, entity_id, attribute, dataset_id, created_at, modified_at, instance)
      VALUES ('p1y', $1, '', 'bench-marker', 'x', $2, now(), now(), '{}')`, [new Date(t), datasetId]);
  }
  await db.query('SELECT vgds_history_partitions(3)');
  await db.query(`DELETE FROM attribute_instance WHERE entity_id = 'bench-marker'`);
  const chunk = 10;
  for (let first = 0; first < ENTITIES; first += chunk) {
    const started = Date.now();
    await db.query(
      `INSERT INTO attribute_instance (retention_class, time, tenant, entity_id, attribute, dataset_id, created_at, modified_at, instance)
       SELECT 'p1y', t, '', 'urn:ngsi-ld:WaterQualityObserved:buoy-' || lpad(e::text, 4, '0'), $1, $2, t, t,
              jsonb_build_object('type', 'Property', 'value', round((10 + 8 * sin(extract(epoch FROM t) / 43200 * pi()) + e % 5)::numeric, 2), 'unitCode', 'CEL',
                                 'observedAt', to_char(t AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"'))
       FROM generate_series($3::int, $4::int) AS e, generate_series($5::timestamptz, $6::timestamptz - interval '1 minute', interval '1 minute') AS t`,
      [TEMPERATURE, datasetId, first, Math.min(first + chunk, ENTITIES) - 1, START, END],
    );
    process.stderr.write(`history: ${Math.min(first + chunk, ENTITIES)}/${ENTITIES} entities (${((chunk * INSTANCES) / ((Date.now() - started) / 1000)).toFixed(0)} rows/s)\n`);
  }
  await db.query('VACUUM ANALYZE attribute_instance');
}

/** The dataset of a history loaded by an earlier run (BENCH_HISTORY_KEEP), if there is one. */
async function loadedDataset(db) {
  if (!KEEP) return undefined;
  const { rows } = await db.query(`SELECT dataset_id FROM attribute_instance WHERE tenant = '' AND entity_id = $1 LIMIT 1`, [idOf(ENTITIES - 1)]);
  return rows[0]?.dataset_id;
}

/** The SQL the service runs for one series, straight through pg: the baseline. */
const BASELINE = {
  day: `SELECT h.instance_id, h.time, h.created_at, h.modified_at, h.instance FROM attribute_instance h
        WHERE h.tenant = '' AND h.entity_id = $1 AND h.attribute = $2 AND h.dataset_id = ANY($3::uuid[]) AND h.time >= $4 AND h.time < $5
        ORDER BY h.time LIMIT 10001`,
  hourly: aggregation('PT1H', 'avg'),
};

/** The aggregation the service runs, for one method and fixed periods, straight through pg. */
function aggregation(period, method) {
  const number = `CASE WHEN jsonb_typeof(h.instance->'value') = 'number' THEN (h.instance->>'value')::float8 END`;
  const aggregate = { avg: `avg(${number})`, min: `min(${number})`, max: `max(${number})`, sum: `sum(${number})`, stddev: `stddev_samp(${number})`, totalCount: 'count(*)' }[method];
  return `SELECT date_bin('${period}'::interval, h.time, $4) AS start, json_build_object('${method}', ${aggregate}) AS values
          FROM attribute_instance h
          WHERE h.tenant = '' AND h.entity_id = $1 AND h.attribute = $2 AND h.dataset_id = ANY($3::uuid[]) AND h.time >= $4 AND h.time < $5
          GROUP BY 1 ORDER BY 1 LIMIT 10001`;
}
/** Stellio's aggregation load test picks one method at random per request. */
const METHODS = ['avg', 'min', 'max', 'sum', 'stddev', 'totalCount'];

async function measure(service, db, datasetId) {
  const results = [];
  const cases = [
    { name: 'one attribute, one day of 1-minute values (1,440 instances)', span: DAY, query: '', sql: BASELINE.day },
    { name: 'the same, options=temporalValues', span: DAY, query: '&options=temporalValues', sql: BASELINE.day },
    { name: 'hourly avg over 30 days (43,200 instances, 720 periods)', span: 30 * DAY, query: '&format=aggregatedValues&aggrMethods=avg&aggrPeriodDuration=PT1H', sql: BASELINE.hourly },
    { name: `one random method per day over the whole history (${INSTANCES.toLocaleString('en')} instances)`, span: 'all', methods: METHODS },
  ];
  for (const c of cases) {
    process.stderr.write(`${c.name}...\n`);
    const r = random(7);
    const ours = [];
    const theirs = [];
    let sizes = 0;
    for (let i = 0; i < REQUESTS; i++) {
      const id = idOf(Math.floor(r() * ENTITIES));
      const days = Math.floor((END - START) / DAY);
      const from = c.span === 'all' ? START : new Date(START.getTime() + Math.floor(r() * (days - c.span / DAY)) * DAY);
      const to = c.span === 'all' ? END : new Date(from.getTime() + c.span);
      const method = c.methods?.[Math.floor(r() * c.methods.length)];
      const query = method ? `&format=aggregatedValues&aggrMethods=${method}&aggrPeriodDuration=P1D` : c.query;
      const path = `/ngsi-ld/v1/temporal/entities/${encodeURIComponent(id)}?attrs=temperature&timerel=between&timeAt=${from.toISOString()}&endTimeAt=${to.toISOString()}${query}`;
      const res = await send({ base: service.base, path });
      if (res.status !== 200) throw new Error(`${path}: ${res.status}`);
      ours.push(res.ms);
      sizes += res.size;
      const started = process.hrtime.bigint();
      await db.query(method ? aggregation('P1D', method) : c.sql, [id, TEMPERATURE, [datasetId], from, to]);
      theirs.push(Number(process.hrtime.bigint() - started) / 1e6);
    }
    results.push({ name: c.name, ours: summarize(ours, 1), theirs: summarize(theirs, 1), bytes: sizes / REQUESTS });
  }
  return results;
}

const KEEP = process.env.BENCH_HISTORY_KEEP;

async function main() {
  const database = await scratchDatabase(KEEP ?? `vgds_bench_history_${process.pid}`, { reuse: KEEP !== undefined });
  let service;
  const db = new pg.Client({ connectionString: database.url });
  try {
    service = await startService(database.url, 21000 + (process.pid % 9000));
    await db.connect();
    const loaded = await loadedDataset(db);
    const datasetId = loaded ?? await createDataset(service, {
      title: { sv: 'Badtemperaturer', en: 'Bathing water temperatures' },
      description: { sv: 'Benchmarkdata' },
      classification: { confidentiality: 0, integrity: 1, availability: 1 },
      open: true,
      retentionPeriod: 'P1Y',
    });
    const loadStarted = Date.now();
    if (!loaded) {
      await createEntities(service, datasetId);
      await loadHistory(db, datasetId);
    }
    const loadSeconds = loaded ? undefined : (Date.now() - loadStarted) / 1000;
    const [{ rows: total }, { rows: size }] = await Promise.all([
      db.query('SELECT count(*)::bigint AS n FROM attribute_instance'),
      db.query(`SELECT pg_size_pretty(sum(pg_total_relation_size(c.oid))) AS size FROM pg_class c JOIN pg_inherits i ON i.inhrelid = c.oid WHERE c.relkind = 'r'`),
    ]);
    const results = await measure(service, db, datasetId);
    const rss = peakRss(service.child.pid);
    write({ results, rss, rows: total[0].n, size: size[0].size, loadSeconds });
  } finally {
    service?.stop();
    await db.end().catch(() => undefined);
    await new Promise((resolve) => setTimeout(resolve, 1500));
    if (KEEP) await database.close();
    else await database.drop();
  }
}

function write({ results, rss, rows, size, loadSeconds }) {
  const cpu = cpus();
  const f = (n) => n.toFixed(n < 10 ? 2 : 1);
  writeSection('## History (temporal queries)', [
    'Produced by `npm run bench:history` (bench/history.mjs). One request at a time, alternating: vg-datashare',
    '(GET /ngsi-ld/v1/temporal/entities/{id} over HTTP, anonymous reader of an open dataset: parsing, access',
    'decision, SQL, JSON-LD compaction, JSON) and the same SQL statement sent straight through `pg` (no HTTP).',
    `Random entity and random day (or 30-day window) each time, ${REQUESTS} requests per row. The last row is the`,
    "aggregation of Stellio's load test (one method at random per request) over the whole history of one entity, by day.",
    '',
    `- date: ${new Date().toISOString()}`,
    `- machine: ${cpu.length} × ${cpu[0].model}, ${(totalmem() / 2 ** 30).toFixed(1)} GiB; Node ${process.version}`,
    `- data: ${ENTITIES.toLocaleString('en')} entities × ${INSTANCES.toLocaleString('en')} 1-minute instances = ${Number(rows).toLocaleString('en')} rows, ${size} with indexes, in monthly partitions; ${loadSeconds === undefined ? 'loaded by an earlier run' : `loaded in ${loadSeconds.toFixed(0)} s`}`,
    `- vg-datashare peak memory (VmHWM): **${rss.toFixed(0)} MB**`,
    '',
    '| query | vg-datashare p50 / p95 ms | SQL through pg p50 / p95 ms | ratio of p50 | response |',
    '|---|---|---|---|---|',
    ...results.map(({ name, ours, theirs, bytes }) => `| ${name} | ${f(ours.p50)} / ${f(ours.p95)} | ${f(theirs.p50)} / ${f(theirs.p95)} | ${(ours.p50 / theirs.p50).toFixed(1)}× | ${(bytes / 1024).toFixed(0)} KB |`),
    '',
  ]);
}

main().catch((error) => {
  process.stderr.write(`${error.stack ?? error}\n`);
  process.exit(1);
});
