/**
 * Paging of long histories (clause 6.3.10 of GS CIM 009 v1.9.1): when an attribute has more
 * instances than one response may hold, the response covers a time range that is complete for
 * every attribute, answers 206 Partial Content, and names that range in
 * `Content-Range: date-time <start>-<end>/<lastN or *>`. The client asks for the next range with
 * `timerel=after&timeAt=<end>` (or, going back with lastN, `timerel=before&timeAt=<start>`).
 */

export interface Timed {
  /** ISO 8601 instant in UTC, to the millisecond or the microsecond. */
  readonly at: string;
}

export interface Page<T> {
  /** What to show of each series, oldest first. */
  readonly series: T[][];
  /** Set when some series did not fit: the range every series is complete for. */
  readonly range?: { readonly start: string; readonly end: string };
}

/**
 * Cuts series fetched with one row more than `keep` (and the rows sharing that row's instant),
 * oldest first or newest first when `newestFirst`, to the longest time range complete in all of them.
 */
export function pageOf<T extends Timed>(fetched: readonly T[][], keep: number, newestFirst: boolean): Page<T> {
  const cuts = fetched.filter((rows) => rows.length > keep).map((rows) => boundaryOf(rows, keep));
  const ordered = (rows: T[]) => (newestFirst ? [...rows].reverse() : rows);
  if (cuts.length === 0) return { series: fetched.map(ordered) };
  const cut = newestFirst ? Math.max(...cuts) : Math.min(...cuts);
  const inside = (row: T) => (newestFirst ? microsOf(row.at) >= cut : microsOf(row.at) <= cut);
  const series = fetched.map((rows) => ordered(rows.filter(inside)));
  const shown = series.flat().sort((a, b) => microsOf(a.at) - microsOf(b.at));
  const cutAt = fetched.flat().find((row) => microsOf(row.at) === cut)!.at;
  const first = shown[0]?.at ?? cutAt;
  const last = shown[shown.length - 1]?.at ?? cutAt;
  return { series, range: newestFirst ? { start: cutAt, end: last } : { start: first, end: cutAt } };
}

/**
 * The last instant (in microseconds) a truncated series is complete up to: that of its keep-th
 * row, or an earlier one when the next row shares that instant: an instant is never split across
 * two pages. When the rows up to the next one all share one instant, the page holds that instant
 * whole (the rows fetched include every row of it), though that is more than `keep`.
 */
function boundaryOf<T extends Timed>(rows: readonly T[], keep: number): number {
  const edge = microsOf(rows[keep].at);
  for (let i = keep - 1; i >= 0; i--) {
    if (microsOf(rows[i].at) !== edge) return microsOf(rows[i].at);
  }
  return edge;
}

/** Microseconds since 1970 of an ISO 8601 instant in UTC: Date.parse keeps only milliseconds. */
export function microsOf(at: string): number {
  const fraction = /\.(\d+)Z$/.exec(at)?.[1] ?? '';
  return Date.parse(at) * 1000 + Number(fraction.slice(3, 6).padEnd(3, '0'));
}

/** The Content-Range header value of a partial temporal response. */
export function contentRange(range: { readonly start: string; readonly end: string }, lastN: number | undefined): string {
  return `date-time ${range.start}-${range.end}/${lastN ?? '*'}`;
}

/**
 * How many instances of each series one answer may carry: TEMPORAL_MAX_INSTANCES_PER_ATTRIBUTE,
 * less when TEMPORAL_MAX_INSTANCES_PER_RESPONSE shared among the series asks for it; at least one.
 */
export function instancesPerSeries(limits: { readonly maxInstancesPerAttribute: number; readonly maxInstancesPerResponse: number }, seriesCount: number): number {
  return Math.max(1, Math.min(limits.maxInstancesPerAttribute, Math.floor(limits.maxInstancesPerResponse / Math.max(1, seriesCount))));
}
