import { SchemaComponents } from 'src/common/openapi/openapi-answers';

/** The @contexts hosted and cached here (ETSI GS CIM 009 v1.9.1, clause 5.2.39). */
export const CONTEXT_SCHEMAS: SchemaComponents = {
  JsonLdContextDocument: {
    type: 'object',
    description: 'A JSON-LD context document: an object with an @context member',
    required: ['@context'],
    properties: { '@context': { $ref: '#/components/schemas/LdContext' } },
  },
  LdContextInformation: {
    type: 'object',
    required: ['URL', 'localId', 'kind', 'numberOfHits'],
    properties: {
      URL: { type: 'string', format: 'uri' },
      localId: { type: 'string', description: 'A hosted context\'s uuid, cached-<hash>, or ngsi-ld-core-context-v<version>' },
      kind: { enum: ['Hosted', 'Cached', 'ImplicitlyCreated'] },
      createdAt: { type: 'string', format: 'date-time' },
      lastUsage: { type: 'string', format: 'date-time' },
      numberOfHits: { type: 'integer', minimum: 0, description: 'Requests that used it, and times it was served' },
    },
  },
};
