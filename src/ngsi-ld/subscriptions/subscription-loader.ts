import { Injectable } from '@nestjs/common';
import { ContextCompiler, RequestContext } from 'src/jsonld/context-compiler';
import { CompiledSubscription, compileSubscription } from 'src/ngsi-ld/subscriptions/compiled-subscription';
import { SubscriptionDefinition } from 'src/ngsi-ld/subscriptions/dto/subscription-payload';
import { SubscriptionRecord } from 'src/ngsi-ld/subscriptions/subscriptions.repository';

/** Compiles stored subscriptions with their @contexts (cached by the context compiler). */
@Injectable()
export class SubscriptionLoader {
  constructor(private readonly contexts: ContextCompiler) {}

  async compile(record: Pick<SubscriptionRecord, 'key' | 'tenant' | 'owner' | 'definition' | 'context'>): Promise<CompiledSubscription> {
    const context = await this.contexts.compile(record.context);
    return compileSubscription(record, record.definition, context, await this.notifyContext(record.definition, context));
  }

  /** Checks that a definition compiles under a context (at creation and update). */
  async check(definition: SubscriptionDefinition, context: RequestContext): Promise<void> {
    const owner = { kind: 'user' as const, subject: '', roles: [] };
    compileSubscription({ key: '0', tenant: '', owner }, definition, context, await this.notifyContext(definition, context));
  }

  private notifyContext(definition: SubscriptionDefinition, context: RequestContext): Promise<RequestContext> | RequestContext {
    return definition.jsonldContext === undefined ? context : this.contexts.compile(definition.jsonldContext);
  }
}
