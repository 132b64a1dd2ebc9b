import { Injectable, Logger, OnApplicationShutdown } from '@nestjs/common';
import { DataSource, MigrationExecutor } from 'typeorm';
import { AppConfig } from 'src/config/app-config';
import { dataSourceOptions } from 'src/database/data-source-options';
import { isDatabaseUnavailable } from 'src/database/database-errors';
import { EmbeddedPostgres, StartupError } from 'src/database/embedded-postgres';

const MIGRATION_LOCK = `hashtext('vg-datashare:migrations')`;
/** Longest wait between two attempts to reach the database at start-up. */
const START_RETRY_MAX_MS = 10_000;

/**
 * The database the service runs on: the server in DATABASE_URL, or the embedded one. Opening it
 * checks PostgreSQL and PostGIS, runs pending migrations (one replica at a time), and closing it
 * stops the embedded server after the last connection is gone.
 */
@Injectable()
export class Database implements OnApplicationShutdown {
  private static readonly logger = new Logger('Database');

  private constructor(
    readonly dataSource: DataSource,
    readonly embedded: EmbeddedPostgres | undefined,
  ) {}

  /**
   * Opens the database; an external server that cannot be reached yet (not started, restarting,
   * the connection lost during migrations) is waited for, with the reason logged at each attempt.
   * What waiting cannot fix (wrong credentials, no PostGIS, an old server) stops the start-up.
   */
  static async open(config: AppConfig): Promise<Database> {
    const embedded = config.database.url ? undefined : await EmbeddedPostgres.start(config.dataDir);
    const url = config.database.url ?? embedded!.url;
    for (let attempt = 1; ; attempt++) {
      try {
        return await Database.connect(url, config, embedded);
      } catch (error) {
        if (embedded || !isDatabaseUnavailable(error)) {
          await embedded?.stop();
          throw error instanceof StartupError ? error : new StartupError(`Cannot use PostgreSQL at ${redact(url)}: ${(error as Error).message}`);
        }
        const retryInMs = Math.min(START_RETRY_MAX_MS, 500 * 2 ** (attempt - 1));
        Database.logger.warn({ msg: 'waiting for the database', url: redact(url), reason: (error as Error).message, attempt, retryInMs });
        await new Promise((resolve) => setTimeout(resolve, retryInMs));
      }
    }
  }

  private static async connect(url: string, config: AppConfig, embedded: EmbeddedPostgres | undefined): Promise<Database> {
    const dataSource = new DataSource(dataSourceOptions(url, config.database.poolSize, config.database.statementTimeoutMs));
    const database = new Database(dataSource, embedded);
    try {
      await dataSource.initialize();
      await database.preflight();
      if (config.database.runMigrations) await database.migrate();
    } catch (error) {
      if (dataSource.isInitialized) await dataSource.destroy().catch(() => undefined);
      throw error;
    }
    return database;
  }

  /** For `/health`: the database answers and has PostGIS. */
  async check(): Promise<{ postgis: string }> {
    const [row] = (await this.dataSource.query(`SELECT postgis_lib_version() AS postgis`)) as { postgis: string }[];
    return row;
  }

  async onApplicationShutdown(signal?: string): Promise<void> {
    Database.logger.log({ msg: 'closing the database', signal });
    await this.close();
    Database.logger.log({ msg: 'database closed' });
  }

  private async close(): Promise<void> {
    if (this.dataSource.isInitialized) await this.dataSource.destroy();
    await this.embedded?.stop();
  }

  private async preflight(): Promise<void> {
    const [{ version }] = (await this.dataSource.query(`SELECT current_setting('server_version_num')::int AS version`)) as {
      version: number;
    }[];
    if (version < 150000) throw new StartupError(`PostgreSQL 15 or newer is needed; the server runs ${version}.`);
    const installed = (await this.dataSource.query(
      `SELECT extversion FROM pg_extension WHERE extname = 'postgis'`,
    )) as { extversion: string }[];
    if (installed.length === 0) await this.createPostgis();
    const { postgis } = await this.check();
    if (Number.parseInt(postgis, 10) < 3) throw new StartupError(`PostGIS 3 is needed; the server has ${postgis}.`);
  }

  private async createPostgis(): Promise<void> {
    const available = (await this.dataSource.query(
      `SELECT 1 FROM pg_available_extensions WHERE name = 'postgis'`,
    )) as unknown[];
    if (available.length === 0) {
      throw new StartupError(
        'PostGIS is not installed on the database server. Install it (Debian: postgresql-15-postgis-3; ' +
          'Docker: the postgis/postgis image) or leave DATABASE_URL unset to use the embedded database.',
      );
    }
    try {
      await this.dataSource.query(`CREATE EXTENSION IF NOT EXISTS postgis`);
      Database.logger.log({ msg: 'created the PostGIS extension' });
    } catch (error) {
      throw new StartupError(
        `PostGIS is installed but could not be created in this database (${(error as Error).message}). ` +
          'Run "CREATE EXTENSION postgis;" once as a superuser.',
      );
    }
  }

  /** Runs pending migrations under an advisory lock, so that replicas starting together take turns. */
  private async migrate(): Promise<void> {
    const runner = this.dataSource.createQueryRunner();
    try {
      await runner.connect();
      await runner.query(`SELECT pg_advisory_lock(${MIGRATION_LOCK})`);
      const executor = new MigrationExecutor(this.dataSource, runner);
      executor.transaction = 'each';
      const applied = await executor.executePendingMigrations();
      for (const migration of applied) Database.logger.log({ msg: 'applied migration', migration: migration.name });
    } finally {
      await runner.query(`SELECT pg_advisory_unlock(${MIGRATION_LOCK})`).catch(() => undefined);
      await runner.release();
    }
  }
}

function redact(url: string): string {
  return url.replace(/\/\/([^:@/]+):[^@/]*@/, '//$1:***@');
}
