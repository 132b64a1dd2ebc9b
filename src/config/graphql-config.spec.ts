import { ConfigError, loadConfig } from 'src/config/app-config';

describe('GraphQL limits configuration', () => {
  it('has limits that fit a page of 100 entities with related ones, and introspection on, unless told otherwise', () => {
    expect(loadConfig({}).graphql).toEqual({
      introspection: true,
      maxDepth: 12,
      maxCost: 50_000,
      maxAliases: 30,
      maxTokens: 5_000,
      maxBatch: 10,
      apqCacheBytes: 8 * 1024 * 1024,
    });
  });

  it('takes every limit from the environment', () => {
    const config = loadConfig({
      GRAPHQL_INTROSPECTION: 'false',
      GRAPHQL_MAX_DEPTH: '8',
      GRAPHQL_MAX_COST: '1000',
      GRAPHQL_MAX_ALIASES: '0',
      GRAPHQL_MAX_TOKENS: '800',
      GRAPHQL_MAX_BATCH: '1',
      GRAPHQL_APQ_CACHE_MB: '2',
    });
    expect(config.graphql).toEqual({ introspection: false, maxDepth: 8, maxCost: 1000, maxAliases: 0, maxTokens: 800, maxBatch: 1, apqCacheBytes: 2 * 1024 * 1024 });
  });

  it('refuses limits that would switch a limit off or make every query fail, each named', () => {
    let error: unknown;
    try {
      loadConfig({ GRAPHQL_INTROSPECTION: 'maybe', GRAPHQL_MAX_DEPTH: '1', GRAPHQL_MAX_COST: '0', GRAPHQL_MAX_TOKENS: '-5', GRAPHQL_MAX_BATCH: '0', GRAPHQL_APQ_CACHE_MB: 'lots' });
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(ConfigError);
    const keys = (error as ConfigError).problems.map((p) => p.split(':')[0]);
    expect(keys.sort()).toEqual(['GRAPHQL_APQ_CACHE_MB', 'GRAPHQL_INTROSPECTION', 'GRAPHQL_MAX_BATCH', 'GRAPHQL_MAX_COST', 'GRAPHQL_MAX_DEPTH', 'GRAPHQL_MAX_TOKENS']);
  });
});
