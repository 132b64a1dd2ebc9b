import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { InvalidModelDescriptions, loadModels, ModelRegistry } from 'src/models/model-registry';

const ELEVEN = [
  'AirQualityObserved', 'Alert', 'CrowdFlowObserved', 'Device', 'DeviceMeasurement', 'GreenspaceRecord',
  'Streetlight', 'WasteContainer', 'WaterConsumptionObserved', 'WaterQualityObserved', 'WeatherObserved',
];

describe('ModelRegistry', () => {
  const registry = new ModelRegistry();

  it('loads the eleven Smart Data Models the region uses', () => {
    expect(registry.all().map((m) => m.name)).toEqual(ELEVEN);
  });

  it('finds a model by name, type IRI and schema URL, which is what conformsTo may name', () => {
    const model = registry.byName('WaterQualityObserved')!;
    expect(model.typeIri).toBe('https://smartdatamodels.org/dataModel.WaterQuality/WaterQualityObserved');
    expect(registry.byTypeIri(model.typeIri)).toBe(model);
    expect(registry.bySchemaUrl(model.schemaUrl)).toBe(model);
    for (const key of [model.name, model.typeIri, model.schemaUrl]) expect(registry.resolve(key)).toBe(model);
    expect(registry.resolve('BathingWater')).toBeUndefined();
  });

  it('describes attributes with IRIs, kinds, types and units', () => {
    const water = registry.byName('WaterQualityObserved')!;
    const temperature = water.attributes.find((a) => a.name === 'temperature')!;
    expect(temperature).toMatchObject({ iri: 'https://smartdatamodels.org/dataModel.WaterQuality/temperature', kind: 'Property', valueType: 'number' });
    expect(temperature.description.sv).toBe('Vattentemperatur');
    expect(water.attributes.find((a) => a.name === 'Al')).toMatchObject({ unitCode: 'M1', minimum: 0 });
    expect(water.attributes.find((a) => a.name === 'N-TOT')).toBeDefined();
    expect(water.attributes.find((a) => a.name === 'location')).toMatchObject({ kind: 'GeoProperty', valueType: 'geometry' });
    const weather = registry.byName('WeatherObserved')!;
    expect(weather.attributes.find((a) => a.name === 'refDevice')).toMatchObject({ kind: 'Relationship', valueType: 'uri', targetModels: ['Device'] });
    for (const model of registry.all()) {
      expect(model.attributes.map((a) => a.name)).toEqual(expect.arrayContaining(['dateCreated', 'source', 'name', 'owner', 'seeAlso', 'location', 'address', 'areaServed']));
    }
  });

  it('generates the context of a registered context URL from the models that name it', () => {
    const document = registry.contextDocument('https://raw.githubusercontent.com/smart-data-models/dataModel.Device/master/context.jsonld')!;
    expect(document['@context']).toMatchObject({
      Device: 'https://smartdatamodels.org/dataModel.Device/Device',
      DeviceMeasurement: 'https://smartdatamodels.org/dataModel.Device/DeviceMeasurement',
      batteryLevel: 'https://smartdatamodels.org/dataModel.Device/batteryLevel',
    });
    expect(registry.contextDocument('https://example.org/context.jsonld')).toBeUndefined();
  });

  it('refuses broken descriptions at start-up, listing every problem', () => {
    const dir = mkdtempSync(join(tmpdir(), 'models-'));
    writeFileSync(join(dir, 'Broken.json'), JSON.stringify({ name: 'Broken', typeIri: 'not an iri', schemaUrl: 'https://x.org/s', contextUrls: [], description: { en: 'x' }, attributes: [] }));
    writeFileSync(join(dir, 'Bad.json'), '{');
    let error: unknown;
    try {
      loadModels(dir);
    } catch (thrown) {
      error = thrown;
    }
    expect(error).toBeInstanceOf(InvalidModelDescriptions);
    const problems = (error as InvalidModelDescriptions).problems;
    expect(problems).toEqual(expect.arrayContaining([expect.stringMatching(/^Bad\.json: not JSON/), expect.stringMatching(/^Broken\.json: typeIri/), expect.stringMatching(/^Broken\.json: attributes/)]));
  });
});
