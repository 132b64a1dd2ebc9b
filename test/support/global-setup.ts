import { ChildProcess, spawn } from 'node:child_process';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { adminQuery, EMBEDDED_CONTROL_ENV, TEMPLATE_ENV, withDatabase } from './database-admin';
import { startContractRecording } from './contract/contract-run';

/**
 * Prepares what every test file takes its fresh database from: on the server in DATABASE_URL a
 * template database with PostGIS; without one, a process serving embedded databases
 * (embedded-postgres-server.mjs), which global teardown ends.
 */
export default async function globalSetup(): Promise<void> {
  startContractRecording();
  const serverUrl = process.env.DATABASE_URL;
  if (serverUrl) {
    const template = `vgds_e2e_template_${process.pid}`;
    await adminQuery(serverUrl, `DROP DATABASE IF EXISTS ${template}`);
    await adminQuery(serverUrl, `CREATE DATABASE ${template}`);
    await adminQuery(withDatabase(serverUrl, template), 'CREATE EXTENSION postgis');
    process.env[TEMPLATE_ENV] = template;
    return;
  }
  const server = spawn(process.execPath, [join(__dirname, 'embedded-postgres-server.mjs')], { stdio: ['pipe', 'pipe', 'inherit'] });
  (globalThis as { embeddedPostgresServer?: ChildProcess }).embeddedPostgresServer = server;
  process.env[EMBEDDED_CONTROL_ENV] = await controlUrlOf(server);
}

function controlUrlOf(server: ChildProcess): Promise<string> {
  return new Promise((resolve, reject) => {
    server.once('exit', (code) => reject(new Error(`The embedded PostgreSQL server of the tests exited (${code}) before it was ready`)));
    createInterface({ input: server.stdout! }).once('line', (line) => resolve((JSON.parse(line) as { control: string }).control));
  });
}
