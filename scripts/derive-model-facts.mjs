#!/usr/bin/env node
/*
 * Derives the facts of ontologies/models/<Name>.json (IRIs, kinds, value types, enums, bounds,
 * units, required attributes) from a Smart Data Models snapshot: each model's schema.json (with the
 * common schemas it $refs), its normalized example and its context.jsonld. A maintenance tool, run
 * by hand when a model is added or updated; the service never reads the snapshot. Only facts are
 * taken from the snapshot, never its prose: the descriptions (English and Swedish) are this
 * project's own, written in ontologies/models/<Name>.json and carried over from there when the files
 * are regenerated. An attribute that is new gets the text of a same-named attribute of another model,
 * or a placeholder that is reported (and fails the run) until someone writes its description.
 * Relationship targets are this project's own too and live in the table below.
 *
 *   node scripts/derive-model-facts.mjs ../shared/reference/smart-data-models
 */
import { readFileSync, writeFileSync, readdirSync, existsSync } from 'node:fs';
import { join } from 'node:path';

const source = process.argv[2] ?? join(process.cwd(), '..', 'shared', 'reference', 'smart-data-models');
const target = join(import.meta.dirname, '..', 'ontologies', 'models');

/** Where the schemas' remote $refs are found in the snapshot. */
const REFS = {
  'https://smart-data-models.github.io/data-models/common-schema.json': 'common/common-schema.json',
  'https://smart-data-models.github.io/dataModel.Weather/weather-schema.json': 'common/weather-schema.json',
  'https://smart-data-models.github.io/dataModel.Environment/Environment-schema.json': 'common/Environment-schema.json',
  'https://raw.githubusercontent.com/smart-data-models/dataModel.Environment/master/Environment-schema.json': 'common/Environment-schema.json',
  'https://smart-data-models.github.io/dataModel.Alert/alert-schema.json': 'common/alert-schema.json',
  'https://smart-data-models.github.io/dataModel.Device/device-schema.json': 'common/device-schema.json',
};

/** The schemas' free-text units as UN/CEFACT common codes; units without a code are left out. */
const UNITS = {
  'mg/l': 'M1',
  'w/m2': 'D54',
  'litres/hour': 'E32',
  centimeters: 'CMT',
  'second (s)': 'SEC',
  kPa: 'KPA',
  'degrees Celsius': 'CEL',
  'Celsius degrees': 'CEL',
  'cubic meters/hour': 'MQH',
  'Siemens per meter': 'D10',
  Lux: 'LUX',
  'Kilometer per hour (Km/h).': 'KMH',
  'Hecto pascals': 'A97',
  'Cubic meters': 'MTQ',
};

/** What relationships point at, read from their descriptions. */
const TARGETS = {
  refDevice: ['Device'],
  refDeviceModel: ['DeviceModel'],
  refPointOfInterest: ['PointOfInterest'],
  refGreenspace: ['Greenspace'],
  refStreetlightModel: ['StreetlightModel'],
  refStreetlightControlCabinet: ['StreetlightControlCabinet'],
  refStreetlightGroup: ['StreetlightGroup'],
  refWasteContainerModel: ['WasteContainerModel'],
  refWasteContainerIsle: ['WasteContainerIsle'],
  refRoadSegment: ['RoadSegment'],
  controlledAsset: [],
  refWeatherObserved: ['WeatherObserved'],
};

/** The descriptions in the current files, by model and by attribute. */
function existingDescriptions() {
  const models = new Map();
  for (const file of existsSync(target) ? readdirSync(target).filter((f) => f.endsWith('.json')).sort() : []) {
    const model = JSON.parse(readFileSync(join(target, file), 'utf8'));
    models.set(model.name, { description: model.description, attributes: new Map(model.attributes.map((a) => [a.name, a.description])) });
  }
  return models;
}
const existing = existingDescriptions();
const undescribed = [];

/** The description an attribute (or, with no attribute, the model) already has, else a reported placeholder. */
function descriptionOf(model, attribute) {
  if (!attribute) return existing.get(model)?.description ?? placeholder(model);
  const own = existing.get(model)?.attributes.get(attribute);
  if (own) return own;
  for (const [name, other] of existing) {
    if (!other.attributes.has(attribute)) continue;
    console.warn(`${model}.${attribute}: text taken from ${name}.${attribute}; check that it fits`);
    return other.attributes.get(attribute);
  }
  return placeholder(`${model}.${attribute}`);
}
function placeholder(what) {
  undescribed.push(what);
  return { en: `TODO: describe ${what}` };
}

const loaded = new Map();
function load(file) {
  if (!loaded.has(file)) loaded.set(file, JSON.parse(readFileSync(join(source, file), 'utf8')));
  return loaded.get(file);
}

/** Resolves a $ref relative to the file it appears in. */
function resolve(ref, file) {
  const [base, fragment = ''] = ref.split('#');
  const doc = base ? load(REFS[base] ?? fail(`no local copy of ${base}`)) : load(file);
  const where = base ? REFS[base] : file;
  const node = fragment.split('/').filter(Boolean).reduce((n, key) => n[key], doc);
  return { node, file: where };
}
function fail(message) {
  throw new Error(message);
}

/** Every property the schema gives an entity, with the file each definition comes from. */
function propertiesOf(node, file, out = new Map()) {
  if (node.$ref) {
    const { node: target, file: where } = resolve(node.$ref, file);
    return propertiesOf(target, where, out);
  }
  for (const [name, definition] of Object.entries(node.properties ?? {})) out.set(name, deref(definition, file));
  for (const key of ['allOf', 'anyOf', 'oneOf']) for (const part of node[key] ?? []) propertiesOf(part, file, out);
  return out;
}
function deref(definition, file) {
  if (!definition.$ref) return definition;
  const { node, file: where } = resolve(definition.$ref, file);
  return { ...deref(node, where), ...(definition.description ? { description: definition.description } : {}) };
}

function kindOf(name, definition, example) {
  // Location-Commons makes location a GeoProperty, whatever an example writes.
  if (name === 'location') return 'GeoProperty';
  const written = example[name]?.type;
  if (['Property', 'Relationship', 'GeoProperty', 'LanguageProperty'].includes(written)) return written;
  const match = /^\s*(Property|Relationship|GeoProperty|LanguageProperty)\b/.exec(definition.description ?? '');
  return match ? match[1] : 'Property';
}

function scalarType(definition) {
  if (definition.type === 'string' && definition.format === 'date-time') return 'dateTime';
  if (definition.type === 'string' && definition.format === 'uri') return 'uri';
  if (['number', 'integer', 'string', 'boolean', 'object'].includes(definition.type)) return definition.type;
  return undefined;
}

/** The value type (and item type) a definition gives; alternatives take the widest of their types. */
function typesOf(name, definition, kind) {
  if (kind === 'GeoProperty') return { valueType: 'geometry' };
  if (kind === 'Relationship') return { valueType: 'uri' };
  const alternatives = definition.oneOf ?? definition.anyOf;
  if (alternatives && !definition.type) {
    const arrays = alternatives.filter((a) => a.type === 'array');
    // "one or several": an array of X or a single X is written as the array.
    if (arrays.length > 0) return typesOf(name, arrays[0], kind);
    const types = [...new Set(alternatives.map(scalarType))].filter(Boolean);
    if (types.length <= 1) return { valueType: types[0] ?? 'string' };
    if (types.every((t) => t === 'number' || t === 'integer')) return { valueType: 'number' };
    if (types.every((t) => t === 'string' || t === 'uri' || t === 'dateTime')) return { valueType: 'string' };
    return { valueType: types[0], alsoValueTypes: types.slice(1) };
  }
  if (Array.isArray(definition.type)) return { valueType: definition.type.includes('number') ? 'number' : 'string' };
  if (definition.type === 'array') {
    const item = definition.items ? scalarType(deref(definition.items, '')) ?? (definition.items.anyOf ? 'string' : undefined) : undefined;
    return { valueType: 'array', ...(item && item !== 'array' ? { itemType: item } : {}) };
  }
  return { valueType: scalarType(definition) ?? 'string' };
}

function unitOf(name, definition, example) {
  const given = example[name]?.unitCode;
  if (typeof given === 'string') return given;
  const match = /Units:\s*'([^']*)'/.exec(definition.description ?? '');
  return match ? UNITS[match[1]] : undefined;
}

function describe(model) {
  const dir = join(source, model);
  const schema = load(join(model, 'schema.json'));
  const context = load(join(model, 'context.jsonld'))['@context'];
  const example = load(join(model, 'example-normalized.jsonld'));
  const keyValues = load(join(model, 'example.jsonld'));
  const properties = propertiesOf(schema, join(model, 'schema.json'));
  const attributes = [];
  for (const [name, definition] of [...properties].sort(([a], [b]) => a.localeCompare(b))) {
    if (name === 'type' || name === 'id') continue;
    const iri = typeof context[name] === 'string' ? context[name] : context[name]?.['@id'];
    if (!iri) throw new Error(`${model}: no IRI for ${name} in its context`);
    const kind = kindOf(name, definition, example);
    const types = typesOf(name, definition, kind);
    const enumerated = definition.enum ?? (definition.anyOf ?? definition.oneOf ?? []).find((a) => Array.isArray(a.enum))?.enum;
    const numericEnum = Array.isArray(enumerated) && enumerated.every((v) => typeof v === 'number');
    const attribute = {
      name,
      iri,
      kind,
      ...types,
      ...(unitOf(name, definition, example) ? { unitCode: unitOf(name, definition, example) } : {}),
      ...(Array.isArray(enumerated) && !numericEnum ? { enum: enumerated.map(String) } : {}),
      ...(numericEnum ? { minimum: Math.min(...enumerated), maximum: Math.max(...enumerated) } : {}),
      ...(typeof definition.minimum === 'number' ? { minimum: definition.minimum } : {}),
      ...(typeof definition.maximum === 'number' ? { maximum: definition.maximum } : {}),
      ...(kind === 'Relationship' && TARGETS[name]?.length ? { targetModels: TARGETS[name] } : {}),
      description: descriptionOf(model, name),
    };
    attributes.push(attribute);
  }
  const contextUrls = [...new Set([example['@context'], keyValues['@context']].flat())].filter(
    (url) => typeof url === 'string' && !url.startsWith('https://uri.etsi.org/'),
  );
  return {
    name: model,
    typeIri: context[model],
    schemaUrl: schema.$id,
    contextUrls,
    description: descriptionOf(model),
    required: (schema.required ?? []).filter((name) => name !== 'id' && name !== 'type'),
    attributes,
  };
}

for (const model of readdirSync(source).filter((d) => existsSync(join(source, d, 'schema.json'))).sort()) {
  const description = describe(model);
  writeFileSync(join(target, `${model}.json`), `${JSON.stringify(description, null, 2)}\n`);
  console.log(`${model}: ${description.attributes.length} attributes`);
}
if (undescribed.length > 0) {
  console.error(`Write descriptions (in the JSON files) for: ${undescribed.join(', ')}`);
  process.exitCode = 1;
}
