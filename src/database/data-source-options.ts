import { ClientBase } from 'pg';
import { DataSourceOptions } from 'typeorm';
import { GuardedClient } from 'src/database/guarded-client';
import { EntityStore1763900000000 } from 'src/database/migrations/1763900000000-entity-store';
import { QueryIndexes1763990000000 } from 'src/database/migrations/1763990000000-query-indexes';
import { HostedContexts1764000000000 } from 'src/database/migrations/1764000000000-hosted-contexts';
import { Governance1764100000000 } from 'src/database/migrations/1764100000000-governance';
import { History1764200000000 } from 'src/database/migrations/1764200000000-history';
import { Devices1764300000000 } from 'src/database/migrations/1764300000000-devices';
import { Changes1764400000000 } from 'src/database/migrations/1764400000000-changes';
import { ChangeProvenance1764450000000 } from 'src/database/migrations/1764450000000-change-provenance';
import { AuditHead1764510000000 } from 'src/database/migrations/1764510000000-audit-head';
import { LongTextValues1764520000000 } from 'src/database/migrations/1764520000000-long-text-values';
import { Privacy1764700000000 } from 'src/database/migrations/1764700000000-privacy';
import { DatasetConformsTo1764800000000 } from 'src/database/migrations/1764800000000-dataset-conforms-to';
import { Organisations1764900000000 } from 'src/database/migrations/1764900000000-organisations';
import { DatasetCatalogListing1765000000000 } from 'src/database/migrations/1765000000000-dataset-catalog-listing';
import { CatalogFacts1765100000000 } from 'src/database/migrations/1765100000000-catalog-facts';
import { DatasetEntityOrder1765210000000 } from 'src/database/migrations/1765210000000-dataset-entity-order';
import { ValueIndexInStatements1764600000000 } from 'src/database/migrations/1764600000000-value-index-in-statements';

/** Every migration, in order. Listed rather than globbed so that sources and builds behave alike. */
export const MIGRATIONS = [EntityStore1763900000000, QueryIndexes1763990000000, HostedContexts1764000000000, Governance1764100000000, History1764200000000, Devices1764300000000, Changes1764400000000, ChangeProvenance1764450000000, AuditHead1764510000000, LongTextValues1764520000000, ValueIndexInStatements1764600000000, Privacy1764700000000, DatasetConformsTo1764800000000, Organisations1764900000000, DatasetCatalogListing1765000000000, CatalogFacts1765100000000, DatasetEntityOrder1765210000000];

/** One set of options for the service, the TypeORM CLI and the tests. */
export function dataSourceOptions(url: string, poolSize: number, statementTimeoutMs: number): DataSourceOptions {
  return {
    type: 'postgres',
    url,
    synchronize: false,
    migrationsRun: false,
    migrations: MIGRATIONS,
    migrationsTransactionMode: 'each',
    entities: [],
    logging: false,
    extra: {
      max: poolSize,
      application_name: 'vg-datashare',
      statement_timeout: statementTimeoutMs,
      // Short OLTP statements: JIT compilation costs more than it saves (and JSON path functions
      // make cost estimates look large enough to trigger it).
      options: '-c jit=off',
      connectionTimeoutMillis: 10_000,
      // Every pooled connection listens for its own errors, checked out or not (see GuardedClient).
      Client: GuardedClient,
      // A new connection knows of no prepared statements. On a server that is true of its session;
      // the embedded database has one session for every connection, so a connection that replaces
      // one (pg-pool drops a client after a query error; idle timeouts) would meet its
      // predecessor's statements and fail to prepare them ("already exists") for good. pg-pool
      // awaits this before handing the connection out.
      onConnect: (client: ClientBase) => client.query('DEALLOCATE ALL'),
    },
  };
}
