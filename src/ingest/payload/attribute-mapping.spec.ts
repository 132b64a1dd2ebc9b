import { AttributeMapping, mapFields, pathReader } from 'src/ingest/payload/attribute-mapping';

const T = 'https://smartdatamodels.org/dataModel.Environment/temperature';
const B = 'https://smartdatamodels.org/dataModel.Environment/batteryLevel';
const S = 'https://smartdatamodels.org/dataModel.Environment/status';
const mapping: AttributeMapping[] = [
  { field: 'temp', attribute: T, type: 'number', unitCode: 'CEL', scale: 0.1, offset: -40, min: -40, max: 60 },
  { field: 'power.battery', attribute: B, type: 'number', min: 0, max: 1 },
  { field: 'state', attribute: S, type: 'string' },
];

describe('mapFields', () => {
  it('scales, adds the unit and keys values by attribute IRI; absent fields are skipped', () => {
    const result = mapFields(pathReader({ temp: 523, power: { battery: 0.87 }, other: 1 }), mapping);
    expect(result).toEqual({ ok: true, attributes: new Map([[T, { value: 12.3, unitCode: 'CEL' }], [B, { value: 0.87 }]]) });
  });

  it('refuses a value out of the declared range, after scaling', () => {
    const result = mapFields(pathReader({ temp: 1100 }), mapping);
    expect(result).toEqual({ ok: false, reason: 'temp: 70 is above the declared maximum 60' });
  });

  it('refuses wrong types, naming every problem, and keeps nothing of the message', () => {
    const result = mapFields(pathReader({ temp: '12', power: { battery: true }, state: 'ok' }), mapping);
    expect(result.ok).toBe(false);
    expect(!result.ok && result.reason).toMatch(/temp: expected a number, got the string "12"; power.battery: expected a number, got boolean true/);
  });

  it('refuses a payload that has none of the mapped fields', () => {
    expect(mapFields(pathReader({ humidity: 40 }), mapping)).toEqual({ ok: false, reason: 'the payload has none of the mapped fields (temp, power.battery, state)' });
  });

  it('treats null as absent and never reads inherited members', () => {
    expect(mapFields(pathReader({ temp: null, state: 'open' }), mapping)).toEqual({ ok: true, attributes: new Map([[S, { value: 'open' }]]) });
    expect(pathReader({})('constructor')).toBeUndefined();
    expect(pathReader({ a: [1] })('a.0')).toBeUndefined();
  });

  it('refuses strings PostgreSQL cannot store and numbers that overflow when scaled', () => {
    expect(mapFields(pathReader({ state: 'a\u0000b' }), mapping)).toMatchObject({ ok: false, reason: expect.stringMatching(/NUL/) });
    expect(mapFields(pathReader({ state: 'a\ud800' }), mapping)).toMatchObject({ ok: false });
    expect(mapFields(pathReader({ state: 'ok \ud83c\udf0a' }), mapping)).toMatchObject({ ok: true });
    const huge: AttributeMapping[] = [{ field: 'x', attribute: T, type: 'number', scale: 1e10 }];
    expect(mapFields(pathReader({ x: 1e300 }), huge)).toMatchObject({ ok: false, reason: expect.stringMatching(/out of range once scaled/) });
  });
});
