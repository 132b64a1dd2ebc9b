import { JsonObject } from 'src/jsonld/value-codec';

export interface EntityFixture {
  readonly name: string;
  /** The user @context, as a request would give it (undefined: the core context alone). */
  readonly context?: unknown;
  /** Normalized form. */
  readonly entity: JsonObject;
}

const WEATHER = 'https://contexts.test/weather.jsonld';
const GREENSPACE = 'https://contexts.test/greenspace.jsonld';
const FEATURES = 'https://contexts.test/features.jsonld';

/** Entity shapes the fast path must treat exactly as JSON-LD does. */
export const ENTITY_FIXTURES: readonly EntityFixture[] = [
  {
    name: 'a WeatherObserved with the attribute kinds a sensor sends',
    context: WEATHER,
    entity: {
      id: 'urn:ngsi-ld:WeatherObserved:Gothenburg-Lindholmen',
      type: 'WeatherObserved',
      scope: ['/Gothenburg/Lindholmen', '/Weather'],
      location: { type: 'GeoProperty', value: { type: 'Point', coordinates: [11.9375, 57.7072] } },
      temperature: {
        type: 'Property',
        value: 8.4,
        observedAt: '2026-11-20T10:00:00Z',
        unitCode: 'CEL',
        accuracy: { type: 'Property', value: 0.2, unitCode: 'CEL' },
      },
      relativeHumidity: { type: 'Property', value: 0.81 },
      refDevice: { type: 'Relationship', object: 'urn:ngsi-ld:Device:vaisala-17' },
      dateObserved: { type: 'Property', value: { '@type': 'DateTime', '@value': '2026-11-20T10:00:00Z' } },
      address: {
        type: 'Property',
        value: { streetAddress: 'Lindholmspiren 3', addressLocality: 'Göteborg', postalCode: '417 56' },
      },
      name: { type: 'LanguageProperty', languageMap: { sv: 'Väderstation Lindholmen', en: 'Lindholmen weather station' } },
      weatherType: { type: 'VocabProperty', vocab: 'Sunny' },
    },
  },
  {
    name: 'multi-instance attributes and list, JSON and list-relationship kinds',
    context: WEATHER,
    entity: {
      id: 'urn:ngsi-ld:WeatherObserved:Boras-1',
      type: ['WeatherObserved', 'Device'],
      temperature: [
        { type: 'Property', value: 4.1, observedAt: '2026-11-20T10:00:00Z' },
        { type: 'Property', value: 4.3, datasetId: 'urn:ngsi-ld:Dataset:smhi', observedAt: '2026-11-20T10:00:00Z' },
        { type: 'Property', value: 3.9, datasetId: 'urn:ngsi-ld:Dataset:backup' },
      ],
      forecastLevels: { type: 'ListProperty', valueList: [1, 2, 3, 5, 8] },
      stations: {
        type: 'ListRelationship',
        objectList: [{ object: 'urn:ngsi-ld:Device:a' }, { object: 'urn:ngsi-ld:Device:b' }],
      },
      sensorSettings: { type: 'JsonProperty', json: { sampling: { every: 'PT10M' }, 'raw-keys': [1, { x: null }] } },
      weatherType: { type: 'VocabProperty', vocab: ['Sunny', 'Cloudy'] },
      refDevice: { type: 'Relationship', object: ['urn:ngsi-ld:Device:a', 'urn:ngsi-ld:Device:b'] },
    },
  },
  {
    name: 'a nested user context, prefixes, compact IRIs, full IRIs and sub-sub-attributes',
    context: GREENSPACE,
    entity: {
      id: 'urn:ngsi-ld:GreenspaceRecord:slottsskogen-7',
      type: 'GreenspaceRecord',
      location: {
        type: 'GeoProperty',
        value: {
          type: 'Polygon',
          coordinates: [
            [
              [11.94, 57.68],
              [11.95, 57.68],
              [11.95, 57.69],
              [11.94, 57.68],
            ],
          ],
        },
      },
      soilMoisture: {
        type: 'Property',
        value: 0.31,
        observedAt: '2026-11-20T06:00:00Z',
        depth: { type: 'Property', value: 20, unitCode: 'CMT', 'vgr:method': { type: 'Property', value: 'TDR' } },
      },
      'vgr:soilClass': { type: 'Property', value: 'loam' },
      'https://data.vgregion.test/ns#operator': { type: 'Relationship', object: 'urn:ngsi-ld:Organization:goteborg' },
      refGreenspace: { type: 'Relationship', object: 'urn:ngsi-ld:Greenspace:slottsskogen', objectType: 'GreenspaceRecord' },
      undefinedTerm: { type: 'Property', value: [1, 2, [3, 4], { nested: true }] },
    },
  },
  {
    name: 'compound values with typed, language-tagged, list and language-map terms',
    context: FEATURES,
    entity: {
      id: 'https://data.vgregion.test/streetlight/42',
      type: 'Streetlight',
      temperature: { type: 'Property', value: 21 },
      lampSettings: {
        type: 'Property',
        value: {
          measuredAt: '2026-11-20T17:00:00Z',
          label: 'Gatlykta vid torget',
          tags: ['led', 'dimmable'],
          titles: { sv: 'Lykta', en: 'Lamp' },
          homepage: 'https://example.org/lamps/42',
          count: 4,
          powerState: { '@id': 'https://smartdatamodels.org/on' },
          id: 'urn:ngsi-ld:Lamp:42',
          type: 'Streetlight',
        },
      },
      powerState: { type: 'Property', value: true, observedAt: '2026-11-20T17:00:00.123+01:00' },
    },
  },
  {
    name: 'an inline context object and the v1.8 core context named explicitly',
    context: [
      { Buoy: 'https://data.vgregion.test/ns#Buoy', present: 'https://data.vgregion.test/ns#present' },
      'https://uri.etsi.org/ngsi-ld/v1/ngsi-ld-core-context-v1.8.jsonld',
    ],
    entity: {
      id: 'urn:ngsi-ld:Buoy:saltholmen-2',
      type: 'Buoy',
      present: { type: 'Property', value: false, observedAt: '2026-11-20T10:00:00Z' },
      observationSpace: {
        type: 'GeoProperty',
        value: { type: 'LineString', coordinates: [[11.83, 57.66], [11.84, 57.66]] },
      },
      operationSpace: {
        type: 'GeoProperty',
        value: { type: 'MultiPoint', coordinates: [[11.83, 57.66], [11.84, 57.661]] },
      },
      batteryLevel: { type: 'Property', value: 0.93 },
    },
  },
  {
    name: 'the core context alone, with the scoped context of ngsildproof',
    entity: {
      id: 'urn:ngsi-ld:WaterMeter:partille-99',
      type: 'WaterMeter',
      volume: {
        type: 'Property',
        value: 1234.5,
        unitCode: 'MTQ',
        ngsildproof: {
          type: 'Property',
          entityIdSealed: 'urn:ngsi-ld:WaterMeter:partille-99',
          entityTypeSealed: 'WaterMeter',
          value: {
            type: 'DataIntegrityProof',
            created: '2026-11-20T10:00:00Z',
            cryptosuite: 'eddsa-rdfc-2022',
            proofPurpose: 'assertionMethod',
            verificationMethod: 'https://keys.vgregion.test/partille#key-1',
            proofValue: 'z58DAdFfa9SkqZMVPxAQpic7ndSayn1PzZs6ZjWp1CktyGesjuTSwRdoWhAfGFCF5bppETSTojQCrfFPP2oumHKtz',
          },
        },
      },
      location: { type: 'GeoProperty', value: { type: 'MultiPolygon', coordinates: [[[[12, 57.7], [12.1, 57.7], [12.1, 57.8], [12, 57.7]]]] } },
    },
  },
];
