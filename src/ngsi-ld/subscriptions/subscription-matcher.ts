import { BooleanExpression } from 'src/ngsi-ld/query/boolean-expression';
import { attributeChanges, ChangeRecord } from 'src/changes/change-record';
import { qMatches, scopesMatch, selectorMatches } from 'src/ngsi-ld/query/entity-filter-evaluator';
import { CompiledSubscription } from 'src/ngsi-ld/subscriptions/compiled-subscription';

/** What matching a change against one subscription decided; 'geo' still needs the geo-query, which PostGIS answers. */
export type MatchVerdict = 'match' | 'no' | 'geo';

/**
 * The subscriptions of all tenants, indexed by what selects entities (id, type), so that a change
 * is compared only with the subscriptions that could want it: matching costs per change, not per
 * subscription. Periodic, paused and expired subscriptions are not matched against changes.
 */
export class SubscriptionIndex {
  private readonly byId = new Map<string, CompiledSubscription[]>();
  private readonly byType = new Map<string, CompiledSubscription[]>();
  private readonly unindexed: CompiledSubscription[] = [];

  constructor(subscriptions: Iterable<CompiledSubscription>) {
    for (const subscription of subscriptions) {
      if (subscription.definition.timeInterval !== undefined) continue;
      this.add(subscription);
    }
  }

  /** The subscriptions a change may interest (each once). */
  candidates(change: ChangeRecord): CompiledSubscription[] {
    const found = new Set<CompiledSubscription>(this.unindexed);
    for (const subscription of this.byId.get(change.entity.id) ?? []) found.add(subscription);
    for (const type of change.entity.types) for (const subscription of this.byType.get(type) ?? []) found.add(subscription);
    return [...found];
  }

  /**
   * Indexed under ids when every selector names one, else under types when every selector's type
   * expression is a plain type or an OR of types; anything else is compared with every change.
   */
  private add(subscription: CompiledSubscription): void {
    const selectors = subscription.selectors;
    if (!selectors) return void this.unindexed.push(subscription);
    if (selectors.every((s) => s.selector.ids)) {
      for (const s of selectors) for (const id of s.selector.ids!) push(this.byId, id, subscription);
      return;
    }
    const typeSets = selectors.map((s) => plainTypes(s.selector.types));
    if (typeSets.every((types) => types !== undefined)) {
      for (const type of new Set(typeSets.flat() as string[])) push(this.byType, type, subscription);
      return;
    }
    this.unindexed.push(subscription);
  }
}

function plainTypes(types: BooleanExpression<string> | undefined): string[] | undefined {
  if (!types) return undefined;
  if (types.kind === 'leaf') return [types.leaf];
  if (types.kind === 'or' && types.terms.every((term) => term.kind === 'leaf')) return types.terms.map((term) => (term as { leaf: string }).leaf);
  return undefined;
}

function push(index: Map<string, CompiledSubscription[]>, key: string, subscription: CompiledSubscription): void {
  const list = index.get(key);
  if (list) list.push(subscription);
  else index.set(key, [subscription]);
}

/**
 * Whether a change concerns a subscription: its tenant, entity selectors, triggers (and watched
 * attributes), scopeQ and q, on the entity as the change left it (as it was, for a deletion).
 */
export function matchChange(subscription: CompiledSubscription, change: ChangeRecord, now: number, options: { valuesLater?: boolean } = {}): MatchVerdict {
  const { definition } = subscription;
  if (change.tenant !== subscription.tenant || !definition.isActive) return 'no';
  if (subscription.expiresAt !== undefined && subscription.expiresAt <= now) return 'no';
  const { entity } = change;
  if (subscription.selectors && !subscription.selectors.some((s) => selectorMatches(s.selector, entity.id, entity.types, s.idPattern))) return 'no';
  if (!isTriggered(subscription, change)) return 'no';
  if (subscription.scopes && !scopesMatch(subscription.scopes, entity.scopes)) return 'no';
  // Values of a dataset some readers see minimised are compared when the notification is sent, on
  // what its owner may see (DeliveryAccess): compared raw here, they would tell what the view hides.
  if (options.valuesLater) return 'match';
  if (subscription.q && !qMatches(subscription.q, entity.attributes, subscription.regexes)) return 'no';
  return subscription.geo ? 'geo' : 'match';
}

function isTriggered(subscription: CompiledSubscription, change: ChangeRecord): boolean {
  const { triggers, watched } = subscription;
  const relevant = (iris: readonly string[]): number => (watched ? iris.filter((iri) => watched.has(iri)).length : iris.length);
  const { created, updated, deleted } = attributeChanges(change);
  switch (change.operation) {
    case 'create':
      // A new entity's attributes are created with it.
      return triggers.has('entityCreated') || (triggers.has('attributeCreated') && relevant(created) > 0);
    case 'delete':
      // The entity's attributes go with it (its last state, `entity.attributes`).
      return triggers.has('entityDeleted') || (triggers.has('attributeDeleted') && relevant(Object.keys(change.entity.attributes)) > 0);
    case 'update': {
      const changedWatched = relevant(created) + relevant(updated) + relevant(deleted);
      if (triggers.has('entityUpdated') && (!watched || changedWatched > 0)) return true;
      return (
        (triggers.has('attributeCreated') && relevant(created) > 0) ||
        (triggers.has('attributeUpdated') && relevant(updated) > 0) ||
        (triggers.has('attributeDeleted') && relevant(deleted) > 0)
      );
    }
  }
}
