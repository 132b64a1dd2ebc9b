import { Injectable } from '@nestjs/common';
import { createHash } from 'node:crypto';
import { Pool, PoolClient, QueryConfig, QueryResultRow } from 'pg';
import { DataSource } from 'typeorm';
import { PostgresDriver } from 'typeorm/driver/postgres/PostgresDriver';

/** A connection inside a transaction. */
export interface SqlTransaction {
  query<R extends QueryResultRow>(text: string, params?: unknown[], options?: QueryOptions): Promise<{ rows: R[]; rowCount: number }>;
}

export interface QueryOptions {
  /**
   * Keep the statement prepared on each connection (parsed and planned once, then reused): for
   * the hot statements whose text is fixed in code. Never for text built from a request.
   */
  readonly prepare?: boolean;
}

/** For the statements fixed in code that run on every request or write: prepared once per connection. */
export const PREPARED: QueryOptions = { prepare: true };

/** Prepared statements' names by text, hashed once: the texts are fixed in code, so there are few. */
const preparedNames = new Map<string, string>();

/** The query as `pg` takes it: a prepared statement is named by its text's hash. */
function queryConfig(text: string, params: unknown[], options?: QueryOptions): QueryConfig {
  if (!options?.prepare) return { text, values: params };
  let name = preparedNames.get(text);
  if (name === undefined) {
    name = `vgds_${createHash('sha1').update(text).digest('base64url').slice(0, 20)}`;
    preparedNames.set(text, name);
  }
  return { name, text, values: params };
}

/**
 * Parameterised SQL on the pool TypeORM manages, for the hand-written queries of repositories:
 * no ORM layer between the hot paths and `pg`. Values always travel as parameters.
 */
@Injectable()
export class Sql {
  private readonly pool: Pool;

  constructor(dataSource: DataSource) {
    this.pool = (dataSource.driver as PostgresDriver).master as Pool;
  }

  async query<R extends QueryResultRow>(text: string, params: unknown[] = [], options?: QueryOptions): Promise<{ rows: R[]; rowCount: number }> {
    const result = await this.pool.query<R>(queryConfig(text, params, options));
    return { rows: result.rows, rowCount: result.rowCount ?? 0 };
  }

  /**
   * Runs `work` in one transaction: committed when it resolves, rolled back when it throws.
   * Inside, use only the given transaction (the embedded pool has a single connection).
   */
  async transaction<T>(work: (tx: SqlTransaction) => Promise<T>): Promise<T> {
    const client: PoolClient = await this.pool.connect();
    try {
      await client.query('BEGIN');
      const result = await work({
        query: async <R extends QueryResultRow>(text: string, params: unknown[] = [], options?: QueryOptions) => {
          const r = await client.query<R>(queryConfig(text, params, options));
          return { rows: r.rows, rowCount: r.rowCount ?? 0 };
        },
      });
      await client.query('COMMIT');
      return result;
    } catch (error) {
      await client.query('ROLLBACK').catch(() => undefined);
      throw error;
    } finally {
      client.release();
    }
  }
}
