/**
 * The namespaces vg-datashare's RDF uses, with the prefixes their communities use (DCAT-AP,
 * DCAT-AP-SE, SOSA/SSN, GeoSPARQL, NGSI-LD). Writers shorten IRIs with them; nothing depends on
 * a prefix being present.
 */
export const RDF_PREFIXES = Object.freeze({
  rdf: 'http://www.w3.org/1999/02/22-rdf-syntax-ns#',
  rdfs: 'http://www.w3.org/2000/01/rdf-schema#',
  xsd: 'http://www.w3.org/2001/XMLSchema#',
  owl: 'http://www.w3.org/2002/07/owl#',
  dcat: 'http://www.w3.org/ns/dcat#',
  dct: 'http://purl.org/dc/terms/',
  dcatap: 'http://data.europa.eu/r5r/',
  adms: 'http://www.w3.org/ns/adms#',
  foaf: 'http://xmlns.com/foaf/0.1/',
  vcard: 'http://www.w3.org/2006/vcard/ns#',
  skos: 'http://www.w3.org/2004/02/skos/core#',
  locn: 'http://www.w3.org/ns/locn#',
  geo: 'http://www.opengis.net/ont/geosparql#',
  sosa: 'http://www.w3.org/ns/sosa/',
  prov: 'http://www.w3.org/ns/prov#',
  spdx: 'http://spdx.org/rdf/terms#',
  schema: 'https://schema.org/',
  eli: 'http://data.europa.eu/eli/ontology#',
  'ngsi-ld': 'https://uri.etsi.org/ngsi-ld/',
  /** The project's own terms (ontologies/vgds.ttl), for facts DCAT has no property for. */
  vgds: 'https://w3id.org/vg-datashare/vocab#',
} as const);
