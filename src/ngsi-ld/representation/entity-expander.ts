import { BadRequestData } from 'src/common/problem/ngsi-ld-errors';
import { NGSI_LD } from 'src/jsonld/core-contexts';
import { CompiledContext } from 'src/jsonld/compiled-context';
import { isJsonObject, Json } from 'src/jsonld/value-codec';
import { expandAttribute } from 'src/ngsi-ld/representation/attribute-expander';
import { AttributeMap, EntityData } from 'src/ngsi-ld/representation/entity.model';
import { isUri, isValidName } from 'src/ngsi-ld/representation/ngsi-ld-syntax';
import { GEO_ATTRIBUTES, SCOPE, SYSTEM_MEMBERS } from 'src/ngsi-ld/representation/ngsi-ld-vocabulary';

const SCOPE_SYNTAX = /^\/[^\s/]+(\/[^\s/]+)*$/;

/**
 * Expands an NGSI-LD entity payload (normalized or concise) with the request's context into the
 * stored form, checking every shape on the way: a payload either expands completely or is refused
 * with the first problem, so nothing half-valid is ever written.
 */
export function expandEntity(ctx: CompiledContext, body: unknown, now: string): EntityData {
  if (!isJsonObject(body)) throw new BadRequestData('An entity must be a JSON object');
  let id: string | undefined;
  let types: string[] | undefined;
  let scopes: string[] | null = null;
  const attributes: AttributeMap = {};
  for (const [key, value] of Object.entries(body)) {
    if (key === '@context') continue;
    const iri = ctx.expandTerm(key);
    if (iri === '@id') id = entityId(value);
    else if (iri === '@type') types = entityTypes(ctx, value);
    else if (iri === SCOPE) scopes = scopeList(value);
    else if (iri !== null && SYSTEM_MEMBERS.has(iri)) continue;
    else {
      const attribute = attributeIri(key, iri);
      if (attribute in attributes) throw new BadRequestData(`"${key}" names an attribute given twice (${attribute})`);
      attributes[attribute] = expandAttribute(ctx, key, value, key, now);
    }
  }
  if (id === undefined) throw new BadRequestData('An entity needs an "id"');
  if (types === undefined) throw new BadRequestData('An entity needs a "type"');
  for (const geoAttribute of GEO_ATTRIBUTES) {
    if (attributes[geoAttribute]?.some((instance) => instance.type !== 'GeoProperty')) {
      throw new BadRequestData(`"${geoAttribute.slice(NGSI_LD.length)}" must be a GeoProperty`);
    }
  }
  return { id, types, scopes, attributes };
}

function entityId(value: Json): string {
  if (!isUri(value)) throw new BadRequestData(`The entity id must be a URI, not ${JSON.stringify(value)}`);
  return value;
}

/** Expands entity type names; an entity has one or more types (NGSI-LD 1.8 multi-typing). */
export function entityTypes(ctx: CompiledContext, value: Json): string[] {
  const names = Array.isArray(value) ? value : [value];
  if (names.length === 0) throw new BadRequestData('"type" must name at least one type');
  const types = names.map((name) => {
    const iri = typeof name === 'string' && isValidName(name) ? ctx.expandTerm(name) : null;
    if (iri === null || !iri.includes(':') || iri.startsWith('@')) {
      throw new BadRequestData(`"type" must hold type names or IRIs, not ${JSON.stringify(name)}`);
    }
    return iri;
  });
  return [...new Set(types)];
}

function scopeList(value: Json): string[] {
  const scopes = Array.isArray(value) ? value : [value];
  for (const scope of scopes) {
    if (typeof scope !== 'string' || !SCOPE_SYNTAX.test(scope)) {
      throw new BadRequestData(`"scope" must hold paths like "/Gothenburg/Parks", not ${JSON.stringify(scope)}`);
    }
  }
  return [...new Set(scopes as string[])];
}

function attributeIri(key: string, iri: string | null): string {
  if (iri === null || iri.startsWith('@') || !iri.includes(':') || !isValidName(key)) {
    throw new BadRequestData(`"${key}" is not a valid attribute name`);
  }
  return iri;
}
