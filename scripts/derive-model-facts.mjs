#!/usr/bin/env node
/*
 * Derives the facts of ontologies/models/<Name>.json (IRIs, kinds, value types, enums, bounds,
 * units, required attributes) from a Smart Data Models snapshot: each model's schema.json (with the
 * common schemas it $refs), its normalized example and its context.jsonld. A maintenance tool, run
 * by hand when a model is added or updated; the service never reads the snapshot. Swedish texts and
 * relationship targets are this project's own and live in the tables below.
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

/** English texts where the schema gives none that reads on its own. */
const EN = {
  CrowdFlowObserved: 'An observation of the flow of people (people counting) at a place during a period',
  deviceInfo: 'Information about the device that controls the streetlight',
  municipalityInfo: 'Information about the municipality the streetlight belongs to',
};

/** Swedish descriptions (this project's own) of the attributes most models share or the region reads most. */
const SV = {
  id: 'Entitetens unika identifierare',
  dateCreated: 'När entiteten skapades',
  dateModified: 'När entiteten senast ändrades',
  source: 'Varifrån uppgifterna ursprungligen kommer (en URL)',
  name: 'Namn',
  alternateName: 'Alternativt namn',
  description: 'Beskrivning',
  dataProvider: 'Vem som tillhandahåller de harmoniserade uppgifterna',
  owner: 'Ägare (identifierare)',
  seeAlso: 'Länkar till mer information',
  location: 'Position som GeoJSON-geometri',
  address: 'Postadress',
  areaServed: 'Område som betjänas eller omfattas',
  dateObserved: 'När observationen gjordes',
  temperature: 'Temperatur',
  relativeHumidity: 'Relativ luftfuktighet',
  atmosphericPressure: 'Lufttryck',
  windSpeed: 'Vindhastighet',
  windDirection: 'Vindriktning',
  precipitation: 'Nederbörd',
  illuminance: 'Belysningsstyrka',
  solarRadiation: 'Solinstrålning',
  snowHeight: 'Snödjup',
  dewPoint: 'Daggpunkt',
  visibility: 'Sikt',
  weatherType: 'Vädertyp',
  pressureTendency: 'Lufttryckets förändring',
  streamGauge: 'Vattenstånd i vattendrag',
  airQualityIndex: 'Luftkvalitetsindex',
  airQualityLevel: 'Luftkvalitetsnivå',
  reliability: 'Mätningens tillförlitlighet',
  CO: 'Halt av kolmonoxid',
  NO2: 'Halt av kvävedioxid',
  NO: 'Halt av kväveoxid',
  NOx: 'Halt av kväveoxider',
  O3: 'Halt av ozon',
  SO2: 'Halt av svaveldioxid',
  pm10: 'Halt av partiklar PM10',
  pm25: 'Halt av partiklar PM2,5',
  pH: 'pH-värde',
  conductivity: 'Elektrisk konduktivitet',
  turbidity: 'Grumlighet',
  O2: 'Halt av löst syre',
  flow: 'Flöde',
  NO3: 'Halt av nitrat',
  'N-TOT': 'Total kvävehalt',
  'P-TOT': 'Total fosforhalt',
  'Cl-': 'Halt av klorid',
  Escherichia: 'Escherichia coli (bakterier per 100 ml)',
  Enterococcus: 'Intestinala enterokocker (bakterier per 100 ml)',
  fillingLevel: 'Fyllnadsgrad (0–1)',
  cargoWeight: 'Lastens vikt',
  methaneConcentration: 'Metanhalt',
  status: 'Status',
  binCapacity: 'Kärlets volym',
  wasteType: 'Typ av avfall',
  storedWasteKind: 'Typ av lagrat avfall',
  nextActuationDeadline: 'Senaste tid för nästa tömning',
  powerState: 'Strömläge (på, av, ...)',
  lanternHeight: 'Armaturens höjd',
  illuminanceLevel: 'Relativ ljusnivå',
  dateLastLampChange: 'När lampan senast byttes',
  circuit: 'Elkrets',
  waterConsumption: 'Mätarställning (total förbrukad volym)',
  maxFlow: 'Högsta flöde senaste veckan',
  minFlow: 'Lägsta flöde senaste veckan',
  alarmInProgress: 'Pågående larm',
  alarmStopsLeaks: 'Larm om möjligt intermittent läckage',
  alarmFlowPersistence: 'Larm om ihållande förbrukning',
  peopleCount: 'Antal personer',
  occupancy: 'Beläggning (andel av tiden)',
  averageCrowdSpeed: 'Genomsnittlig gånghastighet',
  congested: 'Om det är trångt',
  direction: 'Riktning',
  dateObservedFrom: 'Observationsperiodens början',
  dateObservedTo: 'Observationsperiodens slut',
  batteryLevel: 'Batterinivå (0–1)',
  controlledProperty: 'Vad enheten mäter eller styr',
  deviceCategory: 'Typ av enhet',
  deviceState: 'Enhetens tillstånd',
  serialNumber: 'Serienummer',
  rssi: 'Mottagen signalstyrka',
  dateLastValueReported: 'När enheten senast rapporterade ett värde',
  refDevice: 'Enheten som gjorde mätningen',
  numValue: 'Uppmätt värde (tal)',
  textValue: 'Uppmätt värde (text)',
  controlledAsset: 'Tillgångar som enheten styr eller mäter',
  category: 'Kategori',
  subCategory: 'Underkategori',
  severity: 'Allvarlighetsgrad',
  alertSource: 'Källan till larmet',
  dateIssued: 'När larmet utfärdades',
  validFrom: 'Giltigt från',
  validTo: 'Giltigt till',
  soilTemperature: 'Marktemperatur',
  soilMoistureVwc: 'Markfuktighet (volymetrisk vattenhalt)',
  soilMoistureEc: 'Markens elektriska konduktivitet',
  refGreenspace: 'Grönytan som mätningen gäller',
};

/** Swedish descriptions of the models. */
const MODEL_SV = {
  WeatherObserved: 'Väderobservation på en plats och vid en tidpunkt',
  AirQualityObserved: 'Observation av luftkvalitet på en plats och vid en tidpunkt',
  WaterQualityObserved: 'Observation av vattenkvalitet, till exempel badvatten',
  WasteContainer: 'Avfallsbehållare, till exempel en sopkorg med fyllnadsgradsgivare',
  Streetlight: 'Gatlykta',
  WaterConsumptionObserved: 'Vattenförbrukning och läckagelarm från en smart vattenmätare',
  CrowdFlowObserved: 'Observation av personflöde (personräkning) på en plats',
  Device: 'Sensor, mätare eller annan utrustning',
  DeviceMeasurement: 'En mätning gjord av en enhet',
  Alert: 'Larm eller varning, till exempel om is, snö eller läckage',
  GreenspaceRecord: 'Mätning i en grönyta, till exempel markfuktighet',
};

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

/** The definition's own meaning, without the schema's boilerplate (kind, Model, Units, Enum). */
function englishOf(name, definition) {
  if (EN[name]) return EN[name];
  const text = (definition.description ?? '')
    .replace(/^\s*(Property|Relationship|GeoProperty|LanguageProperty)\.\s*/, '')
    .replace(/Model:\s*'[^']*'\.?/g, '')
    .replace(/Units:\s*'[^']*'\.?/g, '')
    .replace(/Enum:\s*'[^']*'\.?/g, '')
    .replace(/\s+/g, ' ')
    .trim();
  const sentence = text.split(/(?<=[a-z0-9)])\. /)[0].replace(/\.$/, '').trim();
  return sentence || name;
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
      description: { en: englishOf(name, definition), ...(SV[name] ? { sv: SV[name] } : {}) },
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
    description: { en: englishOf(model, { description: schema.description }), sv: MODEL_SV[model] },
    required: (schema.required ?? []).filter((name) => name !== 'id' && name !== 'type'),
    attributes,
  };
}

for (const model of readdirSync(source).filter((d) => existsSync(join(source, d, 'schema.json'))).sort()) {
  const description = describe(model);
  writeFileSync(join(target, `${model}.json`), `${JSON.stringify(description, null, 2)}\n`);
  console.log(`${model}: ${description.attributes.length} attributes`);
}
