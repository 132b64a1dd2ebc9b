import type { NamedNode, Quad_Object } from '@rdfjs/types';
import { DataFactory } from 'n3';
import { createHash } from 'node:crypto';
import { Json } from 'src/jsonld/value-codec';
import { AttributeInstance, EntityData } from 'src/ngsi-ld/representation/entity.model';
import { LOCATION } from 'src/ngsi-ld/representation/ngsi-ld-vocabulary';
import { canonicalJson, expandedObjects } from 'src/linked-data/entities/expanded-value.rdf';
import { QuadCollector } from 'src/linked-data/entities/quad-collector';
import { GEO, NGSI_LD_DATE_TIME, ngsiLd, RDF_JSON, RDF_TYPE, SOSA, XSD } from 'src/linked-data/entities/rdf-vocabulary';
import { toWkt } from 'src/linked-data/entities/wkt';

/*
 * The simple graph, for people who query RDF: `<entity> <attribute> value` with plain typed
 * literals, IRIs for relationships and vocabulary, language-tagged strings; each GeoProperty a
 * GeoSPARQL geometry with a stable IRI; each value with observedAt also a sosa:Observation (its
 * literal results as sosa:hasSimpleResult, IRIs and structured values as sosa:hasResult).
 * Sub-attributes (accuracy and the like) and system times are the faithful graph's business.
 */

const { literal, namedNode } = DataFactory;
const UNIT_CODE = ngsiLd('unitCode');
const DATASET_ID = ngsiLd('datasetId');

/** Adds the simple graph of an entity to `out`. */
export function addSimpleEntity(out: QuadCollector, entity: EntityData): void {
  const subject = namedNode(entity.id);
  for (const type of entity.types) out.add(subject, RDF_TYPE, namedNode(type));
  let isFeature = false;
  for (const [iri, instances] of Object.entries(entity.attributes)) {
    const predicate = namedNode(iri);
    for (const instance of instances) {
      const objects = instance.type === 'GeoProperty' ? geometry(out, entity.id, iri, instance) : simpleObjects(out, instance);
      isFeature ||= instance.type === 'GeoProperty' && objects.length > 0;
      for (const object of objects) out.add(subject, predicate, object);
      if (instance.observedAt !== undefined && objects.length > 0) observation(out, entity.id, predicate, instance, objects);
    }
  }
  if (isFeature) out.add(subject, RDF_TYPE, GEO.Feature);
}

function simpleObjects(out: QuadCollector, instance: AttributeInstance): Quad_Object[] {
  switch (instance.type) {
    case 'Property':
      return simpleValues(out, instance.value);
    case 'Relationship':
      return [instance.object ?? []].flat().map((iri) => namedNode(iri));
    case 'LanguageProperty':
      return Object.entries(instance.languageMap ?? {}).flatMap(([tag, texts]) =>
        [texts].flat().map((text) => (tag === '@none' ? literal(text) : literal(text, tag.toLowerCase()))),
      );
    case 'VocabProperty':
      return [instance.vocab ?? []].flat().map((iri) => namedNode(iri));
    case 'JsonProperty':
      return instance.json === undefined ? [] : [literal(canonicalJson(instance.json), RDF_JSON)];
    case 'ListProperty':
      return [out.list((instance.valueList ?? []).flatMap((item) => simpleValues(out, item)))];
    case 'ListRelationship':
      return [out.list((instance.objectList ?? []).map((item) => namedNode(item.object)))];
    default:
      return [];
  }
}

/** Scalars as the typed literals people filter on; structured values as JSON-LD gives them. */
function simpleValues(out: QuadCollector, value: Json | undefined): Quad_Object[] {
  if (value === undefined || value === null) return [];
  if (Array.isArray(value)) return value.flatMap((item) => simpleValues(out, item));
  if (typeof value === 'number') return [numberLiteral(value)];
  if (typeof value === 'object' && value['@type'] === NGSI_LD_DATE_TIME.value && typeof value['@value'] === 'string') {
    return [literal(value['@value'], XSD.dateTime)];
  }
  return expandedObjects(out, value);
}

function numberLiteral(value: number): Quad_Object {
  return Number.isSafeInteger(value) ? literal(String(value), XSD.integer) : literal(String(value), XSD.double);
}

/** `<entity#name>` a geo:Geometry with its WKT; the entity has it as the attribute and as geo:hasGeometry. */
function geometry(out: QuadCollector, entityId: string, iri: string, instance: AttributeInstance): Quad_Object[] {
  const wkt = toWkt(instance.value);
  if (wkt === undefined) return [];
  const node = namedNode(fragmentIri(entityId, localName(iri) + datasetSuffix(instance)));
  const entity = namedNode(entityId);
  out.add(node, RDF_TYPE, GEO.Geometry);
  out.add(node, GEO.asWKT, literal(wkt, GEO.wktLiteral));
  out.add(entity, GEO.hasGeometry, node);
  if (iri === LOCATION && instance.datasetId === undefined) out.add(entity, GEO.hasDefaultGeometry, node);
  return [node];
}

/** `<entity#name@observedAt>` a sosa:Observation of the attribute, its results the attribute's values. */
function observation(out: QuadCollector, entityId: string, predicate: NamedNode, instance: AttributeInstance, results: Quad_Object[]): void {
  const resultTime = new Date(instance.observedAt!).toISOString();
  const node = namedNode(fragmentIri(entityId, `${localName(predicate.value)}${datasetSuffix(instance)}@${resultTime}`));
  out.add(node, RDF_TYPE, SOSA.Observation);
  out.add(node, SOSA.hasFeatureOfInterest, namedNode(entityId));
  out.add(node, SOSA.observedProperty, predicate);
  for (const result of results) {
    // sosa:hasSimpleResult takes a literal: a geometry's is its WKT; IRIs and structured values are sosa:hasResult.
    const simple = instance.type === 'GeoProperty' ? literal(toWkt(instance.value)!, GEO.wktLiteral) : result;
    out.add(node, simple.termType === 'Literal' ? SOSA.hasSimpleResult : SOSA.hasResult, simple);
  }
  out.add(node, SOSA.resultTime, literal(resultTime, XSD.dateTime));
  if (instance.unitCode !== undefined) out.add(node, UNIT_CODE, literal(instance.unitCode));
  if (instance.datasetId !== undefined) out.add(node, DATASET_ID, namedNode(instance.datasetId));
}

/**
 * An IRI made from the entity's: a fragment added (URNs may carry one, RFC 8141 f-component), or,
 * when the id has a fragment already, a suffix of it. Stable: the same entity and name give the same IRI.
 */
export function fragmentIri(entityId: string, name: string): string {
  return `${entityId}${entityId.includes('#') ? '-' : '#'}${name}`;
}

/** The last segment of an attribute IRI, kept to characters every IRI fragment may hold. */
function localName(iri: string): string {
  const name = iri.slice(Math.max(iri.lastIndexOf('#'), iri.lastIndexOf('/'), iri.lastIndexOf(':')) + 1);
  return encodeURIComponent(name || 'attribute');
}

/** Several instances (datasetId) of one attribute get IRIs of their own. */
function datasetSuffix(instance: AttributeInstance): string {
  if (instance.datasetId === undefined) return '';
  return `-${createHash('sha256').update(instance.datasetId).digest('hex').slice(0, 8)}`;
}
