import { applyDecorators } from '@nestjs/common';
import { ApiConsumes, ApiHeader, ApiProduces, ApiResponse } from '@nestjs/swagger';

/** OpenAPI pieces shared by the NGSI-LD endpoints. */

export const PROBLEM_SCHEMA = {
  type: 'object',
  description: 'RFC 9457 problem details with an NGSI-LD error type',
  required: ['type', 'title', 'status'],
  properties: {
    type: { type: 'string', format: 'uri', example: 'https://uri.etsi.org/ngsi-ld/errors/BadRequestData' },
    title: { type: 'string' },
    status: { type: 'integer' },
    detail: { type: 'string' },
  },
};

export const ENTITY_SCHEMA = {
  type: 'object',
  description: 'An NGSI-LD entity (normalized, concise or simplified representation)',
  required: ['id', 'type'],
  properties: {
    '@context': { description: 'JSON-LD @context (application/ld+json only)' },
    id: { type: 'string', format: 'uri', example: 'urn:ngsi-ld:WeatherObserved:Gothenburg-Lindholmen' },
    type: { oneOf: [{ type: 'string' }, { type: 'array', items: { type: 'string' } }], example: 'WeatherObserved' },
    scope: { oneOf: [{ type: 'string' }, { type: 'array', items: { type: 'string' } }] },
  },
  additionalProperties: { description: 'Attributes: Property, Relationship, GeoProperty, LanguageProperty, ...' },
  example: {
    id: 'urn:ngsi-ld:WeatherObserved:Gothenburg-Lindholmen',
    type: 'WeatherObserved',
    location: { type: 'GeoProperty', value: { type: 'Point', coordinates: [11.9375, 57.7072] } },
    temperature: { type: 'Property', value: 8.4, observedAt: '2026-11-20T10:00:00Z', unitCode: 'CEL' },
    refDevice: { type: 'Relationship', object: 'urn:ngsi-ld:Device:vaisala-17' },
  },
};

/** The body of POST /entityOperations/query: an NGSI-LD Query (clause 5.2.23). */
export const QUERY_SCHEMA = {
  type: 'object',
  required: ['type'],
  properties: {
    type: { type: 'string', enum: ['Query'] },
    entities: { type: 'array', items: { type: 'object', properties: { id: { type: 'string' }, idPattern: { type: 'string' }, type: { type: 'string' } } } },
    attrs: { type: 'array', items: { type: 'string' } },
    q: { type: 'string' },
    geoQ: { type: 'object' },
    scopeQ: { type: 'string' },
  },
};

const PROBLEM_TYPES: Readonly<Record<number, string>> = {
  400: 'BadRequestData',
  403: 'TooManyResults',
  404: 'ResourceNotFound',
  406: 'InvalidRequest',
  409: 'AlreadyExists',
  413: 'InvalidRequest',
  415: 'InvalidRequest',
  422: 'OperationNotSupported',
  503: 'LdContextNotAvailable',
};

/** Problem types of the project where NGSI-LD has none (authentication, authorisation). */
const PROJECT_TYPES: Readonly<Record<number, string>> = {
  401: 'urn:vg-datashare:problem:unauthorized',
  429: 'urn:vg-datashare:problem:too-many-authentication-failures',
};

/** Any route that authenticates its caller can answer this, past the limits of failed authentications. */
export const ApiAuthenticationThrottled = () =>
  ApiProblem(429, 'Too many failed authentications from this address or with this key; Retry-After says how long to wait without failing (valid credentials are never refused)');

export function ApiProblem(status: number, description: string, type?: string) {
  const example = {
    type: type ?? PROJECT_TYPES[status] ?? `https://uri.etsi.org/ngsi-ld/errors/${PROBLEM_TYPES[status] ?? 'InvalidRequest'}`,
    title: description,
    status,
  };
  return ApiResponse({ status, description, content: { 'application/problem+json': { schema: { ...PROBLEM_SCHEMA, example } } } });
}

export const ApiContextLink = () =>
  ApiHeader({
    name: 'Link',
    required: false,
    description: 'The JSON-LD @context: `<url>; rel="http://www.w3.org/ns/json-ld#context"; type="application/ld+json"`',
  });

export const ApiTenant = () =>
  ApiHeader({ name: 'NGSILD-Tenant', required: false, description: 'The tenant; the default tenant when absent' });

export const ApiReadHeaders = () =>
  applyDecorators(
    ApiContextLink(),
    ApiTenant(),
    ApiProduces('application/json', 'application/ld+json', 'application/geo+json'),
    ApiProblem(400, 'Invalid parameters (BadRequestData)'),
    ApiProblem(404, 'NonexistentTenant, or ResourceNotFound'),
    ApiProblem(406, 'None of the accepted representations is offered'),
    ApiProblem(422, 'OperationNotSupported: a parameter of a feature this broker does not offer'),
    ApiProblem(503, 'LdContextNotAvailable: the @context in the Link header cannot be fetched'),
  );

/** Writes take NGSI-LD as JSON (with a Link header) or as JSON-LD (with @context inside). */
/** A request with an NGSI-LD payload: media types, @context, tenant, and what a bad payload answers. */
export const ApiPayload = (...extra: string[]) =>
  applyDecorators(
    ApiConsumes('application/json', 'application/ld+json', ...extra),
    ApiContextLink(),
    ApiTenant(),
    ApiProblem(400, 'Invalid payload (BadRequestData) or malformed JSON (InvalidRequest)'),
    ApiProblem(413, 'Body larger than BODY_LIMIT_BYTES'),
    ApiProblem(415, 'Content-Type not accepted'),
    ApiProblem(503, 'LdContextNotAvailable: a @context cannot be fetched'),
  );

export const UPDATE_RESULT_SCHEMA = {
  type: 'object',
  properties: {
    updated: { type: 'array', items: { type: 'string' } },
    notUpdated: {
      type: 'array',
      items: { type: 'object', properties: { attributeName: { type: 'string' }, reason: { type: 'string' } } },
    },
  },
};

export const BATCH_RESULT_SCHEMA = {
  type: 'object',
  properties: {
    success: { type: 'array', items: { type: 'string' } },
    errors: {
      type: 'array',
      items: { type: 'object', properties: { entityId: { type: 'string' }, error: PROBLEM_SCHEMA } },
    },
  },
};

/** Explicit placement of new entities in a dataset (create, batch create, batch upsert). */
export const ApiDatasetHeader = () =>
  ApiHeader({
    name: 'VGDS-Dataset',
    required: false,
    description: "A dataset id: new entities go into it instead of where their organisation's dataset rules put them",
  });

/** An operation that changes entities with a payload. */
export const ApiWrite = (...extra: string[]) => applyDecorators(ApiPayload(...extra), ApiWriteAccess());

/** Every operation that changes entities: who may not, and why. */
export const ApiWriteAccess = () =>
  applyDecorators(
    ApiProblem(401, 'No credentials (writing needs a bearer token or an API key), or credentials not valid'),
    ApiAuthenticationThrottled(),
    ApiProblem(403, "The caller may not write: not a writer of the entity's organisation, a key outside its scope, or a VGDS-Dataset it may not write into", 'urn:vg-datashare:problem:forbidden'),
  );
