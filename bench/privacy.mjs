// What a minimised view costs per read (issue 14): the same reads of the same personal data, by
// the owning organisation (full view) and by another organisation (minimised view: identifiers
// removed, locations on a 500 m grid, hours, one decimal, small counts withheld), alternating in
// slices in one run against one service. Both send a purpose; only the view differs. Writes the
// "Minimised views" section of bench/RESULTS.md.
//
//   npm run bench:privacy    (needs DATABASE_URL; defaults to the local postgres database)
//
// Environment: BENCH_PRIVACY_ENTITIES (10000), BENCH_PRIVACY_HISTORIES (20 entities with a month
// of hourly history), BENCH_SECONDS (10 per read kind and view), BENCH_CONCURRENCY (8).
import { cpus, totalmem } from 'node:os';
import { merge, run, send } from './load.mjs';
import { createDataset, peakRss, scratchDatabase, startService, writeSection } from './service.mjs';

const ENTITIES = Number(process.env.BENCH_PRIVACY_ENTITIES ?? 10_000);
const HISTORIES = Number(process.env.BENCH_PRIVACY_HISTORIES ?? 20);
const SECONDS = Number(process.env.BENCH_SECONDS ?? 10);
const CONCURRENCY = Number(process.env.BENCH_CONCURRENCY ?? 8);
const SLICES = 5;
const PURPOSE = { 'vgds-purpose': 'dpv:ServiceProvision' };
const HOURS = 24 * 30;

function counter(i) {
  return {
    id: `urn:ngsi-ld:PeopleCounter:${String(i).padStart(6, '0')}`,
    type: 'PeopleCounter',
    peopleCount: { type: 'Property', value: i % 40, observedAt: '2026-11-20T10:17:23Z' },
    occupancy: { type: 'Property', value: (i % 1000) / 1000, observedAt: '2026-11-20T10:17:23Z' },
    refPerson: { type: 'Relationship', object: `urn:ngsi-ld:Person:${i}` },
    deviceSerial: { type: 'Property', value: `SN-${i}` },
    location: { type: 'GeoProperty', value: { type: 'Point', coordinates: [11 + (i % 200) * 0.0175, 57.2 + Math.floor(i / 200) * 0.0168] } },
  };
}

async function call(service, key, method, path, body) {
  const res = await send({ base: service.base, method, path, body: body && JSON.stringify(body), headers: { 'content-type': 'application/json', 'x-api-key': key } });
  if (res.status >= 300) throw new Error(`${method} ${path}: ${res.status}`);
}

async function issueKey(service, body) {
  const res = await fetch(`${service.base}/api/v1/api-keys`, { method: 'POST', headers: { 'content-type': 'application/json', 'x-api-key': service.adminKey }, body: JSON.stringify(body) });
  return (await res.json()).key;
}

async function load(service, writer) {
  for (let start = 0; start < ENTITIES; start += 1000) {
    const batch = Array.from({ length: Math.min(1000, ENTITIES - start) }, (_, j) => counter(start + j));
    await call(service, writer, 'POST', '/ngsi-ld/v1/entityOperations/upsert', batch);
  }
  const from = Date.parse('2026-10-01T00:00:00Z');
  for (let i = 0; i < HISTORIES; i++) {
    const at = (h) => new Date(from + h * 3_600_000 + 1_234_000).toISOString();
    const instances = Array.from({ length: HOURS }, (_, h) => ({ type: 'Property', value: ((h * 7 + i) % 40) + 0.123, observedAt: at(h) }));
    await call(service, writer, 'POST', `/ngsi-ld/v1/temporal/entities/${encodeURIComponent(counter(i).id)}/attrs`, { peopleCount: instances });
  }
}

/** The reads measured: each a request maker from a sequence number. */
const READS = {
  'GET one entity': (n) => `/ngsi-ld/v1/entities/${encodeURIComponent(counter((n * 7919) % ENTITIES).id)}`,
  'query by type, 100 a page': (n) => `/ngsi-ld/v1/entities?type=PeopleCounter&limit=100&offset=${(n * 100) % Math.max(1, ENTITIES - 100)}`,
  'geo-query near, 2 km, 100 a page': (n) => {
    const { coordinates } = counter((n * 7919) % ENTITIES).location.value;
    return `/ngsi-ld/v1/entities?type=PeopleCounter&limit=100&georel=near;maxDistance==2000&geometry=Point&coordinates=${encodeURIComponent(JSON.stringify(coordinates))}`;
  },
  'history: a month, hourly sums': (n) =>
    `/ngsi-ld/v1/temporal/entities/${encodeURIComponent(counter(n % HISTORIES).id)}?attrs=peopleCount&options=aggregatedValues&aggrMethods=sum,avg&aggrPeriodDuration=PT1H&timerel=after&timeAt=2026-09-30T00:00:00Z`,
  'history: a month of instances': (n) => `/ngsi-ld/v1/temporal/entities/${encodeURIComponent(counter(n % HISTORIES).id)}?attrs=peopleCount&timerel=after&timeAt=2026-09-30T00:00:00Z`,
};

async function measure(service, keys) {
  const results = [];
  for (const [name, path] of Object.entries(READS)) {
    const runs = { full: [], minimised: [] };
    for (let slice = 0; slice < SLICES; slice++) {
      for (const view of slice % 2 === 0 ? ['full', 'minimised'] : ['minimised', 'full']) {
        const headers = { 'x-api-key': keys[view], ...PURPOSE };
        runs[view].push(await run({ base: service.base, seconds: SECONDS / SLICES, concurrency: CONCURRENCY, next: (n) => ({ path: path(n), headers }), expectStatus: [200] }));
      }
    }
    results.push({ name, full: merge(runs.full), minimised: merge(runs.minimised) });
  }
  return results;
}

const fixed = (n, digits = 0) => n.toFixed(digits);

async function main() {
  const database = await scratchDatabase(`vgds_bench_privacy_${process.pid}`);
  const service = await startService(database.url, 21000 + (process.pid % 9000));
  try {
    await createDataset(service, {
      organisation: 'goteborg',
      title: { sv: 'Personräknare' },
      description: { sv: 'Personräknare' },
      entities: [{ type: 'PeopleCounter' }],
      classification: { confidentiality: 1, integrity: 1, availability: 1 },
      personalData: {
        category: 'pseudonymised', legalBasis: ['dpv:PublicInterest'], purposes: ['dpv:ServiceProvision'], identifyingAttributes: ['refPerson'],
        minimisation: { removeAttributes: ['deviceSerial'], locationGrid: 500, timeResolution: 'PT1H', numberPrecision: 1, smallCounts: { attributes: ['peopleCount'], k: 5 } },
      },
    });
    const keys = {
      full: await issueKey(service, { name: 'owner', organisation: 'goteborg', read: true, write: true }),
      minimised: await issueKey(service, { name: 'reader', organisation: 'boras', read: true, purpose: 'dpv:ServiceProvision' }),
    };
    const loadStarted = Date.now();
    await load(service, keys.full);
    console.log(`loaded ${ENTITIES} entities and ${HISTORIES} month-long histories in ${fixed((Date.now() - loadStarted) / 1000, 1)} s`);
    const results = await measure(service, keys);
    const rss = peakRss(service.child.pid);
    const lines = [
      `Machine: ${cpus().length} × ${cpus()[0].model}, ${fixed(totalmem() / 2 ** 30)} GiB; ${new Date().toISOString().slice(0, 10)}. Service, PostgreSQL and load generator on it together.`,
      `${ENTITIES} people counters in a personal dataset, ${HISTORIES} of them with a month of hourly history; ${CONCURRENCY} clients, ${SECONDS} s per read and view, alternating in ${SLICES} slices.`,
      'Full: the owning organisation. Minimised: another organisation (identifiers removed, 500 m grid, hours, one decimal, counts below 5 withheld). Both declare a purpose.',
      '',
      '| read | full req/s | full p50 / p95 ms | minimised req/s | minimised p50 / p95 ms | minimised / full |',
      '|---|---|---|---|---|---|',
      ...results.map(({ name, full, minimised }) =>
        `| ${name} | ${fixed(full.perSecond)} | ${fixed(full.p50, 1)} / ${fixed(full.p95, 1)} | ${fixed(minimised.perSecond)} | ${fixed(minimised.p50, 1)} / ${fixed(minimised.p95, 1)} | ${fixed(minimised.perSecond / full.perSecond, 2)} |`,
      ),
      '',
      `Failures: ${results.reduce((sum, r) => sum + r.full.failures + r.minimised.failures, 0)}. Peak RSS of the service: ${fixed(rss)} MB.`,
    ];
    console.log(lines.join('\n'));
    writeSection('## Minimised views (issue 14)', lines);
  } finally {
    service.stop();
    await database.drop();
  }
}

await main();
