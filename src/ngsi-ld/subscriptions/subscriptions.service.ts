import { Injectable } from '@nestjs/common';
import { AccessContext } from 'src/common/access/access-context';
import { AlreadyExists, ResourceNotFound } from 'src/common/problem/ngsi-ld-errors';
import { ContextCompiler, RequestContext } from 'src/jsonld/context-compiler';
import { JsonObject } from 'src/jsonld/value-codec';
import { canAdminister, isPlatformAdmin } from 'src/governance/policy';
import { PolicyDecisionPoint } from 'src/governance/policy-decision-point';
import { standingPrincipalOf } from 'src/governance/standing-principal';
import { DeliveryStatus } from 'src/ngsi-ld/subscriptions/delivery/delivery-status';
import { NotificationDispatcher } from 'src/ngsi-ld/subscriptions/delivery/notification-dispatcher';
import { SubscriptionChecks } from 'src/ngsi-ld/subscriptions/subscription-checks';
import { toSubscriptionBody } from 'src/ngsi-ld/subscriptions/subscription.mapper';
import { SubscriptionAudience, SubscriptionRecord, SubscriptionsRepository } from 'src/ngsi-ld/subscriptions/subscriptions.repository';

/** A subscription as the API shows it, with the @context its names are in. */
export interface SubscriptionView {
  readonly body: JsonObject;
  readonly context: RequestContext;
}

/**
 * NGSI-LD subscriptions (clauses 5.8, 6.10, 6.11): made by authenticated callers, seen and changed
 * by their owner, their organisation's admins and platform admins; to anyone else they do not
 * exist. The owner's rights are not copied into the subscription: every notification is checked
 * against what the owner may read when it is sent.
 */
@Injectable()
export class SubscriptionsService {
  constructor(
    private readonly repository: SubscriptionsRepository,
    private readonly checks: SubscriptionChecks,
    private readonly contexts: ContextCompiler,
    private readonly policy: PolicyDecisionPoint,
    private readonly dispatcher: NotificationDispatcher,
    private readonly status: DeliveryStatus,
  ) {}

  async create(access: AccessContext, context: RequestContext, body: unknown): Promise<string> {
    this.policy.assertAuthenticated(access);
    const now = new Date();
    const definition = await this.checks.parse(body, context, now);
    const owner = standingPrincipalOf(access.principal, { keepMfa: false, purpose: access.purpose });
    if (!(await this.repository.insert(access.tenant, definition, owner, context.userContext, now))) {
      throw new AlreadyExists(`A subscription with id ${definition.id} already exists`);
    }
    this.dispatcher.subscriptionsChanged();
    return definition.id;
  }

  async retrieve(access: AccessContext, id: string, sysAttrs: boolean): Promise<SubscriptionView> {
    const record = await this.find(access, id);
    const pendingNotifications = await this.repository.pendingCount(record.key);
    const body = toSubscriptionBody(record, this.status.merged(record.key, record.status), { sysAttrs, pendingNotifications });
    return { body, context: await this.contexts.compile(record.context) };
  }

  async list(access: AccessContext, limit: number, offset: number, sysAttrs: boolean): Promise<{ views: SubscriptionView[]; total: number }> {
    this.policy.assertAuthenticated(access);
    const { records, total } = await this.repository.list(access.tenant, this.audience(access), limit, offset);
    const views = await Promise.all(
      records.map(async (record) => ({
        body: toSubscriptionBody(record, this.status.merged(record.key, record.status), { sysAttrs }),
        context: await this.contexts.compile(record.context),
      })),
    );
    return { views, total };
  }

  /** Applies a fragment (names in the subscription's own @context). */
  async update(access: AccessContext, id: string, fragment: unknown): Promise<void> {
    const record = await this.find(access, id);
    const now = new Date();
    const definition = await this.checks.patch(record.definition, fragment, await this.contexts.compile(record.context), now);
    await this.repository.replace(access.tenant, definition, now);
    this.dispatcher.subscriptionsChanged();
  }

  async delete(access: AccessContext, id: string): Promise<void> {
    await this.find(access, id);
    await this.repository.delete(access.tenant, id);
    this.dispatcher.subscriptionsChanged();
  }

  private async find(access: AccessContext, id: string): Promise<SubscriptionRecord> {
    this.policy.assertAuthenticated(access);
    const record = await this.repository.find(access.tenant, id, this.audience(access));
    if (!record) throw new ResourceNotFound(`No subscription ${id}`);
    return record;
  }

  private audience(access: AccessContext): SubscriptionAudience {
    const { principal } = access;
    const organisation = principal.organisation;
    return {
      subject: principal.subject,
      administeredOrganisations: organisation !== undefined && canAdminister(principal, organisation) ? [organisation] : [],
      all: isPlatformAdmin(principal),
    };
  }
}
