import { BadRequestData } from 'src/common/problem/ngsi-ld-errors';

/** Relay paging arguments. */
export interface PageArgs {
  readonly first?: number | null;
  readonly after?: string | null;
}

const PREFIX = 'offset:';

/** An opaque cursor for the item at an offset of a result. */
export function cursorOf(offset: number): string {
  return Buffer.from(`${PREFIX}${offset}`).toString('base64url');
}

/** The offset of the item after the one a cursor names (0 without a cursor). */
export function offsetAfter(after: string | null | undefined): number {
  if (after === undefined || after === null) return 0;
  const text = Buffer.from(after, 'base64url').toString();
  const offset = text.startsWith(PREFIX) ? Number(text.slice(PREFIX.length)) : NaN;
  if (!Number.isSafeInteger(offset) || offset < 0) throw new BadRequestData(`"${after}" is not a cursor this service gave`);
  return offset + 1;
}

/** A Relay connection over one page of items that start at `offset`; the total is asked for only when selected. */
export function connectionOf<T>(items: readonly T[], offset: number, hasMore: boolean, totalCount: () => Promise<number>) {
  const edges = items.map((node, i) => ({ cursor: cursorOf(offset + i), node }));
  return {
    totalCount,
    edges,
    nodes: items,
    pageInfo: {
      hasNextPage: hasMore,
      hasPreviousPage: offset > 0,
      startCursor: edges[0]?.cursor ?? null,
      endCursor: edges.at(-1)?.cursor ?? null,
    },
  };
}
