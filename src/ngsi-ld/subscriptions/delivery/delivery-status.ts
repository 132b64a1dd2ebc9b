import { Injectable, Logger } from '@nestjs/common';
import { CounterDelta, DeliveryCounters, SubscriptionsRepository } from 'src/ngsi-ld/subscriptions/subscriptions.repository';

const FLUSH_MS = 1000;

/**
 * Delivery counters (timesSent, lastSuccess...) of the subscriptions this replica sends for: kept
 * in memory and added to their rows once a second, instead of a write per notification. What is
 * not flushed yet is merged into what the API shows. A crash loses at most the last second of
 * counts, never a notification.
 */
@Injectable()
export class DeliveryStatus {
  private readonly logger = new Logger(DeliveryStatus.name);
  private unflushed = new Map<string, Mutable<CounterDelta>>();
  private timer?: NodeJS.Timeout;

  constructor(private readonly repository: SubscriptionsRepository) {}

  start(): void {
    this.timer ??= setInterval(() => void this.flush(), FLUSH_MS);
    this.timer.unref();
  }

  async stop(): Promise<void> {
    clearInterval(this.timer);
    this.timer = undefined;
    await this.flush();
  }

  succeeded(key: string, at: Date): void {
    const delta = this.delta(key);
    delta.sent++;
    delta.lastNotification = at;
    delta.lastSuccess = at;
  }

  failed(key: string, at: Date, reason: string): void {
    const delta = this.delta(key);
    delta.sent++;
    delta.failed++;
    delta.lastNotification = at;
    delta.lastFailure = at;
    delta.lastFailureReason = reason;
  }

  /** A failure that sent nothing (no readable change, refused credentials): shown, not counted as sent. */
  noted(key: string, at: Date, reason: string): void {
    const delta = this.delta(key);
    delta.lastFailure = at;
    delta.lastFailureReason = reason;
  }

  /** The stored counters with what this replica has not flushed yet. */
  merged(key: string, stored: DeliveryCounters): DeliveryCounters {
    const delta = this.unflushed.get(key);
    if (!delta) return stored;
    return {
      timesSent: stored.timesSent + delta.sent,
      timesFailed: stored.timesFailed + delta.failed,
      lastNotification: delta.lastNotification ?? stored.lastNotification,
      lastSuccess: delta.lastSuccess ?? stored.lastSuccess,
      lastFailure: delta.lastFailure ?? stored.lastFailure,
      lastFailureReason: delta.lastFailureReason ?? stored.lastFailureReason,
    };
  }

  async flush(): Promise<void> {
    if (this.unflushed.size === 0) return;
    const batch = this.unflushed;
    this.unflushed = new Map();
    try {
      await this.repository.addCounters([...batch.values()]);
    } catch (error) {
      // Kept for the next flush (added to whatever came since).
      for (const [key, delta] of batch) {
        const now = this.delta(key);
        now.sent += delta.sent;
        now.failed += delta.failed;
        now.lastNotification ??= delta.lastNotification;
        now.lastSuccess ??= delta.lastSuccess;
        now.lastFailure ??= delta.lastFailure;
        now.lastFailureReason ??= delta.lastFailureReason;
      }
      this.logger.warn(`Could not store delivery counters: ${(error as Error).message}`);
    }
  }

  private delta(key: string): Mutable<CounterDelta> {
    let delta = this.unflushed.get(key);
    if (!delta) {
      delta = { key, sent: 0, failed: 0, lastNotification: null, lastSuccess: null, lastFailure: null, lastFailureReason: null };
      this.unflushed.set(key, delta);
    }
    return delta;
  }
}

type Mutable<T> = { -readonly [K in keyof T]: T[K] };
