import type { Quad } from '@rdfjs/types';
import { DataFactory, Writer } from 'n3';
import { Transform } from 'node:stream';
import { RDF_PREFIXES } from 'src/linked-data/rdf/prefixes';
import { RdfFormat, TRIPLE_FORMATS } from 'src/linked-data/rdf/rdf-format';
import { RdfXmlWriter } from 'src/linked-data/rdf/rdf-xml-writer';
import { toFlattenedJsonLd } from 'src/linked-data/rdf/json-ld-writer';

/** The formats a graph can be streamed in (JSON-LD needs the whole graph to frame it). */
export type StreamableRdfFormat = Exclude<RdfFormat, 'json-ld'>;

const N3_FORMATS: Readonly<Record<Exclude<StreamableRdfFormat, 'rdf-xml'>, string>> = {
  turtle: 'Turtle',
  'n-triples': 'N-Triples',
  'n-quads': 'N-Quads',
};

/** A graph written whole in `format`, IRIs shortened with `prefixes` where the format has them. */
export async function serializeQuads(quads: Iterable<Quad>, format: RdfFormat, prefixes: Readonly<Record<string, string>> = RDF_PREFIXES): Promise<string> {
  const graph = TRIPLE_FORMATS.includes(format) ? [...quads].map(inDefaultGraph) : [...quads];
  if (format === 'rdf-xml') return rdfXml(graph, prefixes);
  if (format === 'json-ld') return JSON.stringify(toFlattenedJsonLd(graph, prefixes));
  const writer = new Writer({ format: N3_FORMATS[format], ...(format === 'turtle' ? { prefixes: { ...prefixes } } : {}) });
  writer.addQuads(graph);
  return new Promise((resolve, reject) => writer.end((error, result: string) => (error ? reject(error) : resolve(result))));
}

/** A writer fed a graph a part at a time: each call answers the text those quads add. */
export interface IncrementalRdfWriter {
  write(quads: readonly Quad[]): string;
  end(): Promise<string>;
}

/**
 * A writer of `format` that keeps nothing but the subject it is writing, for graphs too large to
 * hold. Feed a subject's triples together to keep Turtle and RDF/XML compact.
 */
export function incrementalRdfWriter(format: StreamableRdfFormat, prefixes: Readonly<Record<string, string>> = RDF_PREFIXES): IncrementalRdfWriter {
  if (format === 'rdf-xml') {
    const writer = new RdfXmlWriter(prefixes);
    let head = writer.start();
    const take = () => [head, (head = '')][0];
    return {
      write: (quads) => take() + quads.map((quad) => writer.write(quad)).join(''),
      end: async () => take() + writer.end(),
    };
  }
  const merge = TRIPLE_FORMATS.includes(format);
  const written: string[] = [];
  const take = () => written.splice(0).join('');
  // n3's Writer writes into anything with write/end: here, into a list taken after each part.
  const sink = { write: (chunk: string, _encoding: string, done?: () => void) => (written.push(chunk), done?.(), true), end: (done?: () => void) => done?.() };
  const writer = new Writer(sink as unknown as NodeJS.WritableStream, { format: N3_FORMATS[format], end: true, ...(format === 'turtle' ? { prefixes: { ...prefixes } } : {}) });
  return {
    write: (quads) => {
      for (const quad of quads) writer.addQuad(merge ? inDefaultGraph(quad) : quad);
      return take();
    },
    end: () => new Promise((resolve, reject) => writer.end((error) => (error ? reject(error) : resolve(take())))),
  };
}

/** A graph given page by page (a dataset read in keyset pages), written as text chunks, one a page. */
export async function* serializePages(pages: AsyncIterable<readonly Quad[]>, format: StreamableRdfFormat, prefixes: Readonly<Record<string, string>> = RDF_PREFIXES): AsyncGenerator<string> {
  const writer = incrementalRdfWriter(format, prefixes);
  for await (const quads of pages) {
    const text = writer.write(quads);
    if (text) yield text;
  }
  yield await writer.end();
}

/** A transform from quads (object mode) to text in `format`. */
export function quadSerializerStream(format: StreamableRdfFormat, prefixes: Readonly<Record<string, string>> = RDF_PREFIXES): Transform {
  const writer = incrementalRdfWriter(format, prefixes);
  return new Transform({
    writableObjectMode: true,
    transform(quad: Quad, _encoding, done) {
      try {
        done(null, writer.write([quad]) || undefined);
      } catch (error) {
        done(error as Error);
      }
    },
    flush(done) {
      writer.end().then((text) => done(null, text), done);
    },
  });
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

function inDefaultGraph(quad: Quad): Quad {
  return quad.graph.termType === 'DefaultGraph' ? quad : DataFactory.quad(quad.subject, quad.predicate, quad.object);
}
