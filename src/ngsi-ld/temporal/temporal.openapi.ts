import { applyDecorators } from '@nestjs/common';
import { ApiQuery } from '@nestjs/swagger';
import { QUERY_SCHEMA } from 'src/ngsi-ld/common/ngsi-ld.openapi';

/** OpenAPI pieces of the temporal API. */

export const TEMPORAL_ENTITY_SCHEMA = {
  type: 'object',
  description: 'A temporal entity: each attribute a list of instances (normalized), or values/aggregates (temporalValues, aggregatedValues)',
  required: ['id', 'type'],
  properties: {
    id: { type: 'string', format: 'uri' },
    type: { oneOf: [{ type: 'string' }, { type: 'array', items: { type: 'string' } }] },
  },
  additionalProperties: { description: 'Attributes: lists of instances, each with instanceId' },
  example: {
    id: 'urn:ngsi-ld:WaterQualityObserved:Askim-strand',
    type: 'WaterQualityObserved',
    temperature: [
      { type: 'Property', value: 17.2, observedAt: '2026-07-01T10:00:00Z', unitCode: 'CEL', instanceId: 'urn:ngsi-ld:5b2c0d7e-94a4-4c0e-8f53-6d1f2e9a7c10' },
      { type: 'Property', value: 17.6, observedAt: '2026-07-01T10:10:00Z', unitCode: 'CEL', instanceId: 'urn:ngsi-ld:0e6f3f71-2b1e-4a53-9d2b-77b8f1c2a9e4' },
    ],
  },
};

/** The body of POST /temporal/entityOperations/query: a Query with temporalQ. */
export const TEMPORAL_QUERY_BODY = {
  ...QUERY_SCHEMA,
  properties: {
    ...QUERY_SCHEMA.properties,
    temporalQ: {
      type: 'object',
      properties: {
        timerel: { type: 'string', enum: ['before', 'after', 'between'] },
        timeAt: { type: 'string', format: 'date-time' },
        endTimeAt: { type: 'string', format: 'date-time' },
        timeproperty: { type: 'string', enum: ['observedAt', 'createdAt', 'modifiedAt'] },
        lastN: { type: 'integer', minimum: 1 },
      },
    },
  },
};

/** The temporal query parameters; `withTime`: timerel and friends in the URL (not for the POST query, where they sit in temporalQ). */
export const TemporalQueryParams = (withTime: boolean) =>
  applyDecorators(
    ...(withTime
      ? [
          ApiQuery({ name: 'type', type: String, required: false, description: 'Entity types (as for /entities); also id, idPattern, q, geoQ, scopeQ' }),
          ApiQuery({ name: 'timerel', type: String, required: false, description: 'before, after or between' }),
          ApiQuery({ name: 'timeAt', type: String, required: false, description: 'ISO 8601 date-time with a time zone (RFC 3339); only entities with an instance in the window are returned' }),
          ApiQuery({ name: 'endTimeAt', type: String, required: false, description: 'With timerel=between (exclusive)' }),
          ApiQuery({ name: 'timeproperty', type: String, required: false, description: 'observedAt (default), createdAt or modifiedAt' }),
          ApiQuery({ name: 'lastN', type: String, required: false, description: 'Only the last N instances (or periods) of each attribute' }),
          ApiQuery({ name: 'limit', type: String, required: false, description: 'Entities per page' }),
        ]
      : []),
    ApiQuery({ name: 'attrs', type: String, required: false, description: 'Attributes to return, comma separated' }),
    ApiQuery({ name: 'options', type: String, required: false, description: 'temporalValues, sysAttrs' }),
    ApiQuery({ name: 'format', type: String, required: false, description: 'normalized, temporalValues or aggregatedValues' }),
    ApiQuery({ name: 'aggrMethods', type: String, required: false, description: 'totalCount, distinctCount, sum, avg, min, max, stddev, sumsq' }),
    ApiQuery({
      name: 'aggrPeriodDuration',
      type: String,
      required: false,
      description: 'ISO 8601 duration of one period, e.g. PT1H, P1D, P1M (calendar months); periods start at timeAt, else at the first instance',
    }),
  );
