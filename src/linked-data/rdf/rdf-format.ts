import Negotiator from 'negotiator';

/** The RDF serialisations the service writes. */
export type RdfFormat = 'turtle' | 'n-triples' | 'n-quads' | 'rdf-xml' | 'json-ld';

export const RDF_MEDIA_TYPES: Readonly<Record<RdfFormat, string>> = Object.freeze({
  turtle: 'text/turtle',
  'n-triples': 'application/n-triples',
  'n-quads': 'application/n-quads',
  'rdf-xml': 'application/rdf+xml',
  'json-ld': 'application/ld+json',
});

/** Formats that hold triples only: a named graph's quads go into the default graph. */
export const TRIPLE_FORMATS: readonly RdfFormat[] = ['turtle', 'n-triples', 'rdf-xml'];

/**
 * The format an Accept header picks among `offered` (in the server's order of preference, the
 * first being the answer to a missing Accept or to `*\/*`); undefined when it accepts none.
 */
export function rdfFormatFor(accept: string | undefined, offered: readonly RdfFormat[]): RdfFormat | undefined {
  if (offered.length === 0) return undefined;
  if (accept === undefined || accept.trim() === '') return offered[0];
  const chosen = new Negotiator({ headers: { accept } }).mediaType(offered.map((format) => RDF_MEDIA_TYPES[format]));
  return offered.find((format) => RDF_MEDIA_TYPES[format] === chosen);
}

/** The Content-Type of an answer in `format`. */
export function contentTypeOf(format: RdfFormat): string {
  return format === 'json-ld' ? RDF_MEDIA_TYPES[format] : `${RDF_MEDIA_TYPES[format]}; charset=utf-8`;
}
