import { BeforeApplicationShutdown, Injectable, Logger, OnModuleInit } from '@nestjs/common';
import { AccessContext } from 'src/common/access/access-context';
import { AppConfig } from 'src/config/app-config';
import { InjectConfig } from 'src/config/config.module';
import { PolicyDecisionPoint } from 'src/governance/policy-decision-point';
import { dpvTerm } from 'src/governance/privacy/purposes/purpose';
import { ReadLogDay, ReadLogEntry, ReadLogQuery, ReadLogRepository } from 'src/governance/privacy/read-log/read-log.repository';
import { ResourceNotFound } from 'src/common/problem/ngsi-ld-errors';

/** Entries kept while the database cannot take them; beyond this the oldest are dropped, with a warning. */
const MAX_BUFFERED = 100_000;

/**
 * The read log of personal data: who read which dataset, when, for which purpose, how much, by
 * which read path. Reads are counted in memory (one entry per caller, dataset, purpose, path,
 * view and second) and written in one statement every READ_LOG_FLUSH_MS, never in a request's
 * transaction: a read costs a map update. Entries wait in memory through a database outage.
 */
@Injectable()
export class ReadLog implements OnModuleInit, BeforeApplicationShutdown {
  private readonly logger = new Logger('ReadLog');
  private buffer = new Map<string, ReadLogEntry>();
  private timer?: NodeJS.Timeout;
  private flushing?: Promise<void>;

  constructor(
    private readonly repository: ReadLogRepository,
    private readonly policy: PolicyDecisionPoint,
    @InjectConfig() private readonly config: AppConfig,
  ) {}

  onModuleInit(): void {
    this.timer = setInterval(() => void this.flush(), this.config.privacy.readLogFlushMs);
    this.timer.unref();
  }

  async beforeApplicationShutdown(): Promise<void> {
    clearInterval(this.timer);
    await this.flush();
  }

  /** Counts what an answer disclosed of datasets with personal data (after it was sent). */
  record(access: AccessContext, readPath: string): void {
    const second = new Date(Math.floor(Date.now() / 1000) * 1000);
    for (const [datasetId, shown] of access.disclosure.entries()) {
      const dataset = access.governance.datasets.get(datasetId);
      if (!dataset?.personalData) continue;
      const { principal } = access;
      const purpose = access.purpose ? dpvTerm(access.purpose) : null;
      const view = shown.minimised ? 'minimised' : 'full';
      const key = [datasetId, principal.subject, purpose, readPath, view, second.getTime()].join('\u0000');
      const entry = this.buffer.get(key);
      this.buffer.set(key, {
        datasetId,
        organisation: dataset.organisation,
        at: second,
        principal: principal.subject,
        principalOrganisation: principal.organisation ?? null,
        purpose,
        readPath,
        view,
        requests: (entry?.requests ?? 0) + 1,
        items: (entry?.items ?? 0) + shown.items,
      });
    }
  }

  /** Writes what is buffered; at most one write at a time. */
  flush(): Promise<void> {
    this.flushing ??= this.write().finally(() => (this.flushing = undefined));
    return this.flushing;
  }

  async find(access: AccessContext, query: ReadLogQuery): Promise<{ entries: ReadLogEntry[]; total: number }> {
    this.assertMayRead(access, query.datasetId);
    await this.flush();
    return this.repository.find(query);
  }

  async days(access: AccessContext, query: Omit<ReadLogQuery, 'limit' | 'offset'>): Promise<ReadLogDay[]> {
    this.assertMayRead(access, query.datasetId);
    await this.flush();
    return this.repository.days(query);
  }

  /** The owning organisation's admins (with MFA) and platform admins; a dataset the caller cannot see is absent. */
  private assertMayRead(access: AccessContext, datasetId: string): void {
    const dataset = access.governance.datasets.get(datasetId);
    if (!dataset || !this.policy.visibleDatasets(access).includes(datasetId)) throw new ResourceNotFound(`No dataset ${datasetId}`);
    this.policy.assertMayAdminister(access, dataset.organisation);
  }

  private async write(): Promise<void> {
    if (this.buffer.size === 0) return;
    const entries = [...this.buffer.values()];
    this.buffer = new Map();
    try {
      await this.repository.append(entries);
    } catch (error) {
      this.logger.warn(`Could not write ${entries.length} read-log entries (kept for the next try): ${(error as Error).message}`);
      // The older entries first, under keys of their own (new reads of the same second count apart).
      const kept = entries.map((entry, i): [string, ReadLogEntry] => [`retry\u0000${i}`, entry]);
      this.buffer = new Map([...kept, ...this.buffer]);
      if (this.buffer.size > MAX_BUFFERED) {
        this.logger.error(`The read log buffer is full: dropping ${this.buffer.size - MAX_BUFFERED} of the oldest entries`);
        this.buffer = new Map([...this.buffer].slice(-MAX_BUFFERED));
      }
    }
  }
}
