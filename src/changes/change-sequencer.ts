import { Injectable, Logger, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { AppConfig } from 'src/config/app-config';
import { InjectConfig } from 'src/config/config.module';
import { Sql, SqlTransaction } from 'src/database/sql';
import { ChangeRecord } from 'src/changes/change-record';
import { ChangeLogRepository, Clock } from 'src/changes/change-log.repository';
import { ChangeSignal } from 'src/changes/change-signal';
import { Leadership } from 'src/changes/leadership';

/**
 * Takes newly numbered changes inside the sequencer's transaction (what it records there commits
 * with the numbering, or neither does), and returns what to do once that committed.
 */
export interface ChangeConsumer {
  consume(tx: SqlTransaction, changes: readonly ChangeRecord[], clock: Clock): Promise<() => void>;
  /** This replica leads: start working (notifications). */
  lead(): void;
  /** This replica no longer leads: stop. */
  abdicate(): void;
}

const PRUNE_EVERY_MS = 3600_000;

/**
 * Numbers committed changes (their `position`) on the leading replica, and hands each batch to
 * the consumer (subscriptions) in the same transaction. Wakes when a write of this process commits,
 * and polls for other replicas' writes.
 */
@Injectable()
export class ChangeSequencer implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger(ChangeSequencer.name);
  private consumer?: ChangeConsumer;
  private leading = false;
  private running = false;
  private again = false;
  /** A write of this process committed since the last step: there is something to number, no need to look first. */
  private committed = false;
  private stopped = false;
  private pollTimer?: NodeJS.Timeout;
  private pruneTimer?: NodeJS.Timeout;
  private unsubscribe?: () => void;
  private failures = 0;

  constructor(
    private readonly sql: Sql,
    private readonly log: ChangeLogRepository,
    private readonly signal: ChangeSignal,
    private readonly leadership: Leadership,
    @InjectConfig() private readonly config: AppConfig,
  ) {}

  setConsumer(consumer: ChangeConsumer): void {
    this.consumer = consumer;
  }

  onApplicationBootstrap(): void {
    this.unsubscribe = this.signal.onCommitted(() => {
      this.committed = true;
      this.wake();
    });
    this.leadership.campaign(
      () => {
        this.leading = true;
        this.consumer?.lead();
        this.wake();
        this.pruneTimer = setInterval(() => void this.prune(), PRUNE_EVERY_MS);
        this.pruneTimer.unref();
      },
      () => {
        this.leading = false;
        clearInterval(this.pruneTimer);
        this.consumer?.abdicate();
      },
    );
  }

  async onApplicationShutdown(): Promise<void> {
    this.stopped = true;
    this.unsubscribe?.();
    clearTimeout(this.pollTimer);
    clearInterval(this.pruneTimer);
    this.consumer?.abdicate();
    while (this.running) await new Promise((resolve) => setTimeout(resolve, 10));
  }

  /** Runs a sequencing step now, or right after the one under way. */
  wake(): void {
    if (!this.leading || this.stopped) return;
    if (this.running) {
      this.again = true;
      return;
    }
    void this.run();
  }

  /** Deletes changes past their retention (and what subscribers had pending of them). */
  async prune(): Promise<void> {
    const before = new Date(Date.now() - this.config.notifications.retentionHours * 3600_000);
    const { changes, dropped } = await this.log.prune(before).catch((error: unknown) => {
      this.logger.error(`Pruning the change feed failed: ${(error as Error).message}`);
      return { changes: 0, dropped: new Map<string, number>() };
    });
    if (changes > 0) this.logger.log(`Pruned ${changes} changes older than ${before.toISOString()}`);
    if (dropped.size > 0) this.logger.warn(`Pending notifications past retention were dropped for ${dropped.size} subscriptions`);
  }

  private async run(): Promise<void> {
    this.running = true;
    clearTimeout(this.pollTimer);
    try {
      do {
        this.again = false;
        const numbered = await this.step();
        if (numbered >= this.config.notifications.sequenceBatch) this.again = true;
        this.failures = 0;
      } while (this.again && this.leading && !this.stopped);
    } catch (error) {
      // The database away: try again later, nothing is lost (changes stay unnumbered).
      this.failures++;
      if (this.failures === 1 || this.failures % 100 === 0) this.logger.error(`Change sequencing failed (${this.failures}x): ${(error as Error).message}`);
    } finally {
      this.running = false;
    }
    if (this.leading && !this.stopped) {
      const delay = this.failures > 0 ? Math.min(30_000, 250 * 2 ** Math.min(this.failures, 7)) : this.config.notifications.pollIntervalMs;
      this.pollTimer = setTimeout(() => this.wake(), delay);
      this.pollTimer.unref();
    }
  }

  private async step(): Promise<number> {
    // Idle polls stay read-only: taking the clock row would write on every poll.
    const committed = this.committed;
    this.committed = false;
    if (!committed && !(await this.log.hasUnnumbered())) return 0;
    let afterCommit = (): void => undefined;
    const count = await this.sql.transaction(async (tx) => {
      const { clock, changes } = await this.log.sequence(tx, this.config.notifications.sequenceBatch);
      if (this.consumer && changes.length > 0) afterCommit = await this.consumer.consume(tx, changes, clock);
      return changes.length;
    });
    afterCommit();
    if (count > 0) this.signal.positioned();
    return count;
  }
}
