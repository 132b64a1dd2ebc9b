import { ApolloDriverConfig } from '@nestjs/apollo';
import { ExecutionArgs, GraphQLError, GraphQLSchema, NoSchemaIntrospectionCustomRule, parse, specifiedRules, validate, ValidationRule } from 'graphql';
import { GraphqlConfig } from 'src/config/graphql-config';
import { isTokenLimitError, limitError, tooManyTokensMessage } from 'src/graphql/limits/limit.errors';
import { maxAliasesRule } from 'src/graphql/limits/max-aliases.rule';
import { maxDepthRule } from 'src/graphql/limits/max-depth.rule';
import { costRefusal } from 'src/graphql/limits/operation-cost';
import { PersistedQueryCache } from 'src/graphql/limits/persisted-query-cache';
import { queryLimitsPlugin } from 'src/graphql/limits/query-limits.plugin';

/*
 * The limits of the GraphQL endpoint for both doors it has: Apollo Server (queries and mutations
 * over HTTP, batched or not) and graphql-ws (subscriptions, and any operation sent over a
 * WebSocket). Both refuse the same documents with the same errors before anything executes.
 */

/** The validation rules of the limits that need no variables: depth and aliases. */
export function limitRules(config: GraphqlConfig): ValidationRule[] {
  return [maxDepthRule(config.maxDepth), maxAliasesRule(config.maxAliases)];
}

/** The options of the limits in Apollo Server's (and so GraphQLModule's) configuration; `plugins` go with any others. */
export type ApolloLimitOptions = Required<Pick<ApolloDriverConfig, 'validationRules' | 'parseOptions' | 'introspection' | 'allowBatchedHttpRequests' | 'persistedQueries' | 'plugins'>>;

/**
 * Apollo Server options for the limits. The size of batches is held by a Fastify hook
 * (`installBatchLimit`) because Apollo sees a batch only as separate operations.
 */
export function apolloLimitOptions(config: GraphqlConfig): ApolloLimitOptions {
  return {
    validationRules: limitRules(config),
    parseOptions: { maxTokens: config.maxTokens },
    // Apollo adds graphql's NoSchemaIntrospectionCustomRule when false.
    introspection: config.introspection,
    allowBatchedHttpRequests: config.maxBatch > 1,
    persistedQueries: { cache: new PersistedQueryCache(config.apqCacheBytes) },
    plugins: [queryLimitsPlugin(config)],
  };
}

/** What a graphql-ws client sends to start an operation. */
export interface OperationPayload {
  readonly query: string;
  readonly operationName?: string | null;
  readonly variables?: Readonly<Record<string, unknown>> | null;
}

/**
 * Parses and validates an operation sent over graphql-ws as Apollo Server does one sent over
 * HTTP, limits included: the execution arguments, or the errors to answer with. For graphql-ws's
 * `onSubscribe` (which, once it is given, leaves parsing and validation to it):
 * `onSubscribe: (_ctx, _id, payload) => limitedOperation(schemaHost.schema, payload, config.graphql)`.
 */
export function limitedOperation(schema: GraphQLSchema, payload: OperationPayload, config: GraphqlConfig, rules: readonly ValidationRule[] = []): ExecutionArgs | GraphQLError[] {
  let document;
  try {
    document = parse(payload.query, { maxTokens: config.maxTokens });
  } catch (error) {
    if (!(error instanceof GraphQLError)) throw error;
    return [isTokenLimitError(error) ? limitError('TOO_MANY_TOKENS', tooManyTokensMessage(config.maxTokens), config.maxTokens) : error];
  }
  const introspection = config.introspection ? [] : [NoSchemaIntrospectionCustomRule];
  const errors = validate(schema, document, [...specifiedRules, ...limitRules(config), ...introspection, ...rules]);
  if (errors.length > 0) return [...errors];
  const refusal = costRefusal(schema, document, payload.operationName, payload.variables, config.maxCost);
  if (refusal) return [refusal];
  return { schema, document, operationName: payload.operationName, variableValues: payload.variables };
}
