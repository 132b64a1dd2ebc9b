import { get } from 'node:http';
import { AddressInfo } from 'node:net';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { Sql } from 'src/database/sql';
import { startTestApp, TestApp } from 'test/support/test-app';

/*
 * Downloads stream: a dataset of 20,000 entities (and 100,000 history instances) goes out page
 * by page, and the live heap of the process (the service and this client, which only counts
 * bytes) stays flat while tens of megabytes pass through it. GeoJSON is written as NGSI-LD is
 * (the same pages, the same JSON array writer), so it is not measured again.
 */

const ENTITIES = 20_000;
const HOURS = 5;
const BATCH = 10_000;
const SENSOR = 'https://uri.etsi.org/ngsi-ld/default-context/Sensor';
const TEMPERATURE = 'https://uri.etsi.org/ngsi-ld/default-context/temperature';
const NAME = 'https://uri.etsi.org/ngsi-ld/default-context/name';
const LOCATION = 'https://uri.etsi.org/ngsi-ld/location';

let t: TestApp;
let base: string;

interface Measured {
  readonly status: number;
  readonly bytes: number;
  readonly heapGrowth: number;
  readonly rssGrowth: number;
  readonly lines: number;
}

// A full collection before each sample, so that what is measured is what is still held, not garbage.
setFlagsFromString('--expose-gc');
const gc = runInNewContext('gc') as () => void;

/** The heap in use after a full collection. */
function liveHeap(): number {
  gc();
  return process.memoryUsage().heapUsed;
}

/** Received bytes between two samples of the live heap. */
const SAMPLE_EVERY = 2 * 1024 * 1024;

/**
 * Downloads `path`, counting bytes and lines without keeping them, and samples the live heap every
 * 2 MB received. Sampling by bytes, not by time, keeps the full collections few: late in a long
 * test run the process's heap is large, and collecting it twice a second starved the download.
 */
async function measure(path: string): Promise<Measured> {
  const before = liveHeap();
  const rssBefore = process.memoryUsage().rss;
  let peak = before;
  let peakRss = rssBefore;
  const sample = () => {
    peak = Math.max(peak, liveHeap());
    peakRss = Math.max(peakRss, process.memoryUsage().rss);
  };
  return new Promise<Measured>((resolve, reject) => {
    get(`${base}${path}`, (res) => {
      let bytes = 0;
      let lines = 0;
      let nextSample = SAMPLE_EVERY;
      res.on('data', (chunk: Buffer) => {
        bytes += chunk.length;
        for (let i = chunk.indexOf(10); i !== -1; i = chunk.indexOf(10, i + 1)) lines++;
        if (bytes >= nextSample) {
          sample();
          nextSample += SAMPLE_EVERY;
        }
      });
      res.on('end', () => resolve({ status: res.statusCode!, bytes, lines, heapGrowth: peak - before, rssGrowth: peakRss - rssBefore }));
      res.on('error', reject);
    }).on('error', reject);
  });
}

const MB = 1024 * 1024;

beforeAll(async () => {
  t = await startTestApp();
  await new Promise<void>((resolve) => t.http.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(t.http.address() as AddressInfo).port}/api/v1/datasets/${t.writer.datasetId}/download`;
  // Straight into the tables, as the write path stores entities and history, for speed; in
  // batches, each well within the statement timeout.
  for (let first = 1; first <= ENTITIES; first += BATCH) await insertBatch(first, Math.min(first + BATCH - 1, ENTITIES));
}, 120_000);

async function insertBatch(first: number, last: number): Promise<void> {
  await t.app.get(Sql).query(
    `INSERT INTO entity (tenant, id, types, attrs, location, created_at, modified_at, dataset_id)
     SELECT '', 'urn:ngsi-ld:Sensor:' || lpad(i::text, 6, '0'), ARRAY[$2], jsonb_build_object(
              $3::text, jsonb_build_array(jsonb_build_object('type', 'Property', 'value', round((i % 300)::numeric / 10, 1), 'unitCode', 'CEL', 'observedAt', '2026-11-30T10:00:00.000Z')),
              $4::text, jsonb_build_array(jsonb_build_object('type', 'Property', 'value', 'Givare nummer ' || i || ', ' || repeat('mätpunkt vid bryggan ', 10))),
              $5::text, jsonb_build_array(jsonb_build_object('type', 'GeoProperty', 'value', jsonb_build_object('type', 'Point', 'coordinates', jsonb_build_array(11 + (i % 1000) / 1000.0, 57 + (i / 1000) / 1000.0))))),
            ST_SetSRID(ST_MakePoint(11 + (i % 1000) / 1000.0, 57 + (i / 1000) / 1000.0), 4326), now(), now(), $1
     FROM generate_series(${first}, ${last}) i`,
    [t.writer.datasetId, SENSOR, TEMPERATURE, NAME, LOCATION],
  );
  await t.app.get(Sql).query(
    `INSERT INTO attribute_instance (retention_class, time, tenant, entity_id, attribute, dataset_id, created_at, modified_at, instance)
     SELECT 'keep', timestamptz '2026-11-30T00:00:00Z' + make_interval(mins => h * 30), '', 'urn:ngsi-ld:Sensor:' || lpad(i::text, 6, '0'), $2, $1, now(), now(),
            jsonb_build_object('type', 'Property', 'value', (i + h) % 30, 'unitCode', 'CEL', 'observedAt', to_char((timestamptz '2026-11-30T00:00:00Z' + make_interval(mins => h * 30)) AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"'))
     FROM generate_series(${first}, ${last}) i CROSS JOIN generate_series(0, ${HOURS - 1}) h`,
    [t.writer.datasetId, TEMPERATURE],
  );
}
afterAll(async () => {
  await t?.close();
}, 60_000);

describe('a dataset of 20,000 entities', () => {
  it.each([
    ['current.csv', ENTITIES + 1, 5],
    ['current.jsonld', undefined, 9],
    ['history.csv?from=2026-11-30T00:00:00Z&to=2026-12-01T00:00:00Z', HOURS * ENTITIES + 1, 5],
  ])('streams %s with a flat heap', async (file, lines, megabytes) => {
    const result = await measure(`/${file}`);
    process.stdout.write(`${file}: ${(result.bytes / MB).toFixed(1)} MB, heap growth at most ${(result.heapGrowth / MB).toFixed(1)} MB, rss growth ${(result.rssGrowth / MB).toFixed(1)} MB\n`);
    expect(result.status).toBe(200);
    if (lines !== undefined) expect(result.lines).toBe(lines);
    expect(result.bytes).toBeGreaterThan(megabytes * MB);
    // Holding the body (as text, or its pages' entities) would grow the live heap by at least the body's size.
    expect(result.heapGrowth).toBeLessThan(Math.min(result.bytes / 2, 16 * MB));
  }, 180_000);
});
