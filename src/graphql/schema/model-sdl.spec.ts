import { buildSchema, GraphQLObjectType, isObjectType } from 'graphql';
import { loadModels } from 'src/models/model-registry';
import { DataModel } from 'src/models/data-model';
import { schemaSdl } from 'src/graphql/schema/model-sdl';
import { typeNameOf } from 'src/graphql/schema/graphql-names';

describe('schemaSdl', () => {
  const models = loadModels();
  const schema = buildSchema(schemaSdl(models));
  const type = (name: string) => schema.getType(name) as GraphQLObjectType;

  it('builds a valid schema with one entity type, connection and filter per registered model', () => {
    for (const model of models) {
      const name = typeNameOf(model);
      expect(isObjectType(schema.getType(name))).toBe(true);
      expect(type(name).getInterfaces().map((i) => i.name)).toEqual(['Entity']);
      expect(schema.getType(`${name}Connection`)).toBeDefined();
      expect(schema.getType(`${name}Filter`)).toBeDefined();
    }
    expect(Object.keys(schema.getQueryType()!.getFields())).toEqual(expect.arrayContaining(['entity', 'entities', 'waterQualityObserved', 'weatherObserved', 'datasets', 'dataModels']));
  });

  it('types fields by the model: numbers, units in descriptions, names GraphQL allows, relationships to their target', () => {
    const water = type('WaterQualityObserved').getFields();
    expect(String(water.temperature.type)).toBe('Float');
    expect(String(water.temperatureAttribute.type)).toBe('FloatAttribute');
    expect(String(water.N_TOT.type)).toBe('Float');
    expect(water.N_TOT.description).toContain('N-TOT');
    expect(String(type('WeatherObserved').getFields().refDevice.type)).toBe('Device');
    expect(String(water.location.type)).toBe('GeoJSON');
  });

  it('refuses two attributes that would be one field', () => {
    const clash: DataModel = {
      ...models[0],
      attributes: [
        { name: 'a-b', iri: 'https://example.org/a-b', kind: 'Property', valueType: 'number', description: { en: 'x' } },
        { name: 'a_b', iri: 'https://example.org/a_b', kind: 'Property', valueType: 'number', description: { en: 'y' } },
      ],
    };
    expect(() => schemaSdl([clash])).toThrow(/both map to the GraphQL field a_b/);
  });
});
