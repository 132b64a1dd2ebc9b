import { rmSync } from 'node:fs';
import { adminQuery, SNAPSHOT_ENV, TEMPLATE_ENV } from './database-admin';
import { checkRecordedContract } from './contract/contract-run';

export default async function globalTeardown(): Promise<void> {
  const template = process.env[TEMPLATE_ENV];
  if (process.env.DATABASE_URL && template) await adminQuery(process.env.DATABASE_URL, `DROP DATABASE IF EXISTS ${template}`);
  const snapshot = process.env[SNAPSHOT_ENV];
  if (snapshot) rmSync(snapshot, { force: true });
  checkRecordedContract();
}
