import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, rmSync, statSync } from 'node:fs';
import { createServer, Server } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { buildService } from 'test/support/service-process';

/*
 * `npm start` on a fresh machine: it compiles only when the sources changed, and a port that is
 * taken is said at once, before the embedded database is created.
 */

const ROOT = join(__dirname, '..', '..');

beforeAll(() => {
  buildService();
}, 300_000);

it('does not compile again when nothing changed', () => {
  const main = join(ROOT, 'dist', 'main.js');
  const before = statSync(main).mtimeMs;
  const started = Date.now();
  expect(buildService()).not.toMatch(/Compiling/);
  expect(statSync(main).mtimeMs).toBe(before);
  expect(Date.now() - started).toBeLessThan(10_000);
});

it('says at once that the port is taken, before creating a database', async () => {
  const taken: Server = createServer();
  await new Promise<void>((resolve) => taken.listen(0, '127.0.0.1', resolve));
  const port = (taken.address() as { port: number }).port;
  const dataDir = mkdtempSync(join(tmpdir(), 'vgds-port-'));
  try {
    const env: NodeJS.ProcessEnv = { ...process.env, HOST: '127.0.0.1', PORT: String(port), DATA_DIR: dataDir };
    delete env.DATABASE_URL;
    const started = Date.now();
    const child = spawn('node', [join(ROOT, 'dist', 'main.js')], { env, stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    child.stdout.on('data', (d: Buffer) => (output += d.toString()));
    child.stderr.on('data', (d: Buffer) => (output += d.toString()));
    const code = await new Promise<number | null>((resolve) => child.once('exit', resolve));
    expect(code).toBe(1);
    expect(output).toContain(`Port ${port} is in use; stop what uses it or set PORT.`);
    expect(Date.now() - started).toBeLessThan(15_000);
    expect(existsSync(dataDir) ? readdirSync(dataDir) : []).toEqual([]);
  } finally {
    taken.close();
    rmSync(dataDir, { recursive: true, force: true });
  }
}, 60_000);
