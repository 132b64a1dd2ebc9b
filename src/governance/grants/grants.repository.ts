import { Injectable } from '@nestjs/common';
import { Sql, SqlTransaction } from 'src/database/sql';

export interface GrantRecord {
  readonly id: string;
  readonly datasetId: string;
  readonly granteeKind: 'organisation' | 'principal';
  readonly grantee: string;
  /** full or minimised; null: the default for the dataset (minimised for personal data). */
  readonly view: 'full' | 'minimised' | null;
  readonly createdBy: string;
  readonly createdAt: Date;
  readonly revokedAt: Date | null;
}

const COLUMNS = `id, dataset_id AS "datasetId", grantee_kind AS "granteeKind", grantee, view, created_by AS "createdBy", created_at AS "createdAt", revoked_at AS "revokedAt"`;

/** The `dataset_grant` table: revoked grants stay, for the record. */
@Injectable()
export class GrantsRepository {
  constructor(private readonly sql: Sql) {}

  async list(datasetId: string, includeRevoked: boolean): Promise<GrantRecord[]> {
    const { rows } = await this.sql.query<GrantRecord>(
      `SELECT ${COLUMNS} FROM dataset_grant WHERE dataset_id = $1 AND ($2 OR revoked_at IS NULL) ORDER BY created_at, id`,
      [datasetId, includeRevoked],
    );
    return rows;
  }

  async find(datasetId: string, id: string): Promise<GrantRecord | undefined> {
    const { rows } = await this.sql.query<GrantRecord>(`SELECT ${COLUMNS} FROM dataset_grant WHERE dataset_id = $1 AND id = $2`, [datasetId, id]);
    return rows[0];
  }

  /** The active grant to this grantee, if any (granting twice changes nothing). */
  async findActive(tx: SqlTransaction, datasetId: string, kind: string, grantee: string): Promise<GrantRecord | undefined> {
    const { rows } = await tx.query<GrantRecord>(
      `SELECT ${COLUMNS} FROM dataset_grant WHERE dataset_id = $1 AND grantee_kind = $2 AND grantee = $3 AND revoked_at IS NULL FOR UPDATE`,
      [datasetId, kind, grantee],
    );
    return rows[0];
  }

  async insert(tx: SqlTransaction, grant: Omit<GrantRecord, 'createdAt' | 'revokedAt'>): Promise<GrantRecord> {
    const { rows } = await tx.query<GrantRecord>(
      `INSERT INTO dataset_grant (id, dataset_id, grantee_kind, grantee, view, created_by) VALUES ($1, $2, $3, $4, $5, $6) RETURNING ${COLUMNS}`,
      [grant.id, grant.datasetId, grant.granteeKind, grant.grantee, grant.view, grant.createdBy],
    );
    return rows[0];
  }

  async revoke(tx: SqlTransaction, datasetId: string, id: string): Promise<boolean> {
    const { rowCount } = await tx.query(`UPDATE dataset_grant SET revoked_at = now() WHERE dataset_id = $1 AND id = $2 AND revoked_at IS NULL`, [datasetId, id]);
    return rowCount > 0;
  }
}
