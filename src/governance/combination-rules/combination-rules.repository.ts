import { Injectable } from '@nestjs/common';
import { Sql, SqlTransaction } from 'src/database/sql';

export interface CombinationRuleRecord {
  readonly id: string;
  readonly name: string;
  readonly datasets: string[];
  readonly confidentiality: number;
  readonly createdBy: string;
  readonly createdAt: Date;
}

const COLUMNS = `id, name, datasets::text[] AS datasets, confidentiality, created_by AS "createdBy", created_at AS "createdAt"`;

/** The `combination_rule` table. */
@Injectable()
export class CombinationRulesRepository {
  constructor(private readonly sql: Sql) {}

  async list(): Promise<CombinationRuleRecord[]> {
    const { rows } = await this.sql.query<CombinationRuleRecord>(`SELECT ${COLUMNS} FROM combination_rule ORDER BY created_at, id`);
    return rows;
  }

  async find(id: string): Promise<CombinationRuleRecord | undefined> {
    const { rows } = await this.sql.query<CombinationRuleRecord>(`SELECT ${COLUMNS} FROM combination_rule WHERE id = $1`, [id]);
    return rows[0];
  }

  async insert(tx: SqlTransaction, rule: Omit<CombinationRuleRecord, 'createdAt'>): Promise<CombinationRuleRecord> {
    const { rows } = await tx.query<CombinationRuleRecord>(
      `INSERT INTO combination_rule (id, name, datasets, confidentiality, created_by) VALUES ($1, $2, $3, $4, $5) RETURNING ${COLUMNS}`,
      [rule.id, rule.name, rule.datasets, rule.confidentiality, rule.createdBy],
    );
    return rows[0];
  }

  async delete(tx: SqlTransaction, id: string): Promise<boolean> {
    const { rowCount } = await tx.query('DELETE FROM combination_rule WHERE id = $1', [id]);
    return rowCount > 0;
  }
}
