import { Injectable } from '@nestjs/common';
import { BadRequestData } from 'src/common/problem/ngsi-ld-errors';
import { AppConfig } from 'src/config/app-config';
import { InjectConfig } from 'src/config/config.module';
import { RequestContext } from 'src/jsonld/context-compiler';
import { PrivateEndpointRefused, publicAddressesOf } from 'src/ngsi-ld/subscriptions/delivery/endpoint-guard';
import { parseSubscription, patchSubscription, SubscriptionDefinition, SubscriptionLimits } from 'src/ngsi-ld/subscriptions/dto/subscription-payload';
import { SubscriptionLoader } from 'src/ngsi-ld/subscriptions/subscription-loader';

/**
 * Everything a subscription must pass before it is stored, at creation and at every update: the
 * payload (with this broker's lower bounds for throttling and timeInterval), its names and
 * patterns compiled with its @context, and an endpoint that is not a private address when those
 * are refused (production). Sending checks the endpoint again, as DNS can change.
 */
@Injectable()
export class SubscriptionChecks {
  private readonly limits: SubscriptionLimits;

  constructor(
    private readonly loader: SubscriptionLoader,
    @InjectConfig() private readonly config: AppConfig,
  ) {
    const { minThrottlingSeconds, minTimeIntervalSeconds } = config.notifications;
    this.limits = { minThrottlingSeconds, minTimeIntervalSeconds };
  }

  async parse(body: unknown, context: RequestContext, now: Date): Promise<SubscriptionDefinition> {
    return this.checked(parseSubscription(body, now, this.limits), context);
  }

  /** The stored definition with an update's fragment applied (names in the subscription's own @context). */
  async patch(stored: SubscriptionDefinition, fragment: unknown, context: RequestContext, now: Date): Promise<SubscriptionDefinition> {
    return this.checked(patchSubscription(stored, fragment, now, this.limits), context);
  }

  private async checked(definition: SubscriptionDefinition, context: RequestContext): Promise<SubscriptionDefinition> {
    await this.loader.check(definition, context);
    if (!this.config.notifications.allowPrivateEndpoints) {
      try {
        await publicAddressesOf(new URL(definition.notification.endpoint.uri).hostname);
      } catch (error) {
        if (error instanceof PrivateEndpointRefused) throw new BadRequestData(`notification.endpoint.uri: ${error.message}`);
        throw error;
      }
    }
    return definition;
  }
}
