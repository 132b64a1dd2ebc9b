import { BooleanExpression } from 'src/ngsi-ld/query/boolean-expression';
import { EntitySelector, ExpandedPath, ExpandedQ, ExpandedValue } from 'src/ngsi-ld/query/entity-filter';
import { ScopePattern } from 'src/ngsi-ld/query/scope-query';
import { AttributeMap } from 'src/ngsi-ld/representation/entity.model';

/*
 * An entity filter evaluated on one entity in memory: what subscriptions match each change with,
 * instead of a query per subscription. It reads the same items as the SQL of
 * `entity-filter.sql.ts` (its JSON route, JSON path in lax mode) and compares them the same way;
 * a test runs the same filters both ways over the same entities to keep the two in agreement.
 * Regular expressions (idPattern, ~=) are JavaScript ones here and POSIX ones in SQL: the common
 * subset (anchors, classes, repetition, alternation) means the same.
 */

export function selectorMatches(selector: EntitySelector, id: string, types: readonly string[], idPattern?: RegExp): boolean {
  if (selector.ids && !selector.ids.includes(id)) return false;
  if (idPattern && !idPattern.test(id)) return false;
  return !selector.types || typesMatch(selector.types, types);
}

export function typesMatch(expression: BooleanExpression<string>, types: readonly string[]): boolean {
  if (expression.kind === 'leaf') return types.includes(expression.leaf);
  return expression.kind === 'and'
    ? expression.terms.every((term) => typesMatch(term, types))
    : expression.terms.some((term) => typesMatch(term, types));
}

export function scopesMatch(expression: BooleanExpression<ScopePattern>, scopes: readonly string[] | null): boolean {
  if (expression.kind !== 'leaf') {
    return expression.kind === 'and'
      ? expression.terms.every((term) => scopesMatch(term, scopes))
      : expression.terms.some((term) => scopesMatch(term, scopes));
  }
  const { prefix, wildcard } = expression.leaf;
  const all = scopes ?? [];
  if (wildcard === 'none') return all.includes(prefix);
  const below = `${prefix}/`;
  if (wildcard === 'descendants') return all.some((scope) => scope === prefix || scope.startsWith(below));
  return all.some((scope) => scope.startsWith(below) && !scope.slice(below.length).includes('/'));
}

/** Whether an entity's attributes satisfy q. `regexes` holds each pattern of q compiled once. */
export function qMatches(q: ExpandedQ, attrs: AttributeMap, regexes: ReadonlyMap<string, RegExp>): boolean {
  switch (q.kind) {
    case 'and':
      return q.terms.every((term) => qMatches(term, attrs, regexes));
    case 'or':
      return q.terms.some((term) => qMatches(term, attrs, regexes));
    case 'not':
      return !qMatches(q.term, attrs, regexes);
    case 'exists':
      return exists(q.path, attrs);
    case 'compare': {
      const op = q.op === '!=' ? '==' : q.op;
      const matches = itemsOf(q.path, attrs).some((item) => q.values.some((value) => compare(item, op, value)));
      return q.op === '!=' ? exists(q.path, attrs) && !matches : matches;
    }
    case 'range': {
      const matches = itemsOf(q.path, attrs).some((item) => compare(item, '>=', q.from) && compare(item, '<=', q.to));
      return q.negated ? exists(q.path, attrs) && !matches : matches;
    }
    case 'pattern': {
      const regex = regexes.get(q.regex)!;
      const matches = itemsOf(q.path, attrs).some((item) => typeof item === 'string' && regex.test(item));
      return q.negated ? exists(q.path, attrs) && !matches : matches;
    }
  }
}

/** Every pattern of q, compiled; throws SyntaxError for one JavaScript cannot compile. */
export function qRegexes(q: ExpandedQ | undefined, into = new Map<string, RegExp>()): Map<string, RegExp> {
  if (!q) return into;
  if (q.kind === 'and' || q.kind === 'or') q.terms.forEach((term) => qRegexes(term, into));
  else if (q.kind === 'not') qRegexes(q.term, into);
  else if (q.kind === 'pattern' && !into.has(q.regex)) into.set(q.regex, new RegExp(q.regex, 'u'));
  return into;
}

// ---- the items a path reaches, as JSON path in lax mode reaches them ----

type Item = unknown;

/** `[*]` in lax mode: the elements of an array, anything else as itself. */
function unwrap(value: unknown): unknown[] {
  return Array.isArray(value) ? value : value === undefined ? [] : [value];
}

/** A member accessor in lax mode: looks into objects, and into each element of an array. */
function member(value: unknown, key: string): unknown[] {
  if (Array.isArray(value)) return value.flatMap((element) => member(element, key));
  if (value !== null && typeof value === 'object' && key in value) return [(value as Record<string, unknown>)[key]];
  return [];
}

/** The instances `$."attr"[*]."sub"[*]...` reaches. */
function instancesOf(path: ExpandedPath, attrs: AttributeMap): unknown[] {
  let instances: unknown[] = unwrap(attrs[path.attribute]);
  for (const sub of path.subAttributes) instances = instances.flatMap((instance) => member(instance, sub).flatMap(unwrap));
  return instances;
}

function isOfType(instance: unknown, type: string): boolean {
  return instance !== null && typeof instance === 'object' && (instance as { type?: unknown }).type === type;
}

/** The compound value under a Property's value, key by key (without the final `[*]`). */
function compoundOf(instances: unknown[], keys: readonly string[]): unknown[] {
  let values = instances.filter((i) => isOfType(i, 'Property')).flatMap((i) => member(i, 'value'));
  for (const key of keys) values = values.flatMap((value) => member(value, key));
  return values;
}

function exists(path: ExpandedPath, attrs: AttributeMap): boolean {
  if (path.subAttributes.length === 0 && path.member === undefined && path.compound.length === 0) return path.attribute in attrs;
  const instances = instancesOf(path, attrs);
  if (path.member !== undefined) return instances.some((instance) => member(instance, path.member!).length > 0);
  if (path.compound.length > 0) return compoundOf(instances, path.compound).length > 0;
  return instances.length > 0;
}

/** The scalar items a comparison looks at (`@value` objects unwrapped), as `entity-filter.sql.ts` reads them from JSON. */
function itemsOf(path: ExpandedPath, attrs: AttributeMap): Item[] {
  const instances = instancesOf(path, attrs);
  let items: unknown[];
  if (path.member !== undefined) items = instances.flatMap((instance) => member(instance, path.member!));
  else if (path.compound.length > 0) items = compoundOf(instances, path.compound).flatMap(unwrap);
  else {
    items = instances.flatMap((i) => {
      if (isOfType(i, 'Property')) return member(i, 'value').flatMap(unwrap);
      if (isOfType(i, 'Relationship')) return member(i, 'object').flatMap(unwrap);
      if (isOfType(i, 'VocabProperty')) return member(i, 'vocab').flatMap(unwrap);
      if (isOfType(i, 'LanguageProperty')) return member(i, 'languageMap').flatMap((map) => (isPlainObject(map) ? Object.values(map).flatMap(unwrap) : []));
      if (isOfType(i, 'ListProperty')) return member(i, 'valueList').flatMap(unwrap);
      return [];
    });
  }
  return items.map((item) => (isPlainObject(item) && '@value' in item ? item['@value'] : item));
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

// ---- typed comparison, as `typedCondition` in SQL ----

const DATE_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{1,9})?(Z|[+-]\d{2}:\d{2})$/;

/** What `vgds_timestamptz` makes of an item: milliseconds since the epoch, for RFC 3339 date-times only. */
function timeOf(item: Item): number | undefined {
  if (typeof item !== 'string' || !DATE_TIME.test(item)) return undefined;
  const ms = Date.parse(item);
  return Number.isNaN(ms) ? undefined : ms;
}

function holds<T extends number | string | boolean>(left: T, op: string, right: T): boolean {
  switch (op) {
    case '==':
      return left === right;
    case '>':
      return left > right;
    case '>=':
      return left >= right;
    case '<':
      return left < right;
    default:
      return left <= right;
  }
}

function compare(item: Item, op: string, value: ExpandedValue): boolean {
  switch (value.kind) {
    case 'number':
      return typeof item === 'number' && holds(item, op, value.value);
    case 'boolean':
      return typeof item === 'boolean' && holds(item, op, value.value);
    case 'dateTime': {
      const time = timeOf(item);
      return time !== undefined && holds(time, op, Date.parse(value.value));
    }
    case 'date': {
      if (typeof item === 'string' && holds(item, op, value.value)) return true;
      const time = timeOf(item);
      return time !== undefined && holds(time, op, Date.parse(`${value.value}T00:00:00Z`));
    }
    case 'time':
    case 'string':
    case 'uri':
      return typeof item === 'string' && (holds(item, op, value.value) || (value.vocab !== undefined && holds(item, op, value.vocab)));
  }
}
