import { assertRdfRepresentation, entityRdfRequestOf } from 'src/linked-data/entities/entity-rdf-request';
import { projectEntity } from 'src/linked-data/entities/entity-projection';
import { EntityData } from 'src/ngsi-ld/representation/entity.model';

describe('which answers are RDF', () => {
  it('takes the RDF media types, faithful by default, and leaves shape out of the parameters', () => {
    expect(entityRdfRequestOf('text/turtle', { attrs: 'a' })).toEqual({ rdf: { format: 'turtle', shape: 'faithful' }, params: { attrs: 'a' } });
    expect(entityRdfRequestOf('application/rdf+xml', { shape: 'simple' })).toEqual({ rdf: { format: 'rdf-xml', shape: 'simple' }, params: {} });
  });

  it('keeps application/ld+json the NGSI-LD answer unless shape asks for a graph', () => {
    expect(entityRdfRequestOf('application/ld+json', { attrs: 'a' })).toEqual({ params: { attrs: 'a' } });
    expect(entityRdfRequestOf('application/ld+json', { shape: 'simple' }).rdf).toEqual({ format: 'json-ld', shape: 'simple' });
    expect(entityRdfRequestOf('application/json', {})).toEqual({ params: {} });
  });

  it('refuses shape where there is no graph, and shapes it does not know', () => {
    expect(() => entityRdfRequestOf('application/json', { shape: 'simple' })).toThrow(/shape is for RDF answers/);
    expect(() => entityRdfRequestOf('application/geo+json', { shape: 'faithful' })).toThrow(/shape is for RDF answers/);
    expect(() => entityRdfRequestOf('text/turtle', { shape: 'flat' })).toThrow(/faithful or simple/);
    expect(() => entityRdfRequestOf('text/turtle', { shape: ['simple', 'faithful'] })).toThrow(/faithful or simple/);
  });

  it('refuses the JSON-only representations', () => {
    expect(() => assertRdfRepresentation({ format: 'keyValues', sysAttrs: false })).toThrow(/no keyValues form/);
    expect(() => assertRdfRepresentation({ format: 'normalized', sysAttrs: false, lang: 'sv' })).toThrow(/lang/);
    expect(() => assertRdfRepresentation({ format: 'normalized', sysAttrs: false, geometryProperty: 'location' })).toThrow(/geo\+json/);
    expect(() => assertRdfRepresentation({ format: 'normalized', sysAttrs: true, attrs: ['a'] })).not.toThrow();
  });
});

describe('projection of an entity before RDF', () => {
  const entity: EntityData = {
    id: 'urn:ngsi-ld:Thing:1',
    types: ['https://example.org/Thing'],
    scopes: ['/a'],
    attributes: {
      'https://example.org/a': [{ type: 'Property', value: 1 }, { type: 'Property', value: 2, datasetId: 'urn:ds:2' }],
      'https://example.org/b': [{ type: 'Property', value: 3 }],
    },
  };

  it('keeps the attributes and instances JSON would show', () => {
    expect(Object.keys(projectEntity(entity, { format: 'normalized', sysAttrs: false, projection: { attributes: new Set(['https://example.org/b']) } }).attributes)).toEqual([
      'https://example.org/b',
    ]);
    expect(projectEntity(entity, { format: 'normalized', sysAttrs: false, projection: { omitted: new Set(['https://example.org/b']) } }).attributes).not.toHaveProperty(['https://example.org/b']);
    const one = projectEntity(entity, { format: 'normalized', sysAttrs: false, datasetIds: new Set(['urn:ds:2']) });
    expect(one.attributes).toEqual({ 'https://example.org/a': [{ type: 'Property', value: 2, datasetId: 'urn:ds:2' }] });
  });

  it('drops type and scope when pick leaves them out, never the id', () => {
    const picked = projectEntity(entity, { format: 'normalized', sysAttrs: false, projection: { core: new Set(['id']), attributes: new Set() } });
    expect(picked).toMatchObject({ id: entity.id, types: [], scopes: null, attributes: {} });
  });
});
