import { DataFactory } from 'n3';
import { NGSI_LD } from 'src/jsonld/core-contexts';

/** Namespaces the entity graphs are written with; also the prefixes their Turtle declares. */
export const NS = {
  rdf: 'http://www.w3.org/1999/02/22-rdf-syntax-ns#',
  xsd: 'http://www.w3.org/2001/XMLSchema#',
  'ngsi-ld': NGSI_LD,
  geojson: 'https://purl.org/geojson/vocab#',
  geo: 'http://www.opengis.net/ont/geosparql#',
  sosa: 'http://www.w3.org/ns/sosa/',
} as const;

const { namedNode } = DataFactory;

export const RDF_TYPE = namedNode(`${NS.rdf}type`);
export const RDF_FIRST = namedNode(`${NS.rdf}first`);
export const RDF_REST = namedNode(`${NS.rdf}rest`);
export const RDF_NIL = namedNode(`${NS.rdf}nil`);
export const RDF_JSON = namedNode(`${NS.rdf}JSON`);
export const XSD = {
  string: namedNode(`${NS.xsd}string`),
  boolean: namedNode(`${NS.xsd}boolean`),
  integer: namedNode(`${NS.xsd}integer`),
  double: namedNode(`${NS.xsd}double`),
  dateTime: namedNode(`${NS.xsd}dateTime`),
} as const;

/** A term of the NGSI-LD core vocabulary (`ngsi-ld:hasValue`, `ngsi-ld:Property`, ...). */
export const ngsiLd = (name: string) => namedNode(NGSI_LD + name);
/** The core context types observedAt, createdAt and modifiedAt as ngsi-ld:DateTime, not xsd:dateTime. */
export const NGSI_LD_DATE_TIME = ngsiLd('DateTime');

export const GEO = {
  Feature: namedNode(`${NS.geo}Feature`),
  Geometry: namedNode(`${NS.geo}Geometry`),
  hasGeometry: namedNode(`${NS.geo}hasGeometry`),
  hasDefaultGeometry: namedNode(`${NS.geo}hasDefaultGeometry`),
  asWKT: namedNode(`${NS.geo}asWKT`),
  wktLiteral: namedNode(`${NS.geo}wktLiteral`),
} as const;

export const SOSA = {
  Observation: namedNode(`${NS.sosa}Observation`),
  hasFeatureOfInterest: namedNode(`${NS.sosa}hasFeatureOfInterest`),
  observedProperty: namedNode(`${NS.sosa}observedProperty`),
  hasSimpleResult: namedNode(`${NS.sosa}hasSimpleResult`),
  hasResult: namedNode(`${NS.sosa}hasResult`),
  resultTime: namedNode(`${NS.sosa}resultTime`),
} as const;
