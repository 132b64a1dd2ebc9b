import { apiFetch, query } from '../api';
import { shortName } from '../dom';

/** What the visitor asked to see: one attribute of some entities over a period, raw or aggregated. */
export interface HistoryRequest {
  entityIds: string[];
  attribute: string;
  from: Date;
  to: Date;
  /** undefined: raw values; else an ISO 8601 period (PT1H, P1D, P1M). */
  period?: string;
  method: 'avg' | 'min' | 'max';
}

export interface Series {
  entityId: string;
  /** Seconds since the epoch (uPlot's x), and the values. */
  times: number[];
  values: (number | null)[];
}

export interface History {
  series: Series[];
  /** Set when the service answered 206: the history is complete only up to here. */
  partialUntil?: string;
}

type TemporalAttribute = { values?: [unknown, string][] } & Record<string, [unknown, string, string][] | unknown>;
type TemporalEntity = { id: string } & Record<string, TemporalAttribute | string>;

/** Reads the history through the NGSI-LD temporal API (README, "History"): one request for every entity. */
export async function readHistory(r: HistoryRequest): Promise<History> {
  const params = query({
    id: r.entityIds.join(','),
    attrs: r.attribute,
    timerel: 'between',
    timeAt: r.from.toISOString(),
    endTimeAt: r.to.toISOString(),
    ...(r.period ? { format: 'aggregatedValues', aggrMethods: r.method, aggrPeriodDuration: r.period } : { options: 'temporalValues' }),
    limit: r.entityIds.length,
  });
  const { body, status, headers } = await apiFetch<TemporalEntity[]>(`/ngsi-ld/v1/temporal/entities?${params}`);
  const series = body.map((entity) => {
    const attribute = (entity[r.attribute] ?? entity[shortName(r.attribute)]) as TemporalAttribute | undefined;
    const pairs = ((r.period ? attribute?.[r.method] : attribute?.values) ?? []) as [unknown, string][];
    return {
      entityId: entity.id,
      times: pairs.map(([, time]) => Date.parse(time) / 1000),
      values: pairs.map(([value]) => (typeof value === 'number' ? value : null)),
    };
  });
  const range = status === 206 ? /date-time \S+-(\d{4}-\S+Z)\//.exec(headers.get('content-range') ?? '') : null;
  return { series, partialUntil: range?.[1] };
}
