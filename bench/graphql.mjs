// The same reads through GraphQL and through NGSI-LD (issue 15): one entity, 100 entities of a type
// with a filter, a day of history, and a page of 100 entities with their related devices. Both
// doors answer the same data to the same caller (anonymous, open dataset), alternating in slices in
// one run against one service. The service reaches PostgreSQL through a proxy that counts the
// statements it sends (Query and Execute messages), so each request's statement count is measured,
// not inferred. Writes the "GraphQL and NGSI-LD" section of bench/RESULTS.md.
//
//   npm run bench:graphql    (needs DATABASE_URL; defaults to the local postgres database)
//
// Environment: BENCH_GRAPHQL_ENTITIES (1000 weather observations), BENCH_GRAPHQL_DEVICES (100),
// BENCH_GRAPHQL_HISTORIES (10 entities with a day of 5-minute temperatures), BENCH_SECONDS (8 per
// case and door), BENCH_CONCURRENCY (8); BENCH_GRAPHQL_TRACE prints the statements of each case instead.
import { readdirSync, readFileSync } from 'node:fs';
import { createConnection, createServer } from 'node:net';
import { cpus, totalmem } from 'node:os';
import { send, summarize } from './load.mjs';
import { createDataset, peakRss, scratchDatabase, startService, writeSection } from './service.mjs';

const ENTITIES = Number(process.env.BENCH_GRAPHQL_ENTITIES ?? 1000);
const DEVICES = Number(process.env.BENCH_GRAPHQL_DEVICES ?? 100);
const HISTORIES = Number(process.env.BENCH_GRAPHQL_HISTORIES ?? 10);
const SECONDS = Number(process.env.BENCH_SECONDS ?? 8);
const CONCURRENCY = Number(process.env.BENCH_CONCURRENCY ?? 8);
const SLICES = 4;
const WARM_UP_SECONDS = 1;
const COUNTED_REQUESTS = 10;
const CPU_UNITS = 200;
// BENCH_GRAPHQL_ONLY: only the cases whose name has this in it (to profile one with BENCH_SERVICE_NODE_ARGS=--cpu-prof).
const ONLY = process.env.BENCH_GRAPHQL_ONLY ?? '';

const WEATHER_CONTEXT = 'https://raw.githubusercontent.com/smart-data-models/dataModel.Weather/master/context.jsonld';
const DEVICE_CONTEXT = 'https://raw.githubusercontent.com/smart-data-models/dataModel.Device/master/context.jsonld';
const WEATHER_TYPE = 'https://smartdatamodels.org/dataModel.Weather/WeatherObserved';
const DEVICE_TYPE = 'https://smartdatamodels.org/dataModel.Device/Device';
const link = (context) => `<${context}>; rel="http://www.w3.org/ns/json-ld#context"; type="application/ld+json"`;
const DAY_START = Date.parse('2026-11-20T00:00:00Z');
const STEPS = 24 * 12;

const weatherId = (i) => `urn:ngsi-ld:WeatherObserved:gbg-${String(i).padStart(5, '0')}`;
const deviceId = (i) => `urn:ngsi-ld:Device:gbg-${String(i).padStart(4, '0')}`;
const deviceOf = (i) => i % DEVICES;

function weather(i) {
  return {
    '@context': WEATHER_CONTEXT,
    id: weatherId(i),
    type: 'WeatherObserved',
    temperature: { type: 'Property', value: (i % 30) - 5 + 0.25, observedAt: new Date(DAY_START + STEPS * 300_000).toISOString() },
    location: { type: 'GeoProperty', value: { type: 'Point', coordinates: [11.9 + ((i % 40) - 20) * 0.005, 57.7 + (Math.floor(i / 40) - 12) * 0.004] } },
    refDevice: { type: 'Relationship', object: deviceId(deviceOf(i)) },
  };
}

function device(i) {
  return { '@context': DEVICE_CONTEXT, id: deviceId(i), type: 'Device', deviceCategory: { type: 'Property', value: ['sensor', i % 2 ? 'meter' : 'thermometer'] } };
}

/**
 * What the service sends on its own, whatever the requests: the change feed's and subscriptions'
 * polls, and the statistics job (a transaction that ANALYZEs the tables that changed much).
 */
const BACKGROUND = /FROM change_clock|FROM change WHERE position IS NULL|vg-datashare:statistics|FROM pg_stat_user_tables|^ANALYZE /;

/**
 * A TCP proxy in front of PostgreSQL that counts the statements its clients send: simple Query
 * ('Q') and extended-protocol Bind ('B', one per execution of a prepared or unnamed statement)
 * messages, with the background polls counted apart. It reads each statement's text (Parse
 * names it once per connection) to tell them apart, and to print them with BENCH_GRAPHQL_TRACE.
 */
async function countingProxy(databaseUrl) {
  const target = new URL(databaseUrl);
  const counts = { statements: 0, background: 0, trace: undefined };
  const sockets = new Set();
  const server = createServer((client) => {
    const upstream = createConnection({ host: target.hostname, port: Number(target.port || 5432) });
    for (const socket of [client, upstream]) {
      sockets.add(socket);
      socket.on('close', () => sockets.delete(socket));
    }
    let pending = Buffer.alloc(0);
    let started = false;
    const prepared = new Map();
    let begun = false;
    let background = false;
    const statement = (text) => {
      // A transaction is counted with its first statement: background or a request's.
      if (/^BEGIN/i.test(text)) {
        begun = true;
        return;
      }
      if (begun) background = BACKGROUND.test(text);
      for (const each of begun ? ['BEGIN', text] : [text]) {
        if (background || BACKGROUND.test(each)) counts.background++;
        else counts.statements++;
        counts.trace?.push(each);
      }
      begun = false;
      if (/^(COMMIT|ROLLBACK)/i.test(text)) background = false;
    };
    client.on('data', (chunk) => {
      upstream.write(chunk);
      pending = pending.length ? Buffer.concat([pending, chunk]) : chunk;
      for (;;) {
        if (!started) {
          // Startup, SSL and GSS requests: a length and no type byte.
          if (pending.length < 8) break;
          const length = pending.readInt32BE(0);
          if (pending.length < length) break;
          const code = pending.readInt32BE(4);
          started = code !== 80877103 && code !== 80877104;
          pending = pending.subarray(length);
          continue;
        }
        if (pending.length < 5) break;
        const length = pending.readInt32BE(1);
        if (pending.length < length + 1) break;
        const type = String.fromCharCode(pending[0]);
        if (type === 'Q' || type === 'P' || type === 'B') {
          const [first, second] = pending.subarray(5, length + 1).toString('utf8').split('\0', 2);
          if (type === 'P') prepared.set(first, second);
          else {
            statement(type === 'Q' ? first : (prepared.get(second) ?? `(prepared ${second})`));
          }
        }
        pending = pending.subarray(length + 1);
      }
    });
    upstream.on('data', (chunk) => client.write(chunk));
    client.on('error', () => upstream.destroy());
    upstream.on('error', () => client.destroy());
    client.on('close', () => upstream.destroy());
    upstream.on('close', () => client.destroy());
  });
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  const url = new URL(databaseUrl);
  url.hostname = '127.0.0.1';
  url.port = String(server.address().port);
  return {
    url: url.toString(),
    counts,
    close() {
      for (const socket of sockets) socket.destroy();
      server.close();
    },
  };
}

async function call(service, path, body, headers = {}) {
  const res = await fetch(`${service.base}${path}`, {
    method: 'POST',
    headers: { 'content-type': 'application/ld+json', 'x-api-key': service.adminKey, ...headers },
    body: JSON.stringify(body),
  });
  if (res.status >= 300) throw new Error(`POST ${path}: ${res.status} ${await res.text()}`);
}

async function load(service, datasetId) {
  const headers = { 'vgds-dataset': datasetId };
  await call(service, '/ngsi-ld/v1/entityOperations/upsert', Array.from({ length: DEVICES }, (_, i) => device(i)), headers);
  for (let start = 0; start < ENTITIES; start += 500) {
    const batch = Array.from({ length: Math.min(500, ENTITIES - start) }, (_, j) => weather(start + j));
    await call(service, '/ngsi-ld/v1/entityOperations/upsert', batch, headers);
  }
  for (let i = 0; i < HISTORIES; i++) {
    const temperature = Array.from({ length: STEPS }, (_, k) => ({
      type: 'Property',
      value: Math.round((8 + 6 * Math.sin((k / STEPS) * 2 * Math.PI) + i * 0.1) * 100) / 100,
      observedAt: new Date(DAY_START + k * 300_000).toISOString(),
    }));
    await call(service, `/ngsi-ld/v1/temporal/entities/${encodeURIComponent(weatherId(i))}/attrs`, { '@context': WEATHER_CONTEXT, temperature }, headers);
  }
}

/** A GraphQL request as a load-generator request. */
const graphql = (query) => ({ method: 'POST', path: '/graphql', body: JSON.stringify({ query }), headers: { 'content-type': 'application/json' } });
const ngsi = (path, context = WEATHER_CONTEXT) => ({ path, headers: { link: link(context), accept: 'application/json' } });
const cursor = (offset) => Buffer.from(`offset:${offset - 1}`).toString('base64url');

const FROM = new Date(DAY_START).toISOString();
const TO = new Date(DAY_START + 24 * 3_600_000).toISOString();

/** Each case: per door, the requests of one unit of work (one request, or two in turn) for a sequence number. */
function cases() {
  const pageOf = (n) => (n % Math.floor(ENTITIES / 100)) * 100;
  const devicesOfPage = (offset, size) => [...new Set(Array.from({ length: size }, (_, k) => deviceId(deviceOf(offset + k))))];
  const relationships = (size) => ({
    ngsi: (n) => {
      const offset = pageOf(n);
      return [
        ngsi(`/ngsi-ld/v1/entities?type=WeatherObserved&attrs=temperature,refDevice&limit=${size}&offset=${offset}`),
        ngsi(`/ngsi-ld/v1/entities?id=${devicesOfPage(offset, size).join(',')}&attrs=deviceCategory&limit=${size}`, DEVICE_CONTEXT),
      ];
    },
    graphql: (n) => {
      const offset = pageOf(n);
      const after = offset > 0 ? `, after: "${cursor(offset)}"` : '';
      return [graphql(`{ weatherObserved(first: ${size}${after}) { nodes { id temperature refDevice { id ... on Device { deviceCategory } } } } }`)];
    },
  });
  return [
    {
      name: 'one entity',
      ngsi: (n) => [ngsi(`/ngsi-ld/v1/entities/${encodeURIComponent(weatherId((n * 7919) % ENTITIES))}?attrs=temperature,location`)],
      graphql: (n) => [graphql(`{ entity(id: "${weatherId((n * 7919) % ENTITIES)}") { id ... on WeatherObserved { temperature location } } }`)],
    },
    {
      name: '100 of a type, temperature > 5',
      ngsi: () => [ngsi('/ngsi-ld/v1/entities?type=WeatherObserved&q=temperature%3E5&attrs=temperature,location&limit=100')],
      graphql: () => [graphql('{ weatherObserved(filter: {temperature: {gt: 5}}, first: 100) { nodes { id temperature location } } }')],
    },
    {
      name: `a day of history (${STEPS} instances)`,
      ngsi: (n) => [ngsi(`/ngsi-ld/v1/temporal/entities/${encodeURIComponent(weatherId(n % HISTORIES))}?attrs=temperature&timerel=between&timeAt=${FROM}&endTimeAt=${TO}`)],
      graphql: (n) => [graphql(`{ entity(id: "${weatherId(n % HISTORIES)}") { ... on WeatherObserved { temperatureAttribute { history(from: "${FROM}", to: "${TO}") { value observedAt } } } } }`)],
    },
    { name: '100 entities with their devices', size: 100, ...relationships(100) },
    { name: '10 entities with their devices', size: 10, countOnly: true, ...relationships(10) },
  ];
}

/** Closed loop as in load.mjs, but a unit of work may be several requests in turn (timed as one). */
async function runUnits(base, seconds, requestsOf) {
  const latencies = [];
  let failures = 0;
  let sequence = 0;
  const deadline = Date.now() + seconds * 1000;
  const started = Date.now();
  await Promise.all(
    Array.from({ length: CONCURRENCY }, async () => {
      while (Date.now() < deadline) {
        const begun = process.hrtime.bigint();
        for (const request of requestsOf(sequence++)) {
          const { status } = await send({ base, ...request });
          if (status !== 200) failures++;
        }
        latencies.push(Number(process.hrtime.bigint() - begun) / 1e6);
      }
    }),
  );
  return { latencies, elapsed: (Date.now() - started) / 1000, failures };
}

/** Statements per unit of work, one at a time: the median of COUNTED_REQUESTS, and the range. */
async function countStatements(service, counts, requestsOf) {
  const perUnit = [];
  for (let n = 0; n < COUNTED_REQUESTS; n++) {
    const before = counts.statements;
    for (const request of requestsOf(n)) {
      const res = await send({ base: service.base, ...request });
      if (res.status !== 200) throw new Error(`${request.path}: ${res.status}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 30));
    perUnit.push(counts.statements - before);
  }
  perUnit.sort((a, b) => a - b);
  return { median: perUnit[Math.floor(perUnit.length / 2)], min: perUnit[0], max: perUnit.at(-1) };
}

/** BENCH_GRAPHQL_TRACE: prints the statements of one unit of each case and door instead of measuring. */
async function trace(service, counts) {
  for (const c of cases()) {
    for (const door of ['ngsi', 'graphql']) {
      counts.trace = [];
      for (const request of c[door](3)) await send({ base: service.base, ...request });
      await new Promise((resolve) => setTimeout(resolve, 30));
      console.log(`--- ${c.name}, ${door}:\n${counts.trace.map((text) => text.replace(/\s+/g, ' ').slice(0, 300)).join('\n')}`);
    }
  }
  counts.trace = undefined;
}

/** CPU time the service's process (all its threads) has had, in ms: from the scheduler, so other load on the machine does not count. */
function cpuMs(pid) {
  return readdirSync(`/proc/${pid}/task`).reduce((sum, task) => {
    try {
      return sum + Number(readFileSync(`/proc/${pid}/task/${task}/schedstat`, 'utf8').split(' ')[0]) / 1e6;
    } catch {
      return sum; // a thread that ended meanwhile
    }
  }, 0);
}

/**
 * The service's CPU per unit of work of each door, warm: CPU_UNITS units one at a time, the doors
 * alternating in rounds of 25 (with what the idle service spends meanwhile).
 */
async function cpuPerUnit(service, c) {
  const spent = { ngsi: 0, graphql: 0 };
  for (let round = 0; round < CPU_UNITS / 25; round++) {
    for (const door of round % 2 === 0 ? ['ngsi', 'graphql'] : ['graphql', 'ngsi']) {
      const before = cpuMs(service.child.pid);
      for (let n = 0; n < 25; n++) {
        for (const request of c[door](round * 25 + n)) await send({ base: service.base, ...request });
      }
      spent[door] += cpuMs(service.child.pid) - before;
    }
  }
  return { ngsi: spent.ngsi / CPU_UNITS, graphql: spent.graphql / CPU_UNITS };
}

/** The answers of both doors, compared: the same entities and values. */
async function check(service) {
  const body = async (request) => {
    const res = await fetch(`${service.base}${request.path}`, { method: request.method ?? 'GET', headers: request.headers, body: request.body });
    const json = await res.json();
    if (res.status !== 200 || json.errors) throw new Error(`${request.path}: ${res.status} ${JSON.stringify(json).slice(0, 500)}`);
    return json;
  };
  const [c1, c2, c3, c4] = cases();
  const one = [await body(c1.ngsi(1)[0]), (await body(c1.graphql(1)[0])).data.entity];
  if (one[0].temperature.value !== one[1].temperature || JSON.stringify(one[0].location.value) !== JSON.stringify(one[1].location)) throw new Error(`one entity differs: ${JSON.stringify(one)}`);
  const page = [await body(c2.ngsi(0)[0]), (await body(c2.graphql(0)[0])).data.weatherObserved.nodes];
  const rows = (entities) => JSON.stringify(entities.map((e) => [e.id, e.temperature?.value ?? e.temperature, e.location?.value ?? e.location]));
  if (page[0].length !== 100 || rows(page[0]) !== rows(page[1])) throw new Error('the filtered pages differ');
  const day = [await body(c3.ngsi(0)[0]), (await body(c3.graphql(0)[0])).data.entity.temperatureAttribute.history];
  const series = (instances) => JSON.stringify(instances.map((i) => [i.value, new Date(i.observedAt).toISOString()]));
  if (day[0].temperature.length !== STEPS || series(day[0].temperature) !== series(day[1])) throw new Error(`history differs: ${series(day[0].temperature).slice(0, 300)}\n${series(day[1]).slice(0, 300)}`);
  const [wo, devs] = await Promise.all(c4.ngsi(3).map(body));
  const nodes = (await body(c4.graphql(3)[0])).data.weatherObserved.nodes;
  const byId = new Map(devs.map((d) => [d.id, d.deviceCategory.value]));
  const joined = wo.map((e) => [e.id, e.refDevice.object, byId.get(e.refDevice.object)]);
  const fromGraphql = nodes.map((e) => [e.id, e.refDevice?.id, e.refDevice?.deviceCategory]);
  if (JSON.stringify(joined) !== JSON.stringify(fromGraphql)) throw new Error(`relationships differ:\n${JSON.stringify(joined.slice(0, 2))}\n${JSON.stringify(fromGraphql.slice(0, 2))}`);
}

async function measure(service, proxy) {
  const results = [];
  for (const c of cases().filter((c) => c.name.includes(ONLY))) {
    const statements = {
      ngsi: await countStatements(service, proxy.counts, c.ngsi),
      graphql: await countStatements(service, proxy.counts, c.graphql),
    };
    if (c.countOnly) {
      results.push({ name: c.name, statements, cpu: await cpuPerUnit(service, c) });
      continue;
    }
    for (const door of ['ngsi', 'graphql']) await runUnits(service.base, WARM_UP_SECONDS, c[door]);
    const runs = { ngsi: [], graphql: [] };
    for (let slice = 0; slice < SLICES; slice++) {
      for (const door of slice % 2 === 0 ? ['ngsi', 'graphql'] : ['graphql', 'ngsi']) runs[door].push(await runUnits(service.base, SECONDS / SLICES, c[door]));
    }
    const merged = (door) =>
      summarize(runs[door].flatMap((r) => r.latencies), runs[door].reduce((sum, r) => sum + r.elapsed, 0), runs[door].reduce((sum, r) => sum + r.failures, 0));
    const cpu = await cpuPerUnit(service, c);
    results.push({ name: c.name, statements, cpu, ngsi: merged('ngsi'), graphql: merged('graphql') });
    console.log(`${c.name}: NGSI-LD ${merged('ngsi').perSecond.toFixed(0)}/s, GraphQL ${merged('graphql').perSecond.toFixed(0)}/s; service CPU ${cpu.ngsi.toFixed(2)} / ${cpu.graphql.toFixed(2)} ms`);
  }
  return results;
}

const fixed = (n, digits = 0) => n.toFixed(digits);
const counted = ({ median, min, max }) => (min === max ? `${median}` : `${median} (${min}–${max})`);

async function main() {
  const database = await scratchDatabase(`vgds_bench_graphql_${process.pid}`);
  const proxy = await countingProxy(database.url);
  const service = await startService(proxy.url, 21000 + (process.pid % 9000));
  try {
    const datasetId = await createDataset(service, {
      title: { sv: 'Väder i Göteborg', en: 'Weather in Göteborg' },
      description: { sv: 'Benchmarkdata: väderobservationer och deras givare' },
      entities: [{ type: WEATHER_TYPE }, { type: DEVICE_TYPE }],
      classification: { confidentiality: 0, integrity: 1, availability: 1 },
      open: true,
    });
    const loadStarted = Date.now();
    await load(service, datasetId);
    console.log(`loaded ${DEVICES} devices, ${ENTITIES} weather observations and ${HISTORIES} days of history in ${fixed((Date.now() - loadStarted) / 1000, 1)} s`);
    await check(service);
    if (process.env.BENCH_GRAPHQL_TRACE) {
      await trace(service, proxy.counts);
      return;
    }
    const idleBefore = { ...proxy.counts };
    await new Promise((resolve) => setTimeout(resolve, 2000));
    const idle = { statements: proxy.counts.statements - idleBefore.statements, background: proxy.counts.background - idleBefore.background };
    const results = await measure(service, proxy);
    const rss = peakRss(service.child.pid);
    const timed = results.filter((r) => r.ngsi);
    const lines = [
      'Produced by `npm run bench:graphql` (bench/graphql.mjs). The same reads through `GET /ngsi-ld/v1/...` and `POST /graphql`,',
      'anonymous on an open dataset, the same data asked of both (NGSI-LD with `attrs=` for the attributes the GraphQL query selects),',
      'alternating in slices in one run against one service. The relationship case is two NGSI-LD requests in turn',
      '(the page, then `?id=` of its distinct devices), timed as one unit, against one GraphQL query.',
      '',
      `- date: ${new Date().toISOString()}`,
      `- machine: ${cpus().length} × ${cpus()[0].model}, ${fixed(totalmem() / 2 ** 30)} GiB; Node ${process.version}. Service, PostgreSQL and load generator on it together.`,
      `- data: ${ENTITIES} WeatherObserved (temperature, location around Göteborg, refDevice) and ${DEVICES} Device; ${HISTORIES} of them with a day of 5-minute temperatures (${STEPS} instances)`,
      `- load: ${CONCURRENCY} clients, ${SECONDS} s per case and door after ${WARM_UP_SECONDS} s of warm-up, in ${SLICES} alternating slices`,
      `- peak RSS of the service (VmHWM): **${fixed(rss)} MB**; failures: ${timed.reduce((sum, r) => sum + r.ngsi.failures + r.graphql.failures, 0)}`,
      '',
      '| case | NGSI-LD req/s | NGSI-LD p50 / p99 ms | GraphQL req/s | GraphQL p50 / p99 ms | GraphQL / NGSI-LD |',
      '|---|---|---|---|---|---|',
      ...timed.map(({ name, ngsi: n, graphql: g }) =>
        `| ${name} | ${fixed(n.perSecond)} | ${fixed(n.p50, 1)} / ${fixed(n.p99, 1)} | ${fixed(g.perSecond)} | ${fixed(g.p50, 1)} / ${fixed(g.p99, 1)} | ${fixed(g.perSecond / n.perSecond, 2)} |`,
      ),
      '',
      'Statements per unit of work, counted at a proxy between the service and PostgreSQL (Query and Bind messages: each execution of a statement,',
      `prepared or not), one unit at a time, median of ${COUNTED_REQUESTS} (range when they differ). The change feed's and subscriptions' polls are left out`,
      `(the idle service sent ${idle.background} of those and ${idle.statements} others in 2 s). BEGIN and COMMIT would count as statements; these reads send none.`,
      '',
      `The service's CPU per unit (all its threads, from /proc/<pid>/task/*/schedstat over ${CPU_UNITS} warm units one at a time, the doors alternating) is less disturbed by the other load on the machine than req/s, but not free of it (±20 % between runs).`,
      '',
      '| case | NGSI-LD statements | GraphQL statements | NGSI-LD service CPU ms | GraphQL service CPU ms |',
      '|---|---|---|---|---|',
      ...results.map(({ name, statements, cpu }) => `| ${name} | ${counted(statements.ngsi)} | ${counted(statements.graphql)} | ${fixed(cpu.ngsi, 2)} | ${fixed(cpu.graphql, 2)} |`),
    ];
    console.log(lines.join('\n'));
    if (!ONLY) writeSection('## GraphQL and NGSI-LD (issue 15)', lines);
  } finally {
    service.stop();
    await new Promise((resolve) => setTimeout(resolve, 1000));
    proxy.close();
    await database.drop();
  }
}

main().catch((error) => {
  process.stderr.write(`${error.stack ?? error}\n`);
  process.exit(1);
});
