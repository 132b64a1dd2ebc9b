import type { Quad, Term } from '@rdfjs/types';

const RDF_TYPE = 'http://www.w3.org/1999/02/22-rdf-syntax-ns#type';
const XSD_STRING = 'http://www.w3.org/2001/XMLSchema#string';
const RDF_LANG_STRING = 'http://www.w3.org/1999/02/22-rdf-syntax-ns#langString';

type NodeObject = Record<string, unknown>;

/**
 * A graph as flattened JSON-LD 1.1, written directly from its quads: one node object per subject
 * (`@graph`), properties keyed by compact IRIs where a prefix fits, literals as value objects,
 * named graphs as nodes with their own `@graph`. JSON-LD's toRDF gives the same quads back. Much
 * faster than compacting with a general processor (which took seconds for a catalog of 50
 * datasets), and exact: nothing is guessed about the shape of the data.
 */
export function toFlattenedJsonLd(quads: readonly Quad[], prefixes: Readonly<Record<string, string>>): object {
  const compact = compactor(prefixes);
  const graphs = new Map<string, Map<string, NodeObject>>();
  for (const quad of quads) {
    const graphKey = quad.graph.termType === 'DefaultGraph' ? '' : termId(quad.graph);
    let nodes = graphs.get(graphKey);
    if (!nodes) graphs.set(graphKey, (nodes = new Map()));
    const subject = termId(quad.subject);
    let node = nodes.get(subject);
    if (!node) nodes.set(subject, (node = { '@id': compactId(quad.subject, compact) }));
    if (quad.predicate.value === RDF_TYPE && quad.object.termType === 'NamedNode') {
      push(node, '@type', compact(quad.object.value));
    } else {
      push(node, compact(quad.predicate.value), objectOf(quad.object, compact));
    }
  }
  const graph = [...(graphs.get('') ?? new Map<string, NodeObject>()).values()];
  for (const [name, nodes] of graphs) if (name !== '') graph.push({ '@id': name.startsWith('_:') ? name : compact(name), '@graph': [...nodes.values()] });
  return { '@context': { ...prefixes }, '@graph': graph };
}

function objectOf(term: Term, compact: (iri: string) => string): unknown {
  if (term.termType === 'NamedNode' || term.termType === 'BlankNode') return { '@id': compactId(term, compact) };
  if (term.termType !== 'Literal') throw new Error(`JSON-LD cannot write a ${term.termType} as an object`);
  if (term.language) return { '@value': term.value, '@language': term.language };
  const datatype = term.datatype.value;
  return datatype === XSD_STRING || datatype === RDF_LANG_STRING ? { '@value': term.value } : { '@value': term.value, '@type': compact(datatype) };
}

function push(node: NodeObject, key: string, value: unknown): void {
  const values = node[key];
  if (values === undefined) node[key] = [value];
  else (values as unknown[]).push(value);
}

function termId(term: Term): string {
  return term.termType === 'BlankNode' ? `_:${term.value}` : term.value;
}

function compactId(term: Term, compact: (iri: string) => string): string {
  return term.termType === 'BlankNode' ? `_:${term.value}` : compact(term.value);
}

/**
 * prefix:suffix for an IRI under a prefix, the IRI itself otherwise. A suffix that starts with
 * "//" is left whole, as JSON-LD would read prefix://... as an absolute IRI of another scheme.
 */
function compactor(prefixes: Readonly<Record<string, string>>): (iri: string) => string {
  const entries = Object.entries(prefixes).sort(([, a], [, b]) => b.length - a.length);
  const cache = new Map<string, string>();
  return (iri) => {
    let compacted = cache.get(iri);
    if (compacted === undefined) {
      const match = entries.find(([, namespace]) => iri.startsWith(namespace) && iri.length > namespace.length && !iri.startsWith('//', namespace.length));
      compacted = match ? `${match[0]}:${iri.slice(match[1].length)}` : iri;
      if (cache.size < 10_000) cache.set(iri, compacted);
    }
    return compacted;
  };
}
