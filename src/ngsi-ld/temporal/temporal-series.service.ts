import { Injectable } from '@nestjs/common';
import { AppConfig } from 'src/config/app-config';
import { InjectConfig } from 'src/config/config.module';
import { AccessContext } from 'src/common/access/access-context';
import { PolicyDecisionPoint, viewOf } from 'src/governance/policy-decision-point';
import { CombinationCheck } from 'src/ngsi-ld/entities/combination-check';
import { EntitiesRepository } from 'src/ngsi-ld/entities/entities.repository';
import { PurposeCheck } from 'src/ngsi-ld/entities/purpose-check';
import { EntityFilter } from 'src/ngsi-ld/query/entity-filter';
import { AggregationMethod, AggregationPeriod, TemporalFilter } from 'src/ngsi-ld/temporal/dto/temporal-request-params';
import { BucketRow, HistoryCursor, HistoryRepository, InstanceRow, Period, SeriesKey } from 'src/ngsi-ld/temporal/history.repository';
import { decideDatasetRead } from 'src/ngsi-ld/entities/dataset-read';
import { TenantDirectory } from 'src/ngsi-ld/tenants/tenant-directory';
import { instancesPerSeries } from 'src/ngsi-ld/temporal/temporal-paging';
import { showsAttribute } from 'src/governance/privacy/views/minimised-view';

/** Which attributes of which entities, over which time, summarised how (or not at all). */
export interface SeriesRequest {
  readonly ids: readonly string[];
  /** Expanded attribute IRIs. */
  readonly attributes: readonly string[];
  readonly time: TemporalFilter;
  readonly aggregation?: { readonly methods: readonly AggregationMethod[]; readonly period: AggregationPeriod };
}

/**
 * Rows per series, keyed by {@link seriesKey} (a series of an entity the caller may not read is
 * absent); `truncated` names the series that hold more than the `limit` rows one answer may carry
 * (TEMPORAL_MAX_INSTANCES_PER_ATTRIBUTE, shared out within TEMPORAL_MAX_INSTANCES_PER_RESPONSE):
 * their rows are the first `limit`, and a door must say so rather than pass them off as whole.
 */
export interface SeriesRows<T> {
  readonly rows: ReadonlyMap<string, readonly T[]>;
  readonly truncated: ReadonlySet<string>;
  readonly limit: number;
}

/** Instances per page of a whole-dataset history read. */
const HISTORY_PAGE = 2000;

export function seriesKey(entityId: string, attribute: string): string {
  return `${entityId}\u0000${attribute}`;
}

/**
 * Histories of several entities' attributes as rows, for doors that render them themselves
 * (GraphQL): the entities are selected by id exactly as a temporal query selects them (readable
 * datasets, combination rules, purposes), the caller's views applied to every instance, and all
 * series read in one statement.
 */
@Injectable()
export class TemporalSeriesService {
  constructor(
    private readonly entities: EntitiesRepository,
    private readonly history: HistoryRepository,
    private readonly tenants: TenantDirectory,
    private readonly policy: PolicyDecisionPoint,
    private readonly combinations: CombinationCheck,
    private readonly purposes: PurposeCheck,
    @InjectConfig() private readonly config: AppConfig,
  ) {}

  async instances(access: AccessContext, request: SeriesRequest): Promise<SeriesRows<InstanceRow>> {
    const { series, datasetOf, allowance, limit, slice } = await this.select(access, request);
    const rows = await this.history.instances(access.tenant, series, allowance.datasets, request.time, slice, allowance.minimised);
    return cut(series, rows, limit, (key, own) => this.policy.showInstances(access, datasetOf.get(key.entityId), key.attribute, own));
  }

  async aggregates(access: AccessContext, request: SeriesRequest & Required<Pick<SeriesRequest, 'aggregation'>>): Promise<SeriesRows<BucketRow>> {
    const { series, allowance, limit, slice } = await this.select(access, request);
    const rows = await this.history.aggregates(access.tenant, series, allowance.datasets, request.time, request.aggregation, slice, allowance.minimised);
    return cut(series, rows, limit, (_key, own) => own);
  }

  /**
   * The instances recorded in a dataset in `period` (the request's tenant), page by page ordered
   * by entity, attribute, time and instance, with the caller's view applied to every instance: for
   * doors that send a dataset's history (downloads). Access is decided before the first page as
   * for a read naming only this dataset; keyset pages keep memory at one page.
   */
  async *streamDatasetHistory(access: AccessContext, datasetId: string, period: Period, pageSize = HISTORY_PAGE): AsyncGenerator<InstanceRow[]> {
    await this.tenants.assertExists(access.tenant);
    const { allowance, view } = decideDatasetRead(access, this.policy, datasetId);
    // Time windows are compared on the times the view shows, as for temporal queries.
    const minimised = view === 'full' ? undefined : new Map([[datasetId, view]]);
    let after: HistoryCursor | undefined;
    for (;;) {
      const rows = await this.history.pageOfDataset(access.tenant, datasetId, allowance.datasets, period, after, pageSize, minimised);
      if (rows.length > 0) yield bySeries(rows).flatMap((series) => this.policy.showInstances(access, datasetId, series[0].attribute, series));
      if (rows.length < pageSize) return;
      const last = rows[rows.length - 1];
      after = { entityId: last.entity_id, attribute: last.attribute, at: last.at, instanceId: last.instance_id };
    }
  }

  private async select(access: AccessContext, request: SeriesRequest) {
    await this.tenants.assertExists(access.tenant);
    const allowance = this.policy.readable(access);
    const filter: EntityFilter = { entities: [{ ids: request.ids }] };
    await this.combinations.check(access, allowance, filter);
    await this.purposes.checkQuery(access, allowance, filter);
    const found = await this.entities.find(access.tenant, allowance.datasets, filter, request.ids.length, 0, { minimised: allowance.minimised });
    const datasetOf = new Map(found.map((entity) => [entity.id, entity.datasetId]));
    for (const entity of found) access.disclosure.record(entity.datasetId, viewOf(allowance, entity.datasetId));
    // Attributes a view removes have no history to show.
    const series: SeriesKey[] = found.flatMap((entity) => {
      const view = viewOf(allowance, entity.datasetId);
      return request.attributes.filter((attribute) => showsAttribute(view, attribute)).map((attribute) => ({ entityId: entity.id, attribute }));
    });
    const perSeries = instancesPerSeries(this.config.temporal, series.length);
    const wanted = request.time.lastN ?? Number.MAX_SAFE_INTEGER;
    const limit = Math.min(wanted, perSeries);
    // One row more than may be shown tells that a series was cut; not needed when lastN is the limit.
    return { series, datasetOf, allowance, limit, slice: { limit: wanted > perSeries ? limit + 1 : limit, withTies: false } };
  }
}

/** Rows per series, at most `limit` each (the series that had more named), shown as `show` says. */
function cut<T extends { entity_id: string; attribute: string }>(series: readonly SeriesKey[], rows: readonly T[], limit: number, show: (key: SeriesKey, rows: T[]) => T[]): SeriesRows<T> {
  const grouped = group(rows);
  const truncated = new Set<string>();
  const shown = new Map<string, readonly T[]>();
  for (const key of series) {
    const name = seriesKey(key.entityId, key.attribute);
    const own = grouped.get(name) ?? [];
    if (own.length > limit) truncated.add(name);
    shown.set(name, show(key, own.slice(0, limit)));
  }
  return { rows: shown, truncated, limit };
}

function group<T extends { entity_id: string; attribute: string }>(rows: readonly T[]): Map<string, T[]> {
  const grouped = new Map<string, T[]>();
  for (const row of rows) {
    const key = seriesKey(row.entity_id, row.attribute);
    const own = grouped.get(key);
    if (own) own.push(row);
    else grouped.set(key, [row]);
  }
  return grouped;
}

/** Rows ordered by series cut into runs of one series each. */
function bySeries<T extends { entity_id: string; attribute: string }>(rows: readonly T[]): T[][] {
  const runs: T[][] = [];
  for (const row of rows) {
    const run = runs[runs.length - 1];
    if (run && run[0].entity_id === row.entity_id && run[0].attribute === row.attribute) run.push(row);
    else runs.push([row]);
  }
  return runs;
}
