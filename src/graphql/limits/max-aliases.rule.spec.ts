import { parse, specifiedRules, validate } from 'graphql';
import { maxAliasesRule } from 'src/graphql/limits/max-aliases.rule';
import { limitsTestSchema } from 'src/graphql/limits/testing/limits-test-schema';

const schema = limitsTestSchema();
const aliases = (n: number) => Array.from({ length: n }, (_, i) => `a${i}: hello`).join(' ');

describe('maxAliasesRule', () => {
  it('lets up to the limit through and refuses one more, counting fragments too', () => {
    expect(validate(schema, parse(`{ ${aliases(3)} }`), [...specifiedRules, maxAliasesRule(3)])).toEqual([]);
    const errors = validate(schema, parse(`{ ${aliases(2)} ...F } fragment F on Query { x: hello y: hello }`), [...specifiedRules, maxAliasesRule(3)]);
    expect(errors).toHaveLength(1);
    expect(errors[0].message).toBe('The document has 4 aliased fields, more than the limit of 3; ask for fewer copies of a field, or page through one');
    expect(errors[0].extensions).toEqual({ code: 'TOO_MANY_ALIASES', type: 'urn:vg-datashare:problem:too-many-aliases', limit: 3, actual: 4 });
  });

  it('refuses every alias when the limit is 0', () => {
    expect(validate(schema, parse('{ hello }'), [maxAliasesRule(0)])).toEqual([]);
    expect(validate(schema, parse('{ h: hello }'), [maxAliasesRule(0)])).toHaveLength(1);
  });
});
