import { applyDecorators } from '@nestjs/common';
import { ApiBody, ApiQuery } from '@nestjs/swagger';
import { newApiKeySchema } from 'src/auth/api-keys/api-key.schema';
import { ApiAnswersByDefault, arrayOf, JsonSchema, schemaRef, SchemaComponents } from 'src/common/openapi/openapi-answers';
import { jsonSchemaOf } from 'src/common/openapi/zod-json-schema';
import { bodyProblems, callerProblems, problemAnswer, PROBLEM_TYPES } from 'src/common/problem/problem.openapi';
import { newRuleSchema } from 'src/governance/combination-rules/combination-rule.schema';
import { newGrantSchema } from 'src/governance/grants/grant.schema';

/** OpenAPI pieces of the /api/v1 routes (DIGG REST API profile: camelCase JSON, RFC 3339 UTC, problem details). */

/** Problems outside NGSI-LD carry the project's types, or about:blank for plain HTTP errors. */
const PLAIN = ['about:blank'];

/** The problems every /api/v1 route that knows its caller can answer with. */
export const ApiGovernanceProblems = () =>
  ApiAnswersByDefault(
    problemAnswer(400, 'Invalid request body or parameters (an unknown parameter, a bad value; every problem listed)', [PROBLEM_TYPES.ngsiLd('BadRequestData'), ...PLAIN]),
    ...callerProblems(),
    problemAnswer(403, 'Authenticated, but not allowed (admin role, MFA, a key outside its scope)', [PROBLEM_TYPES.forbidden]),
    problemAnswer(404, 'Absent, or not visible to the caller', [PROBLEM_TYPES.ngsiLd('ResourceNotFound'), ...PLAIN]),
  );

/** A JSON request body with its schema (a component, derived from the zod schema that validates it), and what a body the route cannot read answers. */
export const ApiJsonBody = (schema: JsonSchema) => applyDecorators(ApiBody({ schema }), ApiAnswersByDefault(...bodyProblems(PLAIN)));

/** limit and offset of the /api/v1 lists (parsePaging). */
export const ApiPaging = () =>
  applyDecorators(
    ApiQuery({ name: 'limit', required: false, schema: { type: 'integer', minimum: 1, maximum: 1000, default: 100 } }),
    ApiQuery({ name: 'offset', required: false, schema: { type: 'integer', minimum: 0, maximum: 1000000, default: 0 } }),
  );

const uuid = { type: 'string', format: 'uuid' };
const dateTime = { type: 'string', format: 'date-time' };

export const GOVERNANCE_SCHEMAS: SchemaComponents = {
  NewGrant: { ...jsonSchemaOf(newGrantSchema, 'input'), example: { organisation: 'boras' } },
  Grant: {
    type: 'object',
    description: 'Read access to a dataset for an organisation or for one principal (a token sub, or api-key:<id>)',
    required: ['id', 'dataset', 'view', 'status', 'createdBy', 'created'],
    properties: {
      id: uuid,
      dataset: uuid,
      organisation: { type: 'string' },
      principal: { type: 'string' },
      view: { enum: ['full', 'minimised'], description: 'What the grantee sees: everything, or the minimised view of the dataset' },
      status: { enum: ['active', 'revoked'] },
      createdBy: { type: 'string' },
      created: dateTime,
      revoked: dateTime,
    },
    additionalProperties: false,
  },
  GrantList: arrayOf('Grant'),
  NewCombinationRule: { ...jsonSchemaOf(newRuleSchema, 'input'), example: { name: 'People counters with positions', datasets: ['2d7f…', '9a1c…'], confidentiality: 3 } },
  CombinationRule: {
    type: 'object',
    required: ['id', 'name', 'datasets', 'confidentiality', 'createdBy', 'created'],
    properties: {
      id: uuid,
      name: { type: 'string' },
      datasets: { type: 'array', items: uuid },
      confidentiality: { type: 'integer', minimum: 0, maximum: 3 },
      createdBy: { type: 'string' },
      created: dateTime,
    },
    additionalProperties: false,
  },
  CombinationRuleList: arrayOf('CombinationRule'),
  ReadLogEntry: {
    type: 'object',
    description: 'The reads of personal data by one caller, for one purpose, by one read path and view, in one second',
    required: ['datasetId', 'organisation', 'at', 'principal', 'principalOrganisation', 'purpose', 'readPath', 'view', 'requests', 'items'],
    properties: {
      datasetId: uuid,
      organisation: { type: 'string', description: 'The organisation publishing the dataset' },
      at: dateTime,
      principal: { type: 'string', description: 'The token sub, or api-key:<id>' },
      principalOrganisation: { type: ['string', 'null'], description: 'The organisation the caller acted for' },
      purpose: { type: ['string', 'null'], description: 'The declared purpose (a DPV term)' },
      readPath: { type: 'string', description: 'The route read (method and path template), "notification" or the change stream' },
      view: { enum: ['full', 'minimised'] },
      requests: { type: 'integer', minimum: 1 },
      items: { type: 'integer', minimum: 0, description: 'Entities, instances or changes read' },
    },
    additionalProperties: false,
  },
  ReadLogEntryList: arrayOf('ReadLogEntry'),
  ReadLogDay: {
    type: 'object',
    required: ['day', 'requests', 'items', 'principals', 'purposes'],
    properties: {
      day: { type: 'string', format: 'date' },
      requests: { type: 'integer' },
      items: { type: 'integer' },
      principals: { type: 'integer', description: 'Distinct principals that read' },
      purposes: { type: 'array', items: { type: 'string' } },
    },
    additionalProperties: false,
  },
  ReadLogDayList: arrayOf('ReadLogDay'),
  NewApiKey: {
    ...jsonSchemaOf(newApiKeySchema, 'input'),
    example: { name: 'LoRaWAN gateway Kviberg', write: true, datasets: ['7b0f3a5e-4c41-4a53-9b55-2f0e2d1d6a11'], expiresAt: '2027-12-31T23:00:00Z' },
  },
  ApiKey: {
    type: 'object',
    description: 'An API key, never its secret',
    required: ['id', 'name', 'organisation', 'read', 'write', 'roles', 'status', 'createdBy', 'createdAt'],
    properties: {
      id: uuid,
      name: { type: 'string' },
      organisation: { type: 'string' },
      read: { type: 'boolean' },
      write: { type: 'boolean' },
      roles: { type: 'array', items: { type: 'string' } },
      datasets: { type: 'array', items: uuid, description: 'Only these datasets; all when absent' },
      expiresAt: dateTime,
      purpose: { type: 'string', description: 'The purpose its reads of personal data are for (a DPV term)' },
      revokedAt: dateTime,
      status: { enum: ['active', 'expired', 'revoked'] },
      createdBy: { type: 'string' },
      createdAt: dateTime,
    },
  },
  IssuedApiKey: {
    description: 'The key as issued: `key` is shown this once and stored only as a hash',
    allOf: [schemaRef('ApiKey')],
    required: ['key'],
    properties: { key: { type: 'string', description: 'Send it as X-API-Key, or Authorization: ApiKey <key>' } },
    unevaluatedProperties: false,
  },
  ApiKeyList: arrayOf('ApiKey'),
  AuditRecord: {
    type: 'object',
    required: ['seq', 'at', 'actor', 'organisation', 'event', 'target', 'details', 'previousHash', 'hash'],
    properties: {
      seq: { type: 'string', pattern: '^\\d+$', description: 'Its place in the log (a decimal string: it may exceed JavaScript numbers)' },
      at: dateTime,
      actor: { type: 'string', description: 'anonymous, a token sub, or api-key:<id>' },
      organisation: { type: ['string', 'null'] },
      event: { type: 'string', example: 'dataset.classification-changed' },
      target: { type: ['string', 'null'] },
      details: { type: 'object' },
      previousHash: { type: 'string', pattern: '^[0-9a-f]{64}$' },
      hash: { type: 'string', pattern: '^[0-9a-f]{64}$', description: 'SHA-256 over previousHash and the record' },
    },
  },
  AuditRecordList: arrayOf('AuditRecord'),
  AuditVerification: {
    type: 'object',
    required: ['valid', 'checked', 'head'],
    properties: {
      valid: { type: 'boolean' },
      checked: { type: 'integer', minimum: 0, description: 'Records checked' },
      firstBrokenSeq: { type: 'string', description: 'The first record that breaks the chain' },
      reason: { type: 'string', description: 'Why the log does not verify' },
      head: {
        oneOf: [
          { type: 'object', required: ['seq', 'hash', 'signed'], properties: { seq: { type: 'string' }, hash: { type: 'string' }, signed: { type: 'boolean' } } },
          { type: 'null' },
        ],
      },
    },
    example: { valid: true, checked: 1234, head: { seq: '1234', hash: '9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08', signed: true } },
  },
  Caller: {
    type: 'object',
    description: 'The caller as authenticated, and the datasets that allows',
    required: ['kind', 'subject', 'roles', 'mfa', 'readableDatasets', 'writableDatasets'],
    properties: {
      kind: { enum: ['anonymous', 'user', 'api-key'] },
      subject: { type: 'string' },
      organisation: { type: 'string' },
      roles: { type: 'array', items: { type: 'string' } },
      mfa: { type: 'boolean' },
      apiKey: {
        type: 'object',
        required: ['id', 'read', 'write'],
        properties: { id: uuid, read: { type: 'boolean' }, write: { type: 'boolean' }, datasets: { type: 'array', items: uuid } },
      },
      readableDatasets: { type: 'array', items: uuid },
      writableDatasets: { type: 'array', items: uuid },
    },
  },
};
