import { Injectable, Logger, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { AppConfig } from 'src/config/app-config';
import { InjectConfig } from 'src/config/config.module';
import { Sql } from 'src/database/sql';

const DAY_MS = 24 * 3600 * 1000;

/**
 * Keeps monthly history partitions ahead of time (vgds_history_partitions in the history
 * migration): at start and once a day, so that writes never wait for a partition to be made.
 * Any replica may run it; the function serialises itself with an advisory lock.
 */
@Injectable()
export class HistoryPartitions implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger(HistoryPartitions.name);
  private timer?: NodeJS.Timeout;

  constructor(
    private readonly sql: Sql,
    @InjectConfig() private readonly config: AppConfig,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    await this.ensure();
    this.timer = setInterval(() => void this.ensure(), DAY_MS);
    this.timer.unref();
  }

  onApplicationShutdown(): void {
    clearInterval(this.timer);
  }

  /** Creates the partitions missing for the coming months; returns how many it made. A failure is logged, never thrown: writes still land in the default partitions. */
  async ensure(): Promise<number> {
    try {
      const { rows } = await this.sql.query<{ created: number }>('SELECT vgds_history_partitions($1) AS created', [this.config.temporal.partitionsAheadMonths]);
      if (rows[0].created > 0) this.logger.log(`Created ${rows[0].created} history partitions`);
      return rows[0].created;
    } catch (error) {
      this.logger.error(`Could not create history partitions: ${(error as Error).message}`);
      return 0;
    }
  }
}
