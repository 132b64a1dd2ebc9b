import { ChildProcess, execFileSync, spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const ROOT = join(__dirname, '..', '..');

/**
 * Builds dist/ as `npm start` does (only when the sources changed since the last build), for tests
 * that run the service as a process of its own. Returns what the build step printed.
 */
export function buildService(): string {
  return execFileSync('node', [join(ROOT, 'scripts', 'build-if-changed.mjs')], { cwd: ROOT, stdio: 'pipe' }).toString();
}

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

/**
 * The service as a separate process (node dist/main.js), on a database of the test's; its data
 * directory (with the first administrator key) outlives restarts, as on a real installation.
 */
export class ServiceProcess {
  private child?: ChildProcess;
  private output = '';
  readonly dataDir = mkdtempSync(join(tmpdir(), 'vgds-service-'));

  constructor(
    private readonly env: Record<string, string>,
    readonly port: number,
  ) {}

  get base(): string {
    return `http://127.0.0.1:${this.port}`;
  }

  get adminKey(): string {
    return readFileSync(join(this.dataDir, 'admin-api-key'), 'utf8').trim();
  }

  /** Whether the process is still there (it did not exit or crash). */
  get running(): boolean {
    return this.child !== undefined && this.child.exitCode === null && this.child.signalCode === null;
  }

  get log(): string {
    return this.output;
  }

  async start(): Promise<void> {
    const child = spawn('node', [join(ROOT, 'dist', 'main.js')], {
      env: { ...process.env, HOST: '127.0.0.1', PORT: String(this.port), DATA_DIR: this.dataDir, BOOTSTRAP_ADMIN_KEY: 'true', LOG_LEVEL: 'warn', ...this.env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    this.child = child;
    child.stdout!.on('data', (d: Buffer) => (this.output += d.toString()));
    child.stderr!.on('data', (d: Buffer) => (this.output += d.toString()));
    for (let i = 0; i < 300; i++) {
      if (child.exitCode !== null) throw new Error(`The service exited:\n${this.output}`);
      const healthy = await fetch(`${this.base}/health`).then((r) => r.status === 200).catch(() => false);
      if (healthy && existsSync(join(this.dataDir, 'admin-api-key'))) return;
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    throw new Error(`The service did not start:\n${this.output}`);
  }

  /**
   * Registers the organisation of the administrator key ("platform", a made-up registry entry), so
   * that it may publish open datasets; as an administrator does on a new installation.
   */
  async registerOrganisation(id = 'platform'): Promise<void> {
    const answer = await fetch(`${this.base}/api/v1/organisations`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-api-key': this.adminKey },
      body: JSON.stringify({ id, name: { sv: 'Plattformen' }, organisationNumber: '212000-1355', kind: 'region' }),
    });
    if (answer.status !== 201) throw new Error(`registering ${id}: ${answer.status} ${await answer.text()}`);
  }

  /** kill -9: no shutdown hooks, nothing flushed. */
  async kill(): Promise<void> {
    const child = this.child;
    if (!child || !this.running) return;
    const exited = new Promise((resolve) => child.once('exit', resolve));
    child.kill('SIGKILL');
    await exited;
  }

  /** SIGTERM, as Docker and Kubernetes stop a container: how long the process took to exit, and how it ended. */
  async terminate(): Promise<{ ms: number; code: number | null; signal: NodeJS.Signals | null }> {
    const child = this.child;
    if (!child || !this.running) throw new Error('The service is not running');
    const started = Date.now();
    const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
      child.once('exit', (code, signal) => resolve({ code, signal })),
    );
    child.kill('SIGTERM');
    return { ...(await exited), ms: Date.now() - started };
  }

  async stop(): Promise<void> {
    const child = this.child;
    if (child && this.running) {
      const exited = new Promise((resolve) => child.once('exit', resolve));
      child.kill('SIGTERM');
      await exited;
    }
    rmSync(this.dataDir, { recursive: true, force: true });
  }
}
