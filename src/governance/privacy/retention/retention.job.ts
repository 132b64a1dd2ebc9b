import { BeforeApplicationShutdown, Injectable, Logger, OnApplicationBootstrap } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { Principal } from 'src/auth/principal';
import { AppConfig } from 'src/config/app-config';
import { InjectConfig } from 'src/config/config.module';
import { isDatabaseUnavailable } from 'src/database/database-errors';
import { Sql, SqlTransaction } from 'src/database/sql';
import { AuditLog } from 'src/governance/audit/audit-log.service';
import { HistoryRetentionRepository } from 'src/governance/privacy/retention/history-retention.repository';
import { addCount, auditEventsOf, DueDataset, noCounts, receiptOf, RetentionCounts, RetentionReceipt } from 'src/governance/privacy/retention/retention-receipt';
import { RetentionRepository } from 'src/governance/privacy/retention/retention.repository';

/** Who scheduled runs are recorded as in the audit log. */
const SYSTEM: Principal = { kind: 'anonymous', subject: 'system:retention', roles: new Set(), mfa: false };

/**
 * Retention (gallring): deletes what is past each dataset's retention period (history, changes and
 * pending notifications, with retention_includes_current also entities unmodified since) and the
 * read log past READ_LOG_RETENTION_DAYS. Every RETENTION_INTERVAL_SECONDS (0: only on demand) and
 * when an administrator asks. One run at a time, whichever replica: a run is one transaction that
 * holds an advisory lock, so what it deleted and its audit records commit together or not at all.
 */
@Injectable()
export class RetentionJob implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly logger = new Logger(RetentionJob.name);
  private timer?: NodeJS.Timeout;
  private next?: Date;
  /** The run under way in this process: one at a time, and shutdown waits for it before the database closes. */
  private round?: Promise<RetentionReceipt | undefined>;

  constructor(
    private readonly sql: Sql,
    private readonly repository: RetentionRepository,
    private readonly history: HistoryRetentionRepository,
    private readonly audit: AuditLog,
    @InjectConfig() private readonly config: AppConfig,
  ) {}

  get intervalSeconds(): number {
    return this.config.privacy.retentionIntervalSeconds;
  }

  /** When this replica runs next on its own; undefined when it runs only on demand. */
  get nextRunAt(): Date | undefined {
    return this.next;
  }

  onApplicationBootstrap(): void {
    const every = this.intervalSeconds * 1000;
    if (every === 0) return;
    this.next = new Date(Date.now() + every);
    this.timer = setInterval(() => {
      this.next = new Date(Date.now() + every);
      void this.scheduled();
    }, every);
    this.timer.unref();
  }

  async beforeApplicationShutdown(): Promise<void> {
    clearInterval(this.timer);
    this.next = undefined;
    await this.round?.catch(() => undefined);
  }

  /**
   * Runs now, for the datasets of `scope` (all when undefined), recorded in the audit log as done
   * by `principal`. Resolves to undefined when a run is under way here or on another replica.
   */
  run(principal: Principal, scope?: readonly string[]): Promise<RetentionReceipt | undefined> {
    if (this.round) return Promise.resolve(undefined);
    this.round = this.runLocked(principal, scope).finally(() => (this.round = undefined));
    return this.round;
  }

  private async scheduled(): Promise<void> {
    try {
      await this.run(SYSTEM);
    } catch (error) {
      // An outage is reported where connections fail; the next round tries again.
      if (!isDatabaseUnavailable(error)) this.logger.error(`Retention failed: ${(error as Error).message}`);
    }
  }

  private runLocked(principal: Principal, scope: readonly string[] | undefined): Promise<RetentionReceipt | undefined> {
    return this.sql.transaction(async (tx) => {
      if (!(await this.repository.tryLock(tx))) return undefined;
      const startedAt = new Date();
      const due = await this.repository.dueDatasets(tx, scope);
      const counts = new Map(due.map((d) => [d.dataset, noCounts()]));
      if (due.length > 0) await this.deleteDue(tx, due, counts);
      const readLog = await this.repository.deleteReadLog(tx, this.config.privacy.readLogRetentionDays, scope);
      const receipt = receiptOf(randomUUID(), { startedAt, finishedAt: new Date() }, due, counts, readLog);
      for (const event of auditEventsOf(receipt, readLog)) await this.audit.recordIn(tx, principal, event);
      this.logged(receipt);
      return receipt;
    });
  }

  /**
   * Entities first (their history goes with them), then changes, then history rows; months are
   * dropped last, because dropping one locks the history against every read and write until the
   * run commits. Only rows before the bound that were not in a dropped month are deleted after
   * that: months that could not be dropped (rare) and the DEFAULT partitions (moved out daily).
   */
  private async deleteDue(tx: SqlTransaction, due: readonly DueDataset[], counts: Map<string, RetentionCounts>): Promise<void> {
    const gone = await this.repository.deleteEntities(tx, due);
    for (const { dataset, count } of gone.entities) addCount(counts, dataset, 'entities', count);
    for (const { dataset, count } of gone.history) addCount(counts, dataset, 'historyRows', count);
    const changes = await this.repository.deleteChanges(tx, due);
    for (const { dataset, count } of changes.changes) addCount(counts, dataset, 'changeRows', count);
    for (const { dataset, count } of changes.notifications) addCount(counts, dataset, 'notifications', count);
    const { bound, leaves } = await this.history.dropCandidates(tx, due);
    const addRows = (rows: Map<string, number>) => rows.forEach((n, dataset) => addCount(counts, dataset, 'historyRows', n));
    addRows(await this.history.deleteRows(tx, due, 'recent', bound));
    addRows(await this.history.deleteRows(tx, due, 'kept', bound));
    for (const leaf of leaves) {
      const dropped = await this.history.dropIfDue(tx, leaf, due);
      for (const { dataset, count } of dropped ?? []) {
        addCount(counts, dataset, 'historyRows', count);
        addCount(counts, dataset, 'partitionsDropped', 1);
      }
    }
    addRows(await this.history.deleteRows(tx, due, 'old', bound));
  }

  private logged(receipt: RetentionReceipt): void {
    const total = (key: keyof RetentionCounts) => receipt.datasets.reduce((n, d) => n + d[key], 0);
    this.logger.log({
      msg: 'retention run',
      run: receipt.id,
      datasets: receipt.datasets.length,
      historyRows: total('historyRows'),
      partitionsDropped: total('partitionsDropped'),
      changeRows: total('changeRows'),
      notifications: total('notifications'),
      entities: total('entities'),
      readLogRows: receipt.readLogRows,
    });
  }
}
