import { ApolloServer, ApolloServerOptions, BaseContext, GraphQLResponse } from '@apollo/server';
import { createHash } from 'node:crypto';
import { execute, GraphQLError } from 'graphql';
import { loadConfig } from 'src/config/app-config';
import { GraphqlConfig } from 'src/config/graphql-config';
import { apolloLimitOptions, limitedOperation } from 'src/graphql/limits/graphql-limits';
import { limitsTestSchema } from 'src/graphql/limits/testing/limits-test-schema';

/*
 * The limits in a real Apollo Server (through executeOperation, which runs the whole request
 * pipeline without HTTP) and on graphql-ws's path. A resolver counts its calls: a refused
 * operation must not run any.
 */

const schema = limitsTestSchema();
let resolved = 0;
const rootValue = { hello: () => (resolved++, 'hej'), entities: () => (resolved++, { edges: [] }) };

function config(env: Record<string, string> = {}): GraphqlConfig {
  return loadConfig({ GRAPHQL_MAX_DEPTH: '4', GRAPHQL_MAX_COST: '500', GRAPHQL_MAX_ALIASES: '3', GRAPHQL_MAX_TOKENS: '200', ...env }).graphql;
}

async function server(limits = config()): Promise<ApolloServer> {
  // The options are typed for the ES-module build GraphQLModule loads; this test runs the CommonJS one.
  const options = apolloLimitOptions(limits) as unknown as Partial<ApolloServerOptions<BaseContext>>;
  const apollo = new ApolloServer({ schema, rootValue, ...options } as ApolloServerOptions<BaseContext>);
  await apollo.start();
  return apollo;
}

function single(response: GraphQLResponse) {
  if (response.body.kind !== 'single') throw new Error('expected a single result');
  return { status: response.http.status, ...response.body.singleResult };
}

beforeEach(() => (resolved = 0));

describe('the limits in Apollo Server', () => {
  let apollo: ApolloServer;
  beforeAll(async () => (apollo = await server()));
  afterAll(() => apollo.stop());

  it('runs what fits', async () => {
    expect(single(await apollo.executeOperation({ query: '{ hello }' }))).toMatchObject({ data: { hello: 'hej' } });
    expect(resolved).toBe(1);
  });

  it.each([
    ['QUERY_TOO_DEEP', 'query-too-deep', '{ hello entities { edges { node { related { edges { cursor } } } } } }', /nests fields 6 deep, more than the limit of 4/],
    ['TOO_MANY_ALIASES', 'too-many-aliases', '{ a: hello b: hello c: hello d: hello }', /4 aliased fields, more than the limit of 3/],
    ['TOO_MANY_TOKENS', 'too-many-tokens', `{ hello ${'__typename '.repeat(250)} }`, /more than 200 tokens/],
  ])('refuses %s with 400, its code and problem type, before any resolver', async (code, type, query, message) => {
    const result = single(await apollo.executeOperation({ query }));
    expect(result.status).toBe(400);
    expect(result.data).toBeUndefined();
    expect(result.errors).toEqual([expect.objectContaining({ message: expect.stringMatching(message), extensions: expect.objectContaining({ code, type: `urn:vg-datashare:problem:${type}` }) })]);
    expect(resolved).toBe(0);
  });

  it('refuses a query whose cost, with its variables, is above the limit', async () => {
    const query = 'query($n: Int) { hello entities(first: $n) { edges { node { id name } } } }';
    expect(single(await apollo.executeOperation({ query, variables: { n: 100 } })).errors).toBeUndefined();
    resolved = 0;
    const result = single(await apollo.executeOperation({ query, variables: { n: 200 } }));
    expect(result.status).toBe(400);
    expect(result.errors).toEqual([
      {
        message: expect.stringMatching(/^Query cost 802 exceeds the limit of 500: /),
        extensions: { code: 'QUERY_TOO_COMPLEX', type: 'urn:vg-datashare:problem:query-too-complex', limit: 500, actual: 802 },
      },
    ]);
    expect(resolved).toBe(0);
  });

  it('keeps queries by hash (automatic persisted queries)', async () => {
    const query = '{ hello }';
    const persistedQuery = { version: 1, sha256Hash: createHash('sha256').update(query).digest('hex') };
    const unknown = single(await apollo.executeOperation({ extensions: { persistedQuery } }));
    expect(unknown.errors?.[0].extensions?.code).toBe('PERSISTED_QUERY_NOT_FOUND');
    expect(single(await apollo.executeOperation({ query, extensions: { persistedQuery } })).data).toEqual({ hello: 'hej' });
    expect(single(await apollo.executeOperation({ extensions: { persistedQuery } })).data).toEqual({ hello: 'hej' });
  });

  it('answers introspection unless switched off', async () => {
    expect(single(await apollo.executeOperation({ query: '{ __schema { queryType { name } } }' })).data).toEqual({ __schema: { queryType: { name: 'Query' } } });
    const closed = await server(config({ GRAPHQL_INTROSPECTION: 'false' }));
    try {
      const result = single(await closed.executeOperation({ query: '{ __schema { queryType { name } } }' }));
      expect(result.status).toBe(400);
      expect(result.errors?.[0].message).toMatch(/introspection is not allowed/i);
    } finally {
      await closed.stop();
    }
  });
});

describe('limitedOperation (graphql-ws)', () => {
  const limits = config();
  const codesOf = (outcome: ReturnType<typeof limitedOperation>) => (Array.isArray(outcome) ? outcome.map((e: GraphQLError) => e.extensions.code) : 'runs');

  it('returns execution arguments for what fits, and they execute', async () => {
    const outcome = limitedOperation(schema, { query: '{ hello }' }, limits);
    if (Array.isArray(outcome)) throw new Error(outcome.map((e) => e.message).join());
    expect(await execute({ ...outcome, rootValue })).toEqual({ data: { hello: 'hej' } });
  });

  it('refuses what Apollo Server refuses, with the same codes', () => {
    expect(codesOf(limitedOperation(schema, { query: 'subscription { entityChanged { related { edges { node { related { edges { cursor } } } } } } }' }, limits))).toEqual(['QUERY_TOO_DEEP']);
    expect(codesOf(limitedOperation(schema, { query: 'subscription { a: entityChanged { id } b: entityChanged { id } c: entityChanged { id } d: entityChanged { id } }' }, limits))).toEqual(
      expect.arrayContaining(['TOO_MANY_ALIASES']),
    );
    expect(codesOf(limitedOperation(schema, { query: 'subscription($n: Int) { entityChanged { related(first: $n) { edges { cursor } } } }', variables: { n: 1000 } }, limits))).toEqual(['QUERY_TOO_COMPLEX']);
    expect(codesOf(limitedOperation(schema, { query: `{ ${'hello '.repeat(300)} }` }, limits))).toEqual(['TOO_MANY_TOKENS']);
    expect(codesOf(limitedOperation(schema, { query: '{ nope }' }, limits))).toEqual([undefined]); // graphql's own validation still runs
    expect(codesOf(limitedOperation(schema, { query: '{ __schema { queryType { name } } }' }, config({ GRAPHQL_INTROSPECTION: 'false' })))).toEqual([undefined]);
  });
});
