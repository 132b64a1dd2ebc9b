import { SqlParameters } from 'src/ngsi-ld/entities/entity-filter.sql';
import { AggregationMethod, AggregationPeriod, TemporalFilter } from 'src/ngsi-ld/temporal/dto/temporal-request-params';

/* The SQL of aggregated histories (clause 4.5.19): what each method computes, and the periods. */

const NUMBER = `CASE WHEN jsonb_typeof(h.instance->'value') = 'number' THEN (h.instance->>'value')::float8 END`;
const VALUE = `coalesce(h.instance->'value', h.instance->'object', h.instance->'vocab', h.instance->'languageMap', h.instance->'json', h.instance->'valueList', h.instance->'objectList')`;
export const AGGREGATES: Readonly<Record<AggregationMethod, string>> = {
  totalCount: 'count(*)',
  distinctCount: `count(DISTINCT ${VALUE})`,
  sum: `sum(${NUMBER})`,
  avg: `avg(${NUMBER})`,
  min: `min(${NUMBER})`,
  max: `max(${NUMBER})`,
  stddev: `stddev_samp(${NUMBER})`,
  sumsq: `sum(${NUMBER} * ${NUMBER})`,
};

/**
 * `instant + length` on the UTC calendar. timestamptz + interval counts days and months in the
 * session's time zone, where a day may last 23 or 25 hours (a server set to Europe/Stockholm
 * would end March's period at 23:00 UTC on 31 March).
 */
function plusInUtc(instant: string, length: string): string {
  return `((${instant}) AT TIME ZONE 'UTC' + ${length}) AT TIME ZONE 'UTC'`;
}

/**
 * Where each instance's period starts and ends, and what to group by before the multi-instance
 * key (the select list's columns 1 and 2). Periods are laid from `origin()` (timeAt, or the first
 * instance asked for), forwards and backwards: fixed lengths with date_bin, months on the UTC
 * calendar; no period: one spanning the asked range (or the instances found).
 */
export function bucketOf(
  period: AggregationPeriod,
  column: string,
  origin: () => string,
  filter: TemporalFilter,
  params: SqlParameters,
): { start: string; end: string; groupBy: string } {
  if ('fixed' in period) {
    const length = `${params.add(period.fixed)}::interval`;
    const start = `date_bin(${length}, ${column}, ${origin()})`;
    // The end is a function of the grouped start: grouping by the start alone lets PostgreSQL
    // compute it once per period instead of once per instance (a fifth of a month's hourly averages).
    return { start, end: plusInUtc(start, length), groupBy: '1, ' };
  }
  if ('months' in period) return { ...monthPeriod(`${params.add(period.months)}::int`, column, origin()), groupBy: '1, 2, ' };
  const from = filter.timerel === 'after' || filter.timerel === 'between' ? `${params.add(filter.timeAt)}::timestamptz` : `min(${column})`;
  const to = filter.timerel === 'before' ? `${params.add(filter.timeAt)}::timestamptz` : filter.timerel === 'between' ? `${params.add(filter.endTimeAt)}::timestamptz` : `max(${column})`;
  return { start: from, end: to, groupBy: '' };
}

/**
 * The period of `months` calendar months (UTC) from `origin` that `instant` falls in: the n-th
 * runs from origin + n·months to origin + (n+1)·months, each end the next one's start even when
 * the origin's day is missing from a month (31 January + 1 month is 28 February, + 2 is 31 March).
 * n is found from the months between the two, one less when the day or time is not reached yet.
 */
function monthPeriod(months: string, instant: string, origin: string): { start: string; end: string } {
  const [at, from] = [`((${instant}) AT TIME ZONE 'UTC')`, `((${origin}) AT TIME ZONE 'UTC')`];
  const apart = `((extract(year FROM ${at}) - extract(year FROM ${from})) * 12 + extract(month FROM ${at}) - extract(month FROM ${from}))::int`;
  const guess = `(floor(${apart}::numeric / ${months})::int * ${months})`;
  const step = `(CASE WHEN ${from} + make_interval(months => ${guess}) > ${at} THEN ${guess} - ${months} ELSE ${guess} END)`;
  const startAfter = (count: string) => `((${from} + make_interval(months => ${count})) AT TIME ZONE 'UTC')`;
  return { start: startAfter(step), end: startAfter(`${step} + ${months}`) };
}
