// The DCAT-AP-SE catalog at the size of the region: 140 organisations, 1,000 open datasets, 20
// entities with locations in each, a week of hourly history for a tenth of them. Times GET /catalog
// (RDF/XML, as Sveriges dataportal harvests it) on the service as `npm start` runs it: the first
// build, cached answers, and rebuilds after a dataset changed; with and without gzip.
// Run: node scripts/build-if-changed.mjs && node bench/catalog.mjs
import { cpus, totalmem } from 'node:os';
import pg from 'pg';
import { peakRss, scratchDatabase, startService, writeSection } from './service.mjs';

const ORGANISATIONS = 140;
const DATASETS = 1000;
const ENTITIES_PER_DATASET = 20;

async function seed(db) {
  await db.query(
    `INSERT INTO organisation (id, name_sv, organisation_number, kind, contact_name, contact_email)
     SELECT 'org-' || n, 'Organisation ' || n, '55' || lpad(n::text, 8, '0'), 'municipality', 'Data', 'data' || n || '@org.example'
     FROM generate_series(1, $1) AS n`,
    [ORGANISATIONS],
  );
  await db.query(
    `INSERT INTO dataset (id, organisation, title, description, keywords, themes, licence, update_frequency, confidentiality, integrity, availability, open, conforms_to)
     SELECT gen_random_uuid(), 'org-' || (1 + n % $1), jsonb_build_object('sv', 'Dataset ' || n, 'en', 'Dataset ' || n), '{"sv": "Mätvärden från sensorer"}',
       '{"sv": ["sensor", "miljö"]}', '{ENVI}', 'http://creativecommons.org/licenses/by/4.0/', 'HOURLY', 0, 1, 1, true,
       'https://smart-data-models.github.io/dataModel.Weather/WeatherObserved/schema.json'
     FROM generate_series(1, $2) AS n`,
    [ORGANISATIONS, DATASETS],
  );
  await db.query(
    `INSERT INTO entity (tenant, id, types, attrs, location, created_at, modified_at, dataset_id, dataset_explicit)
     SELECT '', 'urn:ngsi-ld:WeatherObserved:' || d.id || '-' || k, '{https://smartdatamodels.org/dataModel.Weather/WeatherObserved}', '{}',
       ST_SetSRID(ST_MakePoint(11.5 + random() * 3, 57.3 + random() * 2), 4326), now(), now() - random() * interval '1 hour', d.id, true
     FROM dataset d, generate_series(1, $1) AS k WHERE d.organisation LIKE 'org-%'`,
    [ENTITIES_PER_DATASET],
  );
  await db.query(
    `INSERT INTO attribute_instance (retention_class, time, tenant, entity_id, attribute, dataset_id, created_at, modified_at, instance)
     SELECT 'keep', t, '', e.id, 'https://smartdatamodels.org/temperature', e.dataset_id, t, t, jsonb_build_object('value', 20, 'observedAt', t)
     FROM (SELECT * FROM entity WHERE id LIKE '%-1' LIMIT $1) e, generate_series(now() - interval '7 days', now(), interval '1 hour') AS t`,
    [DATASETS / 10],
  );
  await db.query('ANALYZE');
}

async function timedGet(base, headers = {}) {
  const started = performance.now();
  const res = await fetch(`${base}/catalog`, { headers: { accept: 'application/rdf+xml', 'accept-encoding': 'identity', ...headers } });
  const body = Buffer.from(await res.arrayBuffer());
  if (res.status !== 200) throw new Error(`GET /catalog: ${res.status}`);
  // fetch asks for gzip unless told otherwise, and inflates it: the bytes sent are in Content-Length.
  return { ms: performance.now() - started, bytes: Number(res.headers.get('content-length') ?? body.length) };
}

async function changeOneDataset(db, n) {
  await db.query(`UPDATE dataset SET title = jsonb_build_object('sv', 'Ändrat ' || $1::int), modified_at = now() WHERE id = (SELECT id FROM dataset WHERE organisation LIKE 'org-%' ORDER BY id OFFSET $1 LIMIT 1)`, [n]);
}

async function main() {
  const database = await scratchDatabase(`vgds_bench_catalog_${process.pid}`);
  const db = new pg.Client({ connectionString: database.url });
  let service;
  try {
    service = await startService(database.url, 21000 + (process.pid % 9000));
    await db.connect();
    await seed(db);
    const first = await timedGet(service.base);
    const cached = [];
    for (let i = 0; i < 5; i++) cached.push((await timedGet(service.base)).ms);
    const gzipFirst = await timedGet(service.base, { 'accept-encoding': 'gzip' });
    const gzipCached = await timedGet(service.base, { 'accept-encoding': 'gzip' });
    const changed = [];
    for (let i = 0; i < 5; i++) {
      await changeOneDataset(db, i);
      changed.push((await timedGet(service.base)).ms);
    }
    const fmt = (values) => values.map((ms) => ms.toFixed(0)).join(' / ');
    const lines = [
      `- date: ${new Date().toISOString()}; machine: ${cpus().length} × ${cpus()[0].model.trim()}, ${(totalmem() / 2 ** 30).toFixed(1)} GiB; Node ${process.version}`,
      `- data: ${ORGANISATIONS} organisations, ${DATASETS} open datasets, ${ENTITIES_PER_DATASET} entities with locations each, a week of hourly history for ${DATASETS / 10} of them; the service as \`npm start\` runs it (--max-old-space-size=256)`,
      `- document: ${(first.bytes / 2 ** 20).toFixed(1)} MiB of RDF/XML (${(gzipCached.bytes / 2 ** 20).toFixed(2)} MiB gzipped)`,
      '',
      '| GET /catalog (RDF/XML) | ms |',
      '|---|---|',
      `| first build after start and seeding | ${first.ms.toFixed(0)} |`,
      `| cached (5 requests) | ${fmt(cached)} |`,
      `| gzip: first (compresses once) / cached | ${gzipFirst.ms.toFixed(0)} / ${gzipCached.ms.toFixed(0)} |`,
      `| rebuilt after one dataset changed (5 times) | ${fmt(changed)} |`,
      '',
      'Times are to the last byte at the client; with gzip they include inflating 10 MB there. The first build describes every dataset; later builds reuse the RDF/XML fragments of unchanged datasets (src/catalog/rdf-xml-catalog.ts).',
      '',
      `vg-datashare peak memory (VmHWM): ${peakRss(service.child.pid).toFixed(0)} MB`,
    ];
    console.log(lines.join('\n'));
    writeSection('## DCAT catalog (bench/catalog.mjs)', lines);
  } finally {
    service?.child.kill('SIGTERM');
    await db.end().catch(() => undefined);
    await database.drop();
  }
}

await main();
