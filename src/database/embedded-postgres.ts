import { closeSync, existsSync, mkdirSync, openSync, readFileSync, unlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Logger } from '@nestjs/common';
import { PGlite } from '@electric-sql/pglite';
import { postgis } from '@electric-sql/pglite-postgis';
import { PGLiteSocketServer } from '@electric-sql/pglite-socket';

export class StartupError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'StartupError';
  }
}

/**
 * PostgreSQL with PostGIS inside this process (PGlite, compiled to WebAssembly), served on a
 * loopback port so that `pg` and TypeORM talk to it exactly as to a server. The application
 * cannot tell the two apart: same SQL, same migrations.
 */
export class EmbeddedPostgres {
  private static readonly logger = new Logger('EmbeddedPostgres');

  private constructor(
    private readonly db: PGlite,
    private readonly server: PGLiteSocketServer,
    private readonly lockFile: string,
    readonly url: string,
  ) {}

  static async start(dataDir: string): Promise<EmbeddedPostgres> {
    mkdirSync(dataDir, { recursive: true });
    const lockFile = join(dataDir, 'vg-datashare.lock');
    acquireLock(lockFile);
    try {
      const pgData = join(dataDir, 'pgdata');
      const firstStart = !existsSync(join(pgData, 'PG_VERSION'));
      this.logger.log({
        msg: firstStart ? 'creating the embedded database (about 10 s)' : 'opening the embedded database',
        dataDir: pgData,
      });
      const db = await PGlite.create({ dataDir: pgData, extensions: { postgis } });
      // One session underneath: the server queues what arrives, and the pool keeps to one connection.
      const server = new PGLiteSocketServer({ db, host: '127.0.0.1', port: 0, maxConnections: 4 });
      await server.start();
      return new EmbeddedPostgres(db, server, lockFile, `postgres://postgres@${server.getServerConn()}/postgres`);
    } catch (error) {
      releaseLock(lockFile);
      throw error;
    }
  }

  async stop(): Promise<void> {
    try {
      await stopServing(this.server, this.db);
    } finally {
      releaseLock(this.lockFile);
    }
  }
}

/** Closes a PGlite socket server and then its database, in the order the socket server needs. */
export async function stopServing(server: PGLiteSocketServer, db: PGlite): Promise<void> {
  // The socket server tidies up after each closed connection a moment later, and touches the
  // database when it does: let it finish before the database goes away.
  for (let waited = 0; server.getStats().activeConnections > 0 && waited < 2000; waited += 10) {
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
  await server.stop();
  await new Promise((resolve) => setTimeout(resolve, 20));
  await db.close();
}

/** Two processes on one embedded data directory would corrupt it: the second one is refused. */
function acquireLock(lockFile: string): void {
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      const fd = openSync(lockFile, 'wx');
      writeFileSync(fd, String(process.pid));
      closeSync(fd);
      return;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      const holder = Number(readFileSync(lockFile, 'utf8').trim());
      if (holder && isAlive(holder)) {
        throw new StartupError(
          `The embedded database in ${lockFile.replace(/\/[^/]+$/, '')} is in use by process ${holder}. ` +
            'Stop it, or set DATA_DIR to another directory.',
        );
      }
      unlinkSync(lockFile); // left behind by a process that is gone
    }
  }
  throw new StartupError(`Could not lock ${lockFile}`);
}

function releaseLock(lockFile: string): void {
  try {
    if (Number(readFileSync(lockFile, 'utf8').trim()) === process.pid) unlinkSync(lockFile);
  } catch {
    // already gone
  }
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}
