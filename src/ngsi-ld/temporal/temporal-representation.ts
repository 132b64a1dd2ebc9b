import { CompiledContext } from 'src/jsonld/compiled-context';
import { Json, JsonObject } from 'src/jsonld/value-codec';
import { CompactOptions, compactEntity, compactSimplifiedValue } from 'src/ngsi-ld/representation/entity-compactor';
import { AttributeInstance, AttributeKind, AttributeMap, EntityData } from 'src/ngsi-ld/representation/entity.model';
import { AggregationMethod, TimeProperty } from 'src/ngsi-ld/temporal/dto/temporal-request-params';
import { BucketRow, InstanceRow } from 'src/ngsi-ld/temporal/history.repository';

/** The member of the simplified temporal representation (clause 4.5.9) that lists each kind's values. */
const VALUES_MEMBER: Readonly<Record<AttributeKind, string>> = {
  Property: 'values',
  GeoProperty: 'values',
  Relationship: 'objects',
  LanguageProperty: 'languageMaps',
  VocabProperty: 'vocabs',
  JsonProperty: 'jsons',
  ListProperty: 'valueLists',
  ListRelationship: 'objectLists',
};

/**
 * The kinds whose values stand in their pairs wrapped in an object with the member of the
 * normalized form (clause 4.5.9): `[{"languageMap": {...}}, time]`, `[{"vocab": ...}, time]`,
 * `[{"json": ...}, time]`; the values of the other kinds stand bare.
 */
const WRAPPED_VALUE: Partial<Readonly<Record<AttributeKind, string>>> = {
  LanguageProperty: 'languageMap',
  VocabProperty: 'vocab',
  JsonProperty: 'json',
};

/** NGSI-LD's instanceId of a stored instance. */
export function instanceIdOf(uuid: string): string {
  return `urn:ngsi-ld:${uuid}`;
}

/** The stored instance behind an instanceId, or undefined when it cannot be one of ours. */
export function uuidOfInstanceId(instanceId: string): string | undefined {
  const match = /^urn:ngsi-ld:([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})$/i.exec(instanceId);
  return match?.[1].toLowerCase();
}

/** The normalized temporal representation (clause 4.5.8): every attribute an array of instances, oldest first. */
export function normalizedTemporal(ctx: CompiledContext, entity: EntityData, rows: readonly InstanceRow[], options: CompactOptions, timeproperty: TimeProperty): JsonObject {
  const attributes: AttributeMap = {};
  for (const row of rows) {
    const instance: AttributeInstance = { ...row.instance, instanceId: instanceIdOf(row.instance_id) };
    if (options.sysAttrs || timeproperty !== 'observedAt') {
      instance.createdAt = row.created_at.toISOString();
      instance.modifiedAt = row.modified_at.toISOString();
    }
    (attributes[row.attribute] ??= []).push(instance);
  }
  const sysAttrs = options.sysAttrs || timeproperty !== 'observedAt';
  const out = compactEntity(ctx, { ...entity, attributes }, { ...options, format: 'normalized', sysAttrs });
  if (!options.sysAttrs) {
    delete out.createdAt;
    delete out.modifiedAt;
  }
  return arraysForAttributes(ctx, out, attributes);
}

/** The simplified temporal representation (clause 4.5.9): [value, time] pairs per attribute, under the member of its kind. */
export function simplifiedTemporal(ctx: CompiledContext, entity: EntityData, rows: readonly InstanceRow[], options: CompactOptions): JsonObject {
  const out = compactEntity(ctx, { ...entity, attributes: {} }, { ...options, format: 'normalized' });
  const groups = new Map<string, { iri: string; kind: AttributeKind; datasetId?: string; pairs: Json[] }>();
  for (const row of rows) {
    const key = `${row.attribute}\u0000${row.instance.datasetId ?? ''}`;
    // With lang, a LanguageProperty shows the strings of one language: a Property's values (clause 4.15).
    const kind = row.instance.type === 'LanguageProperty' && options.lang ? 'Property' : row.instance.type;
    const group = groups.get(key) ?? { iri: row.attribute, kind, datasetId: row.instance.datasetId, pairs: [] };
    groups.set(key, group);
    const value = compactSimplifiedValue(ctx, row.attribute, row.instance, options.lang);
    const wrapper = WRAPPED_VALUE[kind];
    group.pairs.push([wrapper ? { [wrapper]: value } : value, row.at]);
  }
  for (const group of groups.values()) {
    const item: JsonObject = { type: group.kind, [VALUES_MEMBER[group.kind]]: group.pairs };
    if (group.datasetId !== undefined) item.datasetId = group.datasetId;
    appendTo(out, ctx.compactIri(group.iri, { kind: 'node' }), item);
  }
  return out;
}

/** The aggregated temporal representation (clause 4.5.19): each method as [value, periodStart, periodEnd] triples. */
export function aggregatedTemporal(
  ctx: CompiledContext,
  entity: EntityData,
  rows: readonly BucketRow[],
  methods: readonly AggregationMethod[],
  options: CompactOptions,
): JsonObject {
  const out = compactEntity(ctx, { ...entity, attributes: {} }, { ...options, format: 'normalized' });
  const groups = new Map<string, JsonObject>();
  for (const row of rows) {
    const key = `${row.attribute}\u0000${row.multi_instance_key ?? ''}`;
    let item = groups.get(key);
    if (!item) {
      item = { type: row.kind, ...Object.fromEntries(methods.map((method) => [method, []])) };
      if (row.multi_instance_key !== null) item.datasetId = row.multi_instance_key;
      groups.set(key, item);
      appendTo(out, ctx.compactIri(row.attribute, { kind: 'node' }), item);
    }
    for (const method of methods) {
      (item[method] as Json[]).push([row.values[method] ?? null, row.start, row.end]);
    }
  }
  return out;
}

/** One attribute with one instance is compacted to an object; in a temporal representation it is always a list. */
function arraysForAttributes(ctx: CompiledContext, out: JsonObject, attributes: AttributeMap): JsonObject {
  for (const iri of Object.keys(attributes)) {
    const name = ctx.compactIri(iri, { kind: 'node' });
    if (out[name] !== undefined && !Array.isArray(out[name])) out[name] = [out[name]];
  }
  return out;
}

/** Several NGSI-LD datasetIds of one attribute become a list of objects, one per datasetId. */
function appendTo(out: JsonObject, name: string, item: JsonObject): void {
  const existing = out[name];
  if (existing === undefined) out[name] = item;
  else out[name] = Array.isArray(existing) ? [...existing, item] : [existing, item];
}
