import { BadRequestData } from 'src/common/problem/ngsi-ld-errors';
import { NGSI_LD } from 'src/jsonld/core-contexts';
import { CompiledContext } from 'src/jsonld/compiled-context';
import { expandValue, isJsonObject, Json, JsonObject, MAX_VALUE_DEPTH } from 'src/jsonld/value-codec';
import {
  ATTRIBUTE_KINDS,
  AttributeInstance,
  AttributeKind,
  VALUE_MEMBER,
  ValueMember,
} from 'src/ngsi-ld/representation/entity.model';
import { NGSI_LD_NULL } from 'src/ngsi-ld/representation/entity-updates';
import { geometryProblem, looksLikeGeometry } from 'src/ngsi-ld/representation/geojson';
import { isDateTime, isLanguageTag, isUri, isValidName, shown } from 'src/ngsi-ld/representation/ngsi-ld-syntax';
import {
  INSTANCE_MEMBERS,
  NON_REIFIED_MEMBERS,
  SYSTEM_MEMBERS,
  UNSUPPORTED_MEMBERS,
} from 'src/ngsi-ld/representation/ngsi-ld-vocabulary';

const KIND_BY_IRI = new Map<string, AttributeKind>(ATTRIBUTE_KINDS.map((kind) => [NGSI_LD + kind, kind]));
const MAX_ATTRIBUTE_DEPTH = 8;

/** Where in the payload an attribute sits, for error messages ("temperature.accuracy"). */
type Path = string;

/**
 * Expands the value of one attribute (normalized or concise form, one instance or several)
 * into stored instances. `ctx` is the context of the node the attribute belongs to.
 */
export function expandAttribute(
  ctx: CompiledContext,
  key: string,
  raw: Json,
  path: Path,
  now: string,
  depth = 0,
): AttributeInstance[] {
  if (depth > MAX_ATTRIBUTE_DEPTH) throw new BadRequestData(`${path}: sub-attributes nested too deeply`);
  const instanceCtx = ctx.propertyScope(key);
  const rawInstances = Array.isArray(raw) && raw.length > 0 && raw.every(isJsonObject) ? raw : [raw];
  const instances = rawInstances.map((item) => expandInstance(instanceCtx, item, path, now, depth));
  if (new Set(instances.map((instance) => instance.type)).size > 1) {
    throw new BadRequestData(`${path}: all instances of an attribute must be of one kind`);
  }
  const datasetIds = new Set<string | undefined>();
  for (const instance of instances) {
    if (datasetIds.has(instance.datasetId)) {
      throw new BadRequestData(
        `${path}: more than one instance with ${instance.datasetId ? `datasetId ${instance.datasetId}` : 'no datasetId'}`,
      );
    }
    datasetIds.add(instance.datasetId);
  }
  return instances;
}

/**
 * Expands the members given for one instance of an existing attribute of kind `kind` (partial
 * attribute update): nothing is required, the kind is taken from the attribute unless given.
 */
export function expandPartialInstance(
  ctx: CompiledContext,
  key: string,
  raw: Json,
  kind: AttributeKind,
  path: Path,
  now: string,
): AttributeInstance {
  const members = isJsonObject(raw) ? raw : { value: raw };
  const declared = members.type ?? members['@type'];
  return expandMembers(ctx.propertyScope(key), members, declared === undefined ? kind : kindOf(ctx, members, path), path, now, 0);
}

function expandInstance(ctx: CompiledContext, raw: Json, path: Path, now: string, depth: number): AttributeInstance {
  const members = asNormalized(raw, path);
  const instance = expandMembers(ctx, members, kindOf(ctx, members, path), path, now, depth);
  const primary = VALUE_MEMBER[instance.type];
  if (instance[primary] === undefined) {
    throw new BadRequestData(`${path}: a ${instance.type} needs "${primary}"`);
  }
  instance.createdAt = now;
  instance.modifiedAt = now;
  return instance;
}

function expandMembers(
  ctx: CompiledContext,
  members: JsonObject,
  kind: AttributeKind,
  path: Path,
  now: string,
  depth: number,
): AttributeInstance {
  const instance: AttributeInstance = { type: kind };
  for (const [key, value] of Object.entries(members)) {
    const iri = ctx.expandTerm(key);
    if (iri === '@type' || iri === null || SYSTEM_MEMBERS.has(iri)) continue;
    const member = INSTANCE_MEMBERS.get(iri);
    if (member !== undefined) {
      setMember(ctx, instance, kind, member, key, value, `${path}.${key}`);
    } else if (UNSUPPORTED_MEMBERS.has(iri)) {
      throw new BadRequestData(`${path}: ${UNSUPPORTED_MEMBERS.get(iri)} is not supported by this broker`);
    } else if (NON_REIFIED_MEMBERS.has(iri)) {
      instance[iri] = expandValue(ctx.propertyScope(key), ctx.definition(key), value);
    } else {
      if (iri.startsWith('@') || !iri.includes(':') || !isValidName(key)) {
        throw new BadRequestData(`${path}: ${shown(key)} is not a valid sub-attribute name`);
      }
      instance[iri] = expandAttribute(ctx, key, value, `${path}.${key}`, now, depth + 1);
    }
  }
  return instance;
}

/** Concise forms carry no "type"; this says which kind they are (ETSI GS CIM 009, clause 4.5.x). */
function asNormalized(raw: Json, path: Path): JsonObject {
  if (raw === null) throw new BadRequestData(`${path}: an attribute cannot be null`);
  if (Array.isArray(raw) && raw.length === 0) throw new BadRequestData(`${path}: an attribute cannot be an empty array`);
  if (!isJsonObject(raw)) return { type: 'Property', value: raw };
  if (looksLikeGeometry(raw)) return { type: 'GeoProperty', value: raw };
  if ('type' in raw || '@type' in raw) return raw;
  for (const kind of ATTRIBUTE_KINDS) {
    if (VALUE_MEMBER[kind] in raw && kind !== 'GeoProperty') return { type: kind, ...raw };
  }
  return { type: 'Property', value: raw };
}

function kindOf(ctx: CompiledContext, members: JsonObject, path: Path): AttributeKind {
  const declared = members.type ?? members['@type'];
  if (typeof declared !== 'string') {
    throw new BadRequestData(`${path}: "type" must be one of ${ATTRIBUTE_KINDS.join(', ')}`);
  }
  const kind = KIND_BY_IRI.get(ctx.expandTerm(declared) ?? '');
  if (!kind) throw new BadRequestData(`${path}: "type" must be one of ${ATTRIBUTE_KINDS.join(', ')}, not "${declared}"`);
  return kind;
}

function setMember(
  ctx: CompiledContext,
  instance: AttributeInstance,
  kind: AttributeKind,
  member: ValueMember | 'objectType' | 'observedAt' | 'unitCode' | 'datasetId',
  key: string,
  value: Json,
  path: Path,
): void {
  const primaryMembers = Object.values(VALUE_MEMBER) as string[];
  if (primaryMembers.includes(member) && VALUE_MEMBER[kind] !== member) {
    throw new BadRequestData(`${path}: a ${kind} cannot have "${key}"`);
  }
  switch (member) {
    case 'value':
      instance.value = kind === 'GeoProperty' ? geometry(value, path) : propertyValue(ctx, key, value, path);
      break;
    case 'object':
      instance.object = uriOrUris(value, path);
      break;
    case 'languageMap':
      instance.languageMap = languageMap(value, path);
      break;
    case 'vocab':
      instance.vocab = vocabulary(ctx, value, path);
      break;
    case 'json':
      instance.json = value;
      break;
    case 'valueList':
      if (!Array.isArray(value)) throw new BadRequestData(`${path} must be an array`);
      instance.valueList = value.map((item) => expandValue(ctx.propertyScope(key), undefined, item));
      break;
    case 'objectList':
      instance.objectList = objectList(value, path);
      break;
    case 'objectType':
      if (kind !== 'Relationship' && kind !== 'ListRelationship') throw new BadRequestData(`${path}: only relationships have it`);
      instance.objectType = vocabulary(ctx, value, path);
      break;
    case 'observedAt':
      if (!isDateTime(value)) throw new BadRequestData(`${path} must be an ISO 8601 date-time with a time zone`);
      instance.observedAt = value;
      break;
    case 'unitCode':
      if (typeof value !== 'string' || value.length === 0) throw new BadRequestData(`${path} must be a non-empty string`);
      instance.unitCode = value;
      break;
    case 'datasetId':
      if (!isUri(value)) throw new BadRequestData(`${path} must be a URI`);
      if (value === NGSI_LD_NULL) throw new BadRequestData(`${path}: a datasetId cannot be deleted with "${NGSI_LD_NULL}"`);
      instance.datasetId = value;
      break;
  }
}

function propertyValue(ctx: CompiledContext, key: string, value: Json, path: Path): Json {
  if (value === null) throw new BadRequestData(`${path} cannot be null`);
  if (depthOf(value) > MAX_VALUE_DEPTH) throw new BadRequestData(`${path} is nested deeper than ${MAX_VALUE_DEPTH} levels`);
  return expandValue(ctx.propertyScope(key), ctx.definition(key), value);
}

function depthOf(value: Json, depth = 0): number {
  if (depth > MAX_VALUE_DEPTH || value === null || typeof value !== 'object') return depth;
  let deepest = depth;
  for (const child of Object.values(value)) deepest = Math.max(deepest, depthOf(child, depth + 1));
  return deepest;
}

function geometry(value: Json, path: Path): Json {
  // NGSI-LD null deletes in updates; where it would be stored, checkGeoAttributes refuses it.
  if (value === NGSI_LD_NULL) return value;
  const problem = geometryProblem(value);
  if (problem) throw new BadRequestData(`${path} is not a valid GeoJSON geometry: ${problem}`);
  return value;
}

function uriOrUris(value: Json, path: Path): string | string[] {
  if (isUri(value)) return value;
  if (Array.isArray(value) && value.length > 0 && value.every(isUri)) return value as string[];
  throw new BadRequestData(`${path} must be a URI or a non-empty array of URIs`);
}

function objectList(value: Json, path: Path): { object: string }[] {
  if (!Array.isArray(value)) throw new BadRequestData(`${path} must be an array`);
  return value.map((item) => {
    const target = isJsonObject(item) ? item.object : item;
    if (!isUri(target)) throw new BadRequestData(`${path} must hold URIs (or {"object": URI} items)`);
    return { object: target };
  });
}

function languageMap(value: Json, path: Path): Record<string, string | string[]> {
  if (!isJsonObject(value)) throw new BadRequestData(`${path} must be an object of language tags to strings`);
  for (const [tag, text] of Object.entries(value)) {
    const texts = Array.isArray(text) ? text : [text];
    if (!isLanguageTag(tag) || !texts.every((t) => typeof t === 'string')) {
      throw new BadRequestData(`${path}: "${tag}" must be a language tag (BCP 47) with a string or strings`);
    }
  }
  return value as Record<string, string | string[]>;
}

function vocabulary(ctx: CompiledContext, value: Json, path: Path): string | string[] {
  const expand = (term: Json): string => {
    const iri = typeof term === 'string' ? ctx.expandTerm(term) : null;
    if (iri === null || !iri.includes(':')) throw new BadRequestData(`${path}: ${shown(term)} does not expand to an IRI`);
    return iri;
  };
  if (Array.isArray(value) && value.length > 0) return value.map(expand);
  return expand(value);
}
