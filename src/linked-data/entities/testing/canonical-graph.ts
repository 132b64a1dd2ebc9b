import type { Quad } from '@rdfjs/types';
import * as jsonld from 'jsonld';
import { Writer } from 'n3';
import { referenceDocumentLoader } from 'src/jsonld/testing/context-fixtures';
import { JsonObject } from 'src/jsonld/value-codec';

/*
 * Graph comparison for tests: RDFC-1.0 canonical N-Quads (through jsonld's rdf-canonize), so that
 * two graphs that differ only in blank node labels compare equal as strings.
 */

// GeoJSON coordinates are lists of lists: many look-alike blank nodes to tell apart.
const CANONIZE = { format: 'application/n-quads', safe: true, canonizeOptions: { maxWorkFactor: Infinity } };

export function toNQuads(quads: readonly Quad[]): string {
  return new Writer({ format: 'application/n-quads' }).quadsToString([...quads]);
}

export async function canonicalQuads(quads: readonly Quad[]): Promise<string> {
  const input = toNQuads(quads) as unknown as jsonld.JsonLdDocument;
  return jsonld.canonize(input, { ...CANONIZE, inputFormat: 'application/n-quads' } as jsonld.Options.Normalize);
}

/** The canonical graph of a JSON-LD document, as the reference library reads it. */
export async function canonicalJsonLd(document: JsonObject | JsonObject[], documentLoader = referenceDocumentLoader): Promise<string> {
  return jsonld.canonize(document as jsonld.JsonLdDocument, { ...CANONIZE, documentLoader } as jsonld.Options.Normalize);
}
