import { randomBytes } from 'node:crypto';
import { createApp } from 'src/app.factory';
import { loadConfig } from 'src/config/app-config';
import { Sql } from 'src/database/sql';
import { adminQuery, withDatabase } from 'test/support/database-admin';
import { startTestApp } from 'test/support/test-app';

describe('the database at start-up', () => {
  it('is migrated: tables, GiST index on location, migrations recorded', async () => {
    const t = await startTestApp();
    try {
      const sql = t.app.get(Sql);
      const { rows: migrations } = await sql.query<{ name: string }>('SELECT name FROM migrations ORDER BY id');
      expect(migrations.map((m) => m.name)).toEqual(['EntityStore1763900000000', 'QueryIndexes1763990000000', 'HostedContexts1764000000000', 'Governance1764100000000', 'History1764200000000', 'Devices1764300000000', 'Changes1764400000000', 'ChangeProvenance1764450000000', 'AuditHead1764510000000', 'LongTextValues1764520000000', 'ValueIndexInStatements1764600000000', 'Privacy1764700000000', 'DatasetConformsTo1764800000000', 'Organisations1764900000000', 'DatasetCatalogListing1765000000000', 'CatalogFacts1765100000000', 'DatasetEntityOrder1765210000000']);
      const { rows: indexes } = await sql.query<{ indexdef: string }>(
        `SELECT indexdef FROM pg_indexes WHERE tablename = 'entity' ORDER BY indexname`,
      );
      expect(indexes.map((i) => i.indexdef).join('\n')).toMatch(/USING gist \(location\)/);
      expect(indexes.map((i) => i.indexdef).join('\n')).toMatch(/USING gin \(types\)/);
    } finally {
      await t.close();
    }
  }, 30_000);

  // Only a real server has roles to be refused by; the embedded database always has PostGIS.
  const onServer = process.env.DATABASE_URL ? it : it.skip;
  onServer('fails clearly when PostGIS is missing and the role may not create it', async () => {
    const serverUrl = process.env.DATABASE_URL!;
    const name = `vgds_e2e_plain_${randomBytes(4).toString('hex')}`;
    await adminQuery(serverUrl, `CREATE ROLE ${name} LOGIN NOSUPERUSER`);
    await adminQuery(serverUrl, `CREATE DATABASE ${name} OWNER ${name}`);
    try {
      const url = new URL(withDatabase(serverUrl, name));
      url.username = name;
      const config = loadConfig({ NODE_ENV: 'test', LOG_LEVEL: 'fatal', DATABASE_URL: url.toString() });
      await expect(createApp(config)).rejects.toThrow(/PostGIS is installed but could not be created.*CREATE EXTENSION postgis/);
    } finally {
      await adminQuery(serverUrl, `DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await adminQuery(serverUrl, `DROP ROLE IF EXISTS ${name}`);
    }
  });
});
