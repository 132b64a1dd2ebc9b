/*
 * The items of stored attribute instances as SQL's JSON path reaches them in lax mode: what the
 * in-memory filter evaluator compares and what the value index holds, read alike so that they
 * agree with the JSON route of `entity-filter.sql.ts`.
 */

/** `[*]` in lax mode: the elements of an array, anything else as itself. */
export function unwrap(value: unknown): unknown[] {
  return Array.isArray(value) ? value : value === undefined ? [] : [value];
}

/**
 * A member accessor in lax mode: looks into objects, and into each element of an array, one level
 * deep (an array in an array is not unwrapped). Own members only: "constructor" is no member of {}.
 */
export function member(value: unknown, key: string): unknown[] {
  if (Array.isArray(value)) return value.flatMap((element) => ownMember(element, key));
  return ownMember(value, key);
}

function ownMember(value: unknown, key: string): unknown[] {
  return isPlainObject(value) && Object.hasOwn(value, key) ? [value[key]] : [];
}

/** `.*` in lax mode: the values of an object's members, or of each object in an array (one level deep). */
export function memberValues(value: unknown): unknown[] {
  if (Array.isArray(value)) return value.flatMap((element) => (isPlainObject(element) ? Object.values(element) : []));
  return isPlainObject(value) ? Object.values(value) : [];
}

export function isOfType(instance: unknown, type: string): boolean {
  return instance !== null && typeof instance === 'object' && (instance as { type?: unknown }).type === type;
}

export function isPlainObject(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

/** Which member of an instance a value item comes from, as the value index names it. */
export type ValueMember = 'value' | 'object' | 'vocab' | 'lang' | 'list';

/**
 * The values an attribute's instances hold, of every kind that has comparable values: Property
 * values, Relationship objects, vocab IRIs, language strings, list items (`vgds_attribute_items`).
 */
export function valueItems(instances: readonly unknown[]): unknown[] {
  return memberItems(instances).map(([, item]) => item);
}

/** The same, each with the member it comes from. */
export function memberItems(instances: readonly unknown[]): [ValueMember, unknown][] {
  return instances.flatMap((i): [ValueMember, unknown][] => {
    const items = (kind: ValueMember, values: unknown[]) => values.map((item): [ValueMember, unknown] => [kind, item]);
    if (isOfType(i, 'Property')) return items('value', member(i, 'value').flatMap(unwrap));
    if (isOfType(i, 'Relationship')) return items('object', member(i, 'object').flatMap(unwrap));
    if (isOfType(i, 'VocabProperty')) return items('vocab', member(i, 'vocab').flatMap(unwrap));
    if (isOfType(i, 'LanguageProperty')) return items('lang', member(i, 'languageMap').flatMap(memberValues).flatMap(unwrap));
    if (isOfType(i, 'ListProperty')) return items('list', member(i, 'valueList').flatMap(unwrap));
    return [];
  });
}

/** A typed value object (`{"@value": ..., "@type": ...}`) counts as its value. */
export function scalarOf(item: unknown): unknown {
  return isPlainObject(item) && '@value' in item ? item['@value'] : item;
}
