import { parse } from 'graphql';
import { costRefusal, DEFAULT_PAGE_SIZE, operationCost } from 'src/graphql/limits/operation-cost';
import { limitsTestSchema } from 'src/graphql/limits/testing/limits-test-schema';

const schema = limitsTestSchema();
const cost = (query: string, variables?: Record<string, unknown>, operationName?: string) => operationCost(schema, parse(query), operationName, variables);

describe('operationCost', () => {
  it('counts 1 per field', () => {
    expect(cost('{ hello }')).toBe(1);
    expect(cost('{ entity(id: "x") { id name } }')).toBe(3);
  });

  it("multiplies a connection's selection by first or last", () => {
    // entities: 1 + 100 x (edges: 1 + node: (1 + id + name))
    expect(cost('{ entities(first: 100) { edges { node { id name } } } }')).toBe(1 + 100 * 4);
    expect(cost('{ entities(last: 5) { edges { cursor } } }')).toBe(1 + 5 * 2);
    expect(cost('{ entities(first: 10, last: 3) { edges { cursor } } }')).toBe(1 + 3 * 2);
  });

  it('multiplies nested connections', () => {
    const query = '{ entities(first: 100) { edges { node { id related(first: 10) { edges { node { id name } } } } } } }';
    // related: 1 + 10 x 4 = 41; node: 1 + id + 41 = 43; edges: 44; entities: 1 + 100 x 44
    expect(cost(query)).toBe(1 + 100 * 44);
  });

  it("takes first from the variables, the variable's default, the schema's default or the default page size", () => {
    const query = 'query($n: Int) { entities(first: $n) { edges { cursor } } }';
    expect(cost(query, { n: 1000 })).toBe(1 + 1000 * 2);
    expect(cost('query($n: Int = 300) { entities(first: $n) { edges { cursor } } }')).toBe(1 + 300 * 2);
    expect(cost(query, {})).toBe(1 + 20 * 2); // the schema's `first: Int = 20`
    expect(cost('{ pagedWithoutDefault { edges { cursor } } }')).toBe(1 + DEFAULT_PAGE_SIZE * 2);
    expect(cost(query, { n: 'many' })).toBe(1 + 20 * 2); // refused at execution, counted as absent here
  });

  it('counts named fragments where they are spread, and the largest of fragments on narrower types', () => {
    const query = `{ entities(first: 10) { edges { node { ...W ...C id } } } }
      fragment W on WeatherObserved { temperature windSpeed name }
      fragment C on WasteContainer { fillingLevel }`;
    // node: 1 + id + max(3, 1) = 5; edges 6; entities 1 + 10 x 6
    expect(cost(query)).toBe(1 + 10 * 6);
  });

  it('counts the named operation only, and subscriptions too', () => {
    const document = 'query Small { hello } query Big { entities(first: 50) { edges { cursor } } }';
    expect(cost(document, undefined, 'Small')).toBe(1);
    expect(cost(document, undefined, 'Big')).toBe(101);
    expect(cost('subscription { entityChanged { id related(first: 100) { edges { cursor } } } }')).toBe(1 + 1 + 1 + 100 * 2);
  });

  it('stays finite in time for a fragment spread exponentially often', () => {
    const chain = Array.from({ length: 60 }, (_, i) => `fragment F${i} on Query { hello ${i < 59 ? `...F${i + 1} ...F${i + 1}` : ''} }`).join('\n');
    expect(cost(`{ ...F0 }\n${chain}`)).toBeGreaterThan(1e17);
  });
});

describe('costRefusal', () => {
  it('refuses above the limit with the cost, the limit and the problem type', () => {
    const document = parse('{ entities(first: 1000) { edges { node { id name } } } }');
    expect(costRefusal(schema, document, undefined, {}, 4001)).toBeUndefined();
    const error = costRefusal(schema, document, undefined, {}, 4000);
    expect(error?.message).toMatch(/^Query cost 4001 exceeds the limit of 4000: /);
    expect(error?.extensions).toEqual({ code: 'QUERY_TOO_COMPLEX', type: 'urn:vg-datashare:problem:query-too-complex', limit: 4000, actual: 4001 });
  });
});
