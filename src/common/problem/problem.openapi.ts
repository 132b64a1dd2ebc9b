import { ApiResponse } from '@nestjs/swagger';
import { answer, ApiAnswersByDefault, ResponseHeader, schemaRef, SchemaComponents } from 'src/common/openapi/openapi-answers';
import { NGSI_LD_ERRORS } from 'src/common/problem/ngsi-ld-errors';
import { PROBLEM_CONTENT_TYPE } from 'src/common/problem/problem.filter';
import { PROJECT_PROBLEMS } from 'src/governance/problems';

/** RFC 9457 problem details, as every error of the service leaves. */
export const PROBLEM_SCHEMAS: SchemaComponents = {
  ProblemDetails: {
    type: 'object',
    description:
      'RFC 9457 problem details. `type` is an NGSI-LD error type (https://uri.etsi.org/ngsi-ld/errors/...) on /ngsi-ld/v1 routes where NGSI-LD names one, ' +
      'a project type (urn:vg-datashare:problem:...) for authentication, authorisation and outages, and about:blank for plain HTTP errors elsewhere',
    required: ['type', 'title', 'status'],
    properties: {
      type: { type: 'string', format: 'uri', example: `${NGSI_LD_ERRORS}BadRequestData` },
      title: { type: 'string' },
      status: { type: 'integer', minimum: 400, maximum: 599 },
      detail: { type: 'string', description: 'What was wrong, for a person' },
      instance: { type: 'string' },
      errorId: { type: 'string', format: 'uuid', description: 'With 500: the id to quote when reporting it (the log has the details)' },
      combinationRule: {
        type: 'object',
        description: 'With combination-refused: the rule that refused the combination',
        required: ['id', 'name', 'confidentiality'],
        properties: { id: { type: 'string', format: 'uuid' }, name: { type: 'string' }, confidentiality: { type: 'integer', minimum: 0, maximum: 3 } },
      },
    },
    additionalProperties: { description: 'Further extension members' },
  },
};

export const PROBLEM_TYPES = {
  unauthorized: `${PROJECT_PROBLEMS}unauthorized`,
  forbidden: `${PROJECT_PROBLEMS}forbidden`,
  combinationRefused: `${PROJECT_PROBLEMS}combination-refused`,
  purposeRequired: `${PROJECT_PROBLEMS}purpose-required`,
  organisationNotRegistered: `${PROJECT_PROBLEMS}organisation-not-registered`,
  tooManyFailures: `${PROJECT_PROBLEMS}too-many-authentication-failures`,
  databaseUnavailable: `${PROJECT_PROBLEMS}database-unavailable`,
  ngsiLd: (name: string) => `${NGSI_LD_ERRORS}${name}`,
} as const;

/** A problem answer: `types` are the problem types it can carry, the first is the example. */
export function problemAnswer(status: number, description: string, types: readonly string[] = ['about:blank'], headers: readonly ResponseHeader[] = []) {
  return answer(status, `${description} (type: ${types.map((type) => `\`${type}\``).join(', ')})`, {
    content: { [PROBLEM_CONTENT_TYPE]: schemaRef('ProblemDetails') },
    headers,
    example: { type: types[0], title: description.split(/[;:(]/)[0].trim(), status },
  });
}

/** A problem the route answers with; it takes the place of a shared group's answer of that status. */
export const ApiProblem = (status: number, description: string, types?: readonly string[], headers?: readonly ResponseHeader[]) =>
  ApiResponse(problemAnswer(status, description, types, headers));

/** The 503 of a route that reads the database: while it is away, with Retry-After; `also` names the route's other 503s. */
export function databaseUnavailable(also?: { description: string; types: readonly string[] }) {
  return problemAnswer(
    503,
    `${also ? `${also.description}; or the` : 'The'} database cannot be reached at the moment (nothing was changed): try again after Retry-After`,
    [...(also?.types ?? []), PROBLEM_TYPES.databaseUnavailable],
    ['Retry-After'],
  );
}

/**
 * What every route that authenticates its caller can answer: credentials present but not valid
 * (never taken as anonymous), too many failed authentications, and the database away (the
 * caller's standing is read from it).
 */
export function callerProblems() {
  return [
    problemAnswer(
      401,
      'Credentials present but not valid (an unknown, revoked or expired API key, two different keys, a token that does not verify), or needed and missing',
      [PROBLEM_TYPES.unauthorized],
      ['WWW-Authenticate'],
    ),
    problemAnswer(
      429,
      'Too many failed authentications from this address or with this key; Retry-After says how long to wait without failing (valid credentials are never refused)',
      [PROBLEM_TYPES.tooManyFailures],
      ['Retry-After'],
    ),
    databaseUnavailable(),
  ];
}

export const ApiCallerProblems = () => ApiAnswersByDefault(...callerProblems());

/** What a body a route cannot take answers; `types`: the problem types of the route's family. */
export function bodyProblems(types: readonly string[]) {
  return [
    problemAnswer(413, 'The body is larger than BODY_LIMIT_BYTES', types),
    problemAnswer(415, 'Content-Type (or its charset, or a Content-Encoding) not accepted: JSON in UTF-8, uncompressed', types),
  ];
}
