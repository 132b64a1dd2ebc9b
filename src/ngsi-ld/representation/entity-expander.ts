import { BadRequestData, InvalidRequest } from 'src/common/problem/ngsi-ld-errors';
import { NGSI_LD } from 'src/jsonld/core-contexts';
import { CompiledContext } from 'src/jsonld/compiled-context';
import { isJsonObject, Json } from 'src/jsonld/value-codec';
import { expandAttribute, expandPartialInstance } from 'src/ngsi-ld/representation/attribute-expander';
import { AttributeInstance, AttributeMap, EntityData, isSubAttributeKey, VALUE_MEMBER } from 'src/ngsi-ld/representation/entity.model';
import { Fragment, isNgsiLdNull, NGSI_LD_NULL } from 'src/ngsi-ld/representation/entity-updates';
import { isUri, isValidName, MAX_ATTRIBUTE_IRI_LENGTH, MAX_URI_LENGTH, shown } from 'src/ngsi-ld/representation/ngsi-ld-syntax';
import { GEO_ATTRIBUTES, INSTANCE_MEMBERS, SCOPE, SYSTEM_MEMBERS } from 'src/ngsi-ld/representation/ngsi-ld-vocabulary';

const SCOPE_SYNTAX = /^\/[^\s/]+(\/[^\s/]+)*$/;

/**
 * Expands an NGSI-LD entity payload (normalized or concise) with the request's context into the
 * stored form, checking every shape on the way: a payload either expands completely or is refused
 * with the first problem, so nothing half-valid is ever written.
 */
export function expandEntity(ctx: CompiledContext, body: unknown, now: string): EntityData {
  const { id, types, scopes, attributes } = expandMembers(ctx, body, now, false);
  if (id === undefined) throw new BadRequestData('An entity needs an "id"');
  if (types === undefined) throw new BadRequestData('An entity needs a "type"');
  return { id, types, scopes: scopes ?? null, attributes };
}

/**
 * Expands the part of an entity an update sends (clause 5.6): attributes, and optionally types,
 * scope, and the id, which must then be `entityId`.
 */
export function expandFragment(ctx: CompiledContext, body: unknown, now: string, entityId: string): Fragment {
  const { id, types, scopes, attributes } = expandMembers(ctx, body, now, true);
  if (id !== undefined && id !== entityId) throw new BadRequestData(`The payload is about ${shown(id)}, not ${shown(entityId)}`);
  return { types, scopes, attributes };
}

/**
 * A merge fragment (clause 5.6.17) for `existing`: where an existing attribute is given only some
 * members (`{"observedAt": ...}`, no type and no value), they are read as a partial instance of
 * the attribute's kind, to be merged in; anything else is read as a whole attribute.
 */
export function expandMergeFragment(ctx: CompiledContext, body: unknown, now: string, existing: EntityData): Fragment {
  const partial: Record<string, Json> = {};
  const whole: Record<string, Json> = {};
  if (!isJsonObject(body)) throw new InvalidRequest('An entity must be a JSON object');
  for (const [key, value] of Object.entries(body)) {
    const iri = ctx.expandTerm(key);
    const kind = iri !== null ? existing.attributes[iri]?.[0]?.type : undefined;
    if (kind && [value].flat().every(isPartialInstance)) partial[key] = value;
    else whole[key] = value;
  }
  const fragment = expandFragment(ctx, whole, now, existing.id);
  for (const [key, value] of Object.entries(partial)) {
    const iri = ctx.expandTerm(key)!;
    const kind = existing.attributes[iri][0].type;
    fragment.attributes[iri] = [value].flat().map((item) => expandPartialInstance(ctx, key, item, kind, key, now));
  }
  return fragment;
}

function isPartialInstance(value: Json): boolean {
  return isJsonObject(value) && !('type' in value) && !('@type' in value) && !Object.values(VALUE_MEMBER).some((m) => m in value);
}

/** An entity of a batch update or merge: the id is needed, the rest is a fragment. */
export function expandIdentifiedFragment(ctx: CompiledContext, body: unknown, now: string): { id: string; fragment: Fragment } {
  const { id, types, scopes, attributes } = expandMembers(ctx, body, now, true);
  if (id === undefined) throw new BadRequestData('An entity needs an "id"');
  return { id, fragment: { types, scopes, attributes } };
}

/** `nullDeletes`: a fragment of a change, where an attribute of NGSI-LD null is one to delete. */
function expandMembers(
  ctx: CompiledContext,
  body: unknown,
  now: string,
  nullDeletes: boolean,
): { id?: string; types?: string[]; scopes?: string[] | null; attributes: AttributeMap } {
  if (!isJsonObject(body)) throw new InvalidRequest('An entity must be a JSON object');
  let id: string | undefined;
  let types: string[] | undefined;
  let scopes: string[] | null | undefined;
  const attributes: AttributeMap = {};
  for (const [key, value] of Object.entries(body)) {
    if (key === '@context') continue;
    const iri = ctx.expandTerm(key);
    if (iri === '@id') {
      if (id !== undefined) throw new BadRequestData('The entity id is given twice ("id" and "@id")');
      id = entityId(value);
    } else if (iri === '@type') {
      if (types !== undefined) throw new BadRequestData('The entity type is given twice ("type" and "@type")');
      types = entityTypes(ctx, value);
    } else if (iri === SCOPE) scopes = scopeList(value);
    else if (iri !== null && SYSTEM_MEMBERS.has(iri)) continue;
    else {
      const attribute = attributeIri(key, iri);
      if (attribute in attributes) throw new BadRequestData(`"${key}" names an attribute given twice (${attribute})`);
      attributes[attribute] = expandAttribute(ctx, key, value, key, now);
    }
  }
  checkGeoAttributes(attributes, { nullDeletes });
  return { id, types, scopes, attributes };
}

/** One instance of a temporal entity payload, with the attribute it belongs to. */
export interface TemporalInstance {
  readonly attribute: string;
  readonly instance: AttributeInstance;
}

/**
 * A temporal entity payload (clause 5.6.11, 5.6.12): like an entity, but each attribute holds a
 * list of instances (any number per datasetId: they are moments of one history), or one instance.
 */
export function expandTemporalEntity(ctx: CompiledContext, body: unknown, now: string): { id?: string; types?: string[]; instances: TemporalInstance[] } {
  if (!isJsonObject(body)) throw new InvalidRequest('A temporal entity must be a JSON object');
  const head: Record<string, Json> = {};
  const instances: TemporalInstance[] = [];
  for (const [key, value] of Object.entries(body)) {
    const iri = key === '@context' ? key : ctx.expandTerm(key);
    if (iri === '@context' || iri === '@id' || iri === '@type' || iri === SCOPE || (iri !== null && SYSTEM_MEMBERS.has(iri))) {
      head[key] = value;
      continue;
    }
    const attribute = attributeIri(key, iri);
    const items = Array.isArray(value) ? value : [value];
    if (items.length === 0) throw new BadRequestData(`"${key}" lists no instances`);
    for (const [index, item] of items.entries()) {
      if (!isJsonObject(item)) throw new BadRequestData(`${key}[${index}]: each instance must be an object with a type and a value`);
      const instanceId = instanceIdOf(item, `${key}[${index}]`);
      for (const instance of expandAttribute(ctx, key, item, `${key}[${index}]`, now)) {
        instances.push({ attribute, instance: instanceId === undefined ? instance : { ...instance, instanceId } });
      }
    }
  }
  const { id, types } = expandMembers(ctx, head, now, false);
  const geo: AttributeMap = {};
  for (const { attribute, instance } of instances) (geo[attribute] ??= []).push(instance);
  checkGeoAttributes(geo);
  return { id, types, instances };
}

/**
 * The instanceId an instance of a temporal payload names, kept (unlike in current-state writes) so
 * that the history can tell an instance it already holds from a new one.
 */
function instanceIdOf(item: Record<string, Json>, path: string): string | undefined {
  const given = item.instanceId;
  if (given === undefined) return undefined;
  if (!isUri(given)) throw new BadRequestData(`${path}.instanceId must be a URI, not ${shown(given)}`);
  return given;
}

/**
 * location, observationSpace and operationSpace are GeoProperties (clause 4.7), and a GeoProperty
 * holds a geometry. With `nullDeletes` (a fragment of a change) an instance of NGSI-LD null is
 * one to delete and may be of any kind; in what is to be stored, no geometry may be null.
 */
export function checkGeoAttributes(attributes: AttributeMap, { nullDeletes = false } = {}): void {
  for (const geoAttribute of GEO_ATTRIBUTES) {
    if (attributes[geoAttribute]?.some((instance) => instance.type !== 'GeoProperty' && !(nullDeletes && isNgsiLdNull(instance)))) {
      throw new BadRequestData(`"${geoAttribute.slice(NGSI_LD.length)}" must be a GeoProperty`);
    }
  }
  if (!nullDeletes) refuseNullGeometries(attributes);
}

function refuseNullGeometries(attributes: AttributeMap): void {
  for (const [iri, instances] of Object.entries(attributes)) {
    for (const instance of instances) {
      if (instance.type === 'GeoProperty' && instance.value === NGSI_LD_NULL) {
        throw new BadRequestData(`${iri}: "${NGSI_LD_NULL}" deletes a GeoProperty in an update or merge; it is no geometry to store`);
      }
      for (const [key, value] of Object.entries(instance)) {
        if (isSubAttributeKey(key) && Array.isArray(value)) refuseNullGeometries({ [key]: value as AttributeInstance[] });
      }
    }
  }
}

function entityId(value: Json): string {
  if (typeof value === 'string' && value.length > MAX_URI_LENGTH) {
    throw new BadRequestData(`The entity id is longer than ${MAX_URI_LENGTH} characters`);
  }
  if (!isUri(value)) throw new BadRequestData(`The entity id must be a URI, not ${shown(value)}`);
  return value;
}

/** Expands entity type names; an entity has one or more types (NGSI-LD 1.8 multi-typing). */
export function entityTypes(ctx: CompiledContext, value: Json): string[] {
  const names = Array.isArray(value) ? value : [value];
  if (names.length === 0) throw new BadRequestData('"type" must name at least one type');
  const types = names.map((name) => {
    const iri = typeof name === 'string' && isValidName(name) ? ctx.expandTerm(name) : null;
    if (iri === null || !iri.includes(':') || iri.startsWith('@')) {
      throw new BadRequestData(`"type" must hold type names or IRIs, not ${shown(name)}`);
    }
    return iri;
  });
  return [...new Set(types)];
}

function scopeList(value: Json): string[] {
  const scopes = Array.isArray(value) ? value : [value];
  for (const scope of scopes) {
    if (typeof scope !== 'string' || !SCOPE_SYNTAX.test(scope)) {
      throw new BadRequestData(`"scope" must hold paths like "/Gothenburg/Parks", not ${shown(scope)}`);
    }
  }
  return [...new Set(scopes as string[])];
}

function attributeIri(key: string, iri: string | null): string {
  if (iri === null || iri.startsWith('@') || !iri.includes(':') || !isValidName(key)) {
    throw new BadRequestData(`${shown(key)} is not a valid attribute name`);
  }
  if (INSTANCE_MEMBERS.has(iri)) throw new BadRequestData(`"${key}" is an NGSI-LD member name and cannot name an attribute`);
  if (iri.length > MAX_ATTRIBUTE_IRI_LENGTH) {
    throw new BadRequestData(`${shown(key)} is too long for an attribute name: its IRI has ${iri.length} characters, at most ${MAX_ATTRIBUTE_IRI_LENGTH} are taken`);
  }
  return iri;
}
