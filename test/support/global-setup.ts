import { writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import { postgis } from '@electric-sql/pglite-postgis';
import { adminQuery, SNAPSHOT_ENV, TEMPLATE_ENV, withDatabase } from './database-admin';
import { startContractRecording } from './contract/contract-run';

/** Prepares what every test file copies its fresh database from: PostGIS is created once here. */
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
  const db = await PGlite.create({ extensions: { postgis } });
  await db.exec('CREATE EXTENSION postgis');
  const snapshot = join(tmpdir(), `vgds-e2e-snapshot-${process.pid}.tar`);
  writeFileSync(snapshot, Buffer.from(await (await db.dumpDataDir('none')).arrayBuffer()));
  await db.close();
  process.env[SNAPSHOT_ENV] = snapshot;
}
