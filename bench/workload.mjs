// The workload of Stellio's published NGSI-LD load tests (September 2024), against vg-datashare on
// PostgreSQL, with the bare Fastify + pg baseline in the same run for the read ratios. Writes the
// "Workload" section of bench/RESULTS.md, beside the published figures.
//
//   npm run bench:workload     (needs DATABASE_URL; defaults to the local postgres database)
//
// Environment: DATABASE_URL, WORKLOAD_CLIENTS (10), WORKLOAD_SECONDS (15 per measurement),
// WORKLOAD_ENTITIES (100000), WORKLOAD_CHANGES (synthetic change rows for "a day of changes", 1000000),
// WORKLOAD_INSTANCES (history instances per entity for the aggregation, 100000).
import { cpus, totalmem } from 'node:os';
import pg from 'pg';
import { run, send } from './load.mjs';
import { createDataset, peakRss, scratchDatabase, startProcess, startService, writeSection } from './service.mjs';

const CLIENTS = Number(process.env.WORKLOAD_CLIENTS ?? 10);
const SECONDS = Number(process.env.WORKLOAD_SECONDS ?? 15);
const ENTITIES = Number(process.env.WORKLOAD_ENTITIES ?? 100_000);
const CHANGES = Number(process.env.WORKLOAD_CHANGES ?? 1_000_000);
const INSTANCES = Number(process.env.WORKLOAD_INSTANCES ?? 100_000);
const TYPES = 10;
const SMALL_STORE = 1000;
const JSON_HEADERS = { 'content-type': 'application/json' };
const VOCAB = 'https://uri.etsi.org/ngsi-ld/default-context/';

/** The published figures (Stellio on 8 vCPU, at ten times these volumes), for the table. */
const STELLIO = {
  create: '131–241 req/s',
  update: '120–417 req/s',
  query: '32 req/s, p95 1,440 ms',
  aggregation: '42 req/s, p95 321 ms',
};

const typeOf = (n) => `BenchType${n % TYPES}`;
const entityId = (n) => `urn:ngsi-ld:${typeOf(n)}:e${n}`;

/**
 * The entity of the load tests: six attributes, two of them multi-instance properties with
 * datasetIds, one with a sub-property, a relationship and a GeoProperty point.
 */
function entity(n, observedAt = '2026-11-20T10:00:00Z') {
  return {
    id: entityId(n),
    type: typeOf(n),
    temperature: [
      { type: 'Property', value: (n % 1000) / 10, observedAt, datasetId: 'urn:ngsi-ld:Dataset:sensor-a' },
      { type: 'Property', value: ((n + 7) % 1000) / 10, observedAt, datasetId: 'urn:ngsi-ld:Dataset:sensor-b' },
    ],
    humidity: [
      { type: 'Property', value: n % 100, observedAt, datasetId: 'urn:ngsi-ld:Dataset:sensor-a' },
      { type: 'Property', value: (n * 3) % 100, observedAt, datasetId: 'urn:ngsi-ld:Dataset:sensor-b' },
    ],
    fillLevel: { type: 'Property', value: n % 500, observedAt, accuracy: { type: 'Property', value: 0.5 } },
    name: { type: 'Property', value: `Entity ${n}` },
    refDevice: { type: 'Relationship', object: `urn:ngsi-ld:Device:d${n % 5000}` },
    location: { type: 'GeoProperty', value: { type: 'Point', coordinates: [11 + (n % 400) * 0.00875, 57.2 + Math.floor((n % 400_000) / 400) * 0.0021] } },
  };
}

function random(seed) {
  let state = seed;
  return () => (state = (state * 1103515245 + 12345) % 2147483648) / 2147483648;
}

const kb = (bytes) => `${(bytes / 1024).toFixed(1)} KB`;

function row(name, r, published = '') {
  const ms = (v) => (v < 10 ? v.toFixed(2) : v.toFixed(1));
  return `| ${name} | ${r.perSecond.toFixed(1)} req/s | ${ms(r.p50)} / ${ms(r.p95)} / ${ms(r.p99)} | ${r.failures}/${r.requests} | ${published} |`;
}

async function loadEntities(service, key, from, to) {
  for (let first = from; first < to; first += 1000) {
    const body = JSON.stringify(Array.from({ length: Math.min(1000, to - first) }, (_, k) => entity(first + k)));
    const res = await send({ base: service.base, method: 'POST', path: '/ngsi-ld/v1/entityOperations/upsert', body, headers: { ...JSON_HEADERS, 'x-api-key': key } });
    if (res.status >= 300) throw new Error(`loading entities: ${res.status}`);
  }
}

/** Single-entity creates with CLIENTS clients for SECONDS; ids from `next` on. */
function creates(service, key, next) {
  let n = next;
  return run({
    base: service.base,
    seconds: SECONDS,
    concurrency: CLIENTS,
    expectStatus: [201],
    next: () => ({ method: 'POST', path: '/ngsi-ld/v1/entities', body: JSON.stringify(entity(n++)), headers: { ...JSON_HEADERS, 'x-api-key': key } }),
  }).then((result) => ({ result, next: n }));
}

/** Bytes per entity of the entity table and of the value index, each with its indexes. */
async function storagePerEntity(db) {
  const { rows } = await db.query(
    `SELECT (SELECT count(*) FROM entity)::float8 AS entities,
            pg_total_relation_size('entity')::float8 AS entity, pg_total_relation_size('entity_attr_value')::float8 AS value_index,
            (SELECT count(*) FROM entity_attr_value)::float8 AS value_rows`,
  );
  const { entities, entity, value_index: valueIndex, value_rows: valueRows } = rows[0];
  return { entity: entity / entities, valueIndex: valueIndex / entities, valueRows: valueRows / entities };
}

/** `work`, and the write-ahead log it wrote (bytes per request). */
async function withWal(db, work) {
  const lsn = async () => (await db.query('SELECT pg_current_wal_lsn() AS lsn')).rows[0].lsn;
  const before = await lsn();
  const result = await work();
  const { rows } = await db.query('SELECT pg_wal_lsn_diff($1, $2)::float8 AS bytes', [await lsn(), before]);
  return { ...result, walPerRequest: rows[0].bytes / (result.result ?? result).requests };
}

/** Partial attribute updates (a new value with observedAt) of random entities among the first `among`. */
function updates(service, key, among, seed) {
  const rnd = random(seed);
  let tick = 0;
  return run({
    base: service.base,
    seconds: SECONDS,
    concurrency: CLIENTS,
    expectStatus: [204],
    next: () => {
      const n = Math.floor(rnd() * among);
      const observedAt = new Date(Date.UTC(2026, 10, 21) + tick++ * 1000).toISOString();
      const body = JSON.stringify({ value: Math.round(rnd() * 500), observedAt });
      return { method: 'PATCH', path: `/ngsi-ld/v1/entities/${encodeURIComponent(entityId(n))}/attrs/fillLevel`, body, headers: { ...JSON_HEADERS, 'x-api-key': key } };
    },
  });
}

function query(base, next) {
  return run({ base, seconds: SECONDS, concurrency: CLIENTS, expectStatus: [200], next });
}

/**
 * "A day of changes": synthetic change rows copied from the real ones, already numbered (negative
 * positions: before the feed's start, read by nobody) as delivered changes of the past day are.
 */
async function addChanges(url, count) {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    for (let done = 0; done < count; done += 100_000) {
      await client.query(
        `INSERT INTO change (position, tenant, entity_id, dataset_id, operation, types, scopes, attrs, previous, created_attrs,
                             entity_created_at, changed_at, previous_dataset_id, entity_modified_at)
         SELECT -($2::bigint + row_number() OVER ()), c.tenant, c.entity_id, c.dataset_id, c.operation, c.types, c.scopes, c.attrs,
                c.previous, c.created_attrs, c.entity_created_at, c.changed_at - interval '1 hour', c.previous_dataset_id, c.entity_modified_at
         FROM generate_series(1, $1::int) AS g
         CROSS JOIN LATERAL (SELECT * FROM change WHERE position > 0 ORDER BY position OFFSET (g % 1000) LIMIT 1) AS c`,
        [Math.min(100_000, count - done), done],
      );
    }
  } finally {
    await client.end();
  }
}

async function main() {
  const database = await scratchDatabase('vgds_bench_workload');
  const port = 4300 + Math.floor(Math.random() * 500);
  const service = await startService(database.url, port);
  const db = new pg.Client({ connectionString: database.url });
  await db.connect();
  const lines = [];
  try {
    const dataset = await createDataset(service, {
      title: { sv: 'Lasttest' },
      description: { sv: 'Entiteter för lasttestet' },
      entities: Array.from({ length: TYPES }, (_, t) => ({ type: `${VOCAB}BenchType${t}` })),
      classification: { confidentiality: 0, integrity: 1, availability: 1 },
      open: true,
    });
    const keyRes = await fetch(`${service.base}/api/v1/api-keys`, {
      method: 'POST',
      headers: { ...JSON_HEADERS, 'x-api-key': service.adminKey },
      body: JSON.stringify({ name: 'load test', write: true }),
    });
    const key = (await keyRes.json()).key;

    // Writes on a small store.
    await loadEntities(service, key, 0, SMALL_STORE);
    const small = await withWal(db, () => creates(service, key, 10_000_000));
    if (small.result.failures > 0) throw new Error(`creates answered ${JSON.stringify(small.result.statuses)}`);
    const smallUpdates = await withWal(db, () => updates(service, key, SMALL_STORE, 1));

    // The big store: ENTITIES entities (and a day of changes), then the same writes.
    const loadStarted = Date.now();
    await loadEntities(service, key, SMALL_STORE, ENTITIES);
    const loadSeconds = (Date.now() - loadStarted) / 1000;
    await addChanges(database.url, CHANGES);
    const big = await withWal(db, () => creates(service, key, small.next));
    const bigUpdates = await withWal(db, () => updates(service, key, ENTITIES, 2));
    const storage = await storagePerEntity(db);

    // Queries over the big store, fresh (no ANALYZE of ours in between).
    const rnd = random(3);
    const byProperty = await query(service.base, () => {
      const n = Math.floor(rnd() * ENTITIES);
      return { path: `/ngsi-ld/v1/entities?type=${typeOf(n)}&q=${encodeURIComponent(`fillLevel>${n % 500 - 1};name=="Entity ${n}"`)}` };
    });
    const byRelationship = await query(service.base, () => {
      const n = Math.floor(rnd() * ENTITIES);
      return { path: `/ngsi-ld/v1/entities?type=${typeOf(n)}&q=${encodeURIComponent(`refDevice=="urn:ngsi-ld:Device:d${n % 5000}"`)}` };
    });
    const rss = peakRss(service.child.pid);
    const flat = (a, b) => `${((b.perSecond / a.perSecond) * 100).toFixed(0)} %`;

    lines.push(
      `Produced by \`npm run bench:workload\` (bench/workload.mjs): the workload of Stellio's published load tests`,
      `(Stellio on 8 vCPU, September 2024, at ten times these volumes) against vg-datashare on PostgreSQL, service,`,
      `PostgreSQL (autovacuum on, no ANALYZE of ours) and load generator on the same machine. ${CLIENTS} clients,`,
      `closed loop, ${SECONDS} s per row. Entities: ${TYPES} types, 6 attributes (two multi-instance properties with datasetIds,`,
      `one with a sub-property, a relationship, a GeoProperty point); writes with an API key, reads anonymous (open K0 dataset).`,
      '',
      `- date: ${new Date().toISOString()}`,
      `- machine: ${cpus().length} × ${cpus()[0].model.trim()}, ${(totalmem() / 2 ** 30).toFixed(1)} GiB; Node ${process.version}`,
      `- store: ${SMALL_STORE.toLocaleString('en')} entities for the first rows; ${ENTITIES.toLocaleString('en')} entities, their history and ${CHANGES.toLocaleString('en')} more change rows for the others`,
      `- vg-datashare peak memory (VmHWM): **${rss.toFixed(0)} MB**`,
      '',
      '| work | vg-datashare | p50 / p95 / p99 ms | failures | Stellio (published) |',
      '|---|---|---|---|---|',
      row(`create, store of ${SMALL_STORE.toLocaleString('en')}`, small.result, STELLIO.create),
      row(`create, store of ${ENTITIES.toLocaleString('en')}`, big.result, STELLIO.create),
      row(`partial update, store of ${SMALL_STORE.toLocaleString('en')}`, smallUpdates, STELLIO.update),
      row(`partial update, store of ${ENTITIES.toLocaleString('en')}`, bigUpdates, STELLIO.update),
      row(`type + property, ${ENTITIES.toLocaleString('en')} entities`, byProperty, STELLIO.query),
      row(`type + relationship, ${ENTITIES.toLocaleString('en')} entities`, byRelationship, ''),
      '',
      `Flat: creates at ${ENTITIES.toLocaleString('en')} run at ${flat(small.result, big.result)} of the rate at ${SMALL_STORE.toLocaleString('en')}; updates at ${flat(smallUpdates, bigUpdates)}.`,
      '',
      `Loading ${(ENTITIES - SMALL_STORE).toLocaleString('en')} entities in batches of 1,000 (upsert) took ${loadSeconds.toFixed(0)} s. Write-ahead log per request:`,
      `create ${kb(small.walPerRequest)} / ${kb(big.walPerRequest)}, partial update ${kb(smallUpdates.walPerRequest)} / ${kb(bigUpdates.walPerRequest)}`,
      `(small / big store; entity, value index, history, change row, their indexes and full-page images). Stored per entity at`,
      `${ENTITIES.toLocaleString('en')}: ${kb(storage.entity)} in \`entity\` with its indexes, ${kb(storage.valueIndex)} in the value index`,
      `(${storage.valueRows.toFixed(1)} rows per entity, with their indexes).`,
    );
    process.stdout.write(lines.join('\n') + '\n');
    writeSection('## Workload (Stellio load tests)', lines);
  } finally {
    await db.end();
    service.stop();
    await database.drop();
  }
}

await main();
