import { typedValueOf } from 'src/graphql/mapping/attribute-values';

describe('typedValueOf', () => {
  const number = { kind: 'Property', valueType: 'number' } as const;
  it('gives values that fit the model and null for those that do not', () => {
    expect(typedValueOf(number, { type: 'Property', value: 24.4 })).toBe(24.4);
    expect(typedValueOf(number, { type: 'Property', value: '24.4' })).toBeNull();
    expect(typedValueOf({ kind: 'Property', valueType: 'integer' }, { type: 'Property', value: 2.5 })).toBeNull();
    expect(typedValueOf({ kind: 'Property', valueType: 'dateTime' }, { type: 'Property', value: { '@type': 'DateTime', '@value': '2017-01-31T06:45:00Z' } })).toBe('2017-01-31T06:45:00.000Z');
    expect(typedValueOf({ kind: 'Property', valueType: 'array', itemType: 'string' }, { type: 'Property', value: ['a', 'b'] })).toEqual(['a', 'b']);
    expect(typedValueOf({ kind: 'Property', valueType: 'array', itemType: 'string' }, { type: 'Property', value: ['a', 1] })).toBeNull();
    expect(typedValueOf({ kind: 'Relationship', valueType: 'uri' }, { type: 'Relationship', object: 'urn:ngsi-ld:Device:1' })).toBe('urn:ngsi-ld:Device:1');
    expect(typedValueOf({ kind: 'Property', valueType: 'string' }, { type: 'LanguageProperty', languageMap: { en: 'Lake', sv: 'Sjö' } })).toBe('Sjö');
  });
});
