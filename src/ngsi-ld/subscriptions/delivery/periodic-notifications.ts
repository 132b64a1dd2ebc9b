import { Injectable, Logger } from '@nestjs/common';
import { AppConfig } from 'src/config/app-config';
import { InjectConfig } from 'src/config/config.module';
import { PolicyDecisionPoint } from 'src/governance/policy-decision-point';
import { CombinationCheck } from 'src/ngsi-ld/entities/combination-check';
import { EntitiesRepository } from 'src/ngsi-ld/entities/entities.repository';
import { CompiledSubscription } from 'src/ngsi-ld/subscriptions/compiled-subscription';
import { DeliveryAccess } from 'src/ngsi-ld/subscriptions/delivery/delivery-access';
import { DeliveryStatus } from 'src/ngsi-ld/subscriptions/delivery/delivery-status';
import { renderEntities } from 'src/ngsi-ld/subscriptions/delivery/notification-renderer';
import { Notifier } from 'src/ngsi-ld/subscriptions/delivery/notifier';

interface Timer {
  readonly definition: string;
  readonly handle: NodeJS.Timeout;
}

/**
 * Periodic subscriptions (timeInterval): every interval, the current state of the matching
 * entities, queried as the owner may read them now (the same query and combination check as
 * GET /entities), at most NOTIFICATION_PERIODIC_MAX_ENTITIES of them. A tick that finds nothing
 * sends nothing; one that fails is counted and the next tick tries again.
 */
@Injectable()
export class PeriodicNotifications {
  private readonly logger = new Logger(PeriodicNotifications.name);
  private readonly timers = new Map<string, Timer>();
  private readonly running = new Set<string>();

  constructor(
    private readonly entities: EntitiesRepository,
    private readonly policy: PolicyDecisionPoint,
    private readonly combinations: CombinationCheck,
    private readonly access: DeliveryAccess,
    private readonly status: DeliveryStatus,
    private readonly notifier: Notifier,
    @InjectConfig() private readonly config: AppConfig,
  ) {}

  sync(subscriptions: readonly CompiledSubscription[]): void {
    const wanted = new Map(subscriptions.map((s) => [s.key, s]));
    for (const [key, timer] of this.timers) {
      const subscription = wanted.get(key);
      if (!subscription || JSON.stringify(subscription.definition) !== timer.definition) {
        clearInterval(timer.handle);
        this.timers.delete(key);
      }
    }
    for (const subscription of subscriptions) {
      if (this.timers.has(subscription.key)) continue;
      // A subscription stored before the lower bound was raised keeps to the bound all the same.
      const seconds = Math.max(subscription.definition.timeInterval!, this.config.notifications.minTimeIntervalSeconds);
      const handle = setInterval(() => void this.tick(subscription), seconds * 1000);
      handle.unref();
      this.timers.set(subscription.key, { definition: JSON.stringify(subscription.definition), handle });
    }
  }

  stopAll(): void {
    for (const timer of this.timers.values()) clearInterval(timer.handle);
    this.timers.clear();
  }

  private async tick(subscription: CompiledSubscription): Promise<void> {
    const { definition, key } = subscription;
    if (!definition.isActive || (subscription.expiresAt !== undefined && subscription.expiresAt <= Date.now())) return;
    if (this.running.has(key)) return; // the previous tick is still sending
    this.running.add(key);
    const now = new Date();
    try {
      const access = await this.access.accessNow(subscription);
      if (typeof access === 'string') return this.status.noted(key, now, access);
      const allowance = this.policy.readable(access);
      await this.combinations.check(access, allowance, subscription.filter);
      const found = await this.entities.find(subscription.tenant, allowance.datasets, subscription.filter, this.config.notifications.periodicMaxEntities, 0, {
        minimised: allowance.minimised,
      });
      if (found.length === 0) return;
      const shown = found.map((entity) => this.policy.showEntity(access, entity));
      await this.notifier.send(subscription, await renderEntities(subscription, shown, now));
      this.access.recordRead(access);
      this.status.succeeded(key, now);
    } catch (error) {
      this.status.failed(key, now, (error as Error).message);
      this.logger.debug(`Periodic notification of ${definition.id} failed: ${(error as Error).message}`);
    } finally {
      this.running.delete(key);
    }
  }
}
