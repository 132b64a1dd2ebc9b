import { CompiledContext } from 'src/jsonld/compiled-context';
import { isJsonObject, Json, JsonObject } from 'src/jsonld/value-codec';
import { compactEntity, RepresentationFormat } from 'src/ngsi-ld/representation/entity-compactor';
import { NGSI_LD_NULL } from 'src/ngsi-ld/representation/entity-updates';
import { AttributeKind, AttributeMap, VALUE_MEMBER, ValueMember } from 'src/ngsi-ld/representation/entity.model';

/*
 * Deleted attributes as notifications show them (clause 5.8.6): NGSI-LD Null as the value of the
 * attribute's own kind (`object` of a Relationship, `languageMap` {"@none": null} of a
 * LanguageProperty, a single null in a list), with its datasetId, its previous value when
 * showChanges asks, and createdAt, modifiedAt and deletedAt when sysAttrs asks.
 */

export interface DeletionOptions {
  readonly format: RepresentationFormat;
  readonly sysAttrs: boolean;
  readonly showChanges: boolean;
  readonly deletedAt: string;
}

/** previousValue, previousObject, previousLanguageMap... (clause 4.5.x, showChanges). */
export function previousMemberOf(member: ValueMember): string {
  return `previous${member[0].toUpperCase()}${member.slice(1)}`;
}

/** Deleted attributes (their instances as they were, by IRI), by the names the context gives them. */
export function deletedAttributes(ctx: CompiledContext, before: AttributeMap, options: DeletionOptions): JsonObject {
  if (Object.keys(before).length === 0) return {};
  // The instances as they were, compacted as every attribute of the notification is (names, vocabulary, objects).
  const compacted = compactEntity(ctx, { id: '', types: [], scopes: null, attributes: before }, { format: 'normalized', sysAttrs: true });
  const out: JsonObject = {};
  for (const [name, value] of Object.entries(compacted)) {
    if (name === 'id' || name === 'type') continue;
    const instances = (Array.isArray(value) ? value : [value]).filter(isJsonObject).map((instance) => deletedInstance(instance, options));
    out[name] = inFormat(instances, options.format);
  }
  return out;
}

function deletedInstance(before: JsonObject, options: DeletionOptions): JsonObject {
  const kind = before.type as AttributeKind;
  const member = VALUE_MEMBER[kind] ?? 'value';
  const out: JsonObject = { type: kind, [member]: nullOf(kind) };
  if (before.datasetId !== undefined) out.datasetId = before.datasetId;
  if (options.showChanges && before[member] !== undefined) out[previousMemberOf(member)] = before[member];
  if (options.sysAttrs) {
    if (before.createdAt !== undefined) out.createdAt = before.createdAt;
    if (before.modifiedAt !== undefined) out.modifiedAt = before.modifiedAt;
    out.deletedAt = options.deletedAt;
  }
  return out;
}

function nullOf(kind: AttributeKind): Json {
  switch (kind) {
    case 'LanguageProperty':
      return { '@none': NGSI_LD_NULL };
    case 'ListProperty':
    case 'ListRelationship':
      return [NGSI_LD_NULL];
    default:
      return NGSI_LD_NULL;
  }
}

/** As the entity representations show attributes: keyValues the value alone, concise without the redundant type. */
function inFormat(instances: JsonObject[], format: RepresentationFormat): Json {
  if (format === 'keyValues') {
    const valueOf = (instance: JsonObject): Json => instance[VALUE_MEMBER[instance.type as AttributeKind] ?? 'value'];
    if (instances.length === 1) return valueOf(instances[0]);
    return { dataset: Object.fromEntries(instances.map((instance) => [(instance.datasetId as string | undefined) ?? '@none', valueOf(instance)])) };
  }
  if (format === 'concise') {
    const concise = instances.map(({ type, ...rest }) => (instances.length === 1 && (type === 'Property' || type === 'GeoProperty') && Object.keys(rest).length === 1 ? rest.value : rest));
    return concise.length === 1 ? concise[0] : concise;
  }
  return instances.length === 1 ? instances[0] : instances;
}
