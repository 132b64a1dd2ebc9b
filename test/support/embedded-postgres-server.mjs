// The embedded PostgreSQL of e2e tests run without DATABASE_URL: one process for the whole run, beside
// the test process, that hands each test file a fresh database of its own (a PGlite instance loaded
// from a snapshot with PostGIS, served on a loopback port). The database runs on the machine's other
// core instead of blocking the test process's event loop, PostGIS is created once, and the next
// database is loaded while the current file runs, so a file rarely waits for one.
//
// Plain JavaScript: started with `node` by test/support/global-setup.ts, outside Jest.
// Control: POST /databases -> {"id", "url"}; DELETE /databases/{id}. Prints {"control": url} when ready.
import { existsSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import { postgis } from '@electric-sql/pglite-postgis';
import { PGLiteSocketServer } from '@electric-sql/pglite-socket';

const snapshot = await postgisSnapshot();

/**
 * An empty database with PostGIS, as a data directory archive. Creating PostGIS takes 10 to 20 s,
 * so the archive is kept in the OS's temporary directory for the next run (per PGlite version).
 */
async function postgisSnapshot() {
  const entry = createRequire(import.meta.url).resolve('@electric-sql/pglite'); // .../pglite/dist/index.cjs
  const { version } = JSON.parse(readFileSync(join(dirname(entry), '..', 'package.json'), 'utf8'));
  const kept = join(tmpdir(), `vgds-e2e-postgis-pglite-${version}.tar`);
  if (existsSync(kept)) return new Blob([readFileSync(kept)]);
  const base = await PGlite.create({ extensions: { postgis } });
  await base.exec('CREATE EXTENSION postgis');
  const archive = await base.dumpDataDir('none');
  await base.close();
  const partial = `${kept}.${process.pid}`;
  writeFileSync(partial, Buffer.from(await archive.arrayBuffer()));
  renameSync(partial, kept); // whole or not at all, should two runs race
  return archive;
}

const open = new Map();
let nextId = 1;
let warm = prepare();

async function prepare() {
  const db = await PGlite.create({ loadDataDir: snapshot, extensions: { postgis } });
  const server = new PGLiteSocketServer({ db, host: '127.0.0.1', port: 0, maxConnections: 8 });
  await server.start();
  return { db, server };
}

async function take() {
  const ready = await warm.catch(() => prepare());
  warm = prepare();
  warm.catch(() => undefined); // a failure shows when the next one is taken (it is then made anew)
  const id = String(nextId++);
  open.set(id, ready);
  return { id, url: `postgres://postgres@${ready.server.getServerConn()}/postgres` };
}

async function drop(id) {
  const held = open.get(id);
  if (!held) return;
  open.delete(id);
  // The socket server tidies up after each closed connection a moment later and touches the
  // database when it does: let it finish before the database goes away.
  for (let waited = 0; held.server.getStats().activeConnections > 0 && waited < 2000; waited += 10) {
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
  await held.server.stop();
  await new Promise((resolve) => setTimeout(resolve, 20));
  await held.db.close();
}

const control = createServer((request, response) => {
  // One request per connection: a kept-alive connection that the server times out just as the
  // next request is sent on it would fail that request ("other side closed").
  const answer = (status, body) =>
    body === undefined
      ? response.writeHead(status, { connection: 'close' }).end()
      : response.writeHead(status, { connection: 'close', 'content-type': 'application/json' }).end(JSON.stringify(body));
  const dropped = /^\/databases\/(\d+)$/.exec(request.url ?? '');
  const work =
    request.method === 'POST' && request.url === '/databases'
      ? take().then((made) => answer(201, made))
      : request.method === 'DELETE' && dropped
        ? drop(dropped[1]).then(() => answer(204))
        : Promise.resolve(answer(404, { error: 'no such control request' }));
  work.catch((error) => answer(500, { error: String(error?.stack ?? error) }));
});

control.listen(0, '127.0.0.1', () => {
  process.stdout.write(`${JSON.stringify({ control: `http://127.0.0.1:${control.address().port}` })}\n`);
});

// Ends with the test run: when Jest's process goes away, its pipe to us closes.
process.stdin.on('end', () => process.exit(0));
process.stdin.resume();
