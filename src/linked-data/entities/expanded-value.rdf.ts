import type { NamedNode, Quad_Object, Quad_Subject } from '@rdfjs/types';
import { DataFactory } from 'n3';
import { Json, JsonObject } from 'src/jsonld/value-codec';
import { QuadCollector } from 'src/linked-data/entities/quad-collector';
import { RDF_JSON, RDF_TYPE, XSD } from 'src/linked-data/entities/rdf-vocabulary';

/*
 * JSON-LD's "deserialize JSON-LD to RDF" for the values the broker stores: compound values are kept
 * in expanded form (IRI keys, `@id`, `@value`, `@list`) but with bare scalars where JSON-LD allows
 * them (see src/jsonld/value-codec.ts). The literal forms follow the `jsonld` library exactly
 * (its canonical doubles included), because that library is the reference the tests compare with.
 */

const { literal, namedNode } = DataFactory;

/** Adds `subject predicate o` for every object the expanded value stands for (none for null). */
export function addExpandedValue(out: QuadCollector, subject: Quad_Subject, predicate: NamedNode, value: Json | undefined): void {
  for (const object of expandedObjects(out, value)) out.add(subject, predicate, object);
}

/** The RDF objects of an expanded value: an array is a set of values, null is no value. */
export function expandedObjects(out: QuadCollector, value: Json | undefined): Quad_Object[] {
  if (value === undefined || value === null) return [];
  if (Array.isArray(value)) return value.flatMap((item) => expandedObjects(out, item));
  const term = itemTerm(out, value);
  return term ? [term] : [];
}

function itemTerm(out: QuadCollector, item: Exclude<Json, null | Json[]>): Quad_Object | undefined {
  if (typeof item === 'string') return literal(item);
  if (typeof item === 'boolean') return literal(String(item), XSD.boolean);
  if (typeof item === 'number') return numberLiteral(item, undefined);
  if ('@value' in item) return valueObjectLiteral(item);
  if ('@list' in item) return listTerm(out, [item['@list']].flat());
  return nodeTerm(out, item);
}

/** jsonld's numbers: a "double" has a '.' in its JavaScript spelling (or is huge), the rest are integers. */
export function numberLiteral(value: number, datatype: NamedNode | undefined): Quad_Object {
  const isDouble = String(value).includes('.') || Math.abs(value) >= 1e21;
  if (isDouble || datatype?.equals(XSD.double)) {
    return literal(value.toExponential(15).replace(/(\d)0*e\+?/, '$1E'), datatype ?? XSD.double);
  }
  return literal(value.toFixed(0), datatype ?? XSD.integer);
}

function valueObjectLiteral(item: JsonObject): Quad_Object | undefined {
  const value = item['@value'];
  const type = item['@type'];
  if (value === null || value === undefined) return undefined;
  if (type === '@json') return literal(canonicalJson(value), RDF_JSON);
  const datatype = typeof type === 'string' ? namedNode(type) : undefined;
  if (typeof value === 'boolean') return literal(String(value), datatype ?? XSD.boolean);
  if (typeof value === 'number') return numberLiteral(value, datatype);
  if (typeof value !== 'string') return undefined;
  if (datatype?.equals(XSD.double)) return numberLiteral(parseFloat(value), datatype);
  if (typeof item['@language'] === 'string') return literal(value, item['@language']);
  return literal(value, datatype);
}

/** A list; an array inside a list is a list of its own (JSON-LD 1.1), as GeoJSON coordinates are. */
function listTerm(out: QuadCollector, items: Json[]): Quad_Object {
  const terms: Quad_Object[] = [];
  for (const item of items) {
    if (item === null) continue;
    const term = Array.isArray(item) ? listTerm(out, item) : itemTerm(out, item);
    if (term) terms.push(term);
  }
  return out.list(terms);
}

function nodeTerm(out: QuadCollector, node: JsonObject): Quad_Object | undefined {
  const subject = nodeSubject(out, node['@id']);
  if (!subject) return undefined;
  for (const [key, value] of Object.entries(node)) {
    if (key === '@type') {
      for (const type of [value].flat()) if (typeof type === 'string' && isAbsoluteIri(type)) out.add(subject, RDF_TYPE, namedNode(type));
    } else if (!key.startsWith('@') && isAbsoluteIri(key)) {
      addExpandedValue(out, subject, namedNode(key), value);
    }
  }
  return subject;
}

function nodeSubject(out: QuadCollector, id: Json | undefined): Quad_Subject | undefined {
  if (id === undefined) return out.blank();
  if (typeof id !== 'string') return undefined;
  if (id.startsWith('_:')) return out.labelledBlank(id);
  // JSON-LD leaves out what a relative IRI would say: it is not RDF.
  return isAbsoluteIri(id) ? namedNode(id) : undefined;
}

export function isAbsoluteIri(value: string): boolean {
  return /^[A-Za-z][A-Za-z0-9+.-]*:[^\s]*$/.test(value);
}

/** RFC 8785 (JSON Canonicalization Scheme), which JSON-LD prescribes for rdf:JSON literals. */
export function canonicalJson(value: Json): string {
  if (value === null || typeof value !== 'object') return JSON.stringify(value);
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  const keys = Object.keys(value).sort();
  return `{${keys.map((key) => `${JSON.stringify(key)}:${canonicalJson(value[key])}`).join(',')}}`;
}
