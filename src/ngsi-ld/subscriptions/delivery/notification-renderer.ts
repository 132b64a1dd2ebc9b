import { randomUUID } from 'node:crypto';
import { isJsonObject, Json, JsonObject } from 'src/jsonld/value-codec';
import { withScopedContexts } from 'src/jsonld/compiled-context';
import { JSON_LD_CONTEXT_REL, MEDIA_JSON_LD } from 'src/ngsi-ld/common/json-ld-request';
import { compactEntity } from 'src/ngsi-ld/representation/entity-compactor';
import { EntityData, VALUE_MEMBER } from 'src/ngsi-ld/representation/entity.model';
import { toFeatureCollection } from 'src/ngsi-ld/representation/geojson-representation';
import { attributeChanges, ChangeRecord } from 'src/changes/change-record';
import { CompiledSubscription } from 'src/ngsi-ld/subscriptions/compiled-subscription';

/** One notification, ready for any endpoint: its body and the metadata (HTTP headers, MQTT metadata). */
export interface RenderedNotification {
  readonly body: JsonObject;
  readonly contentType: string;
  readonly headers: Record<string, string>;
}

/** The NGSI-LD null (clause 4.5.0): the value a deleted attribute is shown with. */
const NGSI_LD_NULL = 'urn:ngsi-ld:null';

/**
 * A notification (clause 5.3.1) of changes, in feed order: each the entity as the change left it,
 * compacted as the subscription asks (format, attributes, sysAttrs, lang, showChanges); a deleted
 * entity as its id, type and deletedAt; a deleted attribute (attributeDeleted) as urn:ngsi-ld:null.
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
  const ctx = subscription.notifyContext.compiled;
  const { entity } = change;
  if (change.operation === 'delete') {
    return { id: entity.id, type: oneOrMany(entity.types.map((type) => ctx.compactIri(type))), deletedAt: change.changedAt };
  }
  const out = compactEntity(ctx, entity, subscription.compact);
  const { updated, deleted } = attributeChanges(change);
  const shown = (iri: string): boolean => subscription.compact.projection?.attributes?.has(iri) ?? true;
  const format = subscription.compact.format;
  if (subscription.triggers.has('attributeDeleted')) {
    for (const iri of deleted.filter(shown)) {
      const name = ctx.compactIri(iri, { kind: 'node' });
      out[name] = format === 'keyValues' ? NGSI_LD_NULL : { type: 'Property', value: NGSI_LD_NULL, deletedAt: change.changedAt };
    }
  }
  if (subscription.definition.notification.showChanges && format !== 'keyValues') {
    const previous = compactEntity(ctx, { ...entity, attributes: change.previous }, { ...subscription.compact, format: 'normalized', sysAttrs: false });
    for (const iri of updated.filter(shown)) {
      const name = ctx.compactIri(iri, { kind: 'node' });
      if (name in out && name in previous) out[name] = withPrevious(out[name], previous[name]);
    }
  }
  return out;
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
    return { ...instance, [`previous${member[0].toUpperCase()}${member.slice(1)}`]: match[member] };
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
  const url = typeof contextValue === 'string' ? contextValue : notifyContext.coreContextUrl;
  headers.link = `<${url}>; rel="${JSON_LD_CONTEXT_REL}"; type="${MEDIA_JSON_LD}"`;
  return { body, contentType: accept, headers };
}

function oneOrMany(values: string[]): string | string[] {
  return values.length === 1 ? values[0] : values;
}
