import { JsonObject } from 'src/jsonld/value-codec';
import { maskedEndpoint } from 'src/ngsi-ld/subscriptions/dto/endpoint-secrets';
import { DeliveryCounters, SubscriptionRecord } from 'src/ngsi-ld/subscriptions/subscriptions.repository';

/**
 * A subscription as the API shows it (clause 5.2.12): what its owner asked for, with the endpoint's
 * secrets masked, its `status` (active, paused, expired), and in `notification` the delivery status
 * NotificationParams defines (clause 5.2.14: `status` ok or failed, present once a notification
 * was attempted; timesSent, timesFailed, lastNotification, lastSuccess, lastFailure). Two members
 * of this broker's go beside those, in `notification` rather than among NGSI-LD's own members:
 * `lastFailureReason`, and `pendingNotifications` (changes it has yet to receive), when counted.
 */
export function toSubscriptionBody(
  record: SubscriptionRecord,
  counters: DeliveryCounters,
  options: { sysAttrs: boolean; pendingNotifications?: number; now?: number },
): JsonObject {
  const { definition } = record;
  const expired = definition.expiresAt !== undefined && Date.parse(definition.expiresAt) <= (options.now ?? Date.now());
  const attempted = counters.lastNotification !== null || counters.lastFailure !== null;
  const failing = counters.lastFailure !== null && (counters.lastSuccess === null || counters.lastFailure > counters.lastSuccess);
  const iso = (date: Date | null): string | undefined => date?.toISOString();
  return dropUndefined({
    ...(definition as unknown as JsonObject),
    status: expired ? 'expired' : definition.isActive ? 'active' : 'paused',
    notification: dropUndefined({
      ...(definition.notification as unknown as JsonObject),
      endpoint: maskedEndpoint(definition.notification.endpoint) as unknown as JsonObject,
      status: attempted ? (failing ? 'failed' : 'ok') : undefined,
      timesSent: counters.timesSent,
      timesFailed: counters.timesFailed,
      lastNotification: iso(counters.lastNotification),
      lastSuccess: iso(counters.lastSuccess),
      lastFailure: iso(counters.lastFailure),
      lastFailureReason: counters.lastFailureReason ?? undefined,
      pendingNotifications: options.pendingNotifications,
    }),
    createdAt: options.sysAttrs ? record.createdAt.toISOString() : undefined,
    modifiedAt: options.sysAttrs ? record.modifiedAt.toISOString() : undefined,
  });
}

function dropUndefined(value: Record<string, unknown>): JsonObject {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as JsonObject;
}
