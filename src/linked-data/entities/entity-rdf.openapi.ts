import { applyDecorators } from '@nestjs/common';
import { ApiQuery } from '@nestjs/swagger';
import { JsonSchema } from 'src/common/openapi/openapi-answers';
import { RDF_MEDIA_TYPES } from 'src/linked-data/rdf/rdf-format';

const rdfText = (format: string): JsonSchema => ({ type: 'string', description: `The graph in ${format}` });

/** The RDF answers of the entity routes, beside their JSON ones. */
export const ENTITY_RDF_CONTENT: Readonly<Record<string, JsonSchema>> = {
  [RDF_MEDIA_TYPES.turtle]: rdfText('Turtle'),
  [RDF_MEDIA_TYPES['n-triples']]: rdfText('N-Triples'),
  [RDF_MEDIA_TYPES['n-quads']]: rdfText('N-Quads (the default graph)'),
  [RDF_MEDIA_TYPES['rdf-xml']]: rdfText('RDF/XML'),
};

/** `shape`: which graph an RDF answer holds. */
export const ApiRdfShapeParam = () =>
  applyDecorators(
    ApiQuery({
      name: 'shape',
      required: false,
      description:
        'The graph of an RDF answer (text/turtle, application/n-triples, application/n-quads, application/rdf+xml; with application/ld+json it asks for that graph in JSON-LD ' +
        'instead of the NGSI-LD document). faithful (the default): the NGSI-LD graph, as JSON-LD expansion of the normalized entity gives it (attributes reified: ngsi-ld:hasValue, ' +
        'ngsi-ld:observedAt, ...). simple: entity → attribute → value as typed literals, IRIs and language-tagged strings; each GeoProperty a GeoSPARQL geometry <entityId#attribute> ' +
        'with geo:asWKT; each value with observedAt also a sosa:Observation <entityId#attribute@observedAt>.',
      schema: { type: 'string', enum: ['faithful', 'simple'] },
    }),
  );
