import { BadRequestData, OperationNotSupported } from 'src/common/problem/ngsi-ld-errors';
import { parseSubscription, SubscriptionLimits } from 'src/ngsi-ld/subscriptions/dto/subscription-payload';

/* Subscription payloads for the parser's unit tests, and how a refusal is checked. */

export const NOW = new Date('2026-11-20T10:00:00Z');
export const ENDPOINT = { uri: 'https://receiver.vgregion.test/notify' };
/** The smallest subscription there is: an entity type and an endpoint. */
export const MINIMAL = { type: 'Subscription', entities: [{ type: 'WeatherObserved' }], notification: { endpoint: ENDPOINT } };

/** Lower bounds as configured by default. */
export const LIMITS: SubscriptionLimits = { minThrottlingSeconds: 1, minTimeIntervalSeconds: 5 };

export const parse = (body: unknown) => parseSubscription(body, NOW, LIMITS);
export const withMember = (members: Record<string, unknown>) => parse({ ...MINIMAL, ...members });
export const withEndpoint = (members: Record<string, unknown>) => withMember({ notification: { endpoint: { ...ENDPOINT, ...members } } });

export function refused(make: () => unknown, detail: RegExp, kind: typeof BadRequestData | typeof OperationNotSupported = BadRequestData): void {
  let thrown: unknown;
  try {
    make();
  } catch (error) {
    thrown = error;
  }
  expect(thrown).toBeInstanceOf(kind);
  expect((thrown as Error).message).toMatch(detail);
}
