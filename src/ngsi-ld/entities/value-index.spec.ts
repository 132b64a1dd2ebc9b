import { valueRows } from 'src/ngsi-ld/entities/value-index';

const A = 'https://example.org/a';

describe('valueRows', () => {
  it('types each scalar and reads every kind of value, and observedAt apart', () => {
    const rows = valueRows('urn:x:1', {
      [A]: [
        { type: 'Property', value: [1, 'two', true, null, { x: 1 }, [3]], observedAt: '2026-11-20T10:00:00.1234565Z' },
        { type: 'Relationship', object: 'urn:x:2' },
        { type: 'VocabProperty', vocab: ['https://v/a'] },
        { type: 'LanguageProperty', languageMap: { sv: 'hej', en: ['hi', 'hello'] } },
        { type: 'ListProperty', valueList: [2.5] },
        { type: 'JsonProperty', json: { a: 1 } },
      ],
    });
    expect(rows.map(({ member, num, txt, bool, ts }) => ({ member, num, txt, bool, ts }))).toEqual([
      { member: 'value', num: 1, txt: undefined, bool: undefined, ts: undefined },
      { member: 'value', num: undefined, txt: 'two', bool: undefined, ts: undefined },
      { member: 'value', num: undefined, txt: undefined, bool: true, ts: undefined },
      { member: 'object', num: undefined, txt: 'urn:x:2', bool: undefined, ts: undefined },
      { member: 'vocab', num: undefined, txt: 'https://v/a', bool: undefined, ts: undefined },
      { member: 'lang', num: undefined, txt: 'hej', bool: undefined, ts: undefined },
      { member: 'lang', num: undefined, txt: 'hi', bool: undefined, ts: undefined },
      { member: 'lang', num: undefined, txt: 'hello', bool: undefined, ts: undefined },
      { member: 'list', num: 2.5, txt: undefined, bool: undefined, ts: undefined },
      // As PostgreSQL rounds a fraction of seven digits: half to even, to the microsecond.
      { member: 'observedAt', num: undefined, txt: '2026-11-20T10:00:00.1234565Z', bool: undefined, ts: '1795168800123456' },
    ]);
  });

  it('indexes a date-time string as text and as a time, a typed value object as its value, and a day that does not exist as text only', () => {
    const rows = valueRows('urn:x:1', {
      [A]: [
        { type: 'Property', value: '2026-02-28T23:59:60+01:00' },
        { type: 'Property', value: { '@type': 'DateTime', '@value': '1970-01-01T00:00:01Z' } },
        { type: 'Property', value: '2026-02-30T00:00:00Z' },
        { type: 'Property', value: '2026-03-01T00:00Z' },
      ],
    });
    expect(rows.map((r) => [r.txt, r.ts])).toEqual([
      ['2026-02-28T23:59:60+01:00', String(BigInt(Date.UTC(2026, 1, 28, 23, 0, 0)) * 1000n)],
      ['1970-01-01T00:00:01Z', '1000000'],
      ['2026-02-30T00:00:00Z', undefined],
      ['2026-03-01T00:00Z', undefined],
    ]);
  });

  it('gives nothing for attributes without comparable values', () => {
    expect(valueRows('urn:x:1', { [A]: [{ type: 'GeoProperty', value: { type: 'Point', coordinates: [1, 2] } }, { type: 'JsonProperty', json: 'x' }] })).toEqual([]);
  });
});
