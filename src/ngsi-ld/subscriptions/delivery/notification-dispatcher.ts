import { Injectable, Logger, OnModuleInit } from '@nestjs/common';
import { AppConfig } from 'src/config/app-config';
import { InjectConfig } from 'src/config/config.module';
import { SqlTransaction } from 'src/database/sql';
import { ChangeRecord } from 'src/changes/change-record';
import { Clock } from 'src/changes/change-log.repository';
import { ChangeConsumer, ChangeSequencer } from 'src/changes/change-sequencer';
import { CompiledSubscription } from 'src/ngsi-ld/subscriptions/compiled-subscription';
import { DeliveryAccess } from 'src/ngsi-ld/subscriptions/delivery/delivery-access';
import { DeliveryStatus } from 'src/ngsi-ld/subscriptions/delivery/delivery-status';
import { matchCandidates, MatchCandidate } from 'src/ngsi-ld/subscriptions/delivery/geo-matches.sql';
import { Notifier } from 'src/ngsi-ld/subscriptions/delivery/notifier';
import { Acknowledgements } from 'src/ngsi-ld/subscriptions/delivery/acknowledgements';
import { PeriodicNotifications } from 'src/ngsi-ld/subscriptions/delivery/periodic-notifications';
import { SubscriptionSender } from 'src/ngsi-ld/subscriptions/delivery/subscription-sender';
import { SubscriptionIndex } from 'src/ngsi-ld/subscriptions/subscription-matcher';
import { SubscriptionLoader } from 'src/ngsi-ld/subscriptions/subscription-loader';
import { SubscriptionsRepository } from 'src/ngsi-ld/subscriptions/subscriptions.repository';

const VERSION_CHECK_MS = 1000;

/**
 * Turns numbered changes into pending notifications, inside the sequencer's transaction: each
 * change is matched once against the index of all subscriptions (geo-queries of a whole batch in
 * one PostGIS statement), and what matched is recorded per subscription before the numbering
 * commits. Then each concerned subscription's sender is woken. Runs on the leading replica only.
 */
@Injectable()
export class NotificationDispatcher implements ChangeConsumer, OnModuleInit {
  private readonly logger = new Logger(NotificationDispatcher.name);
  private subscriptions = new Map<string, CompiledSubscription>();
  private index = new SubscriptionIndex([]);
  private version?: string;
  private readonly senders = new Map<string, SubscriptionSender>();
  private leading = false;
  private versionTimer?: NodeJS.Timeout;

  constructor(
    private readonly sequencer: ChangeSequencer,
    private readonly repository: SubscriptionsRepository,
    private readonly loader: SubscriptionLoader,
    private readonly access: DeliveryAccess,
    private readonly status: DeliveryStatus,
    private readonly notifier: Notifier,
    private readonly acknowledgements: Acknowledgements,
    private readonly periodic: PeriodicNotifications,
    @InjectConfig() private readonly config: AppConfig,
  ) {}

  onModuleInit(): void {
    this.sequencer.setConsumer(this);
  }

  lead(): void {
    this.leading = true;
    this.status.start();
    void this.reload().catch((error: unknown) => this.logger.error(`Loading subscriptions failed: ${(error as Error).message}`));
    this.versionTimer = setInterval(() => void this.checkVersion(), VERSION_CHECK_MS);
    this.versionTimer.unref();
  }

  abdicate(): void {
    this.leading = false;
    clearInterval(this.versionTimer);
    const senders = [...this.senders.values()];
    this.senders.clear();
    this.periodic.stopAll();
    void Promise.all(senders.map((sender) => sender.stop())).then(() => Promise.all([this.status.stop(), this.acknowledgements.flush()]));
    this.version = undefined;
  }

  /** A subscription was created, changed or deleted by this replica: take it into account now. */
  subscriptionsChanged(): void {
    if (this.leading) void this.checkVersion();
  }

  async consume(tx: SqlTransaction, changes: readonly ChangeRecord[], clock: Clock): Promise<() => void> {
    if (clock.subscriptionsVersion !== this.version) await this.reload(tx);
    const now = Date.now();
    const keys: string[] = [];
    const positions: number[] = [];
    const byKey = new Map<string, ChangeRecord[]>();
    const matched = (key: string, change: ChangeRecord): void => {
      keys.push(key);
      positions.push(change.position);
      const list = byKey.get(key);
      if (list) list.push(change);
      else byKey.set(key, [change]);
    };
    const candidates: MatchCandidate[] = [];
    let minimisable: ((datasetId: string) => boolean) | undefined;
    for (const change of changes) {
      for (const subscription of this.index.candidates(change)) {
        if ((subscription.q || subscription.geo) && !minimisable) minimisable = this.access.minimisable();
        candidates.push({ subscription, change, valuesLater: minimisable?.(change.datasetId) });
      }
    }
    // In feed order, geo-queries included.
    const matches = await matchCandidates(tx, candidates, now);
    candidates.forEach(({ subscription, change }, i) => matches[i] && matched(subscription.key, change));
    await this.repository.addPending(tx, keys, positions);
    return () => {
      for (const [key, matches] of byKey) this.senders.get(key)?.offer(matches);
    };
  }

  private async checkVersion(): Promise<void> {
    try {
      if ((await this.repository.version()) !== this.version) await this.reload();
    } catch (error) {
      this.logger.warn(`Checking subscriptions failed: ${(error as Error).message}`);
    }
  }

  /** Loads every subscription, rebuilds the index, and starts, updates or stops senders to match. */
  private async reload(tx?: SqlTransaction): Promise<void> {
    const { version, records } = await this.repository.all(tx);
    // Two loads may overlap (the version check and a sequencing step): never go back to an older one.
    if (this.version !== undefined && BigInt(version) < BigInt(this.version)) return;
    const compiled = new Map<string, CompiledSubscription>();
    for (const record of records) {
      const subscription = await this.loader.compile(record).catch((error: unknown) => {
        this.logger.error(`Subscription ${record.id} cannot be compiled (it is skipped): ${(error as Error).message}`);
        return undefined;
      });
      if (subscription) compiled.set(subscription.key, subscription);
      this.access.load(record.key, record.drawnDatasets);
    }
    if (this.version !== undefined && BigInt(version) < BigInt(this.version)) return;
    this.subscriptions = compiled;
    this.index = new SubscriptionIndex(compiled.values());
    this.version = version;
    if (this.leading) this.syncWorkers();
  }

  private syncWorkers(): void {
    for (const [key, sender] of this.senders) {
      const subscription = this.subscriptions.get(key);
      if (!subscription || subscription.definition.timeInterval !== undefined) {
        this.senders.delete(key);
        this.access.forget(key);
        void sender.stop();
      }
    }
    for (const subscription of this.subscriptions.values()) {
      if (subscription.definition.timeInterval !== undefined) continue;
      const sender = this.senders.get(subscription.key);
      if (sender) {
        if (sender.definitionChanged(subscription)) sender.update(subscription);
      } else {
        const parts = { repository: this.repository, access: this.access, status: this.status, notifier: this.notifier, acknowledgements: this.acknowledgements, config: this.config };
        this.senders.set(subscription.key, new SubscriptionSender(subscription, parts));
      }
    }
    this.periodic.sync([...this.subscriptions.values()].filter((s) => s.definition.timeInterval !== undefined));
  }
}
