// GraphQL subscription latency (issue 15): from a write's commit to its event on a graphql-ws
// WebSocket, with 1,000 subscriptions of entityChanged at a steady rate of updates; each scenario
// runs on a freshly started service (its own peak memory). Baseline in the same run: the SSE
// change feed (GET /api/v1/changes), one stream, same rate, same service. Writes the
// "GraphQL subscriptions (issue 15)" section of bench/RESULTS.md.
//
//   npm run bench:graphql-subscriptions     (needs DATABASE_URL)
//   BENCH_RATE (updates/s, default 500), BENCH_SECONDS (default 20), BENCH_SUBSCRIPTIONS (default 1000),
//   BENCH_PER_REQUEST (entities per write, default 10),
//   BENCH_SCENARIOS (fan-out x connections [x seconds], default "10x50,100x50,10x1000,1000x50x5": the
//   all-subscribers case is 500,000 events/s, more than this service delivers on 2 cores, and a
//   backlog of it takes minutes to drain; a few seconds of it show where it stands)
import { readFileSync } from 'node:fs';
import http from 'node:http';
import { cpus, loadavg, totalmem } from 'node:os';
import { Worker } from 'node:worker_threads';
import pg from 'pg';
import { send } from './load.mjs';
import { createDataset, peakRss, scratchDatabase, startService, writeSection } from './service.mjs';

const RATE = Number(process.env.BENCH_RATE ?? 500);
const SECONDS = Number(process.env.BENCH_SECONDS ?? 20);
/** Warm-up: every entity updated this many times at the rate (each subscription hears some), then the backlog drained. */
const WARMUP_ROUNDS = 2;
const SUBSCRIPTIONS = Number(process.env.BENCH_SUBSCRIPTIONS ?? 1000);
const PER_REQUEST = Number(process.env.BENCH_PER_REQUEST ?? 10);
const SCENARIOS = (process.env.BENCH_SCENARIOS ?? '10x50,100x50,10x1000,1000x50x5').split(',').map((s) => {
  const [fanOut, connections, seconds = SECONDS] = s.split('x').map(Number);
  return { fanOut, connections, seconds };
});
const ENTITIES = 100;
const TICK_MS = 10;
const DRAIN_MS = 15_000;
const SSE_SECONDS = 10;
const WQO = 'https://smartdatamodels.org/dataModel.WaterQuality/WaterQualityObserved';
const CONTEXT = 'https://raw.githubusercontent.com/smart-data-models/dataModel.WaterQuality/master/context.jsonld';
const entityId = (n) => `urn:ngsi-ld:WaterQualityObserved:bench-${String(n).padStart(3, '0')}`;
const now = () => performance.timeOrigin + performance.now();

function percentile(sorted, p) {
  return sorted.length === 0 ? NaN : sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];
}

function summary(latencies) {
  const sorted = Float64Array.from(latencies).sort();
  return { count: sorted.length, p50: percentile(sorted, 50), p95: percentile(sorted, 95), p99: percentile(sorted, 99), max: sorted.at(-1) };
}

/** CPU seconds (user + system) a process has used so far. */
function cpuSeconds(pid) {
  const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
  return (Number(fields[11]) + Number(fields[12])) / 100;
}

/** Busy and total jiffies of the whole machine. */
function machineJiffies() {
  const [, ...values] = readFileSync('/proc/stat', 'utf8').split('\n')[0].trim().split(/\s+/).map(Number);
  const idle = values[3] + values[4];
  const total = values.reduce((a, b) => a + b, 0);
  return { busy: total - idle, total };
}

/**
 * Writes RATE updates a second for `seconds` starting at value `first`, PER_REQUEST entities per
 * `POST /entityOperations/update`, open loop. Value v goes to entity v % ENTITIES as its
 * temperature; `sentAt[v - first]`/`committedAt[v - first]` are when its request left and its 204 came back.
 */
async function writeLoad(service, headers, first, seconds) {
  const count = Math.floor(RATE * seconds);
  const sentAt = new Float64Array(count);
  const committedAt = new Float64Array(count);
  let value = first;
  let failures = 0;
  const inFlight = [];
  const perTick = (RATE * TICK_MS) / 1000;
  const started = performance.now();
  let carry = 0;
  for (let tick = 0; value - first + PER_REQUEST <= count; tick++) {
    const wait = started + tick * TICK_MS - performance.now();
    if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait));
    carry += perTick;
    while (carry >= PER_REQUEST && value - first + PER_REQUEST <= count) {
      carry -= PER_REQUEST;
      const values = Array.from({ length: PER_REQUEST }, () => value++);
      const body = JSON.stringify(values.map((v) => ({ id: entityId(v % ENTITIES), type: 'WaterQualityObserved', temperature: { type: 'Property', value: v }, '@context': CONTEXT })));
      const at = now();
      for (const v of values) sentAt[v - first] = at;
      inFlight.push(
        send({ base: service.base, method: 'POST', path: '/ngsi-ld/v1/entityOperations/update', body, headers }).then((res) => {
          if (res.status !== 204) failures++;
          const done = now();
          for (const v of values) committedAt[v - first] = done;
        }),
      );
    }
  }
  await Promise.all(inFlight);
  return { first, updates: value - first, sentAt, committedAt, failures, elapsed: (performance.now() - started) / 1000 };
}

/** The subscribers, in a worker thread (so the writer's timing does not wait behind their messages). */
function startSubscribers(url, fanOut, connections) {
  const worker = new Worker(new URL('./graphql-subscriptions.worker.mjs', import.meta.url), {
    workerData: { url, fanOut, connections, subscriptions: SUBSCRIPTIONS, entities: ENTITIES, entityIds: Array.from({ length: ENTITIES }, (_, n) => entityId(n)) },
  });
  worker.on('error', (error) => console.error('subscriber worker:', error));
  const ask = (message) =>
    new Promise((resolve) => {
      worker.once('message', resolve);
      worker.postMessage(message);
    });
  return { ask, stop: () => worker.terminate() };
}

/** One scenario: a fresh service process, SUBSCRIPTIONS subscriptions over `connections` sockets, each update reaching `fanOut` of them. */
async function scenario(databaseUrl, adminKey, { fanOut, connections, seconds }, port, sse) {
  let service;
  let rss = 0;
  const sampler = setInterval(() => (rss = service ? Math.max(rss, peakRss(service.child.pid)) : rss), 500);
  let subscribers;
  try {
    service = await startService(databaseUrl, port, { CHANGES_POLL_INTERVAL_MS: '250' });
    const headers = { 'content-type': 'application/ld+json', 'x-api-key': adminKey };
    subscribers = startSubscribers(`ws://127.0.0.1:${port}/graphql`, fanOut, connections);
    const opened = await subscribers.ask({ do: 'open' });
    await new Promise((resolve) => setTimeout(resolve, 1000));
    // Warm-up: every subscription should hear something, and what it set off be delivered, before the measurement starts.
    const warm = await writeLoad(service, headers, 0, (WARMUP_ROUNDS * ENTITIES) / RATE);
    let warmed = await subscribers.ask({ do: 'count' });
    for (let i = 0; i < 60 && warmed.received < warm.updates * fanOut; i++) {
      await new Promise((resolve) => setTimeout(resolve, 500));
      warmed = await subscribers.ask({ do: 'count' });
    }
    await new Promise((resolve) => setTimeout(resolve, 1000));
    await subscribers.ask({ do: 'reset' });
    const cpu0 = cpuSeconds(service.child.pid);
    const machine0 = machineJiffies();
    const load = await writeLoad(service, headers, warm.updates, seconds);
    const cpu = cpuSeconds(service.child.pid) - cpu0;
    const machine1 = machineJiffies();
    const expected = load.updates * fanOut;
    // Until every expected event came, DRAIN_MS passed, or nothing more came for 3 s.
    const deadline = Date.now() + DRAIN_MS;
    let counted = await subscribers.ask({ do: 'count' });
    let progressed = Date.now();
    while (counted.received < expected && Date.now() < deadline && Date.now() - progressed < 3000) {
      await new Promise((resolve) => setTimeout(resolve, 250));
      const next = await subscribers.ask({ do: 'count' });
      if (next.received > counted.received) progressed = Date.now();
      counted = next;
    }
    const result = await subscribers.ask({ do: 'collect' });
    const fromCommit = [];
    const fromSend = [];
    let outside = 0;
    for (let i = 0; i < result.count; i++) {
      const index = result.values[i] - load.first;
      if (index < 0 || index >= load.updates) {
        outside++;
        continue;
      }
      fromCommit.push(result.times[i] - load.committedAt[index]);
      fromSend.push(result.times[i] - load.sentAt[index]);
    }
    const writes = summary(Array.from({ length: load.updates }, (_, i) => load.committedAt[i] - load.sentAt[i]));
    let baseline;
    if (sse) {
      await subscribers.ask({ do: 'close' });
      baseline = await sseBaseline(service, headers, sse, load.first + load.updates);
    }
    rss = Math.max(rss, peakRss(service.child.pid));
    return {
      fanOut, connections, seconds, opened, warmed, load, expected, received: fromCommit.length, outside, errors: result.errors,
      fromCommit: summary(fromCommit), fromSend: summary(fromSend), writes, rss,
      cpu: cpu / load.elapsed, machine: (machine1.busy - machine0.busy) / (machine1.total - machine0.total), baseline,
    };
  } finally {
    clearInterval(sampler);
    subscribers?.stop();
    service?.stop();
    // Let the port go and the database settle before the next service starts.
    await new Promise((resolve) => setTimeout(resolve, 1500));
  }
}

/** The SSE change feed at the same rate: one stream of the dataset, commit to the event's arrival. */
async function sseBaseline(service, headers, dataset, first) {
  const arrivals = new Map();
  const request = http.get(`${service.base}/api/v1/changes?dataset=${dataset}`, { headers: { link: `<${CONTEXT}>; rel="http://www.w3.org/ns/json-ld#context"; type="application/ld+json"` } });
  const response = await new Promise((resolve, reject) => request.on('response', resolve).on('error', reject));
  if (response.statusCode !== 200) throw new Error(`SSE: ${response.statusCode}`);
  let buffer = '';
  response.setEncoding('utf8');
  response.on('data', (chunk) => {
    const at = now();
    buffer += chunk;
    let end;
    while ((end = buffer.indexOf('\n\n')) >= 0) {
      const event = buffer.slice(0, end);
      buffer = buffer.slice(end + 2);
      const data = event.split('\n').find((line) => line.startsWith('data: '));
      if (!event.includes('event: change') || !data) continue;
      const match = /"temperature":\{[^}]*?"value":(-?\d+)/.exec(data) ?? /"temperature":(-?\d+)/.exec(data);
      if (match && !arrivals.has(Number(match[1]))) arrivals.set(Number(match[1]), at);
    }
  });
  await new Promise((resolve) => setTimeout(resolve, 1000));
  const load = await writeLoad(service, headers, first, SSE_SECONDS);
  const deadline = Date.now() + DRAIN_MS;
  while (arrivals.size < load.updates && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 200));
  request.destroy();
  const latencies = [];
  for (let i = 0; i < load.updates; i++) if (arrivals.has(first + i)) latencies.push(arrivals.get(first + i) - load.committedAt[i]);
  return { ...summary(latencies), updates: load.updates };
}

async function main() {
  const scratch = await scratchDatabase(`vgds_bench_gqlsubs_${process.pid}`);
  const port = 22000 + (process.pid % 9000);
  const load0 = loadavg();
  const results = [];
  let version;
  try {
    // First start: migrations, the administrator key, the dataset and its entities.
    const first = await startService(scratch.url, port);
    const adminKey = first.adminKey;
    let dataset;
    try {
      dataset = await createDataset(first, {
        title: { sv: 'Badplatser' }, description: { sv: 'Benchmarkdata' }, entities: [{ type: WQO }],
        classification: { confidentiality: 0, integrity: 1, availability: 1 }, open: true,
      });
      const batch = Array.from({ length: ENTITIES }, (_, n) => ({ id: entityId(n), type: 'WaterQualityObserved', temperature: { type: 'Property', value: -1 }, '@context': CONTEXT }));
      const res = await send({ base: first.base, method: 'POST', path: '/ngsi-ld/v1/entityOperations/upsert', body: JSON.stringify(batch), headers: { 'content-type': 'application/ld+json', 'x-api-key': adminKey } });
      if (res.status !== 201 && res.status !== 204) throw new Error(`creating entities: ${res.status}`);
    } finally {
      first.stop();
      await new Promise((resolve) => setTimeout(resolve, 1500));
    }
    for (const [i, s] of SCENARIOS.entries()) {
      const result = await scenario(scratch.url, adminKey, s, port, i === 0 ? dataset : undefined);
      results.push(result);
      const { load, ...shown } = result;
      console.log(JSON.stringify({ ...shown, updates: load.updates, elapsed: load.elapsed, failures: load.failures }));
    }
    const db = new pg.Client({ connectionString: scratch.url });
    await db.connect();
    version = (await db.query(`SELECT current_setting('server_version') AS version`)).rows[0].version;
    await db.end();
  } finally {
    await scratch.drop();
  }
  const ms = (n) => (Number.isFinite(n) ? n.toFixed(1) : 'n/a');
  const n = (x) => x.toLocaleString('en');
  const sse = results.find((r) => r.baseline)?.baseline;
  const top = results[0];
  writeSection('## GraphQL subscriptions (issue 15)', [
    'Produced by `npm run bench:graphql-subscriptions` (bench/graphql-subscriptions.mjs). The service runs as `npm start` runs it',
    `(a fresh process per row, on the same PostgreSQL database); ${ENTITIES} WaterQualityObserved entities in an open K0 dataset;`,
    `${n(SUBSCRIPTIONS)} anonymous graphql-ws subscriptions of \`entityChanged(type: "WaterQualityObserved", ids: [...])\``,
    '`{ cursor kind id entity { ... on WaterQualityObserved { temperature } } }`, spread evenly over the connections. The ids split',
    'the subscriptions into groups so that each update reaches exactly "fan-out" of them (fan-out 1,000: no ids, half of them with',
    '`q: "temperature>=0"` instead, which every update matches); every change is tested against all of them. Updates go in as',
    `\`POST /entityOperations/update\` of ${PER_REQUEST} entities, open loop at ${RATE}/s for ${SECONDS} s (unless the row says otherwise) after a warm-up (each entity updated ${WARMUP_ROUNDS} times, delivered); each carries its own`,
    'temperature. The subscribers run in a worker thread of the load generator (same clock) and note when each event arrives;',
    '"from commit" starts when the write\'s 204 came back, as in the Notifications section. CPU: the service process\'s share of one',
    'core over the measured seconds, and the whole machine\'s busy share (2 cores, PostgreSQL and the load generator on it too).',
    `Baseline, in the same run at the same rate on the first row\'s service after its subscribers closed: the SSE change feed`,
    '(`GET /api/v1/changes?dataset=…`, one stream), commit to event; the ratio is the SSE p50 over the subscriptions\' p50.',
    '',
    `- date: ${new Date().toISOString()}`,
    `- machine: ${cpus().length} × ${cpus()[0].model.trim()}, ${(totalmem() / 2 ** 30).toFixed(1)} GiB; Node ${process.version}; PostgreSQL ${version}; load average before the run ${load0.map((l) => l.toFixed(2)).join(' ')} (shared with other work)`,
    '',
    '| fan-out × connections | events/s expected | received of expected | from commit p50 / p95 / p99 / max ms | from send p99 ms | write p99 ms | service CPU | machine busy | peak RSS |',
    '|---|---|---|---|---|---|---|---|---|',
    ...results.map((r) => {
      const f = r.fromCommit;
      const missing = r.expected - r.received;
      return `| ${n(r.fanOut)} × ${n(r.connections)}${r.seconds !== SECONDS ? `, ${r.seconds} s` : ''} | ${n(RATE * r.fanOut)} | ${n(r.received)} of ${n(r.expected)}${missing > 0 ? ` (${n(missing)} missing)` : ''}${r.errors ? `, ${n(r.errors)} errors` : ''} | **${ms(f.p50)}** / ${ms(f.p95)} / **${ms(f.p99)}** / ${ms(f.max)} | ${ms(r.fromSend.p99)} | ${ms(r.writes.p99)} | ${(r.cpu * 100).toFixed(0)} % | ${(r.machine * 100).toFixed(0)} % | ${Math.round(r.rss)} MB |`;
    }),
    sse ? `| baseline: SSE feed, 1 stream | ${RATE} | ${n(sse.count)} of ${n(sse.updates)} | ${ms(sse.p50)} / ${ms(sse.p95)} / ${ms(sse.p99)} / ${ms(sse.max)} | | | | | |` : '',
    '',
    `Updates per row: ${results.map((r) => `${n(r.load.updates)} in ${r.load.elapsed.toFixed(1)} s (${r.load.failures} failed)`).join('; ')}.`,
    `Subscriptions live after warm-up (heard at least one event): ${results.map((r) => `${n(r.warmed.subscriptionsHeard)}/${n(r.opened.subscriptions)}`).join(', ')}.`,
    sse ? `Ratio (SSE p50 over the first row's p50 from commit): ${(sse.p50 / top.fromCommit.p50).toFixed(2)}.` : '',
  ]);
}

await main();
