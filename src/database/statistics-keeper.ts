import { BeforeApplicationShutdown, Injectable, Logger, OnApplicationBootstrap } from '@nestjs/common';
import { AppConfig } from 'src/config/app-config';
import { InjectConfig } from 'src/config/config.module';
import { isDatabaseUnavailable } from 'src/database/database-errors';
import { Sql } from 'src/database/sql';

/** The tables whose statistics queries' plans depend on, and the partitions of the history. */
const TABLES = ['entity', 'entity_attr_value', 'change'];
const HISTORY = 'attribute_instance';
/** Changed rows since the last ANALYZE that make a table's statistics stale: this share of it, at least MIN_CHANGED rows. */
const STALE_SHARE = 0.1;
const MIN_CHANGED = 1000;
/** A table analysed (by anyone) this recently is left alone: rows updated in place change little, and autovacuum sees to them. */
const MIN_SECONDS_BETWEEN = 60;
const KEEPER_LOCK = `hashtext('vg-datashare:statistics')`;

/**
 * Keeps the planner's statistics current. A query's plan depends on them: right after a bulk load
 * the value index and the entity table have none, and PostgreSQL then drives a selective `q` from
 * the wrong end (measured: 1.1 s instead of 0.5 ms over 100,000 entities). Autovacuum analyses
 * eventually (it looks once a minute); this looks every few seconds and analyses what changed by a
 * tenth since it was last analysed (a month of history is one partition), at most once a minute
 * per table, so that a small table updated all the time is not analysed over and over. One
 * replica at a time (an advisory lock); a failure is logged and the next round tries again.
 */
@Injectable()
export class StatisticsKeeper implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly logger = new Logger(StatisticsKeeper.name);
  private timer?: NodeJS.Timeout;
  /** The round under way, if any: one at a time, and shutdown waits for it before the database closes. */
  private round?: Promise<string[]>;

  constructor(
    private readonly sql: Sql,
    @InjectConfig() private readonly config: AppConfig,
  ) {}

  onApplicationBootstrap(): void {
    const every = this.config.database.analyzeIntervalSeconds;
    if (every === 0) return;
    this.timer = setInterval(() => void this.keep(), every * 1000);
    this.timer.unref();
  }

  async beforeApplicationShutdown(): Promise<void> {
    clearInterval(this.timer);
    await this.round;
  }

  /** Analyses the tables whose statistics are stale; returns their names (none while a round is under way). */
  async keep(): Promise<string[]> {
    if (this.round) return [];
    this.round = this.analyseStale().finally(() => (this.round = undefined));
    return this.round;
  }

  private async analyseStale(): Promise<string[]> {
    try {
      return await this.sql.transaction(async (tx) => {
        const { rows: locked } = await tx.query<{ locked: boolean }>(`SELECT pg_try_advisory_xact_lock(${KEEPER_LOCK}) AS locked`);
        if (!locked[0].locked) return [];
        const { rows } = await tx.query<{ relname: string }>(
          `SELECT s.relname FROM pg_stat_user_tables s JOIN pg_class c ON c.oid = s.relid
           WHERE (s.relname = ANY ($1::text[]) OR s.relid IN (SELECT relid FROM pg_partition_tree($2::regclass) WHERE isleaf))
             AND s.n_mod_since_analyze >= greatest($3::float8, $4::float8 * greatest(c.reltuples, 0))
             AND coalesce(greatest(s.last_analyze, s.last_autoanalyze), '-infinity') < now() - make_interval(secs => $5)`,
          [TABLES, HISTORY, MIN_CHANGED, STALE_SHARE, MIN_SECONDS_BETWEEN],
        );
        const stale = rows.map((row) => row.relname);
        // Names from the catalogue, quoted as identifiers.
        for (const table of stale) await tx.query(`ANALYZE "${table.replaceAll('"', '""')}"`);
        if (stale.length > 0) this.logger.debug({ msg: 'analysed', tables: stale });
        return stale;
      });
    } catch (error) {
      // An outage is reported where connections fail; anything else is worth a warning.
      if (!isDatabaseUnavailable(error)) this.logger.warn(`Could not bring the planner's statistics up to date: ${(error as Error).message}`);
      return [];
    }
  }
}
