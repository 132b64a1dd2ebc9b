import { schemaRef, SchemaComponents } from 'src/common/openapi/openapi-answers';
import { NGSI_LD_URI } from 'src/ngsi-ld/common/ngsi-ld-schemas.openapi';

/** The data of the change feed's `change` events (change-event.mapper.ts). */
export const CHANGE_SCHEMAS: SchemaComponents = {
  ChangeEvent: {
    type: 'object',
    description: 'The data of an `event: change` of /api/v1/changes; its SSE id is the position',
    required: ['position', 'operation', 'dataset', 'changedAt', 'entityId', 'attributes', 'entity'],
    properties: {
      position: { type: 'integer', description: 'Its place in the feed; Last-Event-ID resumes after it' },
      operation: { enum: ['create', 'update', 'delete'] },
      dataset: { type: 'string', format: 'uuid' },
      changedAt: { type: 'string', format: 'date-time' },
      entityId: NGSI_LD_URI,
      attributes: {
        type: 'object',
        required: ['created', 'updated', 'deleted'],
        properties: { created: { type: 'array', items: { type: 'string' } }, updated: { type: 'array', items: { type: 'string' } }, deleted: { type: 'array', items: { type: 'string' } } },
      },
      entity: { ...schemaRef('Entity'), description: 'The entity after the change (normalized, with sysAttrs), compacted with the Link header\'s @context' },
    },
  },
};
