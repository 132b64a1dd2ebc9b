import { ModelAttribute } from 'src/models/data-model';
import { BadRequestData } from 'src/common/problem/ngsi-ld-errors';

/** One attribute's conditions, as the typed filter inputs give them. */
export interface AttributeConditions {
  readonly eq?: unknown;
  readonly ne?: unknown;
  readonly gt?: unknown;
  readonly gte?: unknown;
  readonly lt?: unknown;
  readonly lte?: unknown;
  readonly in?: readonly unknown[];
  readonly pattern?: string;
  readonly exists?: boolean;
}

/** A model's filter input: conditions per GraphQL field, and nested `and` / `or`. */
export type ModelFilter = { readonly and?: readonly ModelFilter[]; readonly or?: readonly ModelFilter[] } & { readonly [field: string]: unknown };

const COMPARISONS: ReadonlyArray<[keyof AttributeConditions, string]> = [
  ['eq', '=='],
  ['ne', '!='],
  ['gt', '>'],
  ['gte', '>='],
  ['lt', '<'],
  ['lte', '<='],
];

/**
 * An NGSI-LD q expression for a typed filter (`{temperature: {gt: 20}, status: {in: [...]}}` →
 * `temperature>20;status=="a","b"`), over the model's terms: the same query language, parser and
 * SQL as `GET /ngsi-ld/v1/entities?q=`. Undefined when the filter asks for nothing.
 */
export function qOfFilter(filter: ModelFilter | undefined, fields: ReadonlyMap<string, ModelAttribute>): string | undefined {
  if (!filter) return undefined;
  const terms: string[] = [];
  for (const [field, conditions] of Object.entries(filter)) {
    if (conditions === undefined || conditions === null) continue;
    if (field === 'and' || field === 'or') {
      const parts = (conditions as ModelFilter[]).map((part) => qOfFilter(part, fields)).filter((q) => q !== undefined);
      if (parts.length > 0) terms.push(`(${parts.map((q) => `(${q})`).join(field === 'and' ? ';' : '|')})`);
      continue;
    }
    const attribute = fields.get(field);
    if (!attribute) throw new BadRequestData(`The filter names no attribute "${field}"`);
    terms.push(...termsOf(attribute, conditions as AttributeConditions));
  }
  return terms.length > 0 ? terms.join(';') : undefined;
}

function termsOf(attribute: ModelAttribute, conditions: AttributeConditions): string[] {
  const name = attribute.name;
  const terms: string[] = [];
  if (conditions.exists !== undefined && conditions.exists !== null) terms.push(conditions.exists ? name : `!${name}`);
  for (const [key, operator] of COMPARISONS) {
    const value = conditions[key];
    if (value !== undefined && value !== null) terms.push(`${name}${operator}${literal(attribute, value)}`);
  }
  if (conditions.in) {
    // An empty list matches nothing, as "any of no values" does.
    terms.push(conditions.in.length > 0 ? `${name}==${conditions.in.map((value) => literal(attribute, value)).join(',')}` : `(${name};!${name})`);
  }
  if (conditions.pattern !== undefined && conditions.pattern !== null) terms.push(`${name}~=${quoted(conditions.pattern)}`);
  return terms;
}

function literal(attribute: ModelAttribute, value: unknown): string {
  if (attribute.kind === 'Relationship') {
    const id = String(value);
    if (!/^[A-Za-z][A-Za-z0-9+.-]*:[^\s;|(),"]+$/.test(id)) throw new BadRequestData(`${attribute.name}: "${id}" is not an entity id (a URI)`);
    return id;
  }
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  if (attribute.valueType === 'dateTime') {
    const time = new Date(String(value));
    if (Number.isNaN(time.getTime())) throw new BadRequestData(`${attribute.name}: "${String(value)}" is not an ISO 8601 date-time`);
    return time.toISOString();
  }
  return quoted(String(value));
}

function quoted(text: string): string {
  return `"${text.replace(/[\\"]/g, '\\$&')}"`;
}
