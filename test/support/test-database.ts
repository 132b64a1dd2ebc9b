import { randomBytes } from 'node:crypto';
import { adminQuery, EMBEDDED_CONTROL_ENV, TEMPLATE_ENV, withDatabase } from 'test/support/database-admin';

/*
 * A fresh database for each test file: on the server in DATABASE_URL a new database copied from a
 * template that already has PostGIS; without one, an embedded PostgreSQL of its own, from the
 * process that global set-up started (test/support/embedded-postgres-server.mjs).
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
  return createEmbedded(requiredEnv(EMBEDDED_CONTROL_ENV));
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

async function createEmbedded(control: string): Promise<TestDatabase> {
  const res = await fetch(`${control}/databases`, { method: 'POST' });
  if (res.status !== 201) throw new Error(`No embedded test database: ${await res.text()}`);
  const { id, url } = (await res.json()) as { id: string; url: string };
  return {
    url,
    poolSize: 1,
    drop: async () => {
      await fetch(`${control}/databases/${id}`, { method: 'DELETE' });
    },
  };
}

function requiredEnv(name: string): string {
  const value = process.env[name];
  if (!value) throw new Error(`${name} is not set: run e2e tests through jest (test/support/global-setup.ts)`);
  return value;
}
