import { Injectable } from '@nestjs/common';
import { Sql, SqlTransaction } from 'src/database/sql';
import { DatasetAllowance, EntityCondition } from 'src/ngsi-ld/entities/entities.repository';
import { AggregationMethod, AggregationPeriod, TemporalFilter } from 'src/ngsi-ld/temporal/dto/temporal-request-params';
import { AttributeInstance } from 'src/ngsi-ld/representation/entity.model';
import { SqlParameters } from 'src/ngsi-ld/entities/entity-filter.sql';
import { AGGREGATES, bucketOf } from 'src/ngsi-ld/temporal/history-aggregation.sql';
import { MinimisedDatasets } from 'src/ngsi-ld/entities/minimised-filter.sql';
import { historyRelation } from 'src/ngsi-ld/temporal/minimised-history.sql';
import { HistoryWrites } from 'src/ngsi-ld/temporal/history-writes';

/** One attribute of one entity: the unit of history that limits and paging apply to. */
export interface SeriesKey {
  readonly entityId: string;
  readonly attribute: string;
}

export interface InstanceRow {
  readonly entity_id: string;
  readonly attribute: string;
  readonly instance_id: string;
  /** The instant the query is about (observedAt, createdAt or modifiedAt), ISO 8601 in UTC, to the microsecond when it has them. */
  readonly at: string;
  readonly created_at: Date;
  readonly modified_at: Date;
  readonly instance: AttributeInstance;
}

export interface BucketRow {
  readonly entity_id: string;
  readonly attribute: string;
  /** The period, ISO 8601 in UTC like {@link InstanceRow.at}. */
  readonly start: string;
  readonly end: string;
  readonly kind: string;
  readonly multi_instance_key: string | null;
  readonly values: Partial<Record<AggregationMethod, number | null>>;
}

/** How much of each series to read. */
export interface SeriesSlice {
  /** Rows per series, oldest first (newest first with lastN). */
  readonly limit: number;
  /** Also the rows that share the instant of the last one, so that paging never splits an instant. */
  readonly withTies: boolean;
  /** Only the instances of these NGSI-LD datasetIds ("@none": the default instances); all when absent. */
  readonly datasetIds?: readonly string[];
}

/** Where a keyset read of a dataset's history goes on from: the last row of the page before. */
export interface HistoryCursor {
  readonly entityId: string;
  readonly attribute: string;
  /** The row's `at`, to the microsecond. */
  readonly at: string;
  readonly instanceId: string;
}

/** A period of time: from (inclusive) to (exclusive), RFC 3339. */
export interface Period {
  readonly from: string;
  readonly to: string;
}

const NO_INSTANCE = '00000000-0000-0000-0000-000000000000';

const TIME_COLUMN = { observedAt: 'h.time', createdAt: 'h.created_at', modifiedAt: 'h.modified_at' } as const;

/**
 * The history of attribute values (`attribute_instance`). Reads go series by series (one entity's
 * attribute), each an index range scan that stops at its limit, and filter by the readable
 * datasets like every other read. Aggregations run in SQL, one row per time bucket.
 */
@Injectable()
export class HistoryRepository {
  constructor(private readonly sql: Sql) {}

  /** The attributes each entity has a history of, including attributes since deleted from its current state. */
  async attributesOf(tenant: string, entityIds: readonly string[]): Promise<Map<string, string[]>> {
    const found = new Map<string, string[]>(entityIds.map((id) => [id, []]));
    if (entityIds.length === 0) return found;
    const { rows } = await this.sql.query<{ entity_id: string; attribute: string }>(
      `SELECT e.entity_id, a.attribute FROM unnest($2::text[]) AS e(entity_id) CROSS JOIN LATERAL (${attributeNames('$1', 'e.entity_id')}) a`,
      [tenant, entityIds],
    );
    for (const row of rows) found.get(row.entity_id)?.push(row.attribute);
    return found;
  }

  /**
   * The condition on `entity e` that a temporal query selects entities by (clause 5.7.4.4): an
   * instance in the time window, of one of `attributes` (any attribute when absent), in a readable
   * dataset. An entity whose histories have nothing in the window is not part of the answer.
   * Attribute by attribute, so that each probe is a range scan of the series index that stops at
   * the first instance in the window, however long the history before it.
   */
  hasInstancesIn(readable: DatasetAllowance, filter: TemporalFilter, attributes?: readonly string[], minimised?: MinimisedDatasets): EntityCondition {
    return (params) => {
      const names = attributes ? `SELECT unnest(${params.add(attributes)}::text[]) AS attribute` : attributeNames('e.tenant', 'e.id');
      return `EXISTS (SELECT 1 FROM (${names}) n WHERE EXISTS (SELECT 1 FROM ${historyRelation(minimised, params)} h
        WHERE h.tenant = e.tenant AND h.entity_id = e.id AND h.attribute = n.attribute
          AND h.dataset_id = ANY (${params.add(readable)}::uuid[]) ${timeCondition(filter, params)}))`;
    };
  }

  /** Each series' instances as `slice` says, oldest first (newest first with lastN). */
  async instances(
    tenant: string,
    series: readonly SeriesKey[],
    readable: DatasetAllowance,
    filter: TemporalFilter,
    slice: SeriesSlice,
    minimised?: MinimisedDatasets,
  ): Promise<InstanceRow[]> {
    if (series.length === 0) return [];
    const params = new SqlParameters();
    const history = historyRelation(minimised, params);
    const { source, where, direction } = seriesScan(tenant, series, readable, filter, slice, params);
    const { rows } = await this.sql.query<InstanceRow>(
      `SELECT s.entity_id, s.attribute, h.instance_id, ${isoText('h.at')} AS at, h.created_at, h.modified_at, h.instance
       FROM ${source}
       CROSS JOIN LATERAL (
         SELECT h.instance_id, ${TIME_COLUMN[filter.timeproperty]} AS at, h.time, h.created_at, h.modified_at, h.instance
         FROM ${history} h
         WHERE ${where}
         ORDER BY ${TIME_COLUMN[filter.timeproperty]} ${direction} ${fetchFirst(slice, params)}
       ) h
       ORDER BY s.n, h.at ${direction}, h.time ${direction}, h.instance_id`,
      params.values,
    );
    return rows;
  }

  /**
   * One page of the instances recorded in a dataset (the dataset the entity was in when the value
   * was written) whose time (observedAt, else the write) lies in `period`, ordered by entity,
   * attribute, time and instance, after `after` (from the first without): keyset pages in the
   * order of the series index. `minimised` as for {@link instances}.
   */
  async pageOfDataset(
    tenant: string,
    datasetId: string,
    readable: DatasetAllowance,
    period: Period,
    after: HistoryCursor | undefined,
    limit: number,
    minimised?: MinimisedDatasets,
  ): Promise<InstanceRow[]> {
    const params = new SqlParameters();
    const history = historyRelation(minimised, params);
    // The first page starts after a cursor that precedes every row.
    const [entityId, attribute, at, instanceId] = after ? [after.entityId, after.attribute, after.at, after.instanceId] : ['', '', '-infinity', NO_INSTANCE];
    const { rows } = await this.sql.query<InstanceRow>(
      `SELECT h.entity_id, h.attribute, h.instance_id, ${isoText('h.time')} AS at, h.created_at, h.modified_at, h.instance
       FROM ${history} h
       WHERE h.tenant = ${params.add(tenant)} AND h.dataset_id = ${params.add(datasetId)}::uuid AND h.dataset_id = ANY (${params.add(readable)}::uuid[])
         AND h.time >= ${params.add(period.from)}::timestamptz AND h.time < ${params.add(period.to)}::timestamptz
         AND (h.entity_id, h.attribute, h.time, h.instance_id) > (${params.add(entityId)}, ${params.add(attribute)}, ${params.add(at)}::timestamptz, ${params.add(instanceId)}::uuid)
       ORDER BY h.entity_id, h.attribute, h.time, h.instance_id
       LIMIT ${params.add(limit)}`,
      params.values,
    );
    return rows;
  }

  /** The aggregates of each series per period (and per NGSI-LD datasetId), as `slice` says, oldest period first (newest first with lastN). */
  async aggregates(
    tenant: string,
    series: readonly SeriesKey[],
    readable: DatasetAllowance,
    filter: TemporalFilter,
    aggregation: { readonly methods: readonly AggregationMethod[]; readonly period: AggregationPeriod },
    slice: SeriesSlice,
    minimised?: MinimisedDatasets,
  ): Promise<BucketRow[]> {
    if (series.length === 0) return [];
    const params = new SqlParameters();
    const history = historyRelation(minimised, params);
    const { source, where, direction } = seriesScan(tenant, series, readable, filter, slice, params);
    const column = TIME_COLUMN[filter.timeproperty];
    const { period } = aggregation;
    // Periods are counted from timeAt, else from the first instance of the histories asked for.
    const fromFirst = filter.timeAt === undefined && !('whole' in period);
    const origin = () => (fromFirst ? '(SELECT at FROM origin)' : `${params.add(filter.timeAt)}::timestamptz`);
    const { start, end, groupBy } = bucketOf(period, column, origin, filter, params);
    const values = aggregation.methods.map((method) => `'${method}', ${AGGREGATES[method]}`).join(', ');
    const { rows } = await this.sql.query<BucketRow>(
      `${fromFirst ? `WITH origin AS (SELECT min(f.at) AS at FROM ${source} CROSS JOIN LATERAL (SELECT ${column} AS at FROM ${history} h WHERE ${where} ORDER BY ${column} LIMIT 1) f)` : ''}
       SELECT s.entity_id, s.attribute, ${isoText('b.start')} AS start, ${isoText('b.end')} AS end, b.kind, b.multi_instance_key, b.values
       FROM ${source}
       CROSS JOIN LATERAL (
         SELECT ${start} AS start, ${end} AS end, min(h.instance->>'type') AS kind, h.multi_instance_key, json_build_object(${values}) AS values
         FROM ${history} h
         WHERE ${where}
         GROUP BY ${groupBy}h.multi_instance_key
         ORDER BY 1 ${direction} ${fetchFirst(slice, params)}
       ) b
       ORDER BY s.n, b.start ${direction}, b.multi_instance_key`,
      params.values,
    );
    return rows;
  }

  /** The history statements of one write transaction. */
  writes(tenant: string, tx: SqlTransaction): HistoryWrites {
    return new HistoryWrites(tenant, tx);
  }
}

/**
 * What every series read shares: the series as a numbered list (`s`), the conditions on each one's
 * rows (`h`: its entity and attribute, readable datasets, timerel, NGSI-LD datasetIds), and the
 * direction of time.
 */
function seriesScan(
  tenant: string,
  series: readonly SeriesKey[],
  readable: DatasetAllowance,
  filter: TemporalFilter,
  slice: SeriesSlice,
  params: SqlParameters,
): { source: string; where: string; direction: 'ASC' | 'DESC' } {
  const source = `unnest(${params.add(series.map((s) => s.entityId))}::text[], ${params.add(series.map((s) => s.attribute))}::text[]) WITH ORDINALITY AS s(entity_id, attribute, n)`;
  const where = `h.tenant = ${params.add(tenant)} AND h.entity_id = s.entity_id AND h.attribute = s.attribute
           AND h.dataset_id = ANY (${params.add(readable)}::uuid[]) ${timeCondition(filter, params)}${datasetIdCondition(slice.datasetIds, params)}`;
  return { source, where, direction: filter.lastN !== undefined ? 'DESC' : 'ASC' };
}

/**
 * The attributes an entity has a history of (column `attribute`), given as SQL expressions of its
 * tenant and id: a skip scan of the series index, one probe per attribute however long its history.
 */
function attributeNames(tenant: string, entityId: string): string {
  return `WITH RECURSIVE names(attribute) AS (
      (SELECT h.attribute FROM attribute_instance h WHERE h.tenant = ${tenant} AND h.entity_id = ${entityId} ORDER BY h.attribute LIMIT 1)
      UNION ALL
      SELECT (SELECT h.attribute FROM attribute_instance h
              WHERE h.tenant = ${tenant} AND h.entity_id = ${entityId} AND h.attribute > n.attribute ORDER BY h.attribute LIMIT 1)
      FROM names n WHERE n.attribute IS NOT NULL
    )
    SELECT attribute FROM names WHERE attribute IS NOT NULL`;
}

/** LIMIT, or FETCH FIRST ... WITH TIES (the ORDER BY being the time alone). */
function fetchFirst(slice: SeriesSlice, params: SqlParameters): string {
  const count = params.add(slice.limit);
  return slice.withTies ? `FETCH FIRST (${count}) ROWS WITH TIES` : `LIMIT ${count}`;
}

/** An instant as ISO 8601 text in UTC: to the millisecond, or to the microsecond when it has them (JavaScript dates would drop them). */
function isoText(expression: string): string {
  const utc = `(${expression}) AT TIME ZONE 'UTC'`;
  return `to_char(${utc}, 'YYYY-MM-DD"T"HH24:MI:SS.') || to_char(${utc}, CASE WHEN extract(microseconds FROM ${expression})::bigint % 1000 = 0 THEN 'MS' ELSE 'US' END) || 'Z'`;
}

/** Only the instances of these NGSI-LD datasetIds ("@none": the default instances); all without. */
function datasetIdCondition(datasetIds: readonly string[] | undefined, params: SqlParameters): string {
  if (datasetIds === undefined) return '';
  return ` AND coalesce(h.multi_instance_key, '@none') = ANY (${params.add(datasetIds)}::text[])`;
}

/** timerel as SQL: before is strictly before timeAt, after strictly after, between from timeAt (inclusive) to endTimeAt (exclusive). */
function timeCondition(filter: TemporalFilter, params: SqlParameters): string {
  const column = TIME_COLUMN[filter.timeproperty];
  switch (filter.timerel) {
    case undefined:
      return '';
    case 'before':
      return `AND ${column} < ${params.add(filter.timeAt)}::timestamptz`;
    case 'after':
      return `AND ${column} > ${params.add(filter.timeAt)}::timestamptz`;
    case 'between':
      return `AND ${column} >= ${params.add(filter.timeAt)}::timestamptz AND ${column} < ${params.add(filter.endTimeAt)}::timestamptz`;
  }
}
