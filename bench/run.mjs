// Benchmarks of the NGSI-LD hot paths against a minimal Fastify + pg server running the same SQL,
// measured in the same run on the same database. Writes bench/RESULTS.md.
//
//   npm run bench            (needs DATABASE_URL; defaults to the local postgres database)
//
// Environment: DATABASE_URL, BENCH_ENTITIES (100000), BENCH_SECONDS (10), BENCH_CONCURRENCY (8).
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, tmpdir, totalmem } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import { merge, run, send, summarize } from './load.mjs';
import { peakRss, registerOrganisation, sectionsFrom, startProcess } from './service.mjs';

const here = dirname(fileURLToPath(import.meta.url));
const serverUrl = process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
const ENTITIES = Number(process.env.BENCH_ENTITIES ?? 100_000);
const SECONDS = Number(process.env.BENCH_SECONDS ?? 10);
const CONCURRENCY = Number(process.env.BENCH_CONCURRENCY ?? 8);
const BATCH = 1000;
const OTHER_SECTIONS = ['## History (temporal queries)', '## MQTT ingestion'];
/** Each read measurement alternates between the two servers in this many slices. */
const SLICES = 5;
const VOCAB = 'https://uri.etsi.org/ngsi-ld/default-context/';
const JSON_HEADERS = { 'content-type': 'application/json' };

/** A deterministic pseudo-random sequence, the same for both servers. */
function random(seed) {
  let state = seed;
  return () => ((state = (state * 1103515245 + 12345) % 2147483648) / 2147483648);
}

/** Weather stations on a grid over Västra Götaland; temperature i/1000, so a 0.099 window holds 100. */
function station(i) {
  const lon = 11 + (i % 400) * 0.00875;
  const lat = 57.2 + Math.floor(i / 400) * 0.0084;
  return {
    id: `urn:ngsi-ld:WeatherObserved:${String(i).padStart(6, '0')}`,
    type: 'WeatherObserved',
    temperature: { type: 'Property', value: i / 1000, unitCode: 'CEL', observedAt: '2026-11-20T10:00:00Z' },
    relativeHumidity: { type: 'Property', value: (i % 100) / 100 },
    name: { type: 'Property', value: `Station ${i}` },
    dateObserved: { type: 'Property', value: { '@type': 'DateTime', '@value': '2026-11-20T10:00:00Z' } },
    address: { type: 'Property', value: { addressLocality: 'Göteborg', postalCode: `4${String(i % 10000).padStart(4, '0')}` } },
    refDevice: { type: 'Relationship', object: `urn:ngsi-ld:Device:${i}` },
    location: { type: 'GeoProperty', value: { type: 'Point', coordinates: [Number(lon.toFixed(5)), Number(lat.toFixed(5))] } },
  };
}

/** The same entity as vg-datashare stores it: what the baseline writes directly. */
function stored(entity, now) {
  const attrs = {};
  for (const [key, value] of Object.entries(entity)) {
    if (key === 'id' || key === 'type') continue;
    const iri = key === 'location' ? 'https://uri.etsi.org/ngsi-ld/location' : VOCAB + key;
    const instance = { ...value, createdAt: now, modifiedAt: now };
    if (key === 'dateObserved') instance.value = { '@type': 'https://uri.etsi.org/ngsi-ld/DateTime', '@value': value.value['@value'] };
    if (key === 'address') instance.value = { [VOCAB + 'addressLocality']: value.value.addressLocality, [VOCAB + 'postalCode']: value.value.postalCode };
    attrs[iri] = [instance];
  }
  return { id: entity.id, types: [VOCAB + entity.type], scopes: null, attrs };
}

function batchOf(first) {
  return Array.from({ length: BATCH }, (_, k) => station(first + k));
}

/**
 * Sends batches to both servers, one to each in turn (so that the machine's load falls on both
 * alike), and times each side: entities per second over the time spent in its own requests.
 */
async function timeBatches(ours, theirs) {
  const sides = [ours, theirs].map(() => ({ latencies: [], busy: 0 }));
  for (let i = 0; i < Math.max(ours.bodies.length, theirs.bodies.length); i++) {
    for (const [k, { base, path, bodies, headers }] of [ours, theirs].entries()) {
      if (i >= bodies.length) continue;
      const { status, ms } = await send({ base, method: 'POST', path, body: bodies[i], headers });
      if (status >= 300) throw new Error(`${path} answered ${status}`);
      sides[k].latencies.push(ms);
      sides[k].busy += ms / 1000;
    }
  }
  return sides.map(({ latencies, busy }) => {
    const result = summarize(latencies, busy);
    return { ...result, entitiesPerSecond: result.perSecond * BATCH };
  });
}

async function main() {
  const database = `vgds_bench_${process.pid}`;
  const admin = new pg.Client({ connectionString: serverUrl });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${database}`);
  const url = new URL(serverUrl);
  url.pathname = `/${database}`;
  const databaseUrl = url.toString();
  const servicePort = 20000 + (process.pid % 10000);
  const baselinePort = servicePort + 1;
  const service = `http://127.0.0.1:${servicePort}`;
  const baseline = `http://127.0.0.1:${baselinePort}`;
  let serviceProcess;
  let baselineProcess;
  const dataDir = mkdtempSync(join(tmpdir(), 'vgds-bench-'));
  try {
    // The first administrator key (as on a fresh installation) makes the open dataset the bench writes into.
    serviceProcess = await startProcess('node', ['--max-old-space-size=256', join(here, '..', 'dist', 'main.js')], {
      DATABASE_URL: databaseUrl, PORT: String(servicePort), HOST: '127.0.0.1', LOG_LEVEL: 'warn', NODE_ENV: 'production',
      BOOTSTRAP_ADMIN_KEY: 'true', DATA_DIR: dataDir,
    });
    const adminKey = readFileSync(join(dataDir, 'admin-api-key'), 'utf8').trim();
    await registerOrganisation(service, adminKey, 'platform');
    const created = await fetch(`${service}/api/v1/datasets`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-api-key': adminKey },
      body: JSON.stringify({
        title: { sv: 'Väderstationer', en: 'Weather stations' },
        description: { sv: 'Benchmarkdata' },
        entities: [{ type: 'WeatherObserved' }],
        classification: { confidentiality: 0, integrity: 1, availability: 1 },
        open: true,
      }),
    });
    if (created.status !== 201) throw new Error(`creating the bench dataset: ${created.status} ${await created.text()}`);
    const datasetId = (await created.json()).id;
    const WRITE_HEADERS = { ...JSON_HEADERS, 'x-api-key': adminKey };
    baselineProcess = await startProcess('node', [join(here, 'baseline-server.mjs')], { DATABASE_URL: databaseUrl, PORT: String(baselinePort), DATASET_ID: datasetId }, 'ready');
    const db = new pg.Client({ connectionString: databaseUrl });
    await db.connect();
    const [{ version }] = (await db.query(`SELECT current_setting('server_version') AS version`)).rows;
    const [{ postgis }] = (await db.query(`SELECT postgis_lib_version() AS postgis`)).rows;

    // Loading: the service takes half the batches, the baseline the other half (all new entities).
    const now = new Date().toISOString();
    const half = ENTITIES / 2;
    const serviceNew = [];
    const baselineNew = [];
    for (let first = 0; first < ENTITIES; first += BATCH) {
      const entities = batchOf(first);
      if (first < half) serviceNew.push(JSON.stringify(entities));
      else baselineNew.push(JSON.stringify(entities.map((e) => stored(e, now))));
    }
    process.stderr.write(`loading ${ENTITIES} entities...\n`);
    const [upsertNewService, upsertNewBaseline] = await timeBatches(
      { base: service, path: '/ngsi-ld/v1/entityOperations/upsert', bodies: serviceNew, headers: WRITE_HEADERS },
      { base: baseline, path: '/upsert', bodies: baselineNew, headers: JSON_HEADERS },
    );
    // Then both replace existing entities, the same ones.
    const again = Array.from({ length: 20 }, (_, k) => batchOf(((k * 7) % (ENTITIES / BATCH)) * BATCH));
    const [upsertOldService, upsertOldBaseline] = await timeBatches(
      { base: service, path: '/ngsi-ld/v1/entityOperations/upsert', bodies: again.map((b) => JSON.stringify(b)), headers: WRITE_HEADERS },
      { base: baseline, path: '/upsert', bodies: again.map((b) => JSON.stringify(b.map((e) => stored(e, now)))), headers: JSON_HEADERS },
    );
    await db.query('VACUUM ANALYZE');

    const results = [];
    const compare = async (name, serviceRequest, baselineRequest, expectStatus = [200]) => {
      process.stderr.write(`${name}...\n`);
      // Alternating slices, so that the machine's ups and downs fall on both sides alike.
      const oursSlices = [];
      const theirsSlices = [];
      const ourNext = serviceRequest(random(42));
      const theirNext = baselineRequest(random(42));
      for (let slice = 0; slice < SLICES; slice++) {
        oursSlices.push(await run({ base: service, seconds: SECONDS / SLICES, concurrency: CONCURRENCY, next: ourNext, expectStatus }));
        theirsSlices.push(await run({ base: baseline, seconds: SECONDS / SLICES, concurrency: CONCURRENCY, next: theirNext, expectStatus }));
      }
      results.push({ name, ours: merge(oursSlices), theirs: merge(theirsSlices) });
    };
    const someId = (r) => station(Math.floor(r() * ENTITIES)).id;
    await compare(
      'GET one entity',
      (r) => () => ({ path: `/ngsi-ld/v1/entities/${encodeURIComponent(someId(r))}` }),
      (r) => () => ({ path: `/entity/${encodeURIComponent(someId(r))}` }),
    );
    await compare(
      'GET one entity, with an API key',
      (r) => () => ({ path: `/ngsi-ld/v1/entities/${encodeURIComponent(someId(r))}`, headers: { 'x-api-key': adminKey } }),
      (r) => () => ({ path: `/entity/${encodeURIComponent(someId(r))}` }),
    );
    const window = (r) => {
      const from = Math.floor(r() * (ENTITIES / 100 - 1)) / 10; // 0.0, 0.1, ...: 100 stations each
      return [from.toFixed(1), (from + 0.099).toFixed(3)];
    };
    await compare(
      'type + q, 100 of 100,000',
      (r) => () => {
        const [from, to] = window(r);
        return { path: `/ngsi-ld/v1/entities?type=WeatherObserved&limit=100&q=${encodeURIComponent(`temperature==${from}..${to}`)}` };
      },
      (r) => () => {
        const [from, to] = window(r);
        return { path: `/type-and-q?type=${encodeURIComponent(`${VOCAB}WeatherObserved`)}&attr=${encodeURIComponent(`${VOCAB}temperature`)}&min=${from}&max=${to}` };
      },
    );
    const point = (r) => [(11 + r() * 3.4).toFixed(4), (57.25 + r() * 2).toFixed(4)];
    await compare(
      'near, 2 km',
      (r) => () => {
        const [lon, lat] = point(r);
        return { path: `/ngsi-ld/v1/entities?limit=100&georel=${encodeURIComponent('near;maxDistance==2000')}&geometry=Point&coordinates=${encodeURIComponent(`[${lon},${lat}]`)}` };
      },
      (r) => () => {
        const [lon, lat] = point(r);
        return { path: `/near?lon=${lon}&lat=${lat}&distance=2000` };
      },
    );
    const check = await send({ base: service, path: `/ngsi-ld/v1/entities?type=WeatherObserved&limit=100&q=${encodeURIComponent('temperature==1.2..1.299')}` });
    const rss = peakRss(serviceProcess.pid);
    await db.end();
    writeResults({ version, postgis, results, upserts: { upsertNewService, upsertNewBaseline, upsertOldService, upsertOldBaseline }, rss, checkSize: check.size });
  } finally {
    serviceProcess?.kill('SIGTERM');
    baselineProcess?.kill('SIGTERM');
    await new Promise((resolve) => setTimeout(resolve, 1500));
    await admin.query(`DROP DATABASE IF EXISTS ${database} WITH (FORCE)`);
    await admin.end();
    rmSync(dataDir, { recursive: true, force: true });
  }
}

function row(name, ours, theirs, unit = 'req/s', rate = (x) => x.perSecond) {
  const f = (n) => n.toFixed(n < 10 ? 2 : 1);
  return `| ${name} | ${f(rate(ours))} ${unit} | ${f(ours.p50)} / ${f(ours.p95)} / ${f(ours.p99)} | ${f(rate(theirs))} ${unit} | ${f(theirs.p50)} / ${f(theirs.p95)} / ${f(theirs.p99)} | ${(rate(ours) / rate(theirs)).toFixed(2)} |`;
}

function writeResults({ version, postgis, results, upserts, rss, checkSize }) {
  const cpu = cpus();
  const lines = [
    '# Benchmark results',
    '',
    'Produced by `npm run bench` (bench/run.mjs). vg-datashare and a minimal Fastify + `pg` server',
    '(bench/baseline-server.mjs) running the same SQL answer the same requests, one after the other, in',
    'the same run on the same database; the ratio is vg-datashare\'s throughput over the baseline\'s.',
    'The baseline does no authentication, no access decision, no JSON-LD expansion or compaction, no',
    'validation and no error handling: the ratio is what those cost. vg-datashare reads as an anonymous',
    'caller of an open K0 dataset (the open-data portal case) unless a row says otherwise, and writes',
    'with an API key; every request checks the governance version and filters by readable datasets.',
    'Reads: closed loop, ' + CONCURRENCY + ' concurrent clients, ' + SECONDS + ' s each, in ' + SLICES + ' slices alternating between the',
    'two servers (the machine\'s load varies; alternating puts it on both sides alike), one random request',
    'after another from the same seeded sequence for both. Batches: sequential, 1,000 entities each, one',
    'to each server in turn.',
    '',
    `- date: ${new Date().toISOString()}`,
    `- machine: ${cpu.length} × ${cpu[0].model}, ${(totalmem() / 2 ** 30).toFixed(1)} GiB; Node ${process.version}`,
    `- database: PostgreSQL ${version} with PostGIS ${postgis} on the same machine (DATABASE_URL)`,
    `- data: ${ENTITIES.toLocaleString('en')} WeatherObserved entities (9 attributes, ~1 KB each as NGSI-LD)`,
    `- vg-datashare peak memory (VmHWM) during the run: **${rss.toFixed(0)} MB**`,
    '',
    '| work | vg-datashare | p50 / p95 / p99 ms | baseline | p50 / p95 / p99 ms | ratio |',
    '|---|---|---|---|---|---|',
    ...results.map(({ name, ours, theirs }) => row(name, ours, theirs)),
    row('batch upsert, 1,000 new', upserts.upsertNewService, upserts.upsertNewBaseline, 'entities/s', (x) => x.entitiesPerSecond),
    row('batch upsert, 1,000 existing', upserts.upsertOldService, upserts.upsertOldBaseline, 'entities/s', (x) => x.entitiesPerSecond),
    '',
    `Failures (non-2xx answers) during the reads: ${results.map((r) => `${r.name}: ${r.ours.failures}/${r.theirs.failures}`).join(', ')}.`,
    `A type + q answer of 100 entities is ${(checkSize / 1024).toFixed(0)} KB of NGSI-LD JSON.`,
    '',
    '## Notes',
    '',
    '- Load generator, vg-datashare, the baseline and PostgreSQL share the machine\'s cores: absolute',
    '  numbers say little, the ratios say what the service adds over bare SQL.',
    '- The plans behind these numbers (GIN on types and attribute names, the typed value index, GiST on',
    '  location and on location::geography) are checked by `test/e2e/query-plans.e2e-spec.ts`.',
    '- Batches: both sides write the entities and every replaced attribute into the history (9 instances',
    '  per entity). vg-datashare also writes the value index of the attributes that changed (12 rows per',
    '  entity here; until December 2026 triggers wrote it on both sides, now the service computes the',
    '  rows and its statements write them, which the baseline does not), compares each instance with the',
    '  one it replaces so that an unchanged value is not recorded twice (the baseline records all), and',
    '  writes a change record per entity (the entity as left, the previous instances of what changed) for',
    '  subscriptions and the change feed. The batch ratios compare that with a bare upsert.',
    '- Every request reads the governance version counter (one single-row query, shared by the requests',
    '  that arrive while one is under way) before it is answered, so that a changed classification, grant',
    '  or key applies to the very next request. The read of one entity is a prepared statement on both sides.',
    '  Before access control the ratios were 0.57 (GET one), 1.02 (type + q), 0.75 (near), 0.96 and 0.78',
    '  (batches). Runs on this shared machine vary by up to 2x in absolute numbers (the same baseline',
    '  request measured 1,600 to 3,600 req/s today); compare ratios within one run.',
    '- Memory is the service alone on an external PostgreSQL, started as `npm start` starts it, with the',
    '  V8 heap capped at 256 MB: without the cap V8 lets the heap grow to about 270 MB of RSS between',
    '  collections under batch load (live data after a collection stays under 200 MB); with it the peak',
    '  of the same load was 170 MB, at the same throughput.',
    '- Memory is the service alone on an external PostgreSQL. With the embedded database (PGlite, a',
    '  WebAssembly PostgreSQL in the same process) the process holds about 0.9 to 1.1 GB from the start:',
    '  that is PGlite\'s memory, the price of needing nothing installed.',
    '',
  ];
  // The history and ingestion benchmarks (bench/history.mjs, bench/ingest.mjs) keep their own sections.
  writeFileSync(join(here, 'RESULTS.md'), lines.join('\n') + sectionsFrom(OTHER_SECTIONS));
  process.stdout.write(lines.join('\n'));
}

main().catch((error) => {
  process.stderr.write(`${error.stack ?? error}\n`);
  process.exit(1);
});
