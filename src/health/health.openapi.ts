import { SchemaComponents } from 'src/common/openapi/openapi-answers';

/** The operations resources: /, /health (draft-inadarei-api-health-check), /api-info (DIGG REST API profile). */
export const OPERATIONS_SCHEMAS: SchemaComponents = {
  ServiceIndex: {
    type: 'object',
    required: ['name', 'links'],
    properties: { name: { type: 'string' }, links: { type: 'object', additionalProperties: { type: 'string' } } },
  },
  Health: {
    type: 'object',
    description: 'application/health+json (draft-inadarei-api-health-check)',
    required: ['status', 'version', 'checks'],
    properties: {
      status: { enum: ['pass', 'fail'] },
      version: { type: 'string' },
      checks: {
        type: 'object',
        additionalProperties: {
          type: 'array',
          items: {
            type: 'object',
            required: ['componentType', 'status', 'time'],
            properties: {
              componentType: { type: 'string' },
              status: { enum: ['pass', 'fail'] },
              observedValue: { type: 'number' },
              observedUnit: { type: 'string' },
              output: { type: 'string' },
              time: { type: 'string', format: 'date-time' },
            },
          },
        },
      },
    },
  },
  ApiInfo: {
    type: 'object',
    required: ['apiName', 'apiVersion', 'apiReleased', 'apiDocumentation', 'apiSpecification', 'apiStatus'],
    properties: {
      apiName: { type: 'string' },
      apiVersion: { type: 'string' },
      apiReleased: { type: 'string', format: 'date' },
      apiDocumentation: { type: 'string' },
      apiSpecification: { type: 'string' },
      apiStatus: { enum: ['active', 'deprecated'] },
      description: { type: 'string' },
    },
  },
  IngestStatus: {
    type: 'object',
    description: 'MQTT ingestion of this replica (counts only)',
    required: ['enabled', 'connected', 'connections', 'messages', 'batches', 'failedCommits'],
    properties: {
      enabled: { type: 'boolean', description: 'false when MQTT_URL is not set' },
      connected: { type: 'boolean' },
      connections: { type: 'object', required: ['configured', 'connected'], properties: { configured: { type: 'integer' }, connected: { type: 'integer' } } },
      messages: {
        type: 'object',
        required: ['received', 'accepted', 'rejected'],
        properties: { received: { type: 'integer' }, accepted: { type: 'integer' }, rejected: { type: 'integer' } },
      },
      batches: { type: 'integer' },
      failedCommits: { type: 'integer' },
      lastBatch: { type: 'object', required: ['at', 'size', 'ms'], properties: { at: { type: 'string', format: 'date-time' }, size: { type: 'integer' }, ms: { type: 'number' } } },
    },
  },
};
