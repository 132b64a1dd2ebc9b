import type { NamedNode, Quad, Quad_Graph, Quad_Subject } from '@rdfjs/types';
import { DataFactory } from 'n3';
import { Json } from 'src/jsonld/value-codec';
import { AttributeInstance, EntityData, isSubAttributeKey } from 'src/ngsi-ld/representation/entity.model';
import { NON_REIFIED_MEMBERS } from 'src/ngsi-ld/representation/ngsi-ld-vocabulary';
import { addExpandedValue, canonicalJson } from 'src/linked-data/entities/expanded-value.rdf';
import { geoJsonObjects } from 'src/linked-data/entities/geojson.rdf';
import { BlankNodeFactory, QuadCollector } from 'src/linked-data/entities/quad-collector';
import { NGSI_LD_DATE_TIME, ngsiLd, RDF_JSON, RDF_TYPE } from 'src/linked-data/entities/rdf-vocabulary';
import { addSimpleEntity } from 'src/linked-data/entities/simple-rdf.mapper';

const { literal, namedNode } = DataFactory;

/**
 * The two graphs of an entity. `faithful`: what JSON-LD to RDF gives for the entity in NGSI-LD's
 * normalized form (every attribute a reified node with ngsi-ld:hasValue, hasObject, observedAt ...).
 * `simple`: entity → attribute → value, with observations (SOSA) and geometries (GeoSPARQL).
 */
export type RdfShape = 'faithful' | 'simple';

export interface EntityRdfOptions {
  /** The graph the quads go into; the default graph when absent. */
  readonly graph?: Quad_Graph;
  /** Include createdAt and modifiedAt, as options=sysAttrs does for JSON (faithful shape only). */
  readonly sysAttrs?: boolean;
  /** Where blank nodes come from: unique labels across all entities of one document by default. */
  readonly blankNodes?: BlankNodeFactory;
}

const MEMBERS = {
  type: RDF_TYPE,
  value: ngsiLd('hasValue'),
  object: ngsiLd('hasObject'),
  languageMap: ngsiLd('hasLanguageMap'),
  vocab: ngsiLd('hasVocab'),
  json: ngsiLd('hasJSON'),
  valueList: ngsiLd('hasValueList'),
  objectList: ngsiLd('hasObjectList'),
  objectType: ngsiLd('hasObjectType'),
  observedAt: ngsiLd('observedAt'),
  unitCode: ngsiLd('unitCode'),
  datasetId: ngsiLd('datasetId'),
  createdAt: ngsiLd('createdAt'),
  modifiedAt: ngsiLd('modifiedAt'),
  lang: ngsiLd('lang'),
  scope: ngsiLd('scope'),
} as const;

/**
 * The quads of one entity (views already applied by the service) in the asked shape. Pure: the
 * same entity gives the same graph (up to blank node labels).
 */
export function entityToQuads(entity: EntityData, shape: RdfShape, options: EntityRdfOptions = {}): Quad[] {
  const out = new QuadCollector(options.graph, options.blankNodes);
  if (shape === 'simple') addSimpleEntity(out, entity);
  else addFaithfulEntity(out, entity, options.sysAttrs ?? false);
  return out.quads;
}

function addFaithfulEntity(out: QuadCollector, entity: EntityData, sysAttrs: boolean): void {
  const subject = namedNode(entity.id);
  for (const type of entity.types) out.add(subject, RDF_TYPE, namedNode(type));
  for (const scope of entity.scopes ?? []) out.add(subject, MEMBERS.scope, literal(scope));
  if (sysAttrs) addSystemTimes(out, subject, entity);
  for (const [iri, instances] of Object.entries(entity.attributes)) addInstances(out, subject, namedNode(iri), instances, sysAttrs);
}

function addInstances(out: QuadCollector, subject: Quad_Subject, predicate: NamedNode, instances: AttributeInstance[], sysAttrs: boolean): void {
  for (const instance of instances) {
    const node = out.blank();
    out.add(subject, predicate, node);
    addInstance(out, node, instance, sysAttrs);
  }
}

function addInstance(out: QuadCollector, node: Quad_Subject, instance: AttributeInstance, sysAttrs: boolean): void {
  out.add(node, RDF_TYPE, ngsiLd(instance.type));
  addPrimaryValue(out, node, instance);
  for (const iri of [instance.objectType ?? []].flat()) out.add(node, MEMBERS.objectType, namedNode(iri));
  if (instance.observedAt !== undefined) out.add(node, MEMBERS.observedAt, literal(instance.observedAt, NGSI_LD_DATE_TIME));
  if (instance.unitCode !== undefined) out.add(node, MEMBERS.unitCode, literal(instance.unitCode));
  if (instance.datasetId !== undefined) out.add(node, MEMBERS.datasetId, namedNode(instance.datasetId));
  if (instance.lang !== undefined) out.add(node, MEMBERS.lang, literal(instance.lang));
  if (sysAttrs) addSystemTimes(out, node, instance);
  for (const [key, value] of Object.entries(instance)) {
    if (!isSubAttributeKey(key)) continue;
    if (NON_REIFIED_MEMBERS.has(key)) addExpandedValue(out, node, namedNode(key), value as Json);
    else addInstances(out, node, namedNode(key), value as AttributeInstance[], sysAttrs);
  }
}

function addPrimaryValue(out: QuadCollector, node: Quad_Subject, instance: AttributeInstance): void {
  switch (instance.type) {
    case 'Property':
      return addExpandedValue(out, node, MEMBERS.value, instance.value);
    case 'GeoProperty':
      for (const object of geoJsonObjects(out, instance.value)) out.add(node, MEMBERS.value, object);
      return;
    case 'Relationship':
      for (const iri of [instance.object ?? []].flat()) out.add(node, MEMBERS.object, namedNode(iri));
      return;
    case 'LanguageProperty':
      return addExpandedValue(out, node, MEMBERS.languageMap, languageValues(instance.languageMap ?? {}));
    case 'VocabProperty':
      for (const iri of [instance.vocab ?? []].flat()) out.add(node, MEMBERS.vocab, namedNode(iri));
      return;
    case 'JsonProperty':
      if (instance.json !== undefined) out.add(node, MEMBERS.json, literal(canonicalJson(instance.json), RDF_JSON));
      return;
    case 'ListProperty':
      return addExpandedValue(out, node, MEMBERS.valueList, { '@list': instance.valueList ?? [] });
    case 'ListRelationship': {
      const items = (instance.objectList ?? []).map((item) => {
        const itemNode = out.blank();
        out.add(itemNode, MEMBERS.object, namedNode(item.object));
        return itemNode;
      });
      out.add(node, MEMBERS.objectList, out.list(items));
      return;
    }
  }
}

/** A language map as JSON-LD expands it: language-tagged strings (lower-case tags), "@none" untagged. */
export function languageValues(map: Record<string, string | string[]>): Json[] {
  return Object.entries(map).flatMap(([tag, texts]) =>
    [texts].flat().map((text) => (tag === '@none' ? text : { '@value': text, '@language': tag.toLowerCase() })),
  );
}

function addSystemTimes(out: QuadCollector, subject: Quad_Subject, from: { createdAt?: string; modifiedAt?: string }): void {
  if (from.createdAt !== undefined) out.add(subject, MEMBERS.createdAt, literal(from.createdAt, NGSI_LD_DATE_TIME));
  if (from.modifiedAt !== undefined) out.add(subject, MEMBERS.modifiedAt, literal(from.modifiedAt, NGSI_LD_DATE_TIME));
}
