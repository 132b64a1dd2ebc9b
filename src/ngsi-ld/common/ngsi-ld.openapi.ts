import { applyDecorators } from '@nestjs/common';
import { ApiConsumes, ApiHeader, ApiQuery } from '@nestjs/swagger';
import { ApiAnswersByDefault, JsonSchema, schemaRef } from 'src/common/openapi/openapi-answers';
import { bodyProblems, ApiCallerProblems, databaseUnavailable, problemAnswer, PROBLEM_TYPES } from 'src/common/problem/problem.openapi';

/** OpenAPI pieces shared by the NGSI-LD endpoints (ETSI GS CIM 009 v1.9.1). */

const NGSI = PROBLEM_TYPES.ngsiLd;
/** Parameter errors: an unknown parameter, option or format is InvalidRequest, a bad value BadRequestData (clause 5.5.2). */
export const INVALID = [NGSI('BadRequestData'), NGSI('InvalidRequest')];
const FAMILY = [NGSI('InvalidRequest')];

/** The same schema under application/json and application/ld+json (the @context inside for the latter). */
export function jsonAndJsonLd(schema: JsonSchema): Record<string, JsonSchema> {
  return { 'application/json': schema, 'application/ld+json': schema };
}

/** Every NGSI-LD controller: who the caller is and whether the database answers (401, 429, 503). */
export const ApiNgsiLdRoutes = () => ApiCallerProblems();

export const ApiContextLink = () =>
  ApiHeader({
    name: 'Link',
    required: false,
    description: 'The JSON-LD @context: `<url>; rel="http://www.w3.org/ns/json-ld#context"; type="application/ld+json"` (application/json bodies and reads)',
  });

export const ApiTenant = () =>
  ApiHeader({ name: 'NGSILD-Tenant', required: false, description: 'The tenant; the default tenant when absent' });

/** 503 of routes that load the caller's @context. */
const contextUnavailable = () =>
  databaseUnavailable({ description: 'LdContextNotAvailable: the @context named cannot be fetched now', types: [NGSI('LdContextNotAvailable')] });

/** What every NGSI-LD read can answer besides its data (a route's own answers of these statuses take their place). */
export const ApiReadHeaders = () =>
  applyDecorators(
    ApiContextLink(),
    ApiTenant(),
    ApiPurpose(),
    ApiAnswersByDefault(
      problemAnswer(403, 'purpose-required: personal data, and no declared purpose its dataset allows (allowedPurposes names them)', [PROBLEM_TYPES.purposeRequired]),
      problemAnswer(400, 'Invalid parameters: an unknown parameter, option or format (InvalidRequest), or a bad value (BadRequestData)', INVALID),
      problemAnswer(404, 'No such entity, or not visible to the caller (ResourceNotFound); a tenant nothing was written to (NonexistentTenant)', [
        NGSI('ResourceNotFound'),
        NGSI('NonexistentTenant'),
      ]),
      problemAnswer(406, 'None of the accepted representations (Accept) is offered', FAMILY),
      problemAnswer(422, 'A parameter of a feature this broker does not offer (join, csf, orderBy...)', [NGSI('OperationNotSupported')]),
      contextUnavailable(),
    ),
  );

/** A request with an NGSI-LD payload: media types, @context, tenant, and what a bad payload answers. */
export const ApiPayload = (...extra: string[]) =>
  applyDecorators(
    ApiConsumes('application/json', 'application/ld+json', ...extra),
    ApiContextLink(),
    ApiTenant(),
    ApiAnswersByDefault(
      problemAnswer(400, 'Invalid payload (BadRequestData), or a body that is not JSON, not a JSON object where one is expected, or an unknown option (InvalidRequest)', INVALID),
      ...bodyProblems(FAMILY),
      problemAnswer(422, 'A member or option of a feature this broker does not offer', [NGSI('OperationNotSupported')]),
      contextUnavailable(),
    ),
  );

/** Explicit placement of new entities in a dataset (create, batch create, batch upsert). */
export const ApiDatasetHeader = () =>
  ApiHeader({
    name: 'VGDS-Dataset',
    required: false,
    description: "A dataset id: new entities go into it instead of where their organisation's dataset rules put them",
  });

/** The purpose of a read of personal data (DPV), which its dataset must allow. */
export const ApiPurpose = () =>
  ApiHeader({
    name: 'VGDS-Purpose',
    required: false,
    description: "The purpose of the read, a DPV term like dpv:ServiceProvision: needed for personal data (else the token's purpose claim or the API key's purpose)",
  });

/** An operation that changes entities with a payload. */
export const ApiWrite = (...extra: string[]) => applyDecorators(ApiPayload(...extra), ApiWriteAccess());

/** Every operation that changes entities: who may not, and why. */
export const ApiWriteAccess = () =>
  ApiAnswersByDefault(
    problemAnswer(401, 'No credentials (writing needs a bearer token or an API key), or credentials not valid', [PROBLEM_TYPES.unauthorized], ['WWW-Authenticate']),
    problemAnswer(
      403,
      "The caller may not write: not a writer of the entity's organisation, a key outside its scope, or a VGDS-Dataset it may not write into",
      [PROBLEM_TYPES.forbidden],
    ),
  );

const param = (name: string, description: string, schema: JsonSchema = { type: 'string' }) => ApiQuery({ name, required: false, description, schema });
const TRUE_OR_FALSE = { type: 'string', enum: ['true', 'false'] };

/** Which entities (clause 6.4.3.2): ids, types, the query language, geo-queries, scopes. */
export const ApiEntityFilterParams = () =>
  applyDecorators(
    param('type', 'Entity types: a type expression over names of the @context or IRIs (A,B: either; A;B: both; parentheses group)', { type: 'string', example: 'WeatherObserved' }),
    param('id', 'Entity ids (URIs), comma separated'),
    param('idPattern', 'A POSIX regular expression the entity id matches'),
    param(
      'q',
      'The NGSI-LD query language (clause 4.9): comparisons of attribute values (==, !=, >, >=, <, <=, ~= and !~= for patterns), ranges (a..b), lists (a,b), ' +
        'an attribute alone for its existence, ! for its absence, ; for and, | for or, parentheses; paths into values (address[city]) and to sub-attributes ' +
        '(temperature.observedAt). Dates and times must exist (RFC 3339)',
      { type: 'string', example: 'temperature>20;refDevice=="urn:ngsi-ld:Device:vaisala-17"' },
    ),
    param('scopeQ', 'Scopes (clause 4.19): /Gothenburg/Parks; + for any one level, a final # for that level and all below; ; for and, , or | for or', {
      type: 'string',
      example: '/Gothenburg/#',
    }),
    param('georel', 'The geo-relation (clause 4.10): near;maxDistance==<m>, near;minDistance==<m>, within, contains, intersects, overlaps, disjoint, equals; with geometry and coordinates', {
      type: 'string',
      example: 'near;maxDistance==2000',
    }),
    param('geometry', 'The reference geometry type of a geo-query', { enum: ['Point', 'MultiPoint', 'LineString', 'MultiLineString', 'Polygon', 'MultiPolygon'] }),
    param('coordinates', 'The reference geometry coordinates, as a JSON array (EPSG:4326, longitude first)', { type: 'string', example: '[11.97,57.71]' }),
    param('geoproperty', 'The GeoProperty a geo-query compares; location by default'),
    param('local', 'true: everything this broker holds (needed when no other filter is given)', TRUE_OR_FALSE),
  );

/** How each entity is shown (clause 6.3.7 to 6.3.12); `extraFormats`: formats of the route beyond the three representations. */
export const ApiRepresentationParams = (extraFormats: readonly string[] = [], extraOptions: readonly string[] = []) =>
  applyDecorators(
    param('attrs', 'Attributes to return (and, in a query, that entities must have one of), comma separated'),
    param('pick', 'Members to keep (id, type, scope, attributes), comma separated; not with attrs or omit'),
    param('omit', 'Members to leave out, comma separated; not with attrs or pick'),
    param('options', `Comma separated: normalized, keyValues (or simplified), concise, sysAttrs${extraOptions.map((o) => `, ${o}`).join('')}`),
    param('format', 'The representation', { enum: ['normalized', 'keyValues', 'simplified', 'concise', ...extraFormats] }),
    param('lang', 'Language of LanguageProperty values: a tag, an Accept-Language list, or * for all'),
    param('datasetId', 'Only these instances of multi-instance attributes (URIs, or @none for the default one), comma separated'),
    param('geometryProperty', 'The GeoProperty whose value is the geometry of an application/geo+json answer; location by default'),
  );

/** The URL parameters of a query in a body (the rest is in the Query). */
export const ApiQueryRepresentationParams = (extraFormats: readonly string[] = [], extraOptions: readonly string[] = []) =>
  applyDecorators(
    param('options', `Comma separated: normalized, keyValues (or simplified), concise, sysAttrs${extraOptions.map((o) => `, ${o}`).join('')}`),
    param('format', 'The representation', { enum: ['normalized', 'keyValues', 'simplified', 'concise', ...extraFormats] }),
    param('lang', 'Language of LanguageProperty values (the Query\'s lang goes first)'),
    param('geometryProperty', 'The GeoProperty whose value is the geometry of an application/geo+json answer; location by default'),
    param('local', 'true: everything this broker holds (when the Query names no filter)', TRUE_OR_FALSE),
  );

/** Paging of NGSI-LD lists (clause 5.5.9): limit, offset and count. */
export const ApiPagingParams = () =>
  applyDecorators(
    param('limit', 'Entities per page; 0 with count=true for the count alone (default QUERY_DEFAULT_LIMIT, at most QUERY_MAX_LIMIT)', { type: 'integer', minimum: 0 }),
    param('offset', 'Entities to skip', { type: 'integer', minimum: 0 }),
    param('count', 'true: the total in NGSILD-Results-Count', TRUE_OR_FALSE),
  );

/** 403 of queries: a page too large, or an answer whose datasets a combination rule forbids the caller to see together. */
export const ApiQueryRefused = () =>
  ApiAnswersByDefault(
    problemAnswer(
    403,
    'TooManyResults: limit above QUERY_MAX_LIMIT; TooComplexQuery: the query ran past DATABASE_STATEMENT_TIMEOUT_MS; combination-refused: the answer would combine datasets above what the caller may read; purpose-required: it would include personal data and no purpose its dataset allows was declared',
      [NGSI('TooManyResults'), NGSI('TooComplexQuery'), PROBLEM_TYPES.combinationRefused, PROBLEM_TYPES.purposeRequired],
    ),
  );

/** The schema of a request body that is an entity, or a list of entities. */
export const NEW_ENTITY = schemaRef('NewEntity');
