/*
 * A batch may name one entity more than once; its occurrences then come in chronological order,
 * the first older than the second (clause 4.6.6), and are applied one after the other.
 */

interface Identified<T> {
  readonly id: string;
  readonly value: T;
}

/** The first occurrence of each id, in order, and the ids of the later ones. */
export function firstOccurrences<T extends { readonly id: string }>(items: readonly T[]): { first: T[]; repeated: string[] } {
  const seen = new Set<string>();
  const first: T[] = [];
  const repeated: string[] = [];
  for (const item of items) {
    if (seen.has(item.id)) repeated.push(item.id);
    else first.push(item);
    seen.add(item.id);
  }
  return { first, repeated };
}

/** The values of each id, in order; ids in the order they first appear. */
export function groupInOrder<T>(items: readonly Identified<T>[]): Map<string, T[]> {
  const groups = new Map<string, T[]>();
  for (const { id, value } of items) groups.set(id, [...(groups.get(id) ?? []), value]);
  return groups;
}

/** One item per id, where it first appears, its value each later one `combine`d into it in turn. */
export function collapseInOrder<T>(items: readonly Identified<T>[], combine: (earlier: T, later: T) => T): Identified<T>[] {
  return [...groupInOrder(items)].map(([id, values]) => ({ id, value: values.reduce(combine) }));
}
