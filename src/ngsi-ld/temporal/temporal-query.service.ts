import { Injectable } from '@nestjs/common';
import { AppConfig } from 'src/config/app-config';
import { InjectConfig } from 'src/config/config.module';
import { AccessContext } from 'src/common/access/access-context';
import { ResourceNotFound } from 'src/common/problem/ngsi-ld-errors';
import { withScopedContexts } from 'src/jsonld/compiled-context';
import { RequestContext } from 'src/jsonld/context-compiler';
import { JsonObject } from 'src/jsonld/value-codec';
import { PolicyDecisionPoint, ReadAllowance, viewOf } from 'src/governance/policy-decision-point';
import { PurposeCheck } from 'src/ngsi-ld/entities/purpose-check';
import { Representation } from 'src/ngsi-ld/entities/dto/entity-request-params';
import { EntitiesRepository } from 'src/ngsi-ld/entities/entities.repository';
import { compactOptionsOf, entityFilterOf } from 'src/ngsi-ld/entities/entity-query.mapper';
import { Projection } from 'src/ngsi-ld/representation/entity-compactor';
import { CombinationCheck } from 'src/ngsi-ld/entities/combination-check';
import { EntityData } from 'src/ngsi-ld/representation/entity.model';
import { TenantDirectory } from 'src/ngsi-ld/tenants/tenant-directory';
import { TemporalFilter, TemporalQuery, TemporalRepresentation } from 'src/ngsi-ld/temporal/dto/temporal-request-params';
import { BucketRow, HistoryRepository, InstanceRow, SeriesKey, SeriesSlice } from 'src/ngsi-ld/temporal/history.repository';
import { Page } from 'src/ngsi-ld/common/page-links';
import { instancesPerSeries, pageOf } from 'src/ngsi-ld/temporal/temporal-paging';
import { showsAttribute } from 'src/governance/privacy/views/minimised-view';
import { aggregatedTemporal, normalizedTemporal, simplifiedTemporal } from 'src/ngsi-ld/temporal/temporal-representation';

/** A temporal answer; `range` is set when it holds only part of the histories (206). */
export interface TemporalAnswer<T> {
  readonly body: T;
  readonly count?: number;
  readonly range?: { readonly start: string; readonly end: string };
  /** For a query: which page of entities this is. */
  readonly page?: Page;
}

type Asked = TemporalRepresentation & { readonly time: TemporalFilter };

/**
 * Temporal retrieval and query (clauses 5.7.3, 5.7.4): entities are selected and checked exactly
 * as current-state queries are (same filter, same readable datasets, same combination rules), a
 * query keeping only those with an instance in the time window; then each selected attribute's
 * history is read, also only from readable datasets.
 */
@Injectable()
export class TemporalQueryService {
  constructor(
    private readonly entities: EntitiesRepository,
    private readonly history: HistoryRepository,
    private readonly tenants: TenantDirectory,
    private readonly policy: PolicyDecisionPoint,
    private readonly combinations: CombinationCheck,
    private readonly purposes: PurposeCheck,
    @InjectConfig() private readonly config: AppConfig,
  ) {}

  async retrieve(access: AccessContext, context: RequestContext, id: string, asked: Asked): Promise<TemporalAnswer<JsonObject>> {
    await this.tenants.assertExists(access.tenant);
    const allowance = this.policy.readable(access);
    const entity = await this.entities.findById(access.tenant, id, allowance.datasets);
    if (!entity) {
      await this.purposes.checkEntity(access, allowance, id);
      throw new ResourceNotFound(`No entity ${id}`);
    }
    const { bodies, range } = await this.histories(access, context, [entity], asked, allowance);
    return { body: bodies[0], range };
  }

  async query(access: AccessContext, context: RequestContext, query: TemporalQuery): Promise<TemporalAnswer<JsonObject[]>> {
    await this.tenants.assertExists(access.tenant);
    const filter = entityFilterOf(context.compiled, query);
    const allowance = this.policy.readable(access);
    await this.combinations.check(access, allowance, filter);
    await this.purposes.checkQuery(access, allowance, filter);
    const inWindow = { where: this.history.hasInstancesIn(allowance.datasets, query.time, filter.attributes, allowance.minimised), minimised: allowance.minimised };
    // One entity more than the page tells whether another page follows.
    const [found, count] = await Promise.all([
      query.limit > 0 ? this.entities.find(access.tenant, allowance.datasets, filter, query.limit + 1, query.offset, inWindow) : Promise.resolve([]),
      query.count ? this.entities.count(access.tenant, allowance.datasets, filter, inWindow) : Promise.resolve(undefined),
    ]);
    const entities = found.slice(0, query.limit);
    const { bodies, range } = await this.histories(access, context, entities, query, allowance);
    return { body: bodies, count, range, page: { offset: query.offset, limit: query.limit, hasMore: found.length > query.limit } };
  }

  /** Reads the asked attributes' histories of some entities, within the response budget, and represents them. */
  private async histories(access: AccessContext, context: RequestContext, found: readonly EntityData[], asked: Asked, allowance: ReadAllowance) {
    const options = compactOptionsOf(context, asked as Representation);
    const entities = found.map((entity) => this.policy.showEntity(access, entity));
    const datasetOf = new Map(entities.map((entity) => [entity.id, entity.datasetId]));
    // Attributes a view removes have no history to show (not even an empty one).
    const series = (await this.seriesOf(access.tenant, entities, options.projection)).filter(({ entityId, attribute }) =>
      showsAttribute(viewOf(allowance, datasetOf.get(entityId)), attribute),
    );
    const { datasets: readable, minimised } = allowance;
    const perSeries = instancesPerSeries(this.config.temporal, series.length);
    const wanted = asked.time.lastN ?? Number.MAX_SAFE_INTEGER;
    const keep = Math.min(wanted, perSeries);
    // One row more than shown (and those sharing its instant) tells whether a series goes on and
    // where an instant ends; not needed when lastN itself is the limit.
    const paged = wanted > perSeries;
    const slice: SeriesSlice = { limit: paged ? keep + 1 : keep, withTies: paged, datasetIds: asked.datasetIds };
    const newestFirst = asked.time.lastN !== undefined;
    const temporal = asked.temporal;
    if (temporal.kind === 'aggregatedValues') {
      const rows = await this.history.aggregates(access.tenant, series, readable, asked.time, temporal, slice, minimised);
      const page = pageOf(bySeries(series, rows.map((row) => ({ ...row, at: row.start }))), keep, newestFirst);
      const bodies = await withScopedContexts(() =>
        entities.map((entity) => aggregatedTemporal(context.compiled, entity, rowsOf(page.series, series, entity) as BucketRow[], temporal.methods, options)),
      );
      // Periods are cut whole: going forward, the range ends where the last period shown ends, and
      // the next page starts there (timerel=between&timeAt=<end>, which includes its start).
      const range = page.range && !newestFirst ? { ...page.range, end: rows.find((row) => row.start === page.range!.end)?.end ?? page.range.end } : page.range;
      return { bodies, range };
    }
    const rows = await this.history.instances(access.tenant, series, readable, asked.time, slice, minimised);
    const page = pageOf(
      bySeries(series, rows).map((own, i) => this.policy.showInstances(access, datasetOf.get(series[i].entityId), series[i].attribute, own)),
      keep,
      newestFirst,
    );
    const bodies = await withScopedContexts(() =>
      entities.map((entity) => {
        const own = rowsOf(page.series, series, entity) as InstanceRow[];
        return temporal.kind === 'temporalValues'
          ? simplifiedTemporal(context.compiled, entity, own, options)
          : normalizedTemporal(context.compiled, entity, own, options, asked.time.timeproperty);
      }),
    );
    return { bodies, range: page.range };
  }

  /**
   * The series to read: each entity's attributes that have a history (also those since deleted
   * from its current state), narrowed by attrs, pick or omit.
   */
  private async seriesOf(tenant: string, entities: readonly EntityData[], projection: Projection | undefined): Promise<SeriesKey[]> {
    const { attributes: only, omitted } = projection ?? {};
    const recorded = only ? undefined : await this.history.attributesOf(tenant, entities.map((entity) => entity.id));
    return entities.flatMap((entity) => {
      const names = only ? [...only] : [...new Set([...recorded!.get(entity.id)!, ...Object.keys(entity.attributes)])];
      return names.filter((attribute) => !omitted?.has(attribute)).map((attribute) => ({ entityId: entity.id, attribute }));
    });
  }
}

/** Rows grouped per series, in the order of `series`. */
function bySeries<T extends { entity_id: string; attribute: string }>(series: readonly SeriesKey[], rows: readonly T[]): T[][] {
  const index = new Map(series.map((s, i) => [`${s.entityId}\u0000${s.attribute}`, i]));
  const grouped: T[][] = series.map(() => []);
  for (const row of rows) grouped[index.get(`${row.entity_id}\u0000${row.attribute}`)!].push(row);
  return grouped;
}

/** The rows of one entity's series (series are listed entity by entity). */
function rowsOf<T>(grouped: readonly T[][], series: readonly SeriesKey[], entity: EntityData): T[] {
  return series.flatMap((s, i) => (s.entityId === entity.id ? grouped[i] : []));
}
