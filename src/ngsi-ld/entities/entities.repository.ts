import { Injectable } from '@nestjs/common';
import { BadRequestData, TooComplexQuery } from 'src/common/problem/ngsi-ld-errors';
import { PREPARED, Sql } from 'src/database/sql';
import { EntityFilter } from 'src/ngsi-ld/query/entity-filter';
import { EntityData } from 'src/ngsi-ld/representation/entity.model';
import { CompileOptions, compileEntityFilter, SqlParameters } from 'src/ngsi-ld/entities/entity-filter.sql';
import { ENTITY_COLUMNS, EntityRow, toEntityData } from 'src/ngsi-ld/entities/entity-row.mapper';
import { EntityWrites } from 'src/ngsi-ld/entities/entity-writes';
import { ChangeSignal } from 'src/changes/change-signal';

/**
 * The datasets a statement may touch, as the policy decision point allowed them. Every statement
 * filters by them in SQL; an empty list matches nothing (deny by default).
 */
export type DatasetAllowance = readonly string[];

/**
 * A further condition on `entity e` that another table's repository writes (the history's: "has
 * instances in the time window"), with its values added to `params`.
 */
export type EntityCondition = (params: SqlParameters) => string;

export interface FindOptions extends CompileOptions {
  readonly where?: EntityCondition;
  /** The order of pages: by id (the default), or by when entities were created or last changed (ties by id). */
  readonly order?: EntityOrder;
}

export type EntityOrder = 'id' | '-id' | 'createdAt' | '-createdAt' | 'modifiedAt' | '-modifiedAt';

const ORDER_BY: Readonly<Record<EntityOrder, string>> = {
  id: 'e.id',
  '-id': 'e.id DESC',
  createdAt: 'e.created_at, e.id',
  '-createdAt': 'e.created_at DESC, e.id DESC',
  modifiedAt: 'e.modified_at, e.id',
  '-modifiedAt': 'e.modified_at DESC, e.id DESC',
};

/** The `entity` table. Every statement is bound to one tenant; values always travel as parameters. */
@Injectable()
export class EntitiesRepository {
  constructor(
    private readonly sql: Sql,
    private readonly changes: ChangeSignal,
  ) {}

  async findById(tenant: string, id: string, readable: DatasetAllowance): Promise<EntityData | undefined> {
    const { rows } = await this.sql.query<EntityRow>(
      `SELECT ${ENTITY_COLUMNS} FROM entity e WHERE e.tenant = $1 AND e.id = $2 AND e.dataset_id = ANY ($3::uuid[])`,
      [tenant, id, readable],
      PREPARED,
    );
    return rows[0] && toEntityData(rows[0]);
  }

  /**
   * One page of a dataset's entities in id order, those after `afterId` (from the first without):
   * keyset pages for reads of a whole dataset, each an index range scan (tenant, dataset_id, id)
   * that starts where the last page ended, however far into the dataset that is.
   */
  async pageOfDataset(tenant: string, datasetId: string, readable: DatasetAllowance, afterId: string | undefined, limit: number): Promise<EntityData[]> {
    // Ids are never empty, and compare bytewise (COLLATE "C"): every id is after ''.
    const { rows } = await this.sql.query<EntityRow>(
      `SELECT ${ENTITY_COLUMNS} FROM entity e
       WHERE e.tenant = $1 AND e.dataset_id = $2::uuid AND e.dataset_id = ANY ($3::uuid[]) AND e.id > $4
       ORDER BY e.id LIMIT $5`,
      [tenant, datasetId, readable, afterId ?? '', limit],
      PREPARED,
    );
    return rows.map(toEntityData);
  }

  /** One page of matching entities, in id order (or the order asked for, ties by id) so that pages neither overlap nor skip. */
  async find(
    tenant: string,
    readable: DatasetAllowance,
    filter: EntityFilter,
    limit: number,
    offset: number,
    options?: FindOptions,
  ): Promise<EntityData[]> {
    const params = new SqlParameters();
    const where = whereReadable(tenant, readable, filter, params, options);
    const text = `SELECT ${ENTITY_COLUMNS} FROM entity e WHERE ${where} ORDER BY ${ORDER_BY[options?.order ?? 'id']} LIMIT ${params.add(limit)} OFFSET ${params.add(offset)}`;
    const { rows } = await this.sql.query<EntityRow>(text, params.values).catch(rethrowInvalidInput);
    return rows.map(toEntityData);
  }

  async count(tenant: string, readable: DatasetAllowance, filter: EntityFilter, options?: FindOptions): Promise<number> {
    const params = new SqlParameters();
    const where = whereReadable(tenant, readable, filter, params, options);
    const { rows } = await this.sql
      .query<{ count: number }>(`SELECT count(*)::int AS count FROM entity e WHERE ${where}`, params.values)
      .catch(rethrowInvalidInput);
    return rows[0].count;
  }

  /**
   * Which of `candidates` the whole set of matches (not one page) draws on: what a combination
   * rule is checked against. One probe per candidate dataset, each stopping at its first match.
   */
  async datasetsDrawnOn(tenant: string, candidates: DatasetAllowance, filter: EntityFilter, options?: CompileOptions): Promise<Set<string>> {
    const params = new SqlParameters();
    const where = compileEntityFilter(tenant, filter, params, options);
    const { rows } = await this.sql
      .query<{ dataset: string }>(
        `SELECT c.dataset FROM unnest(${params.add(candidates)}::uuid[]) AS c(dataset)
         WHERE EXISTS (SELECT 1 FROM entity e WHERE e.dataset_id = c.dataset AND ${where})`,
        params.values,
      )
      .catch(rethrowInvalidInput);
    return new Set(rows.map((row) => row.dataset));
  }

  /** The plan PostgreSQL chooses for a query: for the tests and notes that show indexes at work. */
  async explain(tenant: string, readable: DatasetAllowance, filter: EntityFilter, limit: number): Promise<string> {
    const params = new SqlParameters();
    const where = whereReadable(tenant, readable, filter, params);
    const { rows } = await this.sql.query<{ 'QUERY PLAN': string }>(
      `EXPLAIN SELECT ${ENTITY_COLUMNS} FROM entity e WHERE ${where} ORDER BY e.id LIMIT ${params.add(limit)}`,
      params.values,
    );
    return rows.map((row) => row['QUERY PLAN']).join('\n');
  }

  /**
   * Runs `work` in one transaction: the write path. Everything that must commit with the entities
   * (history, change records) joins this transaction.
   */
  async write<T>(tenant: string, work: (tx: EntityWrites) => Promise<T>): Promise<T> {
    const result = await this.sql.transaction((tx) => work(new EntityWrites(tenant, tx))).catch(rethrowInvalidInput);
    this.changes.committed();
    return result;
  }
}

function whereReadable(tenant: string, readable: DatasetAllowance, filter: EntityFilter, params: SqlParameters, options?: FindOptions): string {
  const datasets = params.add(readable);
  const where = `e.dataset_id = ANY (${datasets}::uuid[]) AND ${compileEntityFilter(tenant, filter, params, options)}`;
  return options?.where ? `${where} AND ${options.where(params)}` : where;
}

/** PostgreSQL's verdict on input it cannot use (a bad regular expression, a bad geometry) is the caller's error. */
function rethrowInvalidInput(error: unknown): never {
  const code = (error as { code?: string }).code;
  const message = (error as Error).message;
  if (code === '2201B') throw new BadRequestData(`Not a valid regular expression: ${message}`);
  if (code === '57014') throw new TooComplexQuery('The query took longer than the service allows (DATABASE_STATEMENT_TIMEOUT_MS)');
  if (code === 'XX000' && /geojson|geometry|geography/i.test(message)) throw new BadRequestData(`Invalid geometry: ${message}`);
  if (code === '22023' || code === '22P02' || code === '2203A' || code === '22033') throw new BadRequestData(`Invalid value: ${message}`);
  throw error;
}
