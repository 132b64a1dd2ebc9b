// What the benchmarks share: a scratch database, the service started as `npm start` starts it
// (with the first administrator key), datasets made through the API, peak memory of a process.
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import { send } from './load.mjs';

const here = dirname(fileURLToPath(import.meta.url));
export const serverUrl = process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';

export async function startProcess(command, args, env, readyLine) {
  const child = spawn(command, args, { env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  child.stdout.on('data', (d) => (output += d));
  child.stderr.on('data', (d) => (output += d));
  for (let i = 0; i < 600; i++) {
    if (readyLine && output.includes(readyLine)) return child;
    if (!readyLine) {
      try {
        const res = await send({ base: `http://127.0.0.1:${env.PORT}`, path: '/health' });
        if (res.status === 200) return child;
      } catch {
        // not up yet
      }
    }
    if (child.exitCode !== null) throw new Error(`${command} exited:\n${output}`);
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  throw new Error(`${command} did not start:\n${output}`);
}

/** Peak resident memory of a running process, in MB. */
export function peakRss(pid) {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  return Number(/VmHWM:\s+(\d+) kB/.exec(status)[1]) / 1024;
}

/** A fresh database on the server in DATABASE_URL (with `reuse`, the existing one of that name); `drop()` removes it. */
export async function scratchDatabase(name, { reuse = false } = {}) {
  const admin = new pg.Client({ connectionString: serverUrl });
  await admin.connect();
  const exists = (await admin.query('SELECT 1 FROM pg_database WHERE datname = $1', [name])).rowCount > 0;
  if (!(reuse && exists)) await admin.query(`CREATE DATABASE ${name}`);
  const url = new URL(serverUrl);
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    async drop() {
      await admin.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await admin.end();
    },
    async close() {
      await admin.end();
    },
  };
}

/** The service on `databaseUrl`, as `npm start` runs it; its first administrator key. */
export async function startService(databaseUrl, port, env = {}) {
  const dataDir = mkdtempSync(join(tmpdir(), 'vgds-bench-'));
  // BENCH_SERVICE_NODE_ARGS: more node flags for the service (--cpu-prof, to see where its time goes).
  const nodeArgs = (process.env.BENCH_SERVICE_NODE_ARGS ?? '').split(' ').filter(Boolean);
  const child = await startProcess('node', ['--max-old-space-size=256', ...nodeArgs, join(here, '..', 'dist', 'main.js')], {
    DATABASE_URL: databaseUrl, PORT: String(port), HOST: '127.0.0.1', LOG_LEVEL: 'warn', NODE_ENV: 'production',
    BOOTSTRAP_ADMIN_KEY: 'true', DATA_DIR: dataDir, ...env,
  });
  // Written only on the database's first start (a reused database has its key already).
  const keyFile = join(dataDir, 'admin-api-key');
  const adminKey = existsSync(keyFile) ? readFileSync(keyFile, 'utf8').trim() : undefined;
  return {
    child,
    adminKey,
    base: `http://127.0.0.1:${port}`,
    stop() {
      child.kill('SIGTERM');
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

/** Creates a dataset through the API, its organisation registered first (published datasets need that); returns its id. */
export async function createDataset(service, body) {
  await registerOrganisation(service.base, service.adminKey, body.organisation ?? 'platform');
  const created = await fetch(`${service.base}/api/v1/datasets`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-api-key': service.adminKey },
    body: JSON.stringify(body),
  });
  if (created.status !== 201) throw new Error(`creating a dataset: ${created.status} ${await created.text()}`);
  return (await created.json()).id;
}

/** Registers an organisation (a made-up registry entry) unless it is registered already. */
export async function registerOrganisation(base, adminKey, id) {
  const answer = await fetch(`${base}/api/v1/organisations`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-api-key': adminKey },
    body: JSON.stringify({ id, name: { sv: id }, organisationNumber: organisationNumberOf(id), kind: 'other' }),
  });
  if (answer.status !== 201 && answer.status !== 409) throw new Error(`registering ${id}: ${answer.status} ${await answer.text()}`);
}

/** A well-formed organisation number made from the id: nine digits of its hash and the Luhn check digit. */
function organisationNumberOf(id) {
  let hash = 7;
  for (const char of id) hash = (hash * 31 + char.charCodeAt(0)) % 1_000_000;
  const nine = `212${String(hash).padStart(6, '0')}`;
  const sum = [...nine].reduce((total, digit, index) => {
    const doubled = Number(digit) * (index % 2 === 0 ? 2 : 1);
    return total + (doubled > 9 ? doubled - 9 : doubled);
  }, 0);
  return `${nine}${(10 - (sum % 10)) % 10}`;
}

/** Replaces the section of bench/RESULTS.md under `heading` (a "## " line), or appends it. */
export function writeSection(heading, lines) {
  const path = join(here, 'RESULTS.md');
  const text = readFileSync(path, 'utf8');
  const start = text.indexOf(`\n${heading}\n`);
  const section = `\n${heading}\n\n${lines.join('\n')}\n`;
  if (start < 0) {
    writeFileSync(path, text.trimEnd() + '\n' + section);
    return;
  }
  const next = text.indexOf('\n## ', start + heading.length + 2);
  writeFileSync(path, text.slice(0, start) + section + (next < 0 ? '' : text.slice(next)));
}

/** The sections other benchmarks wrote into bench/RESULTS.md, from the first of `headings` on. */
export function sectionsFrom(headings) {
  let text = '';
  try {
    text = readFileSync(join(here, 'RESULTS.md'), 'utf8');
  } catch {
    return '';
  }
  const starts = headings.map((h) => text.indexOf(`\n${h}\n`)).filter((i) => i >= 0);
  return starts.length === 0 ? '' : text.slice(Math.min(...starts));
}
