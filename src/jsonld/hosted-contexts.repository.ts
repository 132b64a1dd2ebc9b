import { Injectable } from '@nestjs/common';
import { Sql } from 'src/database/sql';

export interface HostedContext {
  readonly id: string;
  readonly document: unknown;
  readonly createdAt: Date;
}

/** The @contexts this broker hosts. */
@Injectable()
export class HostedContextsRepository {
  constructor(private readonly sql: Sql) {}

  async insert(id: string, document: unknown): Promise<void> {
    await this.sql.query(`INSERT INTO hosted_context (id, document) VALUES ($1, $2::jsonb)`, [id, JSON.stringify(document)]);
  }

  async find(id: string): Promise<HostedContext | undefined> {
    const { rows } = await this.sql.query<{ id: string; document: unknown; created_at: Date }>(
      `SELECT id, document, created_at FROM hosted_context WHERE id = $1`,
      [id],
    );
    return rows[0] && { id: rows[0].id, document: rows[0].document, createdAt: rows[0].created_at };
  }

  async list(): Promise<HostedContext[]> {
    const { rows } = await this.sql.query<{ id: string; document: unknown; created_at: Date }>(
      `SELECT id, document, created_at FROM hosted_context ORDER BY created_at, id`,
    );
    return rows.map((row) => ({ id: row.id, document: row.document, createdAt: row.created_at }));
  }

  async delete(id: string): Promise<boolean> {
    const { rowCount } = await this.sql.query(`DELETE FROM hosted_context WHERE id = $1`, [id]);
    return rowCount === 1;
  }
}
