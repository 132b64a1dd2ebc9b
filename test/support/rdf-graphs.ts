import type { Quad } from '@rdfjs/types';
import * as jsonld from 'jsonld';
import { DataFactory, Parser, Writer } from 'n3';
import { Readable } from 'node:stream';
import { RdfXmlParser } from 'rdfxml-streaming-parser';

/** The RDF formats tests read back, named by media type. */
export type ParsedFormat = 'text/turtle' | 'application/n-triples' | 'application/n-quads' | 'application/rdf+xml' | 'application/ld+json';

const refuseToLoad = (url: string) => Promise.reject(new Error(`tests load no remote document (${url})`));

/**
 * A document parsed with a parser that is not the writer's: n3 for Turtle and N-Triples/N-Quads,
 * rdfxml-streaming-parser for RDF/XML, the jsonld library for JSON-LD.
 */
export async function parseRdf(text: string, mediaType: ParsedFormat, baseIRI?: string): Promise<Quad[]> {
  if (mediaType === 'application/rdf+xml') {
    const quads: Quad[] = [];
    const parser = new RdfXmlParser({ baseIRI });
    await new Promise<void>((resolve, reject) => {
      Readable.from([text]).pipe(parser).on('data', (quad: Quad) => quads.push(quad)).on('error', reject).on('end', resolve);
    });
    return quads;
  }
  if (mediaType === 'application/ld+json') {
    const nQuads = (await jsonld.toRDF(JSON.parse(text), { format: 'application/n-quads', documentLoader: refuseToLoad } as unknown as jsonld.Options.ToRdf)) as unknown as string;
    return new Parser({ format: 'N-Quads' }).parse(nQuads);
  }
  const format = { 'text/turtle': 'Turtle', 'application/n-triples': 'N-Triples', 'application/n-quads': 'N-Quads' }[mediaType];
  return new Parser({ format, baseIRI }).parse(text);
}

const XSD_DOUBLE = 'http://www.w3.org/2001/XMLSchema#double';

/**
 * The graph in canonical N-Quads (RDF Dataset Canonicalization), one quad a line, sorted: two
 * graphs are the same (isomorphic, blank nodes included) exactly when these strings are equal.
 * xsd:double literals compare by value: the jsonld library rewrites "21.5" as "2.15E1" when it
 * reads JSON-LD, which is the same number.
 */
export async function canonicalGraph(quads: readonly Quad[]): Promise<string> {
  const writer = new Writer({ format: 'N-Quads' });
  writer.addQuads(quads.map(withDoublesByValue));
  const nQuads = await new Promise<string>((resolve, reject) => writer.end((error, result: string) => (error ? reject(error) : resolve(result))));
  return (await jsonld.canonize(nQuads as unknown as jsonld.JsonLdDocument, { algorithm: 'URDNA2015', inputFormat: 'application/n-quads', format: 'application/n-quads' } as unknown as jsonld.Options.Normalize)) as unknown as string;
}

function withDoublesByValue(quad: Quad): Quad {
  const { object } = quad;
  if (object.termType !== 'Literal' || object.datatype.value !== XSD_DOUBLE) return quad;
  return DataFactory.quad(quad.subject, quad.predicate, DataFactory.literal(String(Number(object.value)), object.datatype), quad.graph);
}
