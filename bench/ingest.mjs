// MQTT ingestion: how many device messages per second vg-datashare stores (current state and
// history, one transaction per batch, PUBACK after commit), against the same rows written straight
// through `pg` in the same run. Writes the "MQTT ingestion" section of bench/RESULTS.md.
//
//   npm run bench:ingest      (needs DATABASE_URL and an MQTT broker at BENCH_MQTT_URL, default mqtt://127.0.0.1:1883)
//
// BENCH_MQTT_BACKLOG (default 900) bounds what is published ahead of what is stored; raise it only
// with a broker that queues more per session (Mosquitto: max_queued_messages).
import { cpus, totalmem } from 'node:os';
import mqtt from 'mqtt';
import pg from 'pg';
import { createDataset, peakRss, scratchDatabase, startService, writeSection } from './service.mjs';

const BROKER = process.env.BENCH_MQTT_URL ?? 'mqtt://127.0.0.1:1883';
const DEVICES = Number(process.env.BENCH_DEVICES ?? 100);
const MESSAGES = Number(process.env.BENCH_MESSAGES ?? 20_000);
const CONNECTIONS = (process.env.BENCH_MQTT_CONNECTIONS ?? '1,8,32').split(',').map(Number);
const BATCH = 500;
/**
 * Messages published but not yet stored, at most: within what Mosquitto keeps for a session, in
 * flight and queued (1,000 by default; measured: 1,400 ahead lost messages).
 */
const BACKLOG = Number(process.env.BENCH_MQTT_BACKLOG ?? 900);
const VOCAB = 'https://uri.etsi.org/ngsi-ld/default-context/';
const PREFIX = `bench${process.pid}`;

const entityOf = (d, run = 'baseline') => `urn:ngsi-ld:WaterQualityObserved:bench-${run}-${String(d).padStart(4, '0')}`;
const observedAt = (n) => new Date(Date.UTC(2026, 10, 1) + n * 1000).toISOString();

async function registerDevices(service, datasetId, run) {
  const keys = [];
  for (let d = 0; d < DEVICES; d++) {
    const res = await fetch(`${service.base}/api/v1/devices`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-api-key': service.adminKey },
      body: JSON.stringify({
        deviceId: `buoy-${run}-${d}`,
        entity: { id: entityOf(d, run), type: 'WaterQualityObserved' },
        dataset: datasetId,
        mapping: [{ field: 'temperature', attribute: 'temperature', type: 'number', unitCode: 'CEL', min: -5, max: 40 }],
      }),
    });
    if (res.status !== 201) throw new Error(`registering a device: ${res.status} ${await res.text()}`);
    keys.push((await res.json()).key);
  }
  return keys;
}

/**
 * Publishes MESSAGES messages (QoS 1) round-robin over the devices, never more than BACKLOG ahead
 * of what is stored: a broker keeps a bounded queue per session (Mosquitto: max_queued_messages,
 * 1000 by default) and drops beyond it, so a sustained rate is measured with a bounded backlog.
 */
async function publishAll(keys, organisation, service, datasetId, run) {
  const client = await mqtt.connectAsync(BROKER, { clientId: `${PREFIX}-publisher-${datasetId.slice(0, 8)}`, protocolVersion: 5 });
  for (let first = 0; first < MESSAGES; first += BACKLOG / 2) {
    await waitForStored(service, first - BACKLOG / 2);
    const sent = [];
    for (let n = first; n < Math.min(first + BACKLOG / 2, MESSAGES); n++) {
      const d = n % DEVICES;
      const payload = JSON.stringify({ temperature: 10 + (n % 100) / 10, observedAt: observedAt(n), deviceKey: keys[d] });
      sent.push(client.publishAsync(`${PREFIX}/${organisation}/buoy-${run}-${d}/attrs`, payload, { qos: 1 }));
    }
    await Promise.all(sent);
  }
  await client.endAsync();
}

/**
 * Until the service counts `expected` messages stored (its status counts a batch once committed).
 * Cheaper to ask often than counting the history's rows, which would take a core of its own.
 */
async function waitForStored(service, expected) {
  for (;;) {
    if (expected <= 0) return;
    const status = await (await fetch(`${service.base}/api/v1/ingest/status`)).json();
    if (status.messages.accepted >= expected) return;
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

async function waitForRows(db, datasetId, expected) {
  for (;;) {
    if (expected <= 0) return;
    const { rows } = await db.query('SELECT count(*)::int AS n FROM attribute_instance WHERE dataset_id = $1', [datasetId]);
    if (rows[0].n >= expected) return;
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

/** The service: publish, and time until every measurement is in the history. */
async function measureService(database, db, connections, known) {
  const service = await startService(database.url, 22000 + (process.pid % 9000) + connections, {
    MQTT_URL: BROKER, MQTT_CONNECTIONS: String(connections), MQTT_CLIENT_ID: `${PREFIX}-${connections}`, MQTT_TOPIC_PREFIX: PREFIX,
    MQTT_BATCH_MAX: String(BATCH), MQTT_CHIRPSTACK: 'false',
    // A share group of its own per run: the sessions of an earlier run stay on the broker, and would take their share.
    MQTT_SHARE_GROUP: `${PREFIX}-${connections}`, MQTT_SESSION_EXPIRY_SECONDS: '60',
  });
  // The first start wrote the administrator key; later starts on the same database do not.
  service.adminKey ??= known.adminKey;
  known.adminKey = service.adminKey;
  try {
    const datasetId = await createDataset(service, {
      title: { sv: `Bojar ${connections}`, en: `Buoys ${connections}` }, description: { sv: 'Benchmarkdata' },
      classification: { confidentiality: 0, integrity: 1, availability: 1 }, open: true, retentionPeriod: 'P1Y',
    });
    const keys = await registerDevices(service, datasetId, connections);
    await new Promise((resolve) => setTimeout(resolve, 1000)); // subscriptions settle
    const started = Date.now();
    await publishAll(keys, 'platform', service, datasetId, connections);
    await waitForRows(db, datasetId, MESSAGES);
    const seconds = (Date.now() - started) / 1000;
    return { connections, seconds, perSecond: MESSAGES / seconds, rss: peakRss(service.child.pid) };
  } finally {
    service.stop();
    await new Promise((resolve) => setTimeout(resolve, 1000));
  }
}

/** The baseline: the same history rows and current states, BATCH messages per transaction, straight through pg. */
async function measureBaseline(db, batchSize) {
  const { rows } = await db.query(`SELECT id FROM dataset WHERE NOT is_default LIMIT 1`);
  const datasetId = rows[0].id;
  const now = new Date().toISOString();
  const started = Date.now();
  for (let first = 0; first < MESSAGES; first += batchSize) {
    const batch = Array.from({ length: Math.min(batchSize, MESSAGES - first) }, (_, k) => {
      const n = first + k;
      return { entity_id: entityOf(n % DEVICES), instance: { type: 'Property', value: 10 + (n % 100) / 10, unitCode: 'CEL', observedAt: observedAt(n) } };
    });
    await db.query('BEGIN');
    await db.query(
      `INSERT INTO attribute_instance (retention_class, time, tenant, entity_id, attribute, dataset_id, created_at, modified_at, instance)
       SELECT 'p1y', (r.instance->>'observedAt')::timestamptz, '', r.entity_id, $2, $3, $4, $4, r.instance FROM jsonb_to_recordset($1::jsonb) AS r(entity_id text, instance jsonb)`,
      [JSON.stringify(batch), `${VOCAB}temperature`, datasetId, now],
    );
    await db.query(
      `INSERT INTO entity AS e (tenant, id, types, attrs, created_at, modified_at, dataset_id)
       SELECT DISTINCT ON (r.entity_id) '', r.entity_id, ARRAY[$2], jsonb_build_object($3::text, jsonb_build_array(r.instance)), $4::timestamptz, $4::timestamptz, $5
       FROM jsonb_to_recordset($1::jsonb) AS r(entity_id text, instance jsonb) ORDER BY r.entity_id, r.instance->>'observedAt' DESC
       ON CONFLICT (tenant, id) DO UPDATE SET attrs = EXCLUDED.attrs, modified_at = EXCLUDED.modified_at`,
      [JSON.stringify(batch), `${VOCAB}WaterQualityObserved`, `${VOCAB}temperature`, now, datasetId],
    );
    await db.query('COMMIT');
  }
  const seconds = (Date.now() - started) / 1000;
  return { batchSize, seconds, perSecond: MESSAGES / seconds };
}

async function main() {
  const database = await scratchDatabase(`vgds_bench_ingest_${process.pid}`);
  const db = new pg.Client({ connectionString: database.url });
  try {
    await db.connect();
    const runs = [];
    const known = {};
    for (const connections of CONNECTIONS) {
      process.stderr.write(`service, ${connections} connection(s)...\n`);
      runs.push(await measureService(database, db, connections, known));
    }
    process.stderr.write('baseline...\n');
    // As many per transaction as the service's largest batches, and as many as MQTT_BATCH_MAX allows.
    const baselines = [await measureBaseline(db, Math.max(...CONNECTIONS)), await measureBaseline(db, BATCH)];
    write(runs, baselines);
  } finally {
    await db.end().catch(() => undefined);
    await database.drop();
  }
}

function write(runs, baselines) {
  const baseline = baselines[baselines.length - 1];
  const cpu = cpus();
  writeSection('## MQTT ingestion', [
    'Produced by `npm run bench:ingest` (bench/ingest.mjs). A publisher sends plain JSON measurements',
    `(QoS 1, one temperature each, with the device key) for ${DEVICES} registered devices to Mosquitto on the same`,
    'machine, never more than ' + BACKLOG + ' ahead of what is stored (Mosquitto drops what exceeds a session\'s queue,',
    '1,000 messages by default); the time runs from the first publish until the last measurement',
    'is in the history. The service stores each as the entity\'s current value and as an attribute instance, through the same',
    `write path as HTTP, up to ${BATCH} messages per transaction, and acknowledges (PUBACK) after commit; each connection`,
    `takes up to ${BATCH} unacknowledged messages (MQTT 5 Receive Maximum), so one connection batches as well as many.`,
    'The baseline writes the same history rows and current states straight through `pg`, the same',
    'number per transaction, without MQTT, parsing, device lookup or access checks.',
    '',
    `- date: ${new Date().toISOString()}`,
    `- machine: ${cpu.length} × ${cpu[0].model}, ${(totalmem() / 2 ** 30).toFixed(1)} GiB; Node ${process.version}`,
    `- messages: ${MESSAGES.toLocaleString('en')} per run`,
    '',
    '| | messages/s | seconds | ratio to pg | peak RSS |',
    '|---|---|---|---|---|',
    ...runs.map((r) => `| vg-datashare, MQTT_CONNECTIONS=${r.connections} | ${r.perSecond.toFixed(0)} | ${r.seconds.toFixed(1)} | ${(r.perSecond / baseline.perSecond).toFixed(2)} | ${r.rss.toFixed(0)} MB |`),
    ...baselines.map((b) => `| same rows through pg, ${b.batchSize} per transaction | ${b.perSecond.toFixed(0)} | ${b.seconds.toFixed(1)} | ${(b.perSecond / baseline.perSecond).toFixed(2)} | |`),
    '',
  ]);
}

main().catch((error) => {
  process.stderr.write(`${error.stack ?? error}\n`);
  process.exit(1);
});
