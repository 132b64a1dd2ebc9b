// Notification latency: from a write's commit to a local HTTP receiver, at a steady rate of entity
// updates with many subscriptions; against a minimal LISTEN/NOTIFY relay to the same receiver at
// the same rate in the same run. Writes the "Notifications" section of bench/RESULTS.md.
//
//   npm run bench:notifications     (needs DATABASE_URL)
//   BENCH_RATE (updates/s, default 1000), BENCH_SECONDS (default 30), BENCH_SUBSCRIPTIONS (default 100), BENCH_PER_REQUEST (default 50)
import http from 'node:http';
import { cpus, totalmem } from 'node:os';
import pg from 'pg';
import { send } from './load.mjs';
import { createDataset, peakRss, scratchDatabase, startService, writeSection } from './service.mjs';

const RATE = Number(process.env.BENCH_RATE ?? 1000);
const SECONDS = Number(process.env.BENCH_SECONDS ?? 30);
const SUBSCRIPTIONS = Number(process.env.BENCH_SUBSCRIPTIONS ?? 100);
const ENTITIES = 1000;
/** Entities per write request (BENCH_PER_REQUEST): a gateway's batch; single-entity requests measure the write path, not notifications. */
const PER_REQUEST = Number(process.env.BENCH_PER_REQUEST ?? 50);
const TICK_MS = 10;

const entityId = (n) => `urn:ngsi-ld:Sensor:bench-${String(n).padStart(4, '0')}`;

function percentile(sorted, p) {
  return sorted.length === 0 ? NaN : sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];
}

function summary(latencies) {
  const sorted = [...latencies].sort((a, b) => a - b);
  return { count: sorted.length, p50: percentile(sorted, 50), p90: percentile(sorted, 90), p99: percentile(sorted, 99), max: sorted.at(-1) };
}

/** A receiver for all subscriptions (one path each): when each value arrived. */
async function startReceiver(arrivals) {
  const server = http.createServer((request, response) => {
    const chunks = [];
    request.on('data', (chunk) => chunks.push(chunk));
    request.on('end', () => {
      const now = performance.timeOrigin + performance.now();
      const body = JSON.parse(Buffer.concat(chunks).toString('utf8'));
      for (const entity of body.data) if (!arrivals.has(entity.temperature)) arrivals.set(entity.temperature, now);
      response.writeHead(204).end();
    });
  });
  server.keepAliveTimeout = 60_000;
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  return server;
}

/**
 * Sends RATE updates a second for SECONDS, PER_REQUEST entities per request, open loop (a request
 * leaves every TICK_MS whether or not the previous ones were answered). Each update carries a
 * value of its own; `sentAt`/`committedAt` are when its request left and when its 204 came back.
 */
async function writeLoad(service, headers) {
  const sentAt = new Map();
  const committedAt = new Map();
  let value = 0;
  let failures = 0;
  const inFlight = [];
  const perTick = (RATE * TICK_MS) / 1000;
  const ticks = (SECONDS * 1000) / TICK_MS;
  const started = performance.now();
  let carry = 0;
  for (let tick = 0; tick < ticks; tick++) {
    const wait = started + tick * TICK_MS - performance.now();
    if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait));
    carry += perTick;
    while (carry >= PER_REQUEST) {
      carry -= PER_REQUEST;
      const values = Array.from({ length: PER_REQUEST }, () => value++);
      const body = JSON.stringify(values.map((v) => ({ id: entityId(v % ENTITIES), type: 'Sensor', temperature: { type: 'Property', value: v } })));
      const at = performance.timeOrigin + performance.now();
      for (const v of values) sentAt.set(v, at);
      inFlight.push(
        send({ base: service.base, method: 'POST', path: '/ngsi-ld/v1/entityOperations/update', body, headers }).then((res) => {
          if (res.status !== 204) failures++;
          const done = performance.timeOrigin + performance.now();
          for (const v of values) committedAt.set(v, done);
        }),
      );
    }
  }
  await Promise.all(inFlight);
  return { sentAt, committedAt, updates: value, failures, elapsed: (performance.now() - started) / 1000 };
}

/**
 * The floor at the same rate: a minimal relay without matching, access decisions, ordering or
 * durability. Each update is an autocommit statement that inserts a row and calls pg_notify; a
 * listening connection POSTs each notification's value to the same receiver at once.
 */
async function relayBaseline(databaseUrl, receiverPort, arrivals) {
  const OFFSET = 1e9;
  const listener = new pg.Client({ connectionString: databaseUrl });
  const writer = new pg.Pool({ connectionString: databaseUrl, max: 4 });
  await listener.connect();
  await writer.query('CREATE TABLE IF NOT EXISTS bench_relay (value bigint)');
  const posts = [];
  listener.on('notification', (message) => {
    const body = JSON.stringify({ data: [{ temperature: Number(message.payload) }] });
    posts.push(send({ base: `http://127.0.0.1:${receiverPort}`, method: 'POST', path: '/baseline', body, headers: { 'content-type': 'application/json' } }));
  });
  await listener.query('LISTEN bench');
  const committedAt = new Map();
  const perTick = (RATE * TICK_MS) / 1000 / PER_REQUEST;
  const ticks = (SECONDS * 1000) / TICK_MS;
  const started = performance.now();
  const inFlight = [];
  let sequence = OFFSET;
  for (let tick = 0; tick < ticks; tick++) {
    const wait = started + tick * TICK_MS - performance.now();
    if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait));
    for (let i = 0; i < perTick; i++) {
      const n = sequence++;
      inFlight.push(
        writer
          .query("WITH row AS (INSERT INTO bench_relay VALUES ($1)) SELECT pg_notify('bench', $1::text)", [n])
          .then(() => committedAt.set(n, performance.timeOrigin + performance.now())),
      );
    }
  }
  await Promise.all(inFlight);
  await new Promise((resolve) => setTimeout(resolve, 1000));
  await Promise.all(posts);
  await listener.end();
  await writer.end();
  return summary([...committedAt].filter(([n]) => arrivals.has(n)).map(([n, at]) => arrivals.get(n) - at));
}

async function main() {
  const scratch = await scratchDatabase(`vgds_bench_notify_${process.pid}`);
  const arrivals = new Map();
  const receiver = await startReceiver(arrivals);
  const port = 21000 + (process.pid % 9000);
  let service;
  let rss = 0;
  const sampler = setInterval(() => (rss = service ? Math.max(rss, peakRss(service.child.pid)) : rss), 500);
  try {
    service = await startService(scratch.url, port, { NOTIFICATION_ALLOW_PRIVATE_ENDPOINTS: 'true' });
    const headers = { 'content-type': 'application/json', 'x-api-key': service.adminKey };
    await createDataset(service, {
      title: { sv: 'Sensorer' }, description: { sv: 'Benchmarkdata' }, entities: [{ type: 'Sensor' }],
      classification: { confidentiality: 0, integrity: 1, availability: 1 }, open: true,
    });
    for (let first = 0; first < ENTITIES; first += 500) {
      const batch = Array.from({ length: 500 }, (_, i) => ({
        id: entityId(first + i), type: 'Sensor', group: { type: 'Property', value: (first + i) % Math.max(SUBSCRIPTIONS, 1) }, temperature: { type: 'Property', value: -1 },
      }));
      const res = await send({ base: service.base, method: 'POST', path: '/ngsi-ld/v1/entityOperations/upsert', body: JSON.stringify(batch), headers });
      if (res.status !== 201 && res.status !== 204) throw new Error(`creating entities: ${res.status}`);
    }
    // Each subscription wants the entities of one group: every update matches exactly one of them,
    // and every change is compared with all of them (one type, the q tells them apart).
    const receiverPort = receiver.address().port;
    for (let s = 0; s < SUBSCRIPTIONS; s++) {
      const res = await send({
        base: service.base, method: 'POST', path: '/ngsi-ld/v1/subscriptions', headers,
        body: JSON.stringify({
          type: 'Subscription', entities: [{ type: 'Sensor' }], q: `group==${s}`, watchedAttributes: ['temperature'],
          notification: { format: 'keyValues', attributes: ['temperature'], endpoint: { uri: `http://127.0.0.1:${receiverPort}/s${s}` } },
        }),
      });
      if (res.status !== 201) throw new Error(`creating a subscription: ${res.status}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 2000));
    const load = await writeLoad(service, headers);
    const deadline = Date.now() + (SUBSCRIPTIONS > 0 ? 60_000 : 0);
    while (arrivals.size < load.updates && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 200));
    const delivered = [...load.committedAt].filter(([v]) => arrivals.has(v));
    const fromCommit = summary(delivered.map(([v, at]) => arrivals.get(v) - at));
    const fromSend = summary(delivered.map(([v]) => arrivals.get(v) - load.sentAt.get(v)));
    const writes = summary([...load.committedAt].map(([v, at]) => at - load.sentAt.get(v)));
    clearInterval(sampler);
    rss = Math.max(rss, peakRss(service.child.pid));
    service.stop();
    service = undefined;
    const baseline = await relayBaseline(scratch.url, receiverPort, arrivals);
    const db = new pg.Client({ connectionString: scratch.url });
    await db.connect();
    const [{ version }] = (await db.query(`SELECT current_setting('server_version') AS version`)).rows;
    await db.end();
    const ms = (n) => (Number.isFinite(n) ? n.toFixed(1) : 'n/a');
    writeSection('## Notifications', [
      'Produced by `npm run bench:notifications` (bench/notifications.mjs). The service runs as `npm start` runs it, on PostgreSQL',
      `(DATABASE_URL); ${ENTITIES.toLocaleString('en')} Sensor entities, ${SUBSCRIPTIONS} subscriptions (type Sensor, q \`group==k\`, watchedAttributes temperature,`,
      'keyValues), each update matching exactly one of them and every change compared with all of them. Updates go in as',
      `\`POST /entityOperations/update\` of ${PER_REQUEST} entities, open loop at the target rate; a local HTTP receiver (same process as the`,
      'load, same clock) notes when each value arrives. "From commit" starts when the write\'s 204 came back (commit happened just',
      'before), "from send" when its request left. Baseline, in the same run at the same rate: a minimal relay with no matching,',
      'access decision, ordering or durability (an autocommit INSERT + pg_notify per batch of updates; a listening connection',
      'POSTs each value to the same receiver at once): the floor for "a commit, then an HTTP request to a subscriber".',
      '',
      `- date: ${new Date().toISOString()}`,
      `- machine: ${cpus().length} × ${cpus()[0].model.trim()}, ${(totalmem() / 2 ** 30).toFixed(1)} GiB; Node ${process.version}; PostgreSQL ${version}`,
      `- updates: ${load.updates.toLocaleString('en')} in ${load.elapsed.toFixed(1)} s (${Math.round(load.updates / load.elapsed).toLocaleString('en')}/s target ${RATE}/s), failed requests: ${load.failures}`,
      `- notified: ${delivered.length.toLocaleString('en')} of ${load.committedAt.size.toLocaleString('en')} committed updates (${(load.committedAt.size - delivered.length).toLocaleString('en')} missing after 60 s)`,
      `- vg-datashare peak memory (VmHWM): **${Math.round(rss)} MB**`,
      '',
      '| latency | p50 ms | p90 ms | p99 ms | max ms |',
      '|---|---|---|---|---|',
      `| notification, from commit | **${ms(fromCommit.p50)}** | ${ms(fromCommit.p90)} | **${ms(fromCommit.p99)}** | ${ms(fromCommit.max)} |`,
      `| notification, from send | ${ms(fromSend.p50)} | ${ms(fromSend.p90)} | ${ms(fromSend.p99)} | ${ms(fromSend.max)} |`,
      `| the write itself (request to 204) | ${ms(writes.p50)} | ${ms(writes.p90)} | ${ms(writes.p99)} | ${ms(writes.max)} |`,
      `| baseline: minimal LISTEN/NOTIFY relay, commit to receiver | ${ms(baseline.p50)} | ${ms(baseline.p90)} | ${ms(baseline.p99)} | ${ms(baseline.max)} |`,
      '',
      `Ratio (baseline p50 over notification p50 from commit): ${(baseline.p50 / fromCommit.p50).toFixed(2)}.`,
    ]);
    console.log({ fromCommit, fromSend, writes, baseline, rss, updates: load.updates, delivered: delivered.length });
  } finally {
    clearInterval(sampler);
    service?.stop();
    receiver.close();
    await scratch.drop();
  }
}

await main();
