import { Injectable } from '@nestjs/common';
import { BadRequestData } from 'src/common/problem/ngsi-ld-errors';
import { Sql } from 'src/database/sql';
import { EntityData } from 'src/ngsi-ld/representation/entity.model';
import { EntityRow, locationGeoJson, toEntityData } from 'src/ngsi-ld/entities/entity-row.mapper';

const COLUMNS = 'id, types, scopes, attrs, created_at, modified_at';

/** What a query selects; every field narrows the result (all of them at once). */
export interface EntityFilter {
  readonly ids?: readonly string[];
  readonly idPattern?: string;
  /** Expanded type IRIs, any of which matches. */
  readonly types?: readonly string[];
  /** Expanded attribute IRIs, at least one of which the entity has. */
  readonly attributes?: readonly string[];
}

/** The `entity` table. Tenants never see each other's rows: every statement is bound to one. */
@Injectable()
export class EntitiesRepository {
  constructor(private readonly sql: Sql) {}

  /**
   * Writes a new entity; `false` when the id is taken. This is the write path's transaction: what
   * must commit together with the entity (history, change records) joins it here.
   */
  async insert(tenant: string, entity: EntityData, now: Date): Promise<boolean> {
    return this.sql.transaction(async (tx) => {
      const { rowCount } = await tx.query(
        `INSERT INTO entity (tenant, id, types, scopes, attrs, location, created_at, modified_at)
         VALUES ($1, $2, $3, $4, $5::jsonb, ST_SetSRID(ST_GeomFromGeoJSON($6::text), 4326), $7, $7)
         ON CONFLICT (tenant, id) DO NOTHING`,
        [tenant, entity.id, entity.types, entity.scopes, JSON.stringify(entity.attributes), locationGeoJson(entity), now],
      );
      return rowCount === 1;
    }).catch(rethrowInvalidInput);
  }

  async findById(tenant: string, id: string): Promise<EntityData | undefined> {
    const { rows } = await this.sql.query<EntityRow>(`SELECT ${COLUMNS} FROM entity WHERE tenant = $1 AND id = $2`, [
      tenant,
      id,
    ]);
    return rows[0] && toEntityData(rows[0]);
  }

  /** One page of matching entities, in id order so that pages do not overlap. */
  async find(tenant: string, filter: EntityFilter, limit: number, offset: number): Promise<EntityData[]> {
    const where = whereClause(tenant, filter);
    const { rows } = await this.sql
      .query<EntityRow>(
        `SELECT ${COLUMNS} FROM entity WHERE ${where.text} ORDER BY id LIMIT $${where.params.length + 1} OFFSET $${where.params.length + 2}`,
        [...where.params, limit, offset],
      )
      .catch(rethrowInvalidInput);
    return rows.map(toEntityData);
  }

  async count(tenant: string, filter: EntityFilter): Promise<number> {
    const where = whereClause(tenant, filter);
    const { rows } = await this.sql
      .query<{ count: number }>(`SELECT count(*)::int AS count FROM entity WHERE ${where.text}`, where.params)
      .catch(rethrowInvalidInput);
    return rows[0].count;
  }

  async delete(tenant: string, id: string): Promise<boolean> {
    const { rowCount } = await this.sql.transaction((tx) =>
      tx.query(`DELETE FROM entity WHERE tenant = $1 AND id = $2`, [tenant, id]),
    );
    return rowCount === 1;
  }
}

function whereClause(tenant: string, filter: EntityFilter): { text: string; params: unknown[] } {
  const params: unknown[] = [tenant];
  const conditions = ['tenant = $1'];
  const add = (condition: (placeholder: string) => string, value: unknown) => {
    params.push(value);
    conditions.push(condition(`$${params.length}`));
  };
  if (filter.ids) add((p) => `id = ANY(${p}::text[])`, filter.ids);
  if (filter.idPattern !== undefined) add((p) => `id ~ ${p}`, filter.idPattern);
  if (filter.types) add((p) => `types && ${p}::text[]`, filter.types);
  if (filter.attributes) add((p) => `attrs ?| ${p}::text[]`, filter.attributes);
  return { text: conditions.join(' AND '), params };
}

/** PostgreSQL's verdict on input it cannot use (a bad regular expression, a bad geometry) is the caller's error. */
function rethrowInvalidInput(error: unknown): never {
  const code = (error as { code?: string }).code;
  const message = (error as Error).message;
  if (code === '2201B') throw new BadRequestData(`idPattern is not a valid regular expression: ${message}`);
  if (code === 'XX000' && /geojson|geometry/i.test(message)) throw new BadRequestData(`Invalid geometry: ${message}`);
  if (code === '22023' || code === '22P02') throw new BadRequestData(`Invalid value: ${message}`);
  throw error;
}
