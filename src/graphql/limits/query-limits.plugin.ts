import { ApolloDriverConfig } from '@nestjs/apollo';
import { GraphQLError } from 'graphql';
import { isTokenLimitError, LIMIT_CODES, limitCodeOf, tooManyTokensMessage, withBadRequestStatus } from 'src/graphql/limits/limit.errors';
import { costRefusal } from 'src/graphql/limits/operation-cost';

/**
 * A plugin as GraphQLModule takes it: typed by the ES-module build of @apollo/server, which
 * @nestjs/apollo loads, rather than the CommonJS build this code's own import would name.
 */
export type ApolloPlugin = NonNullable<ApolloDriverConfig['plugins']>[number];

/**
 * The Apollo Server side of the limits that validation rules cannot hold: the cost, which needs
 * the operation's variables (refused in `didResolveOperation`, after validation and before any
 * resolver), and the codes of refusals Apollo raises itself. Apollo gives every validation error
 * the code GRAPHQL_VALIDATION_FAILED and every parse error GRAPHQL_PARSE_FAILED; the refusals of
 * the depth and alias rules and of the parser's token limit get their own code back here, before
 * `formatError` sees them.
 */
export function queryLimitsPlugin(limits: { readonly maxCost: number; readonly maxTokens: number }): ApolloPlugin {
  return {
    async requestDidStart() {
      return {
        async didResolveOperation({ schema, document, operationName, request }) {
          const refusal = costRefusal(schema, document, operationName, request.variables, limits.maxCost);
          if (refusal) throw withBadRequestStatus(refusal);
        },
        async didEncounterErrors({ errors }) {
          for (const error of errors) relabel(error, limits.maxTokens);
        },
      };
    },
  };
}

/** Gives a refusal of the limits its own code (the error objects are the ones Apollo formats next). */
function relabel(error: GraphQLError, maxTokens: number): void {
  const extensions = error.extensions as Record<string, unknown>;
  const code = limitCodeOf(extensions);
  if (code) {
    extensions.code = code;
    return;
  }
  if (extensions.code === 'GRAPHQL_PARSE_FAILED' && isTokenLimitError(error)) {
    Object.assign(extensions, { code: 'TOO_MANY_TOKENS', type: LIMIT_CODES.TOO_MANY_TOKENS, limit: maxTokens });
    error.message = tooManyTokensMessage(maxTokens);
  }
}
