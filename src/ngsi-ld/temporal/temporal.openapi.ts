import { applyDecorators } from '@nestjs/common';
import { ApiQuery } from '@nestjs/swagger';
import { arrayOf, schemaRef, SchemaComponents } from 'src/common/openapi/openapi-answers';
import { NGSI_LD_SCHEMAS, NGSI_LD_URI } from 'src/ngsi-ld/common/ngsi-ld-schemas.openapi';

/** OpenAPI pieces of the temporal API. */

export const TEMPORAL_SCHEMAS: SchemaComponents = {
  TemporalEntity: {
    type: 'object',
    description:
      'A temporal entity (clause 5.2.20): each attribute a list of instances, each with its instanceId (normalized); ' +
      'with format=temporalValues each attribute is {type, values: [[value, time], ...]} (valuesMap, objects, jsons, vocabs for other kinds); ' +
      'with format=aggregatedValues {type, <method>: [[value, from, to], ...]}',
    properties: {
      '@context': schemaRef('LdContext'),
      id: NGSI_LD_URI,
      type: { oneOf: [{ type: 'string' }, { type: 'array', items: { type: 'string' } }] },
      scope: { oneOf: [{ type: 'string' }, { type: 'array', items: { type: 'string' } }] },
      createdAt: { type: 'string', format: 'date-time' },
      modifiedAt: { type: 'string', format: 'date-time' },
    },
    additionalProperties: { oneOf: [{ type: 'array', items: { type: 'object' } }, { type: 'object' }], description: 'An attribute\'s history' },
    example: {
      id: 'urn:ngsi-ld:WaterQualityObserved:Askim-strand',
      type: 'WaterQualityObserved',
      temperature: [
        { type: 'Property', value: 17.2, observedAt: '2026-07-01T10:00:00Z', unitCode: 'CEL', instanceId: 'urn:ngsi-ld:5b2c0d7e-94a4-4c0e-8f53-6d1f2e9a7c10' },
        { type: 'Property', value: 17.6, observedAt: '2026-07-01T10:10:00Z', unitCode: 'CEL', instanceId: 'urn:ngsi-ld:0e6f3f71-2b1e-4a53-9d2b-77b8f1c2a9e4' },
      ],
    },
  },
  NewTemporalEntity: {
    description: 'A temporal entity to create, or whose instances to add: id and type, each attribute one instance or a list of them',
    allOf: [schemaRef('TemporalEntity'), { required: ['id', 'type'] }],
  },
  TemporalEntityList: { ...arrayOf('TemporalEntity'), description: 'A page of temporal entities' },
  TemporalQuery: {
    type: 'object',
    description: 'A Query (clause 5.2.23) with temporalQ (5.2.21)',
    required: ['type'],
    properties: {
      ...(NGSI_LD_SCHEMAS.Query.properties as object),
      temporalQ: {
        type: 'object',
        properties: {
          timerel: { enum: ['before', 'after', 'between'] },
          timeAt: { type: 'string', format: 'date-time' },
          endTimeAt: { type: 'string', format: 'date-time' },
          timeproperty: { enum: ['observedAt', 'createdAt', 'modifiedAt'] },
          lastN: { oneOf: [{ type: 'integer', minimum: 1 }, { type: 'string', pattern: '^[1-9]\\d*$' }] },
        },
        additionalProperties: false,
      },
    },
    additionalProperties: false,
  },
};

/** The temporal query parameters besides the entity query; `withTime`: timerel and friends in the URL (not for the POST query, where they sit in temporalQ). */
export const TemporalQueryParams = (withTime: boolean) =>
  applyDecorators(
    ...(withTime
      ? [
          ApiQuery({ name: 'timerel', required: false, enum: ['before', 'after', 'between'], description: 'With timeAt (and endTimeAt for between): only instances in this time window; only entities with an instance in it' }),
          ApiQuery({ name: 'timeAt', required: false, schema: { type: 'string', format: 'date-time' }, description: 'ISO 8601 date-time with a time zone (RFC 3339), on a day that exists' }),
          ApiQuery({ name: 'endTimeAt', required: false, schema: { type: 'string', format: 'date-time' }, description: 'With timerel=between (exclusive)' }),
          ApiQuery({ name: 'timeproperty', required: false, enum: ['observedAt', 'createdAt', 'modifiedAt'], description: 'Which time of an instance the window is about; observedAt by default' }),
          ApiQuery({ name: 'lastN', required: false, schema: { type: 'integer', minimum: 1 }, description: 'Only the last N instances (or periods) of each attribute' }),
        ]
      : []),
    ApiQuery({
      name: 'format',
      required: false,
      enum: ['normalized', 'keyValues', 'simplified', 'concise', 'temporalValues', 'aggregatedValues'],
      description: 'The representation; options=temporalValues or options=aggregatedValues say the same',
    }),
    ApiQuery({
      name: 'aggrMethods',
      required: false,
      schema: { type: 'string' },
      description: 'With format=aggregatedValues, comma separated: totalCount, distinctCount, sum, avg, min, max, stddev, sumsq',
    }),
    ApiQuery({
      name: 'aggrPeriodDuration',
      required: false,
      schema: { type: 'string' },
      description: 'ISO 8601 duration of one period, e.g. PT1H, P1D, P1M (calendar months); periods start at timeAt, else at the first instance; absent: the whole time range',
    }),
  );
