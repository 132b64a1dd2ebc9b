import DataLoader from 'dataloader';
import { AppConfig } from 'src/config/app-config';
import { AccessContext } from 'src/common/access/access-context';
import { ProblemError } from 'src/common/problem/problem-error';
import { BadRequestData } from 'src/common/problem/ngsi-ld-errors';
import { DatasetsService } from 'src/governance/datasets/datasets.service';
import { ModelContexts } from 'src/graphql/mapping/model-context';
import { EntitiesService } from 'src/ngsi-ld/entities/entities.service';
import { isUri } from 'src/ngsi-ld/representation/ngsi-ld-syntax';
import { parseEntityQuery } from 'src/ngsi-ld/entities/dto/entity-request-params';
import { EntityData } from 'src/ngsi-ld/representation/entity.model';
import { AggregationMethod, parsePeriod, parseTimeFilter, TemporalFilter } from 'src/ngsi-ld/temporal/dto/temporal-request-params';
import { BucketRow, InstanceRow } from 'src/ngsi-ld/temporal/history.repository';
import { seriesKey, SeriesRows, TemporalSeriesService } from 'src/ngsi-ld/temporal/temporal-series.service';

/** The services resolvers read through: the same ones, with the same access checks, as NGSI-LD's. */
export interface GraphqlServices {
  readonly entities: EntitiesService;
  readonly series: TemporalSeriesService;
  readonly datasets: DatasetsService;
  readonly contexts: ModelContexts;
  readonly config: AppConfig;
}

/** History arguments of a field: a time window and how many of the newest values. */
export interface HistoryArgs {
  readonly from?: string;
  readonly to?: string;
  readonly last?: number;
}

export interface AggregateArgs extends HistoryArgs {
  readonly every?: string;
  readonly method: string;
}

/** The NGSI-LD temporal filter of history arguments: from/to as after/before/between on observedAt. */
export function timeFilterOf(args: HistoryArgs): TemporalFilter {
  const { from, to, last } = args;
  const params: Record<string, string> = {};
  if (from && to) Object.assign(params, { timerel: 'between', timeAt: from, endTimeAt: to });
  else if (from) Object.assign(params, { timerel: 'after', timeAt: from });
  else if (to) Object.assign(params, { timerel: 'before', timeAt: to });
  if (last !== undefined && last !== null) params.lastN = String(last);
  return parseTimeFilter(params);
}

const METHODS: Readonly<Record<string, AggregationMethod>> = {
  TOTAL_COUNT: 'totalCount',
  DISTINCT_COUNT: 'distinctCount',
  SUM: 'sum',
  AVG: 'avg',
  MIN: 'min',
  MAX: 'max',
  STDDEV: 'stddev',
  SUMSQ: 'sumsq',
};

export function aggregationMethodOf(method: string): AggregationMethod {
  return METHODS[method];
}

interface SeriesAsk<A> {
  readonly entityId: string;
  readonly attribute: string;
  readonly args: A;
}

/**
 * Per-operation batching: entities by id, datasets by id, and histories per (attribute window),
 * so that a page of 100 entities with their related devices and histories costs a fixed number of
 * statements, not one per entity. Made fresh for every operation (its cache is the operation's).
 */
export class GraphqlLoaders {
  readonly entity: DataLoader<string, EntityData | null>;
  readonly dataset: DataLoader<string, Record<string, unknown> | null>;
  readonly history: DataLoader<SeriesAsk<HistoryArgs>, readonly InstanceRow[], string>;
  readonly aggregate: DataLoader<SeriesAsk<AggregateArgs>, readonly BucketRow[], string>;

  constructor(
    private readonly access: AccessContext,
    private readonly services: GraphqlServices,
  ) {
    const maxBatchSize = services.config.query.maxLimit;
    this.entity = new DataLoader((ids) => this.loadEntities(ids), { maxBatchSize });
    this.dataset = new DataLoader((ids) => Promise.all(ids.map((id) => this.loadDataset(id))), { batch: false });
    this.history = new DataLoader((asks) => this.loadHistories(asks), { cacheKeyFn: seriesCacheKey, maxBatchSize });
    this.aggregate = new DataLoader((asks) => this.loadAggregates(asks), { cacheKeyFn: seriesCacheKey, maxBatchSize });
  }

  private async loadEntities(ids: readonly string[]): Promise<(EntityData | null)[]> {
    // One id (entity(id:), a single related entity): the prepared read by id GET /entities/{id} uses.
    if (ids.length === 1) return [(await this.services.entities.findOne(this.access, ids[0])) ?? null];
    // An id that is no URI names no entity (and must not fail the others batched with it).
    const wanted = [...new Set(ids.filter((id) => isUri(id) && !id.includes(',')))];
    if (wanted.length === 0) return ids.map(() => null);
    const context = this.services.contexts(undefined);
    const query = parseEntityQuery({ id: wanted.join(','), limit: String(wanted.length) }, this.services.config);
    const { entities } = await this.services.entities.find(this.access, context, query);
    const byId = new Map(entities.map((entity) => [entity.id, entity]));
    return ids.map((id) => byId.get(id) ?? null);
  }

  private async loadDataset(id: string): Promise<Record<string, unknown> | null> {
    try {
      return await this.services.datasets.get(this.access, id);
    } catch (error) {
      // Absent and not visible are the same answer: null, as for entities.
      if (error instanceof ProblemError && error.status === 404) return null;
      throw error;
    }
  }

  private async loadHistories(asks: readonly SeriesAsk<HistoryArgs>[]): Promise<(readonly InstanceRow[] | Error)[]> {
    return this.bySameWindow(asks, async (group, args) => {
      return answersOf(group, await this.services.series.instances(this.access, { ...idsAndAttributes(group), time: timeFilterOf(args) }));
    });
  }

  private async loadAggregates(asks: readonly SeriesAsk<AggregateArgs>[]): Promise<(readonly BucketRow[] | Error)[]> {
    return this.bySameWindow(asks, async (group, args) => {
      const aggregation = { methods: [aggregationMethodOf(args.method)], period: parsePeriod(args.every) };
      return answersOf(group, await this.services.series.aggregates(this.access, { ...idsAndAttributes(group), time: timeFilterOf(args), aggregation }));
    });
  }

  /** Asks with the same arguments are read together (one statement); an error fails only its own group. */
  private async bySameWindow<A, T>(asks: readonly SeriesAsk<A>[], read: (group: SeriesAsk<A>[], args: A) => Promise<(T | Error)[]>): Promise<(T | Error)[]> {
    const groups = new Map<string, number[]>();
    asks.forEach((ask, i) => {
      const key = JSON.stringify(ask.args);
      groups.set(key, [...(groups.get(key) ?? []), i]);
    });
    const results: (T | Error)[] = new Array(asks.length);
    await Promise.all(
      [...groups.values()].map(async (indexes) => {
        const group = indexes.map((i) => asks[i]);
        try {
          const rows = await read(group, group[0].args);
          indexes.forEach((i, n) => (results[i] = rows[n]));
        } catch (error) {
          indexes.forEach((i) => (results[i] = error as Error));
        }
      }),
    );
    return results;
  }
}

/**
 * Each ask's rows; a series cut at the answer's limit is an error for its field, never a silent
 * part of the history (NGSI-LD answers 206 with the range it covers; a GraphQL list cannot say that).
 */
function answersOf<T>(asks: readonly SeriesAsk<unknown>[], answer: SeriesRows<T>): (readonly T[] | Error)[] {
  return asks.map((ask) => {
    const key = seriesKey(ask.entityId, ask.attribute);
    if (!answer.truncated.has(key)) return answer.rows.get(key) ?? [];
    return new BadRequestData(
      `The history of ${ask.attribute} of ${ask.entityId} holds more than the ${answer.limit} values this query may carry for it: narrow from/to, ask for last: N, or read fewer histories in one query`,
    );
  });
}

function seriesCacheKey<A>(ask: SeriesAsk<A>): string {
  return JSON.stringify([ask.entityId, ask.attribute, ask.args]);
}

function idsAndAttributes(asks: readonly SeriesAsk<unknown>[]) {
  return { ids: [...new Set(asks.map((ask) => ask.entityId))], attributes: [...new Set(asks.map((ask) => ask.attribute))] };
}
