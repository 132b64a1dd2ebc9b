import type { Quad } from '@rdfjs/types';
import * as jsonld from 'jsonld';
import { DataFactory, Writer } from 'n3';
import { Transform } from 'node:stream';
import { RDF_PREFIXES } from 'src/linked-data/rdf/prefixes';
import { RdfFormat, TRIPLE_FORMATS } from 'src/linked-data/rdf/rdf-format';
import { RdfXmlWriter, rdfXmlStream } from 'src/linked-data/rdf/rdf-xml-writer';

/** The formats a graph can be streamed in (JSON-LD needs the whole graph to frame it). */
export type StreamableRdfFormat = Exclude<RdfFormat, 'json-ld'>;

const N3_FORMATS: Readonly<Record<Exclude<StreamableRdfFormat, 'rdf-xml'>, string>> = {
  turtle: 'Turtle',
  'n-triples': 'N-Triples',
  'n-quads': 'N-Quads',
};

/** Rendering a graph fetches nothing: the compaction context is the prefixes, given inline. */
const refuseToLoad = (url: string) => Promise.reject(new Error(`Serialising RDF does not load ${url}`));

/** A graph written whole in `format`, IRIs shortened with `prefixes` where the format has them. */
export async function serializeQuads(quads: Iterable<Quad>, format: RdfFormat, prefixes: Readonly<Record<string, string>> = RDF_PREFIXES): Promise<string> {
  const graph = TRIPLE_FORMATS.includes(format) ? [...quads].map(inDefaultGraph) : [...quads];
  if (format === 'rdf-xml') return rdfXml(graph, prefixes);
  if (format === 'json-ld') return JSON.stringify(await compactJsonLd(graph, prefixes));
  const writer = new Writer({ format: N3_FORMATS[format], ...(format === 'turtle' ? { prefixes: { ...prefixes } } : {}) });
  writer.addQuads(graph);
  return new Promise((resolve, reject) => writer.end((error, result: string) => (error ? reject(error) : resolve(result))));
}

/**
 * A transform from quads (object mode) to text in `format`, for graphs too large to hold: the
 * writer keeps nothing but the subject it is writing. Feed subjects' triples together to keep
 * Turtle and RDF/XML compact.
 */
export function quadSerializerStream(format: StreamableRdfFormat, prefixes: Readonly<Record<string, string>> = RDF_PREFIXES): Transform {
  if (format === 'rdf-xml') return rdfXmlStream(prefixes);
  const merge = TRIPLE_FORMATS.includes(format);
  let writer: Writer | undefined;
  const stream: Transform = new Transform({
    writableObjectMode: true,
    transform(quad: Quad, _encoding, done) {
      (writer ??= writerInto(stream)).addQuad(merge ? inDefaultGraph(quad) : quad);
      done();
    },
    flush(done) {
      (writer ??= writerInto(stream)).end((error) => done(error ?? null));
    },
  });
  // n3's Writer writes into anything with write/end: here, into the transform's readable side.
  const writerInto = (target: Transform) => {
    const sink = { write: (chunk: string, _encoding: string, written?: () => void) => (target.push(chunk), written?.(), true), end: (ended?: () => void) => ended?.() };
    return new Writer(sink as unknown as NodeJS.WritableStream, { format: N3_FORMATS[format], end: true, ...(format === 'turtle' ? { prefixes: { ...prefixes } } : {}) });
  };
  return stream;
}

function rdfXml(quads: readonly Quad[], prefixes: Readonly<Record<string, string>>): string {
  // One description per subject: group the subject's triples, keeping the order subjects came in.
  const bySubject = new Map<string, Quad[]>();
  for (const quad of quads) {
    const key = `${quad.subject.termType}:${quad.subject.value}`;
    const group = bySubject.get(key);
    if (group) group.push(quad);
    else bySubject.set(key, [quad]);
  }
  const writer = new RdfXmlWriter(prefixes);
  const parts = [writer.start()];
  for (const group of bySubject.values()) for (const quad of group) parts.push(writer.write(quad));
  parts.push(writer.end());
  return parts.join('');
}

async function compactJsonLd(quads: readonly Quad[], prefixes: Readonly<Record<string, string>>): Promise<object> {
  const nQuads = await serializeQuads(quads, 'n-quads');
  const options = { format: 'application/n-quads', documentLoader: refuseToLoad };
  const expanded = await jsonld.fromRDF(nQuads, options as unknown as jsonld.Options.FromRdf);
  return jsonld.compact(expanded, { '@context': { ...prefixes } }, { documentLoader: refuseToLoad } as unknown as jsonld.Options.Compact);
}

function inDefaultGraph(quad: Quad): Quad {
  return quad.graph.termType === 'DefaultGraph' ? quad : DataFactory.quad(quad.subject, quad.predicate, quad.object);
}
