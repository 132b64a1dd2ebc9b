import pg from 'pg';
import { run, send } from './load.mjs';
import { createDataset, scratchDatabase, startService } from './service.mjs';
const VOCAB = 'https://uri.etsi.org/ngsi-ld/default-context/';
const phase = process.argv[2] ?? 'update';
const typeOf = (n) => `BenchType${n % 10}`;
const entityId = (n) => `urn:ngsi-ld:${typeOf(n)}:e${n}`;
function entity(n, observedAt = '2026-11-20T10:00:00Z') {
  return { id: entityId(n), type: typeOf(n),
    temperature: [{ type: 'Property', value: (n % 1000) / 10, observedAt, datasetId: 'urn:ngsi-ld:Dataset:sensor-a' }, { type: 'Property', value: ((n + 7) % 1000) / 10, observedAt, datasetId: 'urn:ngsi-ld:Dataset:sensor-b' }],
    humidity: [{ type: 'Property', value: n % 100, observedAt, datasetId: 'urn:ngsi-ld:Dataset:sensor-a' }, { type: 'Property', value: (n * 3) % 100, observedAt, datasetId: 'urn:ngsi-ld:Dataset:sensor-b' }],
    fillLevel: { type: 'Property', value: n % 500, observedAt, accuracy: { type: 'Property', value: 0.5 } },
    name: { type: 'Property', value: `Entity ${n}` },
    refDevice: { type: 'Relationship', object: `urn:ngsi-ld:Device:d${n % 5000}` },
    location: { type: 'GeoProperty', value: { type: 'Point', coordinates: [11 + (n % 400) * 0.00875, 57.2 + Math.floor((n % 400000) / 400) * 0.0021] } } };
}
const db = await scratchDatabase('vgds_prof');
const s = await startService(db.url, 4800);
const admin = new pg.Client({ connectionString: db.url }); await admin.connect();
await admin.query('CREATE EXTENSION IF NOT EXISTS pg_stat_statements');
try {
  await createDataset(s, { title: { sv: 'x' }, description: { sv: 'x' }, entities: Array.from({ length: 10 }, (_, t) => ({ type: `${VOCAB}BenchType${t}` })), classification: { confidentiality: 0, integrity: 1, availability: 1 }, open: true });
  const key = (await (await fetch(`${s.base}/api/v1/api-keys`, { method: 'POST', headers: { 'content-type': 'application/json', 'x-api-key': s.adminKey }, body: JSON.stringify({ name: 'k', write: true }) })).json()).key;
  const H = { 'content-type': 'application/json', 'x-api-key': key };
  for (let f = 0; f < 1000; f += 500) await send({ base: s.base, method: 'POST', path: '/ngsi-ld/v1/entityOperations/upsert', headers: H, body: JSON.stringify(Array.from({ length: 500 }, (_, k) => entity(f + k))) });
  if (process.env.EXPLAIN) {
    await admin.query(`ALTER DATABASE vgds_prof SET session_preload_libraries = 'auto_explain'`);
    await admin.query(`ALTER DATABASE vgds_prof SET auto_explain.log_min_duration = 1`);
    await admin.query(`ALTER DATABASE vgds_prof SET auto_explain.log_analyze = on`);
    await admin.query(`ALTER DATABASE vgds_prof SET auto_explain.log_nested_statements = on`);
    await admin.query(`SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = 'vgds_prof' AND pid <> pg_backend_pid()`);
    await new Promise((r) => setTimeout(r, 1000));
  }
  let outBytes = 0; let sample = ''; s.child.stdout.on('data', (d) => { outBytes += d.length; if (sample.length < 600) sample += d; }); s.child.stderr.on('data', (d) => (outBytes += d.length));
  await admin.query('SELECT pg_stat_statements_reset()');
  let n = 1_000_000; let t = 0;
  const { readFileSync, readdirSync } = await import('node:fs');
  const ticks = (pid, which = 'both') => { try { const f = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' '); return which === 'user' ? Number(f[11]) : which === 'sys' ? Number(f[12]) : Number(f[11]) + Number(f[12]); } catch { return 0; } };
  const pgTicks = () => readdirSync('/proc').filter((d) => /^\d+$/.test(d)).filter((d) => { try { return readFileSync(`/proc/${d}/comm`, 'utf8').startsWith('postgres'); } catch { return false; } }).reduce((a, d) => a + ticks(d), 0);
  const svcU0 = ticks(s.child.pid, 'user'), svcS0 = ticks(s.child.pid, 'sys'), svc0 = ticks(s.child.pid), pg0 = pgTicks(), me0 = process.cpuUsage();
  const r = await run({ base: s.base, seconds: 10, concurrency: 10, expectStatus: [201, 204], next: () => phase === 'create'
    ? { method: 'POST', path: '/ngsi-ld/v1/entities', headers: H, body: JSON.stringify(entity(n++)) }
    : { method: 'PATCH', path: `/ngsi-ld/v1/entities/${encodeURIComponent(entityId(Math.floor(Math.random() * 1000)))}/attrs/fillLevel`, headers: H, body: JSON.stringify({ value: Math.round(Math.random() * 500), observedAt: new Date(Date.UTC(2026, 10, 21) + t++ * 1000).toISOString() }) } });
  const me = process.cpuUsage(me0);
  console.log('cpu seconds: service', (ticks(s.child.pid) - svc0) / 100, '(user', (ticks(s.child.pid, 'user') - svcU0) / 100, 'sys', (ticks(s.child.pid, 'sys') - svcS0) / 100, ')', 'postgres (backends alive at the end)', (pgTicks() - pg0) / 100, 'load generator', ((me.user + me.system) / 1e6).toFixed(1));
  console.log('service output bytes', outBytes, sample.slice(0, 600));
  console.log(phase, r.perSecond.toFixed(1), 'req/s', 'p50', r.p50.toFixed(1), 'p99', r.p99.toFixed(1), r.statuses);
  const { rows } = await admin.query(`SELECT calls, round(total_exec_time::numeric,1) AS total_ms, round(mean_exec_time::numeric,3) AS mean_ms, left(regexp_replace(query, '\\s+', ' ', 'g'), 160) AS q FROM pg_stat_statements ORDER BY total_exec_time DESC LIMIT 15`);
  for (const row of rows) console.log(row.calls, row.total_ms, row.mean_ms, row.q);
} finally { await admin.end(); s.stop(); await new Promise((r) => setTimeout(r, 3000)); await db.drop(); }
