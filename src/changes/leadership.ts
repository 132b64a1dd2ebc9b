import { Injectable, Logger, OnApplicationShutdown } from '@nestjs/common';
import { Client } from 'pg';
import { AppConfig } from 'src/config/app-config';
import { InjectConfig } from 'src/config/config.module';

/** Advisory lock key of the change feed's leader ("vgdschg"). */
const LEADER_LOCK = 0x7667647363686700n;
const RETRY_MS = 2000;

/**
 * Which replica numbers changes and sends notifications: the one holding a session-level advisory
 * lock on a connection of its own (released by PostgreSQL when that replica dies, so another
 * takes over within seconds). The embedded database is one process's alone: it always leads.
 */
@Injectable()
export class Leadership implements OnApplicationShutdown {
  private readonly logger = new Logger(Leadership.name);
  private client?: Client;
  private stopped = false;
  private timer?: NodeJS.Timeout;

  constructor(@InjectConfig() private readonly config: AppConfig) {}

  /** Calls `onLead` once leading, and `onLost` if the lock's connection is lost (then tries again). */
  campaign(onLead: () => void, onLost: () => void): void {
    if (!this.config.database.url) {
      onLead();
      return;
    }
    const attempt = async (): Promise<void> => {
      if (this.stopped) return;
      const client = new Client({ connectionString: this.config.database.url, application_name: 'vg-datashare-leader' });
      let leading = false;
      client.on('error', () => undefined);
      client.on('end', () => {
        if (this.stopped) return;
        if (leading) {
          this.logger.warn('Lost the change feed lock; stopped sending until it is taken again');
          onLost();
        }
        this.timer = setTimeout(() => void attempt(), RETRY_MS);
      });
      try {
        await client.connect();
        this.client = client;
        while (!this.stopped) {
          const { rows } = await client.query<{ locked: boolean }>('SELECT pg_try_advisory_lock($1) AS locked', [LEADER_LOCK.toString()]);
          if (rows[0].locked) {
            leading = true;
            onLead();
            return;
          }
          await new Promise((resolve) => (this.timer = setTimeout(resolve, RETRY_MS)));
        }
      } catch {
        await client.end().catch(() => undefined);
      }
    };
    void attempt();
  }

  async onApplicationShutdown(): Promise<void> {
    this.stopped = true;
    clearTimeout(this.timer);
    await this.client?.end().catch(() => undefined);
  }
}
