import { GraphQLError, GraphQLErrorExtensions } from 'graphql';
import { PROJECT_PROBLEMS } from 'src/governance/problems';

/*
 * Refusals of the GraphQL limits: a GraphQL error each, whose `extensions.code` is the machine
 * name GraphQL clients switch on and whose `extensions.type` is the project's problem type URI,
 * the same family as the RFC 9457 answers of the REST surfaces. All are refused before anything
 * executes, with HTTP status 400 on POST and GET.
 */

export const LIMIT_CODES = {
  QUERY_TOO_COMPLEX: `${PROJECT_PROBLEMS}query-too-complex`,
  QUERY_TOO_DEEP: `${PROJECT_PROBLEMS}query-too-deep`,
  TOO_MANY_ALIASES: `${PROJECT_PROBLEMS}too-many-aliases`,
  TOO_MANY_TOKENS: `${PROJECT_PROBLEMS}too-many-tokens`,
  TOO_MANY_OPERATIONS: `${PROJECT_PROBLEMS}too-many-operations`,
} as const;

export type LimitCode = keyof typeof LIMIT_CODES;

/** The extensions of a refusal: code, problem type, the limit and what was asked. */
export function limitExtensions(code: LimitCode, limit: number, actual?: number): GraphQLErrorExtensions {
  return { code, type: LIMIT_CODES[code], limit, ...(actual !== undefined ? { actual } : {}) };
}

/** A refusal raised outside validation (cost, batches, the parser's token limit). */
export function limitError(code: LimitCode, message: string, limit: number, actual?: number): GraphQLError {
  return new GraphQLError(message, { extensions: limitExtensions(code, limit, actual) });
}

/** The same refusal with HTTP status 400 for Apollo Server, which reads `http` from the extensions and leaves it out of the answer. */
export function withBadRequestStatus(error: GraphQLError): GraphQLError {
  return new GraphQLError(error.message, { extensions: { ...error.extensions, http: { status: 400 } } });
}

/** graphql-js's message when the parser stops at `maxTokens` (graphql 16 spells it "more that"). */
const TOKEN_LIMIT_MESSAGE = /Document contains more th(?:an|at) \d+ tokens/;

/** Whether a parse error is the parser stopping at its token limit. */
export function isTokenLimitError(error: GraphQLError): boolean {
  return TOKEN_LIMIT_MESSAGE.test(error.message);
}

export function tooManyTokensMessage(maxTokens: number): string {
  return `The document has more than ${maxTokens} tokens (names, punctuation and values), the limit; send a smaller query`;
}

/** The code of an error if it is one of these refusals (Apollo Server wraps validation errors and overwrites their code). */
export function limitCodeOf(extensions: GraphQLErrorExtensions | undefined): LimitCode | undefined {
  const type = extensions?.type;
  return (Object.keys(LIMIT_CODES) as LimitCode[]).find((code) => LIMIT_CODES[code] === type);
}
