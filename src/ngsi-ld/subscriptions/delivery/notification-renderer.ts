import { randomUUID } from 'node:crypto';
import { isJsonObject, Json, JsonObject } from 'src/jsonld/value-codec';
import { withScopedContexts } from 'src/jsonld/compiled-context';
import { JSON_LD_CONTEXT_REL, MEDIA_JSON_LD } from 'src/ngsi-ld/common/json-ld-request';
import { compactEntity } from 'src/ngsi-ld/representation/entity-compactor';
import { AttributeMap, EntityData, VALUE_MEMBER } from 'src/ngsi-ld/representation/entity.model';
import { toFeatureCollection } from 'src/ngsi-ld/representation/geojson-representation';
import { attributeChanges, ChangeRecord } from 'src/changes/change-record';
import { CompiledSubscription } from 'src/ngsi-ld/subscriptions/compiled-subscription';
import { deletedAttributes, DeletionOptions, previousMemberOf } from 'src/ngsi-ld/subscriptions/delivery/deleted-attributes';

/** One notification, ready for any endpoint: its body and the metadata (HTTP headers, MQTT metadata). */
export interface RenderedNotification {
  readonly body: JsonObject;
  readonly contentType: string;
  readonly headers: Record<string, string>;
}

/**
 * A notification (clause 5.3.1) of changes, in feed order: each the entity as the change left it,
 * compacted as the subscription asks (format, attributes, sysAttrs, lang, showChanges), with its
 * deleted attributes (attributeDeleted) as NGSI-LD Null; a deleted entity as its id, type and
 * deletedAt, and its attributes as NGSI-LD Null where showChanges (with their previous values) or
 * attributeDeleted (the watched ones) ask for them (clause 5.8.6).
 */
export function renderChanges(subscription: CompiledSubscription, changes: readonly ChangeRecord[], now: Date): Promise<RenderedNotification> {
  return withScopedContexts(() => envelope(subscription, changes.map((change) => renderChange(subscription, change)), now));
}

/** A notification of entities as they are now (periodic subscriptions). */
export function renderEntities(subscription: CompiledSubscription, entities: readonly EntityData[], now: Date): Promise<RenderedNotification> {
  const ctx = subscription.notifyContext.compiled;
  return withScopedContexts(() => envelope(subscription, entities.map((entity) => compactEntity(ctx, entity, subscription.compact)), now));
}

function renderChange(subscription: CompiledSubscription, change: ChangeRecord): JsonObject {
  if (change.operation === 'delete') return renderDeletion(subscription, change);
  const ctx = subscription.notifyContext.compiled;
  const out = compactEntity(ctx, change.entity, subscription.compact);
  const { updated, deleted } = attributeChanges(change);
  const shown = shownIn(subscription);
  const showChanges = subscription.definition.notification.showChanges === true && subscription.compact.format !== 'keyValues';
  if (subscription.triggers.has('attributeDeleted')) {
    Object.assign(out, deletedAttributes(ctx, pick(change.previous, deleted.filter(shown)), deletion(subscription, change, showChanges)));
  }
  if (showChanges) {
    const previous = compactEntity(ctx, { ...change.entity, attributes: change.previous }, { ...subscription.compact, format: 'normalized', sysAttrs: false });
    for (const iri of updated.filter(shown)) {
      const name = ctx.compactIri(iri, { kind: 'node' });
      if (name in out && name in previous) out[name] = withPrevious(out[name], previous[name]);
    }
  }
  return out;
}

/** Only deletedAt, unless sysAttrs (createdAt, modifiedAt), showChanges or attributeDeleted ask for more. */
function renderDeletion(subscription: CompiledSubscription, change: ChangeRecord): JsonObject {
  const ctx = subscription.notifyContext.compiled;
  const { entity } = change;
  const out: JsonObject = { id: entity.id, type: oneOrMany(entity.types.map((type) => ctx.compactIri(type))), deletedAt: change.changedAt };
  if (subscription.compact.sysAttrs) {
    if (entity.createdAt !== undefined) out.createdAt = entity.createdAt;
    if (entity.modifiedAt !== undefined) out.modifiedAt = entity.modifiedAt;
  }
  const showChanges = subscription.definition.notification.showChanges === true;
  const { triggers, watched } = subscription;
  const shown = shownIn(subscription);
  const gone = Object.keys(entity.attributes).filter(
    (iri) => shown(iri) && (showChanges || (triggers.has('attributeDeleted') && (!watched || watched.has(iri)))),
  );
  return { ...out, ...deletedAttributes(ctx, pick(entity.attributes, gone), deletion(subscription, change, showChanges)) };
}

function deletion(subscription: CompiledSubscription, change: ChangeRecord, showChanges: boolean): DeletionOptions {
  return { format: subscription.compact.format, sysAttrs: subscription.compact.sysAttrs, showChanges, deletedAt: change.changedAt };
}

/** Whether notification.attributes lets an attribute (by IRI) through. */
function shownIn(subscription: CompiledSubscription): (iri: string) => boolean {
  return (iri) => subscription.compact.projection?.attributes?.has(iri) ?? true;
}

function pick(attributes: AttributeMap, iris: readonly string[]): AttributeMap {
  return Object.fromEntries(iris.filter((iri) => attributes[iri] !== undefined).map((iri) => [iri, attributes[iri]]));
}

/** Adds previousValue (previousObject, previousLanguageMap...) to each instance, matched by datasetId. */
function withPrevious(current: Json, before: Json): Json {
  const instances = (value: Json): JsonObject[] => (Array.isArray(value) ? value : [value]).filter(isJsonObject);
  const earlier = instances(before);
  const add = (instance: Json): Json => {
    if (!isJsonObject(instance)) return instance;
    const match = earlier.find((e) => e.datasetId === instance.datasetId);
    const kind = (match?.type ?? 'Property') as keyof typeof VALUE_MEMBER;
    const member = VALUE_MEMBER[kind] ?? 'value';
    if (!match || match[member] === undefined) return instance;
    return { ...instance, [previousMemberOf(member)]: match[member] };
  };
  return Array.isArray(current) ? current.map(add) : add(current);
}

function envelope(subscription: CompiledSubscription, data: JsonObject[], now: Date): RenderedNotification {
  const { notifyContext, definition } = subscription;
  const accept = definition.notification.endpoint.accept ?? 'application/json';
  const contextValue = (notifyContext.userContext ?? notifyContext.coreContextUrl) as Json;
  const body: JsonObject = {
    id: `urn:ngsi-ld:Notification:${randomUUID()}`,
    type: 'Notification',
    subscriptionId: definition.id,
    notifiedAt: now.toISOString(),
    data: accept === 'application/geo+json' ? toFeatureCollection(data, 'location') : data,
  };
  const headers: Record<string, string> = {};
  if (accept === MEDIA_JSON_LD) return { body: { '@context': contextValue, ...body }, contentType: MEDIA_JSON_LD, headers };
  // The context the data were compacted with (SubscriptionLoader makes sure one URL names it).
  headers.link = `<${subscription.notifyLink}>; rel="${JSON_LD_CONTEXT_REL}"; type="${MEDIA_JSON_LD}"`;
  return { body, contentType: accept, headers };
}

function oneOrMany(values: string[]): string | string[] {
  return values.length === 1 ? values[0] : values;
}
