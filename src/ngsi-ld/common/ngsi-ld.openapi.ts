import { applyDecorators } from '@nestjs/common';
import { ApiHeader, ApiResponse } from '@nestjs/swagger';

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

export function ApiProblem(status: number, description: string) {
  return ApiResponse({ status, description, content: { 'application/problem+json': { schema: PROBLEM_SCHEMA } } });
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
    ApiHeader({ name: 'Accept', required: false, description: 'application/json (default) or application/ld+json' }),
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
