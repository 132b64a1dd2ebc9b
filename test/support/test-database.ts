import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { PGlite } from '@electric-sql/pglite';
import { postgis } from '@electric-sql/pglite-postgis';
import { PGLiteSocketServer } from '@electric-sql/pglite-socket';
import { stopServing } from 'src/database/embedded-postgres';
import { adminQuery, SNAPSHOT_ENV, TEMPLATE_ENV, withDatabase } from 'test/support/database-admin';

/*
 * A fresh database for each test file: on the server in DATABASE_URL a new database copied from a
 * template that already has PostGIS; without one, an embedded PostgreSQL loaded from a snapshot.
 * The service then runs its own migrations on it, as it does in production.
 */

export interface TestDatabase {
  readonly url: string;
  readonly poolSize: number;
  drop(): Promise<void>;
}

export async function createTestDatabase(): Promise<TestDatabase> {
  const serverUrl = process.env.DATABASE_URL;
  if (serverUrl) return createOnServer(serverUrl, requiredEnv(TEMPLATE_ENV));
  return createEmbedded(requiredEnv(SNAPSHOT_ENV));
}

async function createOnServer(serverUrl: string, template: string): Promise<TestDatabase> {
  const name = `vgds_e2e_${randomBytes(6).toString('hex')}`;
  await adminQuery(serverUrl, `CREATE DATABASE ${name} TEMPLATE ${template}`);
  return {
    url: withDatabase(serverUrl, name),
    poolSize: 5,
    drop: () => adminQuery(serverUrl, `DROP DATABASE IF EXISTS ${name} WITH (FORCE)`),
  };
}

async function createEmbedded(snapshotFile: string): Promise<TestDatabase> {
  const db = await PGlite.create({ loadDataDir: new Blob([readFileSync(snapshotFile)]), extensions: { postgis } });
  const server = new PGLiteSocketServer({ db, host: '127.0.0.1', port: 0, maxConnections: 4 });
  await server.start();
  return {
    url: `postgres://postgres@${server.getServerConn()}/postgres`,
    poolSize: 1,
    drop: () => stopServing(server, db),
  };
}

function requiredEnv(name: string): string {
  const value = process.env[name];
  if (!value) throw new Error(`${name} is not set: run e2e tests through jest (test/support/global-setup.ts)`);
  return value;
}
