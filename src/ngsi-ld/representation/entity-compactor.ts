import { CompiledContext } from 'src/jsonld/compiled-context';
import { compactValue, isJsonObject, Json, JsonObject } from 'src/jsonld/value-codec';
import {
  AttributeInstance,
  EntityData,
  isSubAttributeKey,
  VALUE_MEMBER,
} from 'src/ngsi-ld/representation/entity.model';
import { chooseLanguage, LanguagePreference } from 'src/ngsi-ld/representation/language';
import { NON_REIFIED_MEMBERS } from 'src/ngsi-ld/representation/ngsi-ld-vocabulary';

/** The three NGSI-LD representations (clause 4.5): full, values only, and full without redundancy. */
export type RepresentationFormat = 'normalized' | 'keyValues' | 'concise';

/** Which members to show (attrs, pick, omit): attributes by expanded IRI, core members by name. */
export interface Projection {
  /** Only these attributes; all when absent. */
  readonly attributes?: ReadonlySet<string>;
  /** Not these attributes. */
  readonly omitted?: ReadonlySet<string>;
  /** Which of id, type and scope to show; all when absent. */
  readonly core?: ReadonlySet<CoreMember>;
}
export type CoreMember = 'id' | 'type' | 'scope';

export interface CompactOptions {
  readonly format: RepresentationFormat;
  /** Include createdAt/modifiedAt of the entity and its attributes (options=sysAttrs). */
  readonly sysAttrs: boolean;
  readonly projection?: Projection;
  /** LanguageProperties in one language (lang=): shown as Properties with that string. */
  readonly lang?: LanguagePreference;
  /** Only instances with these datasetIds ("@none": the default instance). */
  readonly datasetIds?: ReadonlySet<string>;
}

const NODE = { kind: 'node' } as const;

/** Compacts a stored entity with the caller's context into the requested representation. */
export function compactEntity(ctx: CompiledContext, entity: EntityData, options: CompactOptions): JsonObject {
  const { attributes: only, omitted, core } = options.projection ?? {};
  const out: JsonObject = {};
  if (!core || core.has('id')) out.id = entity.id;
  if (!core || core.has('type')) out.type = oneOrMany(entity.types.map((type) => ctx.compactIri(type)));
  if (entity.scopes && entity.scopes.length > 0 && (!core || core.has('scope'))) out.scope = oneOrMany(entity.scopes);
  if (options.sysAttrs) {
    if (entity.createdAt) out.createdAt = entity.createdAt;
    if (entity.modifiedAt) out.modifiedAt = entity.modifiedAt;
  }
  for (const [iri, all] of Object.entries(entity.attributes)) {
    if ((only && !only.has(iri)) || omitted?.has(iri)) continue;
    const instances = options.datasetIds ? all.filter((i) => options.datasetIds!.has(i.datasetId ?? '@none')) : all;
    if (instances.length === 0) continue;
    const name = ctx.compactIri(iri, NODE);
    out[name] = compactAttribute(ctx.propertyScope(name), instances, options);
  }
  return out;
}

function compactAttribute(ctx: CompiledContext, instances: AttributeInstance[], options: CompactOptions): Json {
  if (options.format === 'keyValues') {
    if (instances.length === 1) return simplifiedValue(ctx, instances[0], options.lang);
    // Several instances: NGSI-LD's simplified form indexes them by datasetId ("@none" for the default).
    const byDataset: JsonObject = {};
    for (const instance of instances) byDataset[instance.datasetId ?? '@none'] = simplifiedValue(ctx, instance, options.lang);
    return { dataset: byDataset };
  }
  // A bare value would be read back as a Property holding an array: several instances stay objects.
  const compacted = instances.map((instance) => compactInstance(ctx, instance, options, instances.length === 1));
  return compacted.length === 1 ? compacted[0] : compacted;
}

function compactInstance(ctx: CompiledContext, given: AttributeInstance, options: CompactOptions, alone: boolean): Json {
  const instance = inLanguage(given, options.lang);
  const concise = options.format === 'concise';
  const member = VALUE_MEMBER[instance.type];
  const out: JsonObject = concise ? {} : { type: instance.type };
  out[member] = memberValue(ctx, instance);
  if (instance.lang !== undefined) out.lang = instance.lang as string;
  if (instance.objectType !== undefined) out.objectType = compactVocabulary(ctx, instance.objectType);
  if (instance.observedAt !== undefined) out.observedAt = instance.observedAt;
  if (instance.unitCode !== undefined) out.unitCode = instance.unitCode;
  if (instance.datasetId !== undefined) out.datasetId = instance.datasetId;
  if (instance.instanceId !== undefined) out.instanceId = instance.instanceId;
  if (options.sysAttrs) {
    if (instance.createdAt !== undefined) out.createdAt = instance.createdAt;
    if (instance.modifiedAt !== undefined) out.modifiedAt = instance.modifiedAt;
  }
  for (const [key, value] of Object.entries(instance)) {
    if (!isSubAttributeKey(key)) continue;
    const name = ctx.compactIri(key, NODE);
    out[name] = NON_REIFIED_MEMBERS.has(key)
      ? compactValue(ctx.propertyScope(name), ctx.definition(name), value as Json)
      : compactAttribute(ctx.propertyScope(name), value as AttributeInstance[], options);
  }
  if (concise && alone && Object.keys(out).length === 1 && canStandAlone(instance)) return out[member];
  return out;
}

/**
 * In concise form a Property without any other member is its bare value, and a GeoProperty its
 * bare geometry, as long as reading it back cannot mistake it for something else.
 */
function canStandAlone(instance: AttributeInstance): boolean {
  if (instance.type === 'GeoProperty') return true;
  if (instance.type !== 'Property') return false;
  const value = instance.value;
  if (isJsonObject(value)) return false;
  return !Array.isArray(value) || !value.some((item) => typeof item === 'object' && item !== null);
}

function memberValue(ctx: CompiledContext, instance: AttributeInstance): Json {
  switch (instance.type) {
    case 'Property':
      return compactValue(ctx.propertyScope('value'), ctx.definition('value'), instance.value ?? null);
    case 'GeoProperty':
      return instance.value ?? null;
    case 'Relationship':
      return instance.object ?? null;
    case 'LanguageProperty':
      return instance.languageMap ?? null;
    case 'VocabProperty':
      return compactVocabulary(ctx, instance.vocab ?? []);
    case 'JsonProperty':
      return instance.json ?? null;
    case 'ListProperty':
      return (instance.valueList ?? []).map((item) => compactValue(ctx.propertyScope('valueList'), undefined, item));
    case 'ListRelationship':
      return instance.objectList ?? [];
  }
}

/** The value of one instance as the simplified (keyValues) form shows it; `iri` names its attribute. */
export function compactSimplifiedValue(ctx: CompiledContext, iri: string, instance: AttributeInstance, lang?: LanguagePreference): Json {
  return simplifiedValue(ctx.propertyScope(ctx.compactIri(iri, NODE)), instance, lang);
}

function simplifiedValue(ctx: CompiledContext, given: AttributeInstance, lang?: LanguagePreference): Json {
  const instance = inLanguage(given, lang);
  if (instance.type === 'ListRelationship') return (instance.objectList ?? []).map((item) => item.object);
  return memberValue(ctx, instance);
}

/**
 * With `lang`, a LanguageProperty is shown as a Property holding the chosen string, and `lang`
 * says which language it is (clause 4.15); `lang=*` takes any language there is.
 */
function inLanguage(instance: AttributeInstance, lang: LanguagePreference | undefined): AttributeInstance {
  if (!lang || instance.type !== 'LanguageProperty') return instance;
  const chosen = chooseLanguage(instance.languageMap ?? {}, lang);
  const { languageMap: _map, ...rest } = instance;
  return { ...rest, type: 'Property', value: chosen?.value ?? null, lang: chosen?.tag };
}

function compactVocabulary(ctx: CompiledContext, value: string | string[]): Json {
  return Array.isArray(value) ? value.map((iri) => ctx.compactIri(iri)) : ctx.compactIri(value);
}

function oneOrMany(values: string[]): Json {
  return values.length === 1 ? values[0] : values;
}
