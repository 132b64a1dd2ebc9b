import { BeforeApplicationShutdown, Injectable, Logger } from '@nestjs/common';
import { AppConfig } from 'src/config/app-config';
import { InjectConfig } from 'src/config/config.module';
import { GovernanceSnapshot } from 'src/governance/governance-snapshot';
import { GovernanceState } from 'src/governance/governance-state';
import { ChangeRecord } from 'src/changes/change-record';
import { ChangeLogRepository } from 'src/changes/change-log.repository';
import { ChangeSignal } from 'src/changes/change-signal';

const PAGE = 500;
const RETRY_MS = 1000;

/** New changes of the feed with the governance snapshot current when they were read: what each follower decides access under. */
export interface FanOutBatch {
  readonly changes: readonly ChangeRecord[];
  readonly snapshot: GovernanceSnapshot;
}

export type FanOutListener = (batch: FanOutBatch) => void;

/**
 * One reader of the change log per process, for every live follower in it (GraphQL
 * subscriptions): a thousand followers cost one query per batch of changes and one governance
 * version read, not one poll each. Followers filter and decide access in memory. The reader runs
 * only while someone listens, wakes at once when this process numbers changes and polls for other
 * replicas'.
 */
@Injectable()
export class ChangeFanOut implements BeforeApplicationShutdown {
  private readonly logger = new Logger(ChangeFanOut.name);
  private readonly listeners = new Set<FanOutListener>();
  private readonly closing = new AbortController();
  private running?: Promise<void>;

  constructor(
    private readonly log: ChangeLogRepository,
    private readonly signal: ChangeSignal,
    private readonly governance: GovernanceState,
    @InjectConfig() private readonly config: AppConfig,
  ) {}

  /** How many followers listen now. */
  get size(): number {
    return this.listeners.size;
  }

  /** Hands every batch numbered after this call's start to `listener` until the returned function is called. */
  async listen(listener: FanOutListener): Promise<() => void> {
    this.listeners.add(listener);
    if (!this.running) {
      // Read from the position now: the first listener's "from now on"; later ones skip by their own position.
      const from = await this.log.lastPosition().catch(() => undefined);
      this.running ??= this.run(from);
    }
    return () => this.listeners.delete(listener);
  }

  beforeApplicationShutdown(): void {
    this.closing.abort();
  }

  private async run(from: number | undefined): Promise<void> {
    let position = from;
    while (this.listeners.size > 0 && !this.closing.signal.aborted) {
      try {
        position ??= await this.log.lastPosition();
        const changes = await this.log.afterAll(position, PAGE);
        if (changes.length === 0) {
          await this.signal.nextPositioned(Math.max(this.config.notifications.pollIntervalMs, 50), this.closing.signal);
          continue;
        }
        // One snapshot for the batch, current when it is sent: a grant revoked before now applies to it.
        const snapshot = await this.governance.current();
        position = changes[changes.length - 1].position;
        for (const listener of [...this.listeners]) {
          try {
            listener({ changes, snapshot });
          } catch (error) {
            this.logger.error({ msg: 'a change follower failed', err: error });
          }
        }
      } catch (error) {
        this.logger.warn({ msg: 'the change feed cannot be read; retrying', err: error });
        await new Promise((resolve) => setTimeout(resolve, RETRY_MS));
      }
    }
    // Set in the same turn as the check above, so a listener added later starts a new reader.
    this.running = undefined;
  }
}
