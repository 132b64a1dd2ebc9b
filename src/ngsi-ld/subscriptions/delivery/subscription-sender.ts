import { Logger } from '@nestjs/common';
import { AppConfig } from 'src/config/app-config';
import { CompiledSubscription } from 'src/ngsi-ld/subscriptions/compiled-subscription';
import { DeliveryAccess } from 'src/ngsi-ld/subscriptions/delivery/delivery-access';
import { DeliveryStatus } from 'src/ngsi-ld/subscriptions/delivery/delivery-status';
import { renderChanges } from 'src/ngsi-ld/subscriptions/delivery/notification-renderer';
import { Notifier } from 'src/ngsi-ld/subscriptions/delivery/notifier';
import { Acknowledgements } from 'src/ngsi-ld/subscriptions/delivery/acknowledgements';
import { PendingQueue } from 'src/ngsi-ld/subscriptions/delivery/pending-queue';
import { ChangeRecord } from 'src/changes/change-record';
import { SubscriptionsRepository } from 'src/ngsi-ld/subscriptions/subscriptions.repository';

export interface SenderParts {
  readonly repository: SubscriptionsRepository;
  readonly access: DeliveryAccess;
  readonly status: DeliveryStatus;
  readonly notifier: Notifier;
  readonly acknowledgements: Acknowledgements;
  readonly config: AppConfig;
}

/** How long an idle sender sleeps before it looks again without being woken. */
const IDLE_MS = 30_000;
const FIRST_BACKOFF_MS = 1000;

/**
 * Delivers one subscription's pending notifications, oldest first, one notification at a time:
 * that is what keeps them in order per entity. A notification is acknowledged (its pending rows
 * deleted) only after the endpoint accepted it, so a crash in between sends it again (at least
 * once). A failure is retried after a back-off doubling from 1 s; nothing behind it overtakes it.
 * Each subscription has its own sender, so a slow or dead endpoint holds up no one else.
 */
export class SubscriptionSender {
  private readonly logger: Logger;
  /** Ends the current wait; `holding` says whether it is a back-off or throttle (not ended by new work). */
  private wakeUp?: () => void;
  private holding = false;
  private stopped = false;
  private failures = 0;
  private lastSentAt = 0;
  private readonly queue: PendingQueue;
  private governanceVersion?: string;
  private readonly done: Promise<void>;

  constructor(
    private subscription: CompiledSubscription,
    private readonly parts: SenderParts,
  ) {
    this.logger = new Logger(`subscription ${subscription.definition.id}`);
    this.queue = new PendingQueue(10 * parts.config.notifications.maxChangesPerNotification);
    this.done = this.run();
  }

  /** Takes a changed definition (format, endpoint, throttling...) for the next notification. */
  update(subscription: CompiledSubscription): void {
    this.subscription = subscription;
    this.failures = 0;
    this.wakeUp?.();
  }

  definitionChanged(subscription: CompiledSubscription): boolean {
    return JSON.stringify(subscription.definition) !== JSON.stringify(this.subscription.definition);
  }

  /** New pending notifications, just committed: send them, unless backing off or throttled. */
  offer(changes: readonly ChangeRecord[]): void {
    this.queue.offer(changes);
    if (!this.holding) this.wakeUp?.();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    this.wakeUp?.();
    await this.done;
  }

  private async run(): Promise<void> {
    while (!this.stopped) {
      try {
        await this.step();
      } catch (error) {
        // The database away, most likely: nothing was acknowledged, so nothing is lost.
        this.failures++;
        this.logger.warn(`Delivery paused: ${(error as Error).message}`);
        await this.sleep(this.backoff(), true);
      }
    }
  }

  private async step(): Promise<void> {
    const subscription = this.subscription;
    const { definition } = subscription;
    const expired = subscription.expiresAt !== undefined && subscription.expiresAt <= Date.now();
    if (!definition.isActive || expired) return this.sleep(IDLE_MS, false);
    if (definition.throttling !== undefined) {
      // A subscription stored before the lower bound was raised keeps to the bound all the same.
      const seconds = Math.max(definition.throttling, this.parts.config.notifications.minThrottlingSeconds);
      const wait = this.lastSentAt + seconds * 1000 - Date.now();
      if (wait > 0) return this.sleep(wait, true);
    }
    const limit = this.parts.config.notifications.maxChangesPerNotification;
    let changes = this.queue.next(limit);
    const fromDatabase = changes === undefined;
    if (!changes) {
      await this.parts.acknowledgements.flush(); // not to read again what was just delivered
      changes = await this.parts.repository.pending(subscription.key, limit);
    }
    if (changes.length === 0) {
      if (fromDatabase) this.queue.readAll(changes, limit);
      return this.queue.inMemory && this.queue.next(1)!.length > 0 ? undefined : this.sleep(IDLE_MS, false);
    }
    const positions = changes.map((change) => change.position);
    const { deliver, withheld, governanceVersion } = await this.parts.access.decide(subscription, changes);
    if (this.governanceMoved(governanceVersion) && !fromDatabase) {
      // Pending changes may have been erased or expired meanwhile: read them again as they are now.
      this.queue.forget();
      return;
    }
    const now = new Date();
    if (withheld) this.parts.status.noted(subscription.key, now, withheld);
    if (deliver.length > 0) {
      try {
        await this.parts.notifier.send(subscription, await renderChanges(subscription, deliver, now));
      } catch (error) {
        this.failures++;
        this.parts.status.failed(subscription.key, now, (error as Error).message);
        // Once per outage, not once per retry.
        if (this.failures === 1) this.logger.warn(`Notification failed, retrying with back-off: ${(error as Error).message}`);
        // The retry reads the pending changes again: one erased or expired meanwhile must not go out.
        this.queue.forget();
        return this.sleep(this.backoff(), true);
      }
      if (this.failures > 0) this.logger.log(`Notifications delivered again after ${this.failures} failed attempts`);
      this.failures = 0;
      this.lastSentAt = Date.now();
      this.parts.status.succeeded(subscription.key, now);
    }
    this.parts.acknowledgements.add(subscription.key, positions);
    this.queue.done(changes);
    if (fromDatabase) this.queue.readAll(changes, limit);
  }

  /** Whether the governance version moved since the last decision (remembering the new one). */
  private governanceMoved(version: string | undefined): boolean {
    const moved = version !== undefined && this.governanceVersion !== undefined && version !== this.governanceVersion;
    if (version !== undefined) this.governanceVersion = version;
    return moved;
  }

  private backoff(): number {
    return Math.min(this.parts.config.notifications.maxBackoffMs, FIRST_BACKOFF_MS * 2 ** Math.min(this.failures - 1, 20));
  }

  /** Waits `ms`; an idle wait ends at the next kick, a holding one (back-off, throttle) only at a definition change or stop. */
  private sleep(ms: number, holding: boolean): Promise<void> {
    if (this.stopped) return Promise.resolve();
    return new Promise((resolve) => {
      const done = (): void => {
        clearTimeout(timer);
        this.wakeUp = undefined;
        this.holding = false;
        resolve();
      };
      const timer = setTimeout(done, ms);
      this.wakeUp = done;
      this.holding = holding;
    });
  }
}
