import { Injectable } from '@nestjs/common';
import { ContextCompiler, RequestContext } from 'src/jsonld/context-compiler';
import { coreContextVersion } from 'src/jsonld/core-contexts';
import { MEDIA_JSON_LD } from 'src/ngsi-ld/common/json-ld-request';
import { CompiledSubscription, compileSubscription, NotificationContext } from 'src/ngsi-ld/subscriptions/compiled-subscription';
import { SubscriptionDefinition } from 'src/ngsi-ld/subscriptions/dto/subscription-payload';
import { SubscriptionRecord } from 'src/ngsi-ld/subscriptions/subscriptions.repository';

/** Compiles stored subscriptions with their @contexts (cached by the context compiler). */
@Injectable()
export class SubscriptionLoader {
  constructor(private readonly contexts: ContextCompiler) {}

  async compile(record: Pick<SubscriptionRecord, 'key' | 'tenant' | 'owner' | 'definition' | 'context'>): Promise<CompiledSubscription> {
    const context = await this.contexts.compile(record.context);
    return compileSubscription(record, record.definition, context, await this.notificationContext(record.definition, context));
  }

  /** Checks that a definition compiles under a context (at creation and update). */
  async check(definition: SubscriptionDefinition, context: RequestContext): Promise<void> {
    const owner = { kind: 'user' as const, subject: '', roles: [] };
    compileSubscription({ key: '0', tenant: '', owner }, definition, context, await this.notificationContext(definition, context));
  }

  /**
   * The @context notifications are compacted with, and the URL that names it (clause 5.8.6): the
   * subscription's jsonldContext, else the @context it was made with. As JSON, a notification
   * names its @context in one Link header, so data compacted with a context that is no single URL
   * (inline, or several) would be read with another one: such notifications are compacted with
   * the core context alone (full IRIs) unless they carry their @context in the body (JSON-LD).
   */
  private async notificationContext(definition: SubscriptionDefinition, context: RequestContext): Promise<NotificationContext> {
    if (definition.jsonldContext !== undefined) return { context: await this.contexts.compile(definition.jsonldContext), link: definition.jsonldContext };
    const link = singleUrlOf(context);
    if (link !== undefined) return { context, link };
    if (definition.notification.endpoint.accept === MEDIA_JSON_LD) return { context, link: context.coreContextUrl };
    return { context: await this.contexts.compile(context.coreContextUrl), link: context.coreContextUrl };
  }
}

/** The one URL a Link header can name for this @context (the core context when it is alone), if there is one. */
function singleUrlOf(context: RequestContext): string | undefined {
  const entries = context.userContext === undefined ? [] : [context.userContext].flat();
  const own = entries.filter((entry) => typeof entry !== 'string' || coreContextVersion(entry, context.coreVersion) === undefined);
  if (own.length === 0) return context.coreContextUrl;
  return own.length === 1 && typeof own[0] === 'string' ? own[0] : undefined;
}
