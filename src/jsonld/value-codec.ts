import { BadRequestData } from 'src/common/problem/ngsi-ld-errors';
import { CompiledContext, ValueShape } from 'src/jsonld/compiled-context';
import { TermDefinition } from 'src/jsonld/jsonld-internals';

export type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
export type JsonObject = { [key: string]: Json };

/** Deeper values than this are refused: nothing real nests so deep, and recursion must stay bounded. */
export const MAX_VALUE_DEPTH = 32;

/*
 * Compound values (a Property's "value", items of a "valueList") are stored the way JSON-LD
 * understands them, keyed by expanded IRIs, but as close to plain JSON as that allows: scalars stay
 * scalars unless the context coerces them into `{"@id"}` or typed `{"@value"}` objects. Compaction
 * reverses it with the caller's context. The `jsonld` library is the reference these are tested
 * against (same RDF graph).
 */

export function isJsonObject(value: unknown): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function containerOf(definition: TermDefinition | undefined): string | undefined {
  return definition?.['@container']?.find((c) => c !== '@set');
}

/** Expands a compound value under the term `definition` (if any) with `ctx`. */
export function expandValue(ctx: CompiledContext, definition: TermDefinition | undefined, value: Json, depth = 0): Json {
  if (depth > MAX_VALUE_DEPTH) throw new BadRequestData(`Value nested deeper than ${MAX_VALUE_DEPTH} levels`);
  const typeMapping = definition?.['@type'];
  if (typeMapping === '@json') return { '@value': value, '@type': '@json' };
  if (value === null) return null;
  const container = containerOf(definition);
  if (Array.isArray(value)) {
    const items = value.map((item) => expandValue(ctx, definition && { ...definition, '@container': [] }, item, depth + 1));
    return container === '@list' ? { '@list': items } : items;
  }
  if (container === '@language' && isJsonObject(value)) return expandLanguageMap(value);
  if (container !== undefined && container !== '@list') {
    throw new BadRequestData(`Terms with "@container": "${container}" are not supported inside attribute values`);
  }
  if (!isJsonObject(value)) return expandScalar(ctx, definition, value);
  return expandObject(ctx, value, depth);
}

function expandScalar(ctx: CompiledContext, definition: TermDefinition | undefined, value: string | number | boolean): Json {
  const typeMapping = definition?.['@type'];
  if (typeof value === 'string') {
    if (typeMapping === '@id') return { '@id': ctx.expandReference(value) };
    if (typeMapping === '@vocab') return { '@id': ctx.expandTerm(value) ?? ctx.expandReference(value) };
  }
  if (typeMapping !== undefined && typeMapping !== '@id' && typeMapping !== '@vocab' && typeMapping !== '@none') {
    return { '@value': value, '@type': typeMapping };
  }
  if (typeof value === 'string') {
    const language = definition && '@language' in definition ? definition['@language'] : ctx.active['@language'];
    if (typeof language === 'string') return { '@value': value, '@language': language };
  }
  return value;
}

function expandLanguageMap(map: JsonObject): Json[] {
  const values: Json[] = [];
  for (const language of Object.keys(map).sort()) {
    const strings = Array.isArray(map[language]) ? (map[language] as Json[]) : [map[language]];
    for (const text of strings) {
      if (text === null) continue;
      if (typeof text !== 'string') throw new BadRequestData(`Language map entry "${language}" must be a string`);
      values.push(language === '@none' ? { '@value': text } : { '@value': text, '@language': language.toLowerCase() });
    }
  }
  return values;
}

function expandObject(ctx: CompiledContext, value: JsonObject, depth: number): Json {
  const keys = Object.keys(value);
  const typeKeys = keys.filter((key) => ctx.expandTerm(key) === '@type').sort();
  let nodeCtx = ctx;
  for (const key of typeKeys) {
    for (const type of [value[key]].flat().filter((t): t is string => typeof t === 'string').sort()) {
      nodeCtx = nodeCtx.typeScope(type);
    }
  }
  const expandedKeys = keys.map((key) => [key, nodeCtx.expandTerm(key)] as const);
  if (expandedKeys.some(([, iri]) => iri === '@value')) return expandValueObject(ctx, value, expandedKeys);
  const out: JsonObject = {};
  for (const [key, iri] of expandedKeys) {
    const item = value[key];
    if (iri === null) continue;
    switch (iri) {
      case '@id':
        if (typeof item !== 'string') throw new BadRequestData(`"${key}" inside a value must be a string`);
        out['@id'] = nodeCtx.expandReference(item);
        break;
      case '@type':
        out['@type'] = expandTypes(ctx, key, item);
        break;
      case '@index':
        out['@index'] = item;
        break;
      case '@list':
        return { '@list': [item].flat().map((i) => expandValue(ctx, undefined, i, depth + 1)) };
      case '@set':
        return [item].flat().map((i) => expandValue(ctx, undefined, i, depth + 1));
      default:
        if (iri.startsWith('@')) throw new BadRequestData(`"${key}" (${iri}) is not supported inside attribute values`);
        // JSON-LD drops keys that expand to no absolute IRI; so does the reference implementation.
        if (!iri.includes(':')) continue;
        mergeInto(out, iri, expandValue(nodeCtx.propertyScope(key), nodeCtx.definition(key), item, depth + 1));
    }
  }
  return out;
}

function expandTypes(ctx: CompiledContext, key: string, types: Json): Json {
  const expand = (type: Json): string => {
    if (typeof type !== 'string') throw new BadRequestData(`"${key}" inside a value must hold strings`);
    return ctx.expandTerm(type) ?? ctx.expandReference(type);
  };
  return Array.isArray(types) ? types.map(expand) : expand(types);
}

function expandValueObject(
  ctx: CompiledContext,
  value: JsonObject,
  expandedKeys: ReadonlyArray<readonly [string, string | null]>,
): Json {
  const out: JsonObject = {};
  for (const [key, iri] of expandedKeys) {
    const item = value[key];
    if (iri === '@value') out['@value'] = item;
    else if (iri === '@type') {
      if (typeof item !== 'string') throw new BadRequestData('"@type" of a value object must be a string');
      out['@type'] = item === '@json' ? item : (ctx.expandTerm(item) ?? item);
    } else if (iri === '@language') {
      if (typeof item !== 'string') throw new BadRequestData('"@language" of a value object must be a string');
      out['@language'] = item.toLowerCase();
    } else if (iri !== '@index') {
      throw new BadRequestData(`A value object ("@value") cannot also hold "${key}"`);
    }
  }
  if (out['@type'] !== '@json' && (isJsonObject(out['@value']) || Array.isArray(out['@value']))) {
    throw new BadRequestData('"@value" must be a string, number, boolean or null');
  }
  if ('@type' in out && '@language' in out) throw new BadRequestData('A value object cannot have both "@type" and "@language"');
  return out;
}

function mergeInto(out: JsonObject, iri: string, value: Json): void {
  if (!(iri in out)) {
    out[iri] = value;
    return;
  }
  out[iri] = [out[iri]].flat().concat([value].flat());
}

/** Compacts a stored compound value with `ctx`, under the term `definition` (if any). */
export function compactValue(ctx: CompiledContext, definition: TermDefinition | undefined, value: Json): Json {
  if (value === null || typeof value !== 'object') return value;
  const container = containerOf(definition);
  if (Array.isArray(value)) {
    if (container === '@language' && value.every(isLanguageValue)) return toLanguageMap(value as JsonObject[]);
    const itemDefinition = definition && { ...definition, '@container': [] };
    return value.map((item) => compactValue(ctx, itemDefinition, item));
  }
  if ('@value' in value) return compactValueObject(ctx, definition, value);
  if ('@list' in value) {
    const items = [value['@list']].flat().map((item) => compactValue(ctx, undefined, item));
    return container === '@list' ? items : { '@list': items };
  }
  return compactNode(ctx, definition, value);
}

function compactValueObject(ctx: CompiledContext, definition: TermDefinition | undefined, value: JsonObject): Json {
  const typeMapping = definition?.['@type'];
  const datatype = value['@type'];
  const language = value['@language'];
  if (typeof datatype === 'string') {
    if (typeMapping === datatype) return value['@value'];
    return { '@type': datatype === '@json' ? datatype : ctx.compactIri(datatype), '@value': value['@value'] };
  }
  if (typeof language === 'string') {
    const termLanguage = definition && '@language' in definition ? definition['@language'] : ctx.active['@language'];
    return termLanguage === language ? value['@value'] : { '@value': value['@value'], '@language': language };
  }
  return typeMapping === undefined ? value['@value'] : value;
}

function compactNode(ctx: CompiledContext, definition: TermDefinition | undefined, value: JsonObject): Json {
  const keys = Object.keys(value);
  const id = value['@id'];
  if (keys.length === 1 && typeof id === 'string') {
    if (definition?.['@type'] === '@id') return id;
    if (definition?.['@type'] === '@vocab') return ctx.compactIri(id);
  }
  const types = value['@type'];
  let nodeCtx = ctx;
  const compactTypes = [types ?? []].flat().map((t) => ctx.compactIri(String(t)));
  for (const type of [...compactTypes].sort()) nodeCtx = nodeCtx.typeScope(type);
  const out: JsonObject = {};
  for (const key of keys) {
    const item = value[key];
    if (key === '@id') out[ctx.keywordAlias('@id')] = item;
    else if (key === '@type') out[ctx.keywordAlias('@type')] = Array.isArray(types) ? compactTypes : compactTypes[0];
    else if (key.startsWith('@')) out[key] = item;
    else {
      const term = compactKey(nodeCtx, key, item);
      out[term] = compactValue(nodeCtx.propertyScope(term), nodeCtx.definition(term), item);
    }
  }
  return out;
}

/** Chooses the term for an IRI key the way JSON-LD term selection would for this value. */
function compactKey(ctx: CompiledContext, iri: string, value: Json): string {
  if (Array.isArray(value) && value.length > 0 && value.every(isLanguageValue)) {
    const term = ctx.compactIri(iri, { kind: 'languageMap' });
    if (ctx.definition(term)?.['@container']?.includes('@language')) return term;
  }
  return ctx.compactIri(iri, shapeOf(value));
}

function shapeOf(value: Json): ValueShape {
  const first = Array.isArray(value) ? value[0] : value;
  if (!isJsonObject(first)) return { kind: 'literal' };
  if ('@list' in first) return { kind: 'list' };
  if ('@value' in first) {
    const datatype = first['@type'];
    const language = first['@language'];
    return {
      kind: 'literal',
      datatype: typeof datatype === 'string' ? datatype : undefined,
      language: typeof language === 'string' ? language : undefined,
    };
  }
  return Object.keys(first).length === 1 && '@id' in first ? { kind: 'id' } : { kind: 'node' };
}

function isLanguageValue(value: Json): boolean {
  return isJsonObject(value) && typeof value['@value'] === 'string' && Object.keys(value).every((k) => k === '@value' || k === '@language');
}

function toLanguageMap(values: JsonObject[]): JsonObject {
  const map: JsonObject = {};
  for (const value of values) {
    const language = typeof value['@language'] === 'string' ? value['@language'] : '@none';
    mergeInto(map, language, value['@value']);
  }
  return map;
}
