import { BooleanExpression } from 'src/ngsi-ld/query/boolean-expression';
import { javascriptPattern } from 'src/ngsi-ld/query/posix-pattern';
import { EntitySelector, ExpandedPath, ExpandedQ, ExpandedValue } from 'src/ngsi-ld/query/entity-filter';
import { ScopePattern, scopeMatches } from 'src/ngsi-ld/query/scope-query';
import { AttributeMap } from 'src/ngsi-ld/representation/entity.model';
import { isOfType, member, scalarOf, unwrap, valueItems } from 'src/ngsi-ld/query/json-items';

/*
 * An entity filter evaluated on one entity in memory: what subscriptions match each change with,
 * instead of a query per subscription. It reads the same items as the SQL of
 * `entity-filter.sql.ts` (its JSON route, JSON path in lax mode) and compares them the same way;
 * a test runs the same filters both ways over the same entities to keep the two in agreement.
 * Regular expressions (idPattern, ~=) are JavaScript ones here and POSIX ones in SQL: the common
 * subset (anchors, classes, repetition, alternation) means the same, and q patterns are rewritten
 * where JavaScript would read the same text differently (see `javascriptPattern`).
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
  return (scopes ?? []).some((scope) => scopeMatches(expression.leaf, scope));
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
  // "s": in PostgreSQL "." matches line breaks too (matching is not newline-sensitive by default).
  else if (q.kind === 'pattern' && !into.has(q.regex)) into.set(q.regex, new RegExp(javascriptPattern(q.regex), 'su'));
  return into;
}

// ---- the items a path reaches, as JSON path in lax mode reaches them ----

type Item = unknown;

/** The instances `$."attr"[*]."sub"[*]...` reaches. */
function instancesOf(path: ExpandedPath, attrs: AttributeMap): unknown[] {
  let instances: unknown[] = unwrap(attrs[path.attribute]);
  for (const sub of path.subAttributes) instances = instances.flatMap((instance) => member(instance, sub).flatMap(unwrap));
  return instances;
}

/** The compound value under a Property's value, key by key (without the final `[*]`). */
function compoundOf(instances: unknown[], keys: readonly string[]): unknown[] {
  let values = instances.filter((i) => isOfType(i, 'Property')).flatMap((i) => member(i, 'value'));
  for (const key of keys) values = values.flatMap((value) => member(value, key));
  return values;
}

function exists(path: ExpandedPath, attrs: AttributeMap): boolean {
  if (path.subAttributes.length === 0 && path.member === undefined && path.compound.length === 0) return Object.hasOwn(attrs, path.attribute);
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
  else items = valueItems(instances);
  return items.map(scalarOf);
}

// ---- typed comparison, as `typedCondition` in SQL ----

const DATE_TIME = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})(?::(\d{2})(\.\d{1,9})?)?(Z|([+-])(\d{2}):(\d{2}))$/;
const DAYS_IN_MONTH = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];
const MICROS_PER_DAY = 86_400_000_000;

/**
 * Microseconds since the epoch of an RFC 3339 date-time, as PostgreSQL's timestamptz reads it (and
 * so `vgds_timestamptz`, which wants the seconds): days that exist only; 24:00:00 and leap seconds
 * (:60) roll over; fractions rounded half to even to the microsecond; zones up to ±15:59.
 * Undefined for anything else. Q values may leave out the seconds.
 */
export function timestampOf(text: string, secondsRequired = true): bigint | undefined {
  const found = DATE_TIME.exec(text);
  if (!found || (secondsRequired && found[6] === undefined)) return undefined;
  const [year, month, day, hour, minute] = found.slice(1, 6).map(Number);
  const second = found[6] === undefined ? 0 : Number(found[6]);
  // PostgreSQL: rint(strtod(fraction) * 1000000); the same double arithmetic here.
  const micros = found[7] === undefined ? 0 : roundHalfToEven(Number(found[7]) * 1_000_000);
  if (year < 1 || month < 1 || month > 12 || day < 1 || day > daysInMonth(year, month)) return undefined;
  if (hour > 24 || minute > 59 || second > 60) return undefined;
  const timeOfDay = ((hour * 60 + minute) * 60 + second) * 1_000_000 + micros;
  if (timeOfDay > MICROS_PER_DAY) return undefined;
  let offset = 0;
  if (found[8] !== 'Z') {
    const [hours, minutes] = [Number(found[10]), Number(found[11])];
    if (hours > 15 || minutes > 59) return undefined;
    offset = (found[9] === '-' ? -1 : 1) * (hours * 60 + minutes) * 60_000_000;
  }
  const midnight = new Date(0);
  midnight.setUTCFullYear(year, month - 1, day); // Date.UTC would read years below 100 as 19xx
  return BigInt(midnight.getTime()) * 1000n + BigInt(timeOfDay - offset);
}

function daysInMonth(year: number, month: number): number {
  const leap = year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0);
  return month === 2 && leap ? 29 : DAYS_IN_MONTH[month - 1];
}

function roundHalfToEven(x: number): number {
  const floor = Math.floor(x);
  const rest = x - floor;
  if (rest !== 0.5) return Math.round(x);
  return floor % 2 === 0 ? floor : floor + 1;
}

/**
 * Strings in code point order, which is the byte order of their UTF-8 (COLLATE "C"). UTF-16 code
 * units order differently only where a surrogate (a code point above U+FFFF) meets U+E000–U+FFFF.
 */
function compareText(left: string, right: string): number {
  const length = Math.min(left.length, right.length);
  for (let i = 0; i < length; i++) {
    const a = left.charCodeAt(i);
    const b = right.charCodeAt(i);
    if (a === b) continue;
    const aSurrogate = a >= 0xd800 && a <= 0xdfff;
    const bSurrogate = b >= 0xd800 && b <= 0xdfff;
    if (aSurrogate !== bSurrogate) return aSurrogate ? 1 : -1;
    return a - b;
  }
  return left.length - right.length;
}

function order<T extends number | bigint | boolean>(left: T, right: T): number {
  return left < right ? -1 : left > right ? 1 : 0;
}

function holds(comparison: number, op: string): boolean {
  switch (op) {
    case '==':
      return comparison === 0;
    case '>':
      return comparison > 0;
    case '>=':
      return comparison >= 0;
    case '<':
      return comparison < 0;
    default:
      return comparison <= 0;
  }
}

function compareTimes(item: Item, op: string, reference: string): boolean {
  const time = typeof item === 'string' ? timestampOf(item) : undefined;
  const against = timestampOf(reference, false);
  return time !== undefined && against !== undefined && holds(order(time, against), op);
}

function compare(item: Item, op: string, value: ExpandedValue): boolean {
  switch (value.kind) {
    case 'number':
      return typeof item === 'number' && holds(order(item, value.value), op);
    case 'boolean':
      return typeof item === 'boolean' && holds(order(item, value.value), op);
    case 'dateTime':
      return compareTimes(item, op, value.value);
    case 'date':
      if (typeof item === 'string' && holds(compareText(item, value.value), op)) return true;
      return compareTimes(item, op, `${value.value}T00:00:00Z`);
    case 'time':
    case 'string':
    case 'uri':
      return (
        typeof item === 'string' &&
        (holds(compareText(item, value.value), op) || (value.vocab !== undefined && op === '==' && holds(compareText(item, value.vocab), op)))
      );
  }
}
