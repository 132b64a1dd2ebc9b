import { BadRequestData } from 'src/common/problem/ngsi-ld-errors';
import { CompiledContext } from 'src/jsonld/compiled-context';
import { BooleanExpression, mapLeaves } from 'src/ngsi-ld/query/boolean-expression';
import { GeoQuery, GeoRelation } from 'src/ngsi-ld/query/geo-query';
import { AttributePath, Comparator, QExpression, QValue } from 'src/ngsi-ld/query/q-parser';
import { ScopePattern } from 'src/ngsi-ld/query/scope-query';

/*
 * What selects entities, with every name expanded to its IRI by the request's @context. The
 * repository turns this into SQL; nothing here knows SQL, nothing there knows JSON-LD.
 */

/** Members of an attribute instance that q can address after a dot (temperature.observedAt). */
export const PATH_MEMBERS = new Set(['observedAt', 'unitCode', 'datasetId', 'createdAt', 'modifiedAt']);

export interface ExpandedPath {
  readonly attribute: string;
  /** Sub-attribute IRIs. */
  readonly subAttributes: readonly string[];
  /** A member of the last attribute in the path (observedAt, unitCode...), if addressed. */
  readonly member?: string;
  /** Expanded keys into the compound value. */
  readonly compound: readonly string[];
}

/** A q value; strings also carry their vocabulary expansion, for VocabProperty values. */
export type ExpandedValue = QValue & { readonly vocab?: string };

export type ExpandedQ =
  | { readonly kind: 'and' | 'or'; readonly terms: readonly ExpandedQ[] }
  | { readonly kind: 'not'; readonly term: ExpandedQ }
  | { readonly kind: 'exists'; readonly path: ExpandedPath }
  | { readonly kind: 'compare'; readonly path: ExpandedPath; readonly op: Comparator; readonly values: readonly ExpandedValue[] }
  | { readonly kind: 'range'; readonly path: ExpandedPath; readonly negated: boolean; readonly from: ExpandedValue; readonly to: ExpandedValue }
  | { readonly kind: 'pattern'; readonly path: ExpandedPath; readonly negated: boolean; readonly regex: string };

export interface ExpandedGeoQuery {
  readonly relation: GeoRelation;
  readonly geometry: object;
  /** IRI of the GeoProperty. */
  readonly geoproperty: string;
}

/** Which entities, by id, id pattern and type; all given parts must hold. */
export interface EntitySelector {
  readonly ids?: readonly string[];
  readonly idPattern?: string;
  /** Over expanded type IRIs. */
  readonly types?: BooleanExpression<string>;
}

export interface EntityFilter {
  /** Any of these selectors (a GET query has one; a POST query may list several). */
  readonly entities?: readonly EntitySelector[];
  /** Expanded attribute IRIs, at least one of which an entity has. */
  readonly attributes?: readonly string[];
  readonly q?: ExpandedQ;
  readonly scopes?: BooleanExpression<ScopePattern>;
  readonly geo?: ExpandedGeoQuery;
}

/** Expands an attribute or type name; a problem when it names no IRI. */
export function expandName(ctx: CompiledContext, name: string, what: string): string {
  const iri = ctx.expandTerm(name);
  if (iri === null || iri.startsWith('@') || !iri.includes(':')) throw new BadRequestData(`${what} "${name}" does not expand to an IRI`);
  return iri;
}

export function expandTypes(ctx: CompiledContext, types: BooleanExpression<string>): BooleanExpression<string> {
  return mapLeaves(types, (name) => expandName(ctx, name, 'type'));
}

export function expandQ(ctx: CompiledContext, q: QExpression): ExpandedQ {
  switch (q.kind) {
    case 'and':
    case 'or':
      return { kind: q.kind, terms: q.terms.map((term) => expandQ(ctx, term)) };
    case 'not':
      return { kind: 'not', term: expandQ(ctx, q.term) };
    case 'exists':
      return { kind: 'exists', path: expandPath(ctx, q.path) };
    case 'compare':
      return { ...q, path: expandPath(ctx, q.path), values: q.values.map((value) => expandValue(ctx, value)) };
    case 'range':
      return { ...q, path: expandPath(ctx, q.path), from: expandValue(ctx, q.from), to: expandValue(ctx, q.to) };
    case 'pattern':
      return { ...q, path: expandPath(ctx, q.path) };
  }
}

export function expandGeoQuery(ctx: CompiledContext, geo: GeoQuery): ExpandedGeoQuery {
  return { relation: geo.relation, geometry: geo.geometry, geoproperty: expandName(ctx, geo.geoproperty, 'geoproperty') };
}

function expandPath(ctx: CompiledContext, path: AttributePath): ExpandedPath {
  const last = path.subPath[path.subPath.length - 1];
  const member = last !== undefined && PATH_MEMBERS.has(last) ? last : undefined;
  const subAttributes = (member ? path.subPath.slice(0, -1) : path.subPath).map((name) => {
    if (PATH_MEMBERS.has(name)) throw new BadRequestData(`q: "${name}" can only end an attribute path`);
    return expandName(ctx, name, 'q attribute');
  });
  if (member && path.compound.length > 0) throw new BadRequestData(`q: "${member}" has no compound value to look into`);
  return {
    attribute: expandName(ctx, path.attribute, 'q attribute'),
    subAttributes,
    member,
    compound: path.compound.map((key) => ctx.expandTerm(key) ?? key),
  };
}

function expandValue(ctx: CompiledContext, value: QValue): ExpandedValue {
  if (value.kind !== 'string' && value.kind !== 'uri') return value;
  const vocab = ctx.expandTerm(value.value);
  return vocab !== null && vocab !== value.value ? { ...value, vocab } : value;
}
