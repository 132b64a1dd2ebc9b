import { Injectable, Logger, OnApplicationShutdown } from '@nestjs/common';
import { DataSource, MigrationExecutor } from 'typeorm';
import { AppConfig } from 'src/config/app-config';
import { dataSourceOptions } from 'src/database/data-source-options';
import { EmbeddedPostgres, StartupError } from 'src/database/embedded-postgres';

const MIGRATION_LOCK = `hashtext('vg-datashare:migrations')`;

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

  static async open(config: AppConfig): Promise<Database> {
    const embedded = config.database.url ? undefined : await EmbeddedPostgres.start(config.dataDir);
    const url = config.database.url ?? embedded!.url;
    const dataSource = new DataSource(dataSourceOptions(url, config.database.poolSize, config.database.statementTimeoutMs));
    try {
      await dataSource.initialize();
    } catch (error) {
      await embedded?.stop();
      throw new StartupError(`Cannot connect to PostgreSQL at ${redact(url)}: ${(error as Error).message}`);
    }
    const database = new Database(dataSource, embedded);
    try {
      await database.preflight();
      if (config.database.runMigrations) await database.migrate();
    } catch (error) {
      await database.close();
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
