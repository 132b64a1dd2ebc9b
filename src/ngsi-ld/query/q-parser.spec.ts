import fc from 'fast-check';
import { BadRequestData } from 'src/common/problem/ngsi-ld-errors';
import { parseQ, QExpression } from 'src/ngsi-ld/query/q-parser';

const path = (attribute: string, subPath: string[] = [], compound: string[] = []) => ({ attribute, subPath, compound });

describe('parseQ', () => {
  it.each<[string, QExpression]>([
    ['temperature', { kind: 'exists', path: path('temperature') }],
    ['!temperature', { kind: 'not', term: { kind: 'exists', path: path('temperature') } }],
    ['temperature>20', { kind: 'compare', path: path('temperature'), op: '>', values: [{ kind: 'number', value: 20 }] }],
    ['temperature<=-3.5e1', { kind: 'compare', path: path('temperature'), op: '<=', values: [{ kind: 'number', value: -35 }] }],
    ['name=="Lindholmen"', { kind: 'compare', path: path('name'), op: '==', values: [{ kind: 'string', value: 'Lindholmen' }] }],
    ['name=="say \\"hi\\""', { kind: 'compare', path: path('name'), op: '==', values: [{ kind: 'string', value: 'say "hi"' }] }],
    ['open==true', { kind: 'compare', path: path('open'), op: '==', values: [{ kind: 'boolean', value: true }] }],
    ['refDevice==urn:ngsi-ld:Device:1', { kind: 'compare', path: path('refDevice'), op: '==', values: [{ kind: 'uri', value: 'urn:ngsi-ld:Device:1' }] }],
    ['level==1,2,3', { kind: 'compare', path: path('level'), op: '==', values: [1, 2, 3].map((value) => ({ kind: 'number' as const, value })) }],
    ['level!="a","b"', { kind: 'compare', path: path('level'), op: '!=', values: [{ kind: 'string', value: 'a' }, { kind: 'string', value: 'b' }] }],
    ['temperature==10..20', { kind: 'range', path: path('temperature'), negated: false, from: { kind: 'number', value: 10 }, to: { kind: 'number', value: 20 } }],
    [
      'dateObserved==2026-01-01T00:00:00Z..2026-02-01T00:00:00+01:00',
      {
        kind: 'range',
        path: path('dateObserved'),
        negated: false,
        from: { kind: 'dateTime', value: '2026-01-01T00:00:00Z' },
        to: { kind: 'dateTime', value: '2026-02-01T00:00:00+01:00' },
      },
    ],
    ['temperature.observedAt>=2026-11-20T10:00', { kind: 'compare', path: path('temperature', ['observedAt']), op: '>=', values: [{ kind: 'dateTime', value: '2026-11-20T10:00Z' }] }],
    ['day==2026-11-20', { kind: 'compare', path: path('day'), op: '==', values: [{ kind: 'date', value: '2026-11-20' }] }],
    ['opens<08:30:00', { kind: 'compare', path: path('opens'), op: '<', values: [{ kind: 'time', value: '08:30:00' }] }],
    ['temperature.accuracy<0.5', { kind: 'compare', path: path('temperature', ['accuracy']), op: '<', values: [{ kind: 'number', value: 0.5 }] }],
    ['address[streetAddress]=="Kungsgatan 1"', { kind: 'compare', path: path('address', [], ['streetAddress']), op: '==', values: [{ kind: 'string', value: 'Kungsgatan 1' }] }],
    ['a[b][c]==1', { kind: 'compare', path: path('a', [], ['b', 'c']), op: '==', values: [{ kind: 'number', value: 1 }] }],
    ['a[b.c]==1', { kind: 'compare', path: path('a', [], ['b', 'c']), op: '==', values: [{ kind: 'number', value: 1 }] }],
    ['sdm:temperature>1', { kind: 'compare', path: path('sdm:temperature'), op: '>', values: [{ kind: 'number', value: 1 }] }],
    ['name~="^Göt.*"', { kind: 'pattern', path: path('name'), negated: false, regex: '^Göt.*' }],
    ['name!~=(?i)borås', { kind: 'pattern', path: path('name'), negated: true, regex: '(?i)borås' }],
  ])('parses %s', (text, expected) => {
    expect(parseQ(text)).toEqual(expected);
  });

  it('gives ";" precedence over "|" and honours parentheses', () => {
    expect(parseQ('a|b;c')).toEqual({
      kind: 'or',
      terms: [{ kind: 'exists', path: path('a') }, { kind: 'and', terms: [{ kind: 'exists', path: path('b') }, { kind: 'exists', path: path('c') }] }],
    });
    expect(parseQ('(a|b);!(c==1)')).toEqual({
      kind: 'and',
      terms: [
        { kind: 'or', terms: [{ kind: 'exists', path: path('a') }, { kind: 'exists', path: path('b') }] },
        { kind: 'not', term: { kind: 'compare', path: path('c'), op: '==', values: [{ kind: 'number', value: 1 }] } },
      ],
    });
  });

  it('tolerates blanks between tokens', () => {
    expect(parseQ(' temperature > 20 ; name == "x" ')).toEqual(parseQ('temperature>20;name=="x"'));
  });

  it.each([
    ['', /empty/],
    ['temperature>', /position 13: expected a value/],
    ['temperature>>1', /expected a value/],
    ['temperature==1..', /expected a value/],
    ['temperature>1..5', /ranges go with == and !=/],
    ['temperature>1,2', /lists go with == and !=/],
    ['(a;b', /expected "\)"/],
    ['a;;b', /expected an attribute name/],
    ['a b', /expected ";", "\|", an operator or the end/],
    ['name=="open', /closing quote/],
    ['a[b==1', /expected "\]"/],
    ['d==2026-13-45T99:99:99Z', /a date-time that exists/],
    ['d==2026-02-30T00:00:00Z', /position 4: expected a date-time that exists, not 2026-02-30T00:00:00Z/],
    ['d==2026-04-31T12:00', /a date-time that exists/],
    ['d>0000-01-01T00:00:00Z', /a date-time that exists/],
    ['d==2026-02-30', /a date that exists/],
    ['d==2026-04-31', /a date that exists/],
    ['d==0000-00-00', /a date that exists/],
    ['d==2026-01-01..2026-02-29', /a date that exists/],
    ['t<25:00:00', /a time that exists/],
    ['x==1e999', /finite number/],
    ['a~=', /regular expression/],
  ])('refuses %p', (text, message) => {
    expect(() => parseQ(text)).toThrow(BadRequestData);
    expect(() => parseQ(text)).toThrow(message);
  });

  it('takes dates and times that exist, by the rules PostgreSQL reads them with', () => {
    for (const value of ['2024-02-29', '2026-12-31T23:59:59.999Z', '2026-02-28T24:00:00Z', '2016-12-31T23:59:60Z']) {
      expect(() => parseQ(`d==${value}`)).not.toThrow();
    }
    expect(parseQ('t>=23:59:59')).toMatchObject({ values: [{ kind: 'time', value: '23:59:59' }] });
  });

  it('refuses very long or deeply nested input', () => {
    expect(() => parseQ('a'.repeat(5000))).toThrow(/longer than/);
    expect(() => parseQ(`${'('.repeat(40)}a${')'.repeat(40)}`)).toThrow(/deeper than/);
  });

  it('never fails other than with BadRequestData, whatever it is given', () => {
    const alphabet = fc.constantFrom(...'ab_:.[]()!=<>~;|,"\\ 0123456789-TZe+.#/tfrueals'.split(''));
    fc.assert(
      fc.property(fc.oneof(fc.string(), fc.string({ unit: alphabet, maxLength: 60 })), (text) => {
        try {
          parseQ(text);
        } catch (error) {
          if (!(error instanceof BadRequestData)) throw error;
        }
      }),
      { numRuns: 5000 },
    );
  });

  it('reads back what it prints, for generated expressions', () => {
    fc.assert(
      fc.property(qExpressionText(), (text) => {
        expect(() => parseQ(text)).not.toThrow();
      }),
      { numRuns: 2000 },
    );
  });
});

/** Well-formed q expressions, built from the grammar. */
function qExpressionText(): fc.Arbitrary<string> {
  const name = fc.constantFrom('temperature', 'a', 'sdm:level', 'refDevice', 'x_1');
  const attribute = fc
    .tuple(name, fc.array(fc.constantFrom('observedAt', 'accuracy'), { maxLength: 2 }), fc.array(fc.constantFrom('b', 'c.d'), { maxLength: 2 }))
    .map(([n, sub, compound]) => [n, ...sub].join('.') + compound.map((c) => `[${c}]`).join(''));
  const value = fc.oneof(
    fc.double({ noNaN: true, noDefaultInfinity: true, min: -1e9, max: 1e9 }).map((n) => String(n)),
    fc.string({ maxLength: 8 }).map((s) => JSON.stringify(s)),
    fc.constantFrom('true', 'false', '2026-11-20T10:00:00Z', '2026-11-20', 'urn:ngsi-ld:Device:1'),
  );
  const term = fc.oneof(
    attribute,
    fc.tuple(attribute, fc.constantFrom('==', '!=', '>', '>=', '<', '<='), value).map(([a, op, v]) => `${a}${op}${v}`),
    fc.tuple(attribute, fc.array(value, { minLength: 2, maxLength: 3 })).map(([a, vs]) => `${a}==${vs.join(',')}`),
    fc.tuple(attribute, fc.integer(), fc.integer()).map(([a, x, y]) => `${a}==${x}..${y}`),
  );
  const { expression } = fc.letrec<{ expression: string }>((tie) => ({
    expression: fc.oneof(
      { depthSize: 'small' },
      term,
      fc.tuple(tie('expression'), fc.constantFrom(';', '|'), tie('expression')).map(([l, op, r]) => `${l}${op}${r}`),
      tie('expression').map((e) => `(${e})`),
      tie('expression').map((e) => `!(${e})`),
    ),
  }));
  return expression;
}
