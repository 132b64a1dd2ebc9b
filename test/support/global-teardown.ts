import { ChildProcess } from 'node:child_process';
import { adminQuery, TEMPLATE_ENV } from './database-admin';
import { checkRecordedContract } from './contract/contract-run';

export default async function globalTeardown(): Promise<void> {
  const template = process.env[TEMPLATE_ENV];
  if (process.env.DATABASE_URL && template) await adminQuery(process.env.DATABASE_URL, `DROP DATABASE IF EXISTS ${template}`);
  const server = (globalThis as { embeddedPostgresServer?: ChildProcess }).embeddedPostgresServer;
  if (server && server.exitCode === null) {
    const exited = new Promise((resolve) => server.once('exit', resolve));
    server.kill();
    await exited;
  }
  checkRecordedContract();
}
