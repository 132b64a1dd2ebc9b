import { z } from 'zod';
import { flag, integer } from 'src/config/config-parsers';

/*
 * The configuration of the GraphQL endpoint's limits: what a single request may ask for before it
 * is refused unexecuted. Part of AppConfig (src/config/app-config.ts).
 */
export interface GraphqlConfig {
  /** Whether `__schema`/`__type` queries and GET /graphql/schema.graphql answer (on by default: the schema is no secret, the data is). */
  readonly introspection: boolean;
  /** Nesting of fields in one operation; introspection's `ofType` chains do not count. */
  readonly maxDepth: number;
  /** Estimated fields resolved: each field 1, a connection's selection times its `first`/`last` (default page size when absent). */
  readonly maxCost: number;
  /** Aliased fields in one document. */
  readonly maxAliases: number;
  /** Lexical tokens in one document, counted by the parser, which stops at the limit. */
  readonly maxTokens: number;
  /** Operations in one batched HTTP request (a JSON array); 1 refuses batches. */
  readonly maxBatch: number;
  /** Memory for automatic persisted queries (query texts by hash), least recently used forgotten first. */
  readonly apqCacheBytes: number;
}

/** The environment keys of this area, with their defaults. */
export const GRAPHQL_ENV = {
  GRAPHQL_INTROSPECTION: flag.default(true),
  GRAPHQL_MAX_DEPTH: integer(2, 100).default(12),
  // 100 entities of a page x (a dozen attributes + 10 related entities x a few fields) is about 10,000-20,000; 50,000 leaves room for that and refuses pages of pages.
  GRAPHQL_MAX_COST: integer(1, 100_000_000).default(50_000),
  GRAPHQL_MAX_ALIASES: integer(0, 10_000).default(30),
  GRAPHQL_MAX_TOKENS: integer(100, 1_000_000).default(5_000),
  GRAPHQL_MAX_BATCH: integer(1, 1000).default(10),
  GRAPHQL_APQ_CACHE_MB: integer(1, 1024).default(8),
};

type GraphqlEnv = z.infer<z.ZodObject<typeof GRAPHQL_ENV>>;

export function graphqlConfigOf(e: GraphqlEnv): GraphqlConfig {
  return {
    introspection: e.GRAPHQL_INTROSPECTION,
    maxDepth: e.GRAPHQL_MAX_DEPTH,
    maxCost: e.GRAPHQL_MAX_COST,
    maxAliases: e.GRAPHQL_MAX_ALIASES,
    maxTokens: e.GRAPHQL_MAX_TOKENS,
    maxBatch: e.GRAPHQL_MAX_BATCH,
    apqCacheBytes: e.GRAPHQL_APQ_CACHE_MB * 1024 * 1024,
  };
}
