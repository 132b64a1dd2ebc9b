import { getIntrospectionQuery, parse, specifiedRules, validate } from 'graphql';
import { maxDepthRule } from 'src/graphql/limits/max-depth.rule';
import { limitsTestSchema } from 'src/graphql/limits/testing/limits-test-schema';

const schema = limitsTestSchema();
const errorsOf = (query: string, maxDepth: number) => validate(schema, parse(query), [...specifiedRules, maxDepthRule(maxDepth)]);

describe('maxDepthRule', () => {
  it('counts a top-level field as depth 1 and lets the limit itself through', () => {
    expect(errorsOf('{ hello }', 1)).toEqual([]);
    expect(errorsOf('{ entity(id: "x") { name } }', 2)).toEqual([]);
    const [error] = errorsOf('{ entity(id: "x") { name } }', 1);
    expect(error.message).toBe('The operation nests fields 2 deep, more than the limit of 1; ask for related data in a second query');
    expect(error.extensions).toEqual({ code: 'QUERY_TOO_DEEP', type: 'urn:vg-datashare:problem:query-too-deep', limit: 1, actual: 2 });
  });

  it('follows named and inline fragments, on the type and on narrower types', () => {
    const query = `
      query Deep { entities { edges { node { ...E } } } }
      fragment E on Entity { ... on WeatherObserved { related { edges { node { id } } } } }`;
    // entities > edges > node > related > edges > node > id
    expect(errorsOf(query, 7)).toEqual([]);
    const [error] = errorsOf(query, 6);
    expect(error.message).toMatch(/^Operation Deep nests fields 7 deep/);
  });

  it('measures a fragment spread many times once, and survives fragment cycles (refused by graphql itself)', () => {
    const chain = Array.from({ length: 40 }, (_, i) => `fragment F${i} on Query { hello ${i < 39 ? `...F${i + 1} ...F${i + 1}` : ''} }`).join('\n');
    const started = performance.now();
    expect(errorsOf(`{ ...F0 }\n${chain}`, 3)).toEqual([]);
    expect(performance.now() - started).toBeLessThan(500);
    const cyclic = errorsOf('{ entity(id: "x") { ...A } } fragment A on Entity { related { edges { node { ...A } } } }', 12);
    expect(cyclic.map((e) => e.message)).toEqual([expect.stringMatching(/Cannot spread fragment "A" within itself/)]);
  });

  it("lets GraphiQL's schema query through at depth 12: type references (ofType) add no depth", () => {
    expect(errorsOf(getIntrospectionQuery({ descriptions: true, inputValueDeprecation: true }), 12)).toEqual([]);
  });

  it('refuses introspection that nests lists more than three deep, however shallow', () => {
    const [error] = errorsOf('{ __schema { types { fields { type { fields { args { name } } } } } } }', 12);
    expect(error.message).toMatch(/nests 4 introspection lists/);
    expect(error.extensions).toMatchObject({ code: 'QUERY_TOO_DEEP', limit: 3, actual: 4 });
    expect(errorsOf('{ __type(name: "Query") { fields { type { fields { args { name } } } } } }', 12)).toHaveLength(0);
  });

  it('measures each operation of a document on its own', () => {
    const errors = errorsOf('query A { hello } query B { entity(id: "x") { related { edges { node { id } } } } }', 3);
    expect(errors.map((e) => e.message)).toEqual([expect.stringMatching(/^Operation B nests fields 5 deep/)]);
  });
});
