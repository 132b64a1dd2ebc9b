import { arrayOf, JsonSchema, schemaRef, SchemaComponents } from 'src/common/openapi/openapi-answers';
import { MAX_URI_LENGTH, URI } from 'src/ngsi-ld/representation/ngsi-ld-syntax';

/** The NGSI-LD data types of entities, queries and batch results (ETSI GS CIM 009 v1.9.1, clause 5.2), as components.schemas. */

/** A URI as NGSI-LD takes it (an IRI: non-ASCII characters allowed), checked as the service checks it. */
export const NGSI_LD_URI: JsonSchema = { type: 'string', pattern: URI.source, maxLength: MAX_URI_LENGTH };
const uri = NGSI_LD_URI;
const dateTime = { type: 'string', format: 'date-time' };
const oneOrMany = (item: JsonSchema): JsonSchema => ({ oneOf: [item, { type: 'array', items: item, minItems: 1 }] });

export const NGSI_LD_SCHEMAS: SchemaComponents = {
  LdContext: {
    description: 'A JSON-LD @context: a URL, an object, or an array of them (application/ld+json answers and bodies only)',
    oneOf: [{ type: 'string' }, { type: 'object' }, { type: 'array', items: { oneOf: [{ type: 'string' }, { type: 'object' }] } }],
  },
  Entity: {
    type: 'object',
    description:
      'An NGSI-LD entity in the normalized, concise or simplified (keyValues) representation. id and type are there unless pick or omit leave them out. ' +
      'Every other member is an attribute: normalized, an object with type Property, Relationship, GeoProperty, LanguageProperty, JsonProperty, VocabProperty ' +
      'or ListProperty and its value, object, languageMap, json or vocab member (an array of such for several datasetIds); concise, the same without ' +
      'type where it can be told; keyValues, the value alone.',
    properties: {
      '@context': schemaRef('LdContext'),
      id: uri,
      type: oneOrMany({ type: 'string' }),
      scope: oneOrMany({ type: 'string' }),
      createdAt: { ...dateTime, description: 'With options=sysAttrs' },
      modifiedAt: { ...dateTime, description: 'With options=sysAttrs' },
    },
    additionalProperties: { description: 'An attribute (see above)' },
    example: {
      id: 'urn:ngsi-ld:WeatherObserved:Gothenburg-Lindholmen',
      type: 'WeatherObserved',
      location: { type: 'GeoProperty', value: { type: 'Point', coordinates: [11.9375, 57.7072] } },
      temperature: { type: 'Property', value: 8.4, observedAt: '2026-11-20T10:00:00Z', unitCode: 'CEL' },
      refDevice: { type: 'Relationship', object: 'urn:ngsi-ld:Device:vaisala-17' },
    },
  },
  NewEntity: {
    description: 'An entity to create or replace: id and type required, attributes normalized or concise',
    allOf: [schemaRef('Entity'), { required: ['id', 'type'] }],
  },
  EntityFragment: {
    type: 'object',
    description: 'Attributes of an entity (normalized or concise), optionally type and scope; "urn:ngsi-ld:null" as a value deletes where the operation says so',
    properties: { '@context': schemaRef('LdContext'), type: oneOrMany({ type: 'string' }), scope: oneOrMany({ type: 'string' }) },
    additionalProperties: { description: 'An attribute' },
  },
  EntityList: { ...arrayOf('Entity'), description: 'A page of entities' },
  Geometry: {
    type: 'object',
    description: 'A GeoJSON geometry (RFC 7946), EPSG:4326',
    required: ['type'],
    properties: {
      type: { enum: ['Point', 'MultiPoint', 'LineString', 'MultiLineString', 'Polygon', 'MultiPolygon', 'GeometryCollection'] },
      coordinates: { type: 'array', description: 'A position, or nested arrays of positions', example: [11.9375, 57.7072] },
      geometries: { type: 'array', items: schemaRef('Geometry') },
    },
  },
  Feature: {
    type: 'object',
    description: 'An entity as a GeoJSON Feature (clause 4.5.16): geometry from geometryProperty (location by default), every other member in properties',
    required: ['type', 'id', 'geometry', 'properties'],
    properties: {
      '@context': schemaRef('LdContext'),
      id: { oneOf: [uri, { type: 'null' }], description: 'null when pick or omit leave the id out' },
      type: { const: 'Feature' },
      geometry: { oneOf: [schemaRef('Geometry'), { type: 'null' }] },
      properties: { type: 'object', description: 'type and the attributes, as in the entity' },
    },
  },
  FeatureCollection: {
    type: 'object',
    description: 'A page of entities as a GeoJSON FeatureCollection; its @context member names the context once for all features',
    required: ['type', 'features'],
    properties: { '@context': schemaRef('LdContext'), type: { const: 'FeatureCollection' }, features: arrayOf('Feature') },
  },
  EntitySelector: {
    type: 'object',
    description: 'Entities by id, id pattern (a POSIX regular expression) or type (a type expression: A,B for either, A;B for both)',
    properties: { id: uri, idPattern: { type: 'string' }, type: { type: 'string' } },
    minProperties: 1,
  },
  GeoQuery: {
    type: 'object',
    required: ['geometry', 'coordinates', 'georel'],
    properties: {
      geometry: { enum: ['Point', 'MultiPoint', 'LineString', 'MultiLineString', 'Polygon', 'MultiPolygon'] },
      coordinates: { description: 'GeoJSON coordinates of the geometry, as an array or as its JSON text' },
      georel: { type: 'string', description: 'near;maxDistance==<m>, near;minDistance==<m>, within, contains, intersects, overlaps, disjoint, equals' },
      geoproperty: { type: 'string', description: 'The GeoProperty to compare (location by default)' },
    },
  },
  Query: {
    type: 'object',
    description: 'An NGSI-LD Query (clause 5.2.23): at least one of entities, attrs, q, geoQ or scopeQ',
    required: ['type'],
    properties: {
      '@context': schemaRef('LdContext'),
      type: { const: 'Query' },
      entities: { type: 'array', items: schemaRef('EntitySelector'), minItems: 1 },
      attrs: { type: 'array', items: { type: 'string' }, minItems: 1 },
      pick: { type: 'array', items: { type: 'string' }, minItems: 1 },
      omit: { type: 'array', items: { type: 'string' }, minItems: 1 },
      q: { type: 'string', description: 'The NGSI-LD query language, as the q parameter' },
      geoQ: schemaRef('GeoQuery'),
      scopeQ: { type: 'string' },
      lang: { type: 'string' },
      datasetId: { type: 'array', items: { type: 'string' }, minItems: 1 },
    },
    additionalProperties: false,
  },
  BatchEntityError: {
    type: 'object',
    required: ['entityId', 'error'],
    properties: { entityId: { type: 'string' }, error: schemaRef('ProblemDetails') },
  },
  BatchOperationResult: {
    type: 'object',
    description: 'What a batch did (clause 5.2.17): the ids that succeeded, and why the others failed',
    required: ['success', 'errors'],
    properties: { success: { type: 'array', items: { type: 'string' } }, errors: arrayOf('BatchEntityError') },
  },
  UpdateResult: {
    type: 'object',
    description: 'Which attributes were changed and which not, and why (clause 5.2.18)',
    required: ['updated', 'notUpdated'],
    properties: {
      updated: { type: 'array', items: { type: 'string' } },
      notUpdated: {
        type: 'array',
        items: { type: 'object', required: ['attributeName', 'reason'], properties: { attributeName: { type: 'string' }, reason: { type: 'string' } } },
      },
    },
  },
  EntityIdList: { type: 'array', items: uri, description: 'Entity ids' },
};
