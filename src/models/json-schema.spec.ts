import Ajv2020 from 'ajv/dist/2020';
import addFormats from 'ajv-formats';
import { DataModel } from 'src/models/data-model';
import { jsonSchemaOf, validatedForm, valueSchema } from 'src/models/json-schema';

const NS = 'https://example.org/m/';
const model: DataModel = {
  name: 'Probe',
  typeIri: `${NS}Probe`,
  schemaUrl: `${NS}Probe/schema.json`,
  contextUrls: [],
  description: { en: 'A test model' },
  required: ['dateObserved'],
  attributes: [
    { name: 'temperature', iri: `${NS}temperature`, kind: 'Property', valueType: 'number', minimum: -50, description: { en: 't' } },
    { name: 'status', iri: `${NS}status`, kind: 'Property', valueType: 'string', enum: ['ok', 'broken'], description: { en: 's' } },
    { name: 'dateObserved', iri: `${NS}dateObserved`, kind: 'Property', valueType: 'dateTime', description: { en: 'd' } },
    { name: 'tags', iri: `${NS}tags`, kind: 'Property', valueType: 'array', itemType: 'string', description: { en: 'g' } },
    { name: 'visibility', iri: `${NS}visibility`, kind: 'Property', valueType: 'string', alsoValueTypes: ['number'], enum: ['good', 'poor'], description: { en: 'v' } },
    { name: 'refDevice', iri: `${NS}refDevice`, kind: 'Relationship', valueType: 'uri', description: { en: 'r' } },
    { name: 'location', iri: 'https://uri.etsi.org/ngsi-ld/location', kind: 'GeoProperty', valueType: 'geometry', description: { en: 'l' } },
  ],
};

const newAjv = () => addFormats(new Ajv2020({ strict: true, allErrors: true, allowUnionTypes: true }));
const validate = (mode: 'create' | 'change', attributes: Record<string, unknown[]>, types = [model.typeIri]) => {
  const check = newAjv().compile(jsonSchemaOf(model, mode));
  const entity = validatedForm(model, { id: 'urn:ngsi-ld:Probe:1', types, attributes: attributes as never });
  return check(entity) ? [] : check.errors!.map((e) => `${e.instancePath} ${e.keyword}`);
};

describe('jsonSchemaOf', () => {
  it('is a draft 2020-12 schema that Ajv2020 compiles in strict mode', () => {
    const schema = jsonSchemaOf(model, 'create');
    expect(schema.$schema).toBe('https://json-schema.org/draft/2020-12/schema');
    expect(() => newAjv().compile(schema)).not.toThrow();
  });

  it('accepts an entity in expanded form, with typed literals and references as JSON-LD stores them', () => {
    expect(
      validate('create', {
        [`${NS}temperature`]: [{ type: 'Property', value: 12.5, unitCode: 'CEL' }],
        [`${NS}dateObserved`]: [{ type: 'Property', value: { '@type': 'https://uri.etsi.org/ngsi-ld/DateTime', '@value': '2026-06-01T10:00:00Z' } }],
        [`${NS}tags`]: [{ type: 'Property', value: 'single' }],
        [`${NS}visibility`]: [{ type: 'Property', value: 3.5 }],
        [`${NS}refDevice`]: [{ type: 'Relationship', object: 'urn:ngsi-ld:Device:1' }],
        'https://uri.etsi.org/ngsi-ld/location': [{ type: 'GeoProperty', value: { type: 'Point', coordinates: [11.9, 57.7] } }],
        'https://example.org/other/unknown': [{ type: 'Property', value: 'extra attributes are allowed' }],
      }),
    ).toEqual([]);
  });

  it('requires the model\'s required attributes on create, not on change', () => {
    expect(validate('create', {})).toEqual(['/attributes required']);
    expect(validate('change', {})).toEqual([]);
  });

  it('checks value type, enumeration, bounds, format and kind per attribute', () => {
    const errors = validate('change', {
      [`${NS}temperature`]: [{ type: 'Property', value: -60 }],
      [`${NS}status`]: [{ type: 'Property', value: 'lost' }],
      [`${NS}dateObserved`]: [{ type: 'Property', value: 'yesterday' }],
      [`${NS}refDevice`]: [{ type: 'Property', value: 'urn:ngsi-ld:Device:1' }],
    });
    expect(errors).toEqual(
      expect.arrayContaining([
        `/attributes/${NS.replace(/\//g, '~1')}temperature/0/value minimum`,
        `/attributes/${NS.replace(/\//g, '~1')}status/0/value enum`,
        `/attributes/${NS.replace(/\//g, '~1')}dateObserved/0/value format`,
        `/attributes/${NS.replace(/\//g, '~1')}refDevice/0/type const`,
      ]),
    );
  });

  it('requires the model\'s type', () => {
    expect(validate('change', {}, [`${NS}Other`])).toContain('/types contains');
  });

  it('applies an enumeration only to the string alternative of a value', () => {
    const visibility = model.attributes.find((a) => a.name === 'visibility')!;
    const check = newAjv().compile(valueSchema(visibility));
    expect([check('good'), check(12), check('foggy'), check(true)]).toEqual([true, true, false, false]);
  });
});
