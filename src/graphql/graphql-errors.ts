import { Logger } from '@nestjs/common';
import { unwrapResolverError } from '@apollo/server/errors';
import { GraphQLError, GraphQLFormattedError } from 'graphql';
import { toProblem } from 'src/common/problem/problem-mapping';
import { ProblemError } from 'src/common/problem/problem-error';

const logger = new Logger('GraphQL');

/** The GraphQL `extensions.code` of a problem, by its HTTP status: one place, every status the service answers. */
export function codeOf(problem: ProblemError): string {
  switch (problem.status) {
    case 400:
    case 422:
      return 'BAD_USER_INPUT';
    case 401:
      return 'UNAUTHENTICATED';
    case 403:
      return 'FORBIDDEN';
    case 404:
      return 'NOT_FOUND';
    case 409:
      return 'CONFLICT';
    case 413:
      return 'PAYLOAD_TOO_LARGE';
    case 429:
      return 'TOO_MANY_REQUESTS';
    case 501:
      return 'NOT_IMPLEMENTED';
    case 503:
      return 'SERVICE_UNAVAILABLE';
    default:
      return problem.status < 500 ? 'BAD_REQUEST' : 'INTERNAL_SERVER_ERROR';
  }
}

/** A problem as GraphQL error extensions: the code, the problem type URI, status, title and the problem's own members. */
export function problemExtensions(problem: ProblemError): Record<string, unknown> {
  return { ...problem.extensions, code: codeOf(problem), type: problem.type, status: problem.status, title: problem.title };
}

/**
 * Apollo's formatError: the service's problems (thrown by the same services as for NGSI-LD)
 * become errors with `extensions.code` and the problem type; GraphQL's own errors (syntax,
 * validation, limits) keep theirs; anything else is logged with an id and answered without its
 * internals.
 */
export function formatGraphqlError(formatted: GraphQLFormattedError, error: unknown): GraphQLFormattedError {
  const original = unwrapResolverError(error);
  const { locations, path } = formatted;
  if (original instanceof GraphQLError || !(original instanceof Error)) {
    const { stacktrace: _stacktrace, ...extensions } = formatted.extensions ?? {};
    return { ...formatted, extensions };
  }
  const { problem, unexpected } = toProblem(original, '/graphql');
  if (unexpected) logger.error({ msg: 'unexpected error', errorId: problem.extensions.errorId, path, err: original });
  return { message: problem.detail ?? problem.title, locations, path, extensions: problemExtensions(problem) };
}
