import { Injectable, Logger } from '@nestjs/common';
import { Sql } from 'src/database/sql';

const FLUSH_MS = 20;
const FLUSH_AT = 1000;

/**
 * Deletes delivered pending notifications in batches (every 20 ms, or 1,000 at a time) rather than
 * one statement per notification. An acknowledgement lost to a crash means a notification is sent
 * again (at least once), never that one is lost.
 */
@Injectable()
export class Acknowledgements {
  private readonly logger = new Logger(Acknowledgements.name);
  private keys: string[] = [];
  private positions: number[] = [];
  private timer?: NodeJS.Timeout;
  private flushing: Promise<void> = Promise.resolve();

  constructor(private readonly sql: Sql) {}

  add(key: string, positions: readonly number[]): void {
    for (const position of positions) {
      this.keys.push(key);
      this.positions.push(position);
    }
    if (this.keys.length >= FLUSH_AT) void this.flush();
    else this.timer ??= setTimeout(() => void this.flush(), FLUSH_MS);
  }

  /** Resolves once everything added so far is deleted (or failed to be: then it is sent again later). */
  flush(): Promise<void> {
    clearTimeout(this.timer);
    this.timer = undefined;
    if (this.keys.length === 0) return this.flushing;
    const keys = this.keys;
    const positions = this.positions;
    this.keys = [];
    this.positions = [];
    this.flushing = this.flushing.then(() =>
      this.sql
        .query(
          `DELETE FROM pending_notification p USING unnest($1::bigint[], $2::bigint[]) AS a(key, position)
           WHERE p.subscription_key = a.key AND p.position = a.position`,
          [keys, positions],
        )
        .then(() => undefined)
        .catch((error: unknown) => this.logger.warn(`Acknowledgements not stored (they will be sent again): ${(error as Error).message}`)),
    );
    return this.flushing;
  }
}
