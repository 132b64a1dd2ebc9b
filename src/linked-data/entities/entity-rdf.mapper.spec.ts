import type { Quad } from '@rdfjs/types';
import { Parser } from 'n3';
import { withScopedContexts } from 'src/jsonld/compiled-context';
import { fixtureCompiler } from 'src/jsonld/testing/context-fixtures';
import { JsonObject } from 'src/jsonld/value-codec';
import { compactEntity } from 'src/ngsi-ld/representation/entity-compactor';
import { expandEntity } from 'src/ngsi-ld/representation/entity-expander';
import { EntityData } from 'src/ngsi-ld/representation/entity.model';
import { ENTITY_FIXTURES, EntityFixture } from 'src/ngsi-ld/representation/testing/entity-fixtures';
import { entityToQuads } from 'src/linked-data/entities/entity-rdf.mapper';
import { canonicalJsonLd, canonicalQuads, toNQuads } from 'src/linked-data/entities/testing/canonical-graph';

/*
 * The faithful graph must be exactly what the reference JSON-LD processor makes of the entity's
 * normalized representation (the application/ld+json answer); the simple graph is checked for
 * what a SPARQL user would query.
 */

const NOW = '2026-11-23T12:00:00.000Z';
const compiler = fixtureCompiler();

async function prepare(fixture: EntityFixture, sysAttrs = false) {
  const request = await compiler.compile(fixture.context);
  const stored = await withScopedContexts(() => expandEntity(request.compiled, fixture.entity, NOW));
  const entity: EntityData = sysAttrs ? { ...stored, createdAt: NOW, modifiedAt: NOW } : stored;
  const compacted = await withScopedContexts(() => compactEntity(request.compiled, entity, { format: 'normalized', sysAttrs }));
  const user = fixture.context === undefined ? [] : [fixture.context].flat();
  const core = user.some((c) => typeof c === 'string' && c.startsWith('https://uri.etsi.org/')) ? [] : [request.coreContextUrl];
  // What GET /ngsi-ld/v1/entities/{id} answers as application/ld+json.
  const answer = { '@context': [...user, ...core] as JsonObject[], ...compacted };
  return { entity, answer };
}

describe.each(ENTITY_FIXTURES.map((f) => [f.name, f] as const))('faithful graph: %s', (_name, fixture) => {
  it('equals jsonld.toRDF of the application/ld+json answer', async () => {
    const { entity, answer } = await prepare(fixture);
    const reference = await canonicalJsonLd(answer);
    expect(reference.length).toBeGreaterThan(0);
    expect(await canonicalQuads(entityToQuads(entity, 'faithful'))).toBe(reference);
  });

  it('equals it with system times (options=sysAttrs)', async () => {
    const { entity, answer } = await prepare(fixture, true);
    expect(await canonicalQuads(entityToQuads(entity, 'faithful', { sysAttrs: true }))).toBe(await canonicalJsonLd(answer));
  });
});

const ns = (text: string) => text.replace(/\s+/g, ' ').trim();
const lines = (quads: Quad[]) => toNQuads(quads).split('\n').filter(Boolean);

describe('simple graph', () => {
  const SDM = 'https://smartdatamodels.org/';
  const WEATHER = 'https://smartdatamodels.org/dataModel.Weather/';
  const id = 'urn:ngsi-ld:WeatherObserved:Gothenburg-Lindholmen';

  it('says entity → attribute → value with typed literals, language tags and IRIs', async () => {
    const { entity } = await prepare(ENTITY_FIXTURES[0]);
    const out = lines(entityToQuads(entity, 'simple'));
    expect(out).toEqual(
      expect.arrayContaining([
        `<${id}> <http://www.w3.org/1999/02/22-rdf-syntax-ns#type> <${WEATHER}WeatherObserved> .`,
        `<${id}> <${WEATHER}temperature> "8.4"^^<http://www.w3.org/2001/XMLSchema#double> .`,
        `<${id}> <${WEATHER}relativeHumidity> "0.81"^^<http://www.w3.org/2001/XMLSchema#double> .`,
        `<${id}> <${WEATHER}refDevice> <urn:ngsi-ld:Device:vaisala-17> .`,
        `<${id}> <${SDM}dateObserved> "2026-11-20T10:00:00Z"^^<http://www.w3.org/2001/XMLSchema#dateTime> .`,
        `<${id}> <https://schema.org/name> "Väderstation Lindholmen"@sv .`,
        `<${id}> <https://schema.org/name> "Lindholmen weather station"@en .`,
        `<${id}> <${WEATHER}weatherType> <${WEATHER}Sunny> .`,
      ]),
    );
    // Sub-attributes (accuracy) belong to the faithful graph only.
    expect(out.join('\n')).not.toContain(`${SDM}accuracy`);
  });

  it('makes each GeoProperty a GeoSPARQL geometry with an IRI of its own', async () => {
    const { entity } = await prepare(ENTITY_FIXTURES[0]);
    const turtle = toNQuads(entityToQuads(entity, 'simple'));
    const geometry = `<${id}#location>`;
    expect(turtle).toContain(`<${id}> <https://uri.etsi.org/ngsi-ld/location> ${geometry} .`);
    expect(turtle).toContain(`<${id}> <http://www.opengis.net/ont/geosparql#hasDefaultGeometry> ${geometry} .`);
    expect(turtle).toContain(`<${id}> <http://www.opengis.net/ont/geosparql#hasGeometry> ${geometry} .`);
    expect(turtle).toContain(`${geometry} <http://www.opengis.net/ont/geosparql#asWKT> "POINT(11.9375 57.7072)"^^<http://www.opengis.net/ont/geosparql#wktLiteral> .`);
    expect(turtle).toContain(`<${id}> <http://www.w3.org/1999/02/22-rdf-syntax-ns#type> <http://www.opengis.net/ont/geosparql#Feature> .`);
  });

  it('adds a SOSA observation for each value with observedAt', async () => {
    const { entity } = await prepare(ENTITY_FIXTURES[0]);
    const out = toNQuads(entityToQuads(entity, 'simple'));
    const observation = `<${id}#temperature@2026-11-20T10:00:00.000Z>`;
    const sosa = 'http://www.w3.org/ns/sosa/';
    for (const line of [
      `${observation} <http://www.w3.org/1999/02/22-rdf-syntax-ns#type> <${sosa}Observation> .`,
      `${observation} <${sosa}hasFeatureOfInterest> <${id}> .`,
      `${observation} <${sosa}observedProperty> <${WEATHER}temperature> .`,
      `${observation} <${sosa}hasSimpleResult> "8.4"^^<http://www.w3.org/2001/XMLSchema#double> .`,
      `${observation} <${sosa}resultTime> "2026-11-20T10:00:00.000Z"^^<http://www.w3.org/2001/XMLSchema#dateTime> .`,
      `${observation} <https://uri.etsi.org/ngsi-ld/unitCode> "CEL" .`,
    ]) {
      expect(out).toContain(line);
    }
  });

  it('gives an observed relationship as sosa:hasResult, a literal as sosa:hasSimpleResult', async () => {
    const entity: EntityData = {
      id: 'urn:ngsi-ld:Buoy:1',
      types: ['https://example.org/Buoy'],
      scopes: null,
      attributes: { 'https://example.org/heldBy': [{ type: 'Relationship', object: 'urn:ngsi-ld:Person:2', observedAt: '2026-11-20T10:00:00Z' }] },
    };
    const out = toNQuads(entityToQuads(entity, 'simple'));
    expect(out).toContain('<urn:ngsi-ld:Buoy:1#heldBy@2026-11-20T10:00:00.000Z> <http://www.w3.org/ns/sosa/hasResult> <urn:ngsi-ld:Person:2> .');
    expect(out).not.toContain('hasSimpleResult');
  });

  it('gives every instance of a multi-instance attribute, each observation its own IRI', async () => {
    const { entity } = await prepare(ENTITY_FIXTURES[1]);
    const out = lines(entityToQuads(entity, 'simple'));
    const values = out.filter((l) => l.startsWith('<urn:ngsi-ld:WeatherObserved:Boras-1> <https://smartdatamodels.org/dataModel.Weather/temperature>'));
    expect(values).toHaveLength(3);
    const observations = new Set(out.filter((l) => l.includes('sosa/Observation')).map((l) => l.split(' ')[0]));
    expect(observations.size).toBe(2);
  });

  it('writes polygons and heights as WKT, and is valid Turtle-compatible RDF for every fixture', async () => {
    const { entity } = await prepare(ENTITY_FIXTURES[2]);
    expect(toNQuads(entityToQuads(entity, 'simple'))).toContain('"POLYGON((11.94 57.68, 11.95 57.68, 11.95 57.69, 11.94 57.68))"');
    for (const fixture of ENTITY_FIXTURES) {
      const quads = entityToQuads((await prepare(fixture)).entity, 'simple');
      expect(new Parser({ format: 'N-Quads' }).parse(toNQuads(quads))).toHaveLength(quads.length);
    }
  });

  it('is stable: the same entity gives the same named nodes', async () => {
    const { entity } = await prepare(ENTITY_FIXTURES[1]);
    const named = (quads: Quad[]) => ns(lines(quads).filter((l) => !l.includes('_:')).sort().join('\n'));
    expect(named(entityToQuads(entity, 'simple'))).toBe(named(entityToQuads(entity, 'simple')));
  });
});
