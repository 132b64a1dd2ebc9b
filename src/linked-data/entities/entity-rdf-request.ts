import { BadRequestData, InvalidRequest } from 'src/common/problem/ngsi-ld-errors';
import { RDF_MEDIA_TYPES, RdfFormat } from 'src/linked-data/rdf/rdf-format';
import { RdfShape } from 'src/linked-data/entities/entity-rdf.mapper';
import { Representation } from 'src/ngsi-ld/entities/dto/entity-request-params';

/** A request for an entity (or a page of them) as RDF: which format, which graph. */
export interface EntityRdfRequest {
  readonly format: RdfFormat;
  readonly shape: RdfShape;
}

type QueryParams = Record<string, unknown>;

/** The RDF media types the entity routes answer beside JSON (application/ld+json is JSON's). */
export const ENTITY_RDF_MEDIA_TYPES: readonly string[] = [RDF_MEDIA_TYPES.turtle, RDF_MEDIA_TYPES['n-triples'], RDF_MEDIA_TYPES['n-quads'], RDF_MEDIA_TYPES['rdf-xml']];
const SHAPES: readonly RdfShape[] = ['faithful', 'simple'];

/**
 * Whether the negotiated media type and `shape` ask for an RDF answer; the URL parameters left
 * for the representation. `application/ld+json` stays the NGSI-LD answer (itself the faithful
 * graph in JSON-LD) unless `shape` is given, which makes it the chosen graph written as JSON-LD.
 */
export function entityRdfRequestOf(mediaType: string, query: QueryParams): { rdf?: EntityRdfRequest; params: QueryParams } {
  const { shape: shapeParam, ...params } = query;
  const format = (Object.keys(RDF_MEDIA_TYPES) as RdfFormat[]).find((f) => RDF_MEDIA_TYPES[f] === mediaType);
  if (shapeParam === undefined) return format === undefined || format === 'json-ld' ? { params: query } : { rdf: { format, shape: 'faithful' }, params };
  if (format === undefined) throw new BadRequestData(`shape is for RDF answers (${[...ENTITY_RDF_MEDIA_TYPES, RDF_MEDIA_TYPES['json-ld']].join(', ')}), not ${mediaType}`);
  if (typeof shapeParam !== 'string' || !(SHAPES as readonly string[]).includes(shapeParam)) {
    throw new BadRequestData(`shape must be ${SHAPES.join(' or ')}`);
  }
  return { rdf: { format, shape: shapeParam as RdfShape }, params };
}

/** RDF has no keyValues, concise, one-language or GeoJSON variants: asking for them is an error, not ignored. */
export function assertRdfRepresentation(representation: Representation): void {
  if (representation.format !== 'normalized') throw new InvalidRequest(`RDF answers have no ${representation.format} form; leave out format and keyValues/concise options`);
  if (representation.lang !== undefined) throw new BadRequestData('lang applies to JSON answers; RDF answers carry every language, each string tagged');
  if (representation.geometryProperty !== undefined) throw new BadRequestData('geometryProperty applies to application/geo+json answers only');
}
