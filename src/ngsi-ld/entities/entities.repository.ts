import { Injectable } from '@nestjs/common';
import { BadRequestData, TooComplexQuery } from 'src/common/problem/ngsi-ld-errors';
import { Sql, SqlTransaction } from 'src/database/sql';
import { EntityFilter } from 'src/ngsi-ld/query/entity-filter';
import { EntityData } from 'src/ngsi-ld/representation/entity.model';
import { CompileOptions, compileEntityFilter, SqlParameters } from 'src/ngsi-ld/entities/entity-filter.sql';
import { EntityRow, toEntityData } from 'src/ngsi-ld/entities/entity-row.mapper';

const COLUMNS = 'e.id, e.types, e.scopes, e.attrs, e.created_at, e.modified_at';
/** Entities travel to bulk statements as one JSON parameter, unpacked by jsonb_to_recordset. */
const RECORDS = `jsonb_to_recordset($2::jsonb) AS r(id text, types text[], scopes text[], attrs jsonb)`;

/** The `entity` table. Every statement is bound to one tenant; values always travel as parameters. */
@Injectable()
export class EntitiesRepository {
  constructor(private readonly sql: Sql) {}

  async findById(tenant: string, id: string): Promise<EntityData | undefined> {
    const { rows } = await this.sql.query<EntityRow>(`SELECT ${COLUMNS} FROM entity e WHERE e.tenant = $1 AND e.id = $2`, [
      tenant,
      id,
    ]);
    return rows[0] && toEntityData(rows[0]);
  }

  /** One page of matching entities, in id order so that pages neither overlap nor skip. */
  async find(tenant: string, filter: EntityFilter, limit: number, offset: number, options?: CompileOptions): Promise<EntityData[]> {
    const params = new SqlParameters();
    const where = compileEntityFilter(tenant, filter, params, options);
    const text = `SELECT ${COLUMNS} FROM entity e WHERE ${where} ORDER BY e.id LIMIT ${params.add(limit)} OFFSET ${params.add(offset)}`;
    const { rows } = await this.sql.query<EntityRow>(text, params.values).catch(rethrowInvalidInput);
    return rows.map(toEntityData);
  }

  async count(tenant: string, filter: EntityFilter): Promise<number> {
    const params = new SqlParameters();
    const where = compileEntityFilter(tenant, filter, params);
    const { rows } = await this.sql
      .query<{ count: number }>(`SELECT count(*)::int AS count FROM entity e WHERE ${where}`, params.values)
      .catch(rethrowInvalidInput);
    return rows[0].count;
  }

  /** The plan PostgreSQL chooses for a query: for the tests and notes that show indexes at work. */
  async explain(tenant: string, filter: EntityFilter, limit: number): Promise<string> {
    const params = new SqlParameters();
    const where = compileEntityFilter(tenant, filter, params);
    const { rows } = await this.sql.query<{ 'QUERY PLAN': string }>(
      `EXPLAIN SELECT ${COLUMNS} FROM entity e WHERE ${where} ORDER BY e.id LIMIT ${params.add(limit)}`,
      params.values,
    );
    return rows.map((row) => row['QUERY PLAN']).join('\n');
  }

  /**
   * Runs `work` in one transaction: the write path. Everything that must commit with the entities
   * (history, change records) joins this transaction.
   */
  write<T>(tenant: string, work: (tx: EntityWrites) => Promise<T>): Promise<T> {
    return this.sql.transaction((tx) => work(new EntityWrites(tenant, tx))).catch(rethrowInvalidInput);
  }
}

/** The statements of the write path, bound to one tenant and one transaction; one per batch, not per entity. */
export class EntityWrites {
  constructor(
    private readonly tenant: string,
    private readonly tx: SqlTransaction,
  ) {}

  /** The current state of these entities, locked until the transaction ends (in id order, against deadlocks). */
  async lock(ids: readonly string[]): Promise<Map<string, EntityData>> {
    const { rows } = await this.tx.query<EntityRow>(
      `SELECT ${COLUMNS} FROM entity e WHERE e.tenant = $1 AND e.id = ANY($2::text[]) ORDER BY e.id FOR UPDATE`,
      [this.tenant, ids],
    );
    return new Map(rows.map((row) => [row.id, toEntityData(row)]));
  }

  /** Inserts new entities; returns the ids that were new (the others exist already). */
  async insert(entities: readonly EntityData[], now: Date): Promise<Set<string>> {
    const { rows } = await this.tx.query<{ id: string }>(
      `INSERT INTO entity (tenant, id, types, scopes, attrs, created_at, modified_at)
       SELECT $1, r.id, r.types, r.scopes, r.attrs, $3, $3 FROM ${RECORDS}
       ON CONFLICT (tenant, id) DO NOTHING RETURNING id`,
      [this.tenant, records(entities), now],
    );
    return new Set(rows.map((row) => row.id));
  }

  /** Inserts or wholly replaces entities (creation time kept); returns the ids that were created. */
  async upsert(entities: readonly EntityData[], now: Date): Promise<Set<string>> {
    const { rows } = await this.tx.query<{ id: string; created: boolean }>(
      `INSERT INTO entity (tenant, id, types, scopes, attrs, created_at, modified_at)
       SELECT $1, r.id, r.types, r.scopes, r.attrs, $3, $3 FROM ${RECORDS}
       ON CONFLICT (tenant, id) DO UPDATE
         SET types = EXCLUDED.types, scopes = EXCLUDED.scopes, attrs = EXCLUDED.attrs, modified_at = EXCLUDED.modified_at
       RETURNING id, (xmax = 0) AS created`,
      [this.tenant, records(entities), now],
    );
    return new Set(rows.filter((row) => row.created).map((row) => row.id));
  }

  /** Stores new states of existing entities. */
  async update(entities: readonly EntityData[], now: Date): Promise<void> {
    if (entities.length === 0) return;
    await this.tx.query(
      `UPDATE entity e SET types = r.types, scopes = r.scopes, attrs = r.attrs, modified_at = $3
       FROM ${RECORDS} WHERE e.tenant = $1 AND e.id = r.id`,
      [this.tenant, records(entities), now],
    );
  }

  /** Deletes entities; returns the ids that existed. */
  async delete(ids: readonly string[]): Promise<Set<string>> {
    const { rows } = await this.tx.query<{ id: string }>(
      `DELETE FROM entity WHERE tenant = $1 AND id = ANY($2::text[]) RETURNING id`,
      [this.tenant, ids],
    );
    return new Set(rows.map((row) => row.id));
  }
}

function records(entities: readonly EntityData[]): string {
  return JSON.stringify(entities.map((e) => ({ id: e.id, types: e.types, scopes: e.scopes, attrs: e.attributes })));
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
