import { SchemaComponents, schemaRef } from 'src/common/openapi/openapi-answers';

const count = (description: string) => ({ type: 'integer', minimum: 0, description });
const dateTime = { type: 'string', format: 'date-time' };

/** The answers of /api/v1/retention. */
export const RETENTION_SCHEMAS: SchemaComponents = {
  RetentionReceipt: {
    type: 'object',
    description: 'What one retention run deleted, per dataset with a retention period that it covered',
    required: ['id', 'startedAt', 'finishedAt', 'datasets', 'readLogRows'],
    properties: {
      id: { type: 'string', format: 'uuid', description: 'The run; its audit records (event retention.run) name it as target' },
      startedAt: dateTime,
      finishedAt: dateTime,
      datasets: {
        type: 'array',
        items: {
          type: 'object',
          required: ['dataset', 'organisation', 'retentionPeriod', 'cutoff', 'historyRows', 'partitionsDropped', 'changeRows', 'notifications', 'entities'],
          properties: {
            dataset: { type: 'string', format: 'uuid' },
            organisation: { type: 'string' },
            retentionPeriod: { type: 'string', example: 'P30D', description: 'ISO 8601 duration' },
            cutoff: { ...dateTime, description: 'The run time minus the period: what was older is deleted' },
            historyRows: count('History instances deleted (also those in dropped partitions, and those of deleted entities)'),
            partitionsDropped: count('Month partitions of the history that held its rows and were dropped whole'),
            changeRows: count('Changes of the change feed deleted'),
            notifications: count('Pending notifications of those changes, dropped unsent'),
            entities: count('Entities deleted (only with retentionIncludesCurrentValues)'),
          },
          additionalProperties: false,
        },
      },
      readLogRows: count('Read-log rows older than READ_LOG_RETENTION_DAYS deleted'),
    },
    additionalProperties: false,
  },
  RetentionStatus: {
    type: 'object',
    required: ['nextRunAt', 'intervalSeconds', 'lastRun'],
    properties: {
      nextRunAt: { type: ['string', 'null'], format: 'date-time', description: 'When this replica runs next on its own; null with RETENTION_INTERVAL_SECONDS=0' },
      intervalSeconds: { type: 'integer', minimum: 0, description: 'RETENTION_INTERVAL_SECONDS' },
      lastRun: { oneOf: [schemaRef('RetentionReceipt'), { type: 'null' }], description: 'The latest run that concerned the caller’s organisation (platform admins: any), as far as it did' },
    },
    additionalProperties: false,
  },
};
