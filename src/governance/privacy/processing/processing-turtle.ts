import * as jsonld from 'jsonld';
import { JsonLdNode } from 'src/governance/privacy/processing/processing-record.mapper';

/** Records carry their @context inline: nothing is fetched while rendering one. */
const refuseToLoad = (url: string) => Promise.reject(new Error(`A record of processing does not load ${url}`));

/**
 * A record as Turtle. It is written in the N-Triples form, one triple a line with whole IRIs, which
 * every Turtle parser reads (N-Triples is a subset of Turtle), by the jsonld library that expands
 * the record anyway. The shared writer of src/linked-data/rdf would shorten it with prefixes, not
 * change it; clients of this answer read it line by line, so it stays as it is.
 */
export async function toTurtle(document: JsonLdNode): Promise<string> {
  const options = { format: 'application/n-quads', documentLoader: refuseToLoad } as unknown as jsonld.Options.ToRdf;
  return (await jsonld.toRDF(document as jsonld.JsonLdDocument, options)) as unknown as string;
}
