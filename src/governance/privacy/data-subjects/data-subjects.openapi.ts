import { JsonSchema } from 'src/common/openapi/openapi-answers';

/*
 * The answers of /api/v1/data-subjects, inline: they belong to these two routes only. The export
 * streams, so the contract check sees its status and media type but never samples its body; the
 * e2e test holds bodies against these schemas itself.
 */

const uuid = { type: 'string', format: 'uuid' };
const dateTime = { type: 'string', format: 'date-time' };
const count = { type: 'integer', minimum: 0 };

export const SUBJECT_EXPORT_SCHEMA: JsonSchema = {
  type: 'object',
  description:
    'Everything held about the subject in the datasets the caller administers (JSON-LD, core @context; attribute names outside it are expanded IRIs). ' +
    'Empty lists when nothing is held there: the same answer whether the subject is unknown or held only by organisations the caller does not administer.',
  required: ['@context', 'subject', 'exportedAt', 'datasets', 'entities'],
  properties: {
    '@context': { type: 'string', format: 'uri' },
    subject: { type: 'string' },
    exportedAt: dateTime,
    datasets: {
      type: 'array',
      description: 'The datasets searched: those the caller administers whose personal-data profile names a subjectAttribute',
      items: {
        type: 'object',
        required: ['dataset', 'organisation', 'subjectAttribute', 'entities'],
        properties: { dataset: uuid, organisation: { type: 'string' }, subjectAttribute: { type: 'string', description: 'An attribute IRI, or "@id"' }, entities: count },
      },
    },
    entities: {
      type: 'array',
      items: {
        type: 'object',
        required: ['tenant', 'dataset', 'entity', 'history'],
        properties: {
          tenant: { type: 'string', description: 'The NGSILD-Tenant ("" for the default tenant)' },
          dataset: uuid,
          entity: { type: 'object', description: 'The entity in the NGSI-LD normalized representation, with createdAt and modifiedAt', required: ['id', 'type'] },
          history: {
            type: 'array',
            description: 'Every stored instance of its attributes (temporal normalized representation), by attribute, oldest first',
            items: { type: 'object', required: ['attribute', 'instance'], properties: { attribute: { type: 'string' }, instance: { type: 'object' } } },
          },
        },
      },
    },
  },
};

export const ERASURE_RECEIPT_SCHEMA: JsonSchema = {
  type: 'object',
  description: 'What was erased, per dataset searched (all zero when nothing was held)',
  required: ['subject', 'erasedAt', 'datasets'],
  properties: {
    subject: { type: 'string' },
    erasedAt: dateTime,
    datasets: {
      type: 'array',
      items: {
        type: 'object',
        required: ['dataset', 'organisation', 'rule', 'entities', 'historyRows', 'changeRows', 'notifications'],
        properties: {
          dataset: uuid,
          organisation: { type: 'string' },
          rule: { enum: ['delete', 'anonymise'], description: 'As applied: entities whose id is the subject id are always deleted' },
          entities: { ...count, description: 'Entities deleted, or anonymised' },
          historyRows: { ...count, description: 'History instances deleted' },
          changeRows: { ...count, description: 'Change-feed records deleted (delete) or stripped of the erased attributes (anonymise)' },
          notifications: { ...count, description: 'Pending notifications of those records: deleted (delete), or now carrying the stripped record (anonymise)' },
        },
        additionalProperties: false,
      },
    },
  },
  additionalProperties: false,
  example: {
    subject: 'urn:ngsi-ld:Person:anna',
    erasedAt: '2026-06-01T08:00:00.000Z',
    datasets: [{ dataset: '7b0f3a5e-4c41-4a53-9b55-2f0e2d1d6a11', organisation: 'goteborg', rule: 'delete', entities: 2, historyRows: 14, changeRows: 3, notifications: 1 }],
  },
};
