import { fixtureCompiler } from 'src/jsonld/testing/context-fixtures';
import { CompiledContext } from 'src/jsonld/compiled-context';
import { DataModel } from 'src/models/data-model';
import { EntityData } from 'src/ngsi-ld/representation/entity.model';
import { LOCATION } from 'src/ngsi-ld/representation/ngsi-ld-vocabulary';
import { cellOf, chosenInstance, columnsOfModel, columnsOfSeen, currentHeader, currentRow, headerOf } from 'src/catalog/downloads/csv-layout';
import { MinimisedView } from 'src/governance/privacy/views/minimised-view';

const DEFAULT = 'https://uri.etsi.org/ngsi-ld/default-context/';
const TEMPERATURE = `${DEFAULT}temperature`;
const REF = `${DEFAULT}refDevice`;
const PERSON = `${DEFAULT}refPerson`;

let ctx: CompiledContext;
beforeAll(async () => {
  ctx = (await fixtureCompiler().compile(undefined)).compiled;
});

const model = {
  name: 'Thermometer',
  attributes: [
    { name: 'temperature', iri: TEMPERATURE, kind: 'Property', valueType: 'number', unitCode: 'CEL', description: { en: '' } },
    { name: 'location', iri: LOCATION, kind: 'GeoProperty', valueType: 'geometry', description: { en: '' } },
    { name: 'refPerson', iri: PERSON, kind: 'Relationship', valueType: 'uri', description: { en: '' } },
  ],
} as unknown as DataModel;

const minimised: MinimisedView = { removed: new Set([PERSON]) } as MinimisedView;

describe('CSV columns', () => {
  it('puts the unit in brackets after the name', () => {
    expect(headerOf('temperature', 'CEL')).toBe('temperature [CEL]');
    expect(headerOf('name')).toBe('name');
  });

  it('takes a model\'s attributes in its order, without location (its own columns) and without what the view removes', () => {
    expect(columnsOfModel(model, 'full').map((c) => c.header)).toEqual(['temperature [CEL]', 'refPerson']);
    expect(columnsOfModel(model, minimised).map((c) => c.header)).toEqual(['temperature [CEL]']);
  });

  it('names attributes seen by the context, sorted, with a unit only when all instances agree', () => {
    const seen = [
      { iri: TEMPERATURE, units: ['CEL'] },
      { iri: REF, units: [] },
      { iri: `${DEFAULT}level`, units: ['CMT', 'MTR'] },
      { iri: LOCATION, units: [] },
      { iri: PERSON, units: [] },
    ];
    expect(columnsOfSeen(seen, minimised, ctx).map((c) => c.header)).toEqual(['level', 'refDevice', 'temperature [CEL]']);
  });

  it('frames them with id, type, coordinates, WKT and observedAt', () => {
    expect(currentHeader([{ iri: TEMPERATURE, header: 't' }])).toEqual(['id', 'type', 't', 'longitude', 'latitude', 'location', 'observedAt']);
  });
});

describe('CSV rows', () => {
  const entity: EntityData = {
    id: 'urn:ngsi-ld:Thermometer:1',
    types: [`${DEFAULT}Thermometer`],
    scopes: null,
    attributes: {
      [TEMPERATURE]: [
        { type: 'Property', value: 3, datasetId: 'urn:ngsi-ld:Dataset:b', observedAt: '2026-11-30T11:00:00.000Z' },
        { type: 'Property', value: 2.5, observedAt: '2026-11-30T10:00:00.000Z' },
      ],
      [REF]: [{ type: 'Relationship', object: 'urn:ngsi-ld:Device:7' }],
      [LOCATION]: [{ type: 'GeoProperty', value: { type: 'Point', coordinates: [11.9, 57.7] } }],
    },
  };

  it('shows the default instance, a relationship\'s object, coordinates, WKT and the latest observedAt', () => {
    const columns = [
      { iri: TEMPERATURE, header: 'temperature' },
      { iri: REF, header: 'refDevice' },
      { iri: PERSON, header: 'refPerson' },
    ];
    expect(currentRow(ctx, entity, columns)).toEqual([
      'urn:ngsi-ld:Thermometer:1',
      'Thermometer',
      2.5,
      'urn:ngsi-ld:Device:7',
      null,
      11.9,
      57.7,
      'POINT (11.9 57.7)',
      '2026-11-30T11:00:00.000Z',
    ]);
  });

  it('writes cells as text, numbers, booleans as words, structures as JSON', () => {
    expect(cellOf('x')).toBe('x');
    expect(cellOf(-1.5)).toBe(-1.5);
    expect(cellOf(false)).toBe('false');
    expect(cellOf(null)).toBeNull();
    expect(cellOf({ a: [1] })).toBe('{"a":[1]}');
  });

  it('takes the first instance when none is the default one', () => {
    expect(chosenInstance([{ type: 'Property', value: 1, datasetId: 'urn:a' }])?.value).toBe(1);
    expect(chosenInstance(undefined)).toBeUndefined();
  });
});
