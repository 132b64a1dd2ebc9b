import { Injectable } from '@nestjs/common';
import { Sql, SqlTransaction } from 'src/database/sql';

export interface ApiKeyRecord {
  readonly id: string;
  readonly name: string;
  readonly organisation: string;
  readonly roles: string[];
  readonly canRead: boolean;
  readonly canWrite: boolean;
  readonly datasets: string[] | null;
  readonly expiresAt: Date | null;
  /** The purpose its reads of personal data are for (a DPV term). */
  readonly purpose?: string | null;
  readonly revokedAt: Date | null;
  readonly createdBy: string;
  readonly createdAt: Date;
}

export type NewApiKey = Omit<ApiKeyRecord, 'revokedAt' | 'createdAt'> & { readonly secretHash: string };

const COLUMNS = `id, name, organisation, roles, can_read AS "canRead", can_write AS "canWrite", datasets::text[] AS datasets,
  expires_at AS "expiresAt", purpose, revoked_at AS "revokedAt", created_by AS "createdBy", created_at AS "createdAt"`;

/** The `api_key` table. Secrets are never read back: only their hashes are stored, and the guard reads them from the governance snapshot. */
@Injectable()
export class ApiKeysRepository {
  constructor(private readonly sql: Sql) {}

  async insert(tx: SqlTransaction, key: NewApiKey): Promise<ApiKeyRecord> {
    const { rows } = await tx.query<ApiKeyRecord>(
      `INSERT INTO api_key (id, name, organisation, secret_hash, roles, can_read, can_write, datasets, expires_at, created_by, purpose)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11) RETURNING ${COLUMNS}`,
      [key.id, key.name, key.organisation, key.secretHash, key.roles, key.canRead, key.canWrite, key.datasets, key.expiresAt, key.createdBy, key.purpose ?? null],
    );
    return rows[0];
  }

  async findById(id: string): Promise<ApiKeyRecord | undefined> {
    const { rows } = await this.sql.query<ApiKeyRecord>(`SELECT ${COLUMNS} FROM api_key WHERE id = $1`, [id]);
    return rows[0];
  }

  async findByOrganisation(organisation: string | undefined): Promise<ApiKeyRecord[]> {
    const { rows } = await this.sql.query<ApiKeyRecord>(
      `SELECT ${COLUMNS} FROM api_key WHERE $1::text IS NULL OR organisation = $1 ORDER BY created_at, id`,
      [organisation ?? null],
    );
    return rows;
  }

  async revoke(tx: SqlTransaction, id: string): Promise<boolean> {
    const { rowCount } = await tx.query(`UPDATE api_key SET revoked_at = now() WHERE id = $1 AND revoked_at IS NULL`, [id]);
    return rowCount > 0;
  }

  async hasActivePlatformAdminKey(tx: SqlTransaction): Promise<boolean> {
    const { rows } = await tx.query(
      `SELECT 1 FROM api_key WHERE 'platform-admin' = ANY (roles) AND revoked_at IS NULL AND (expires_at IS NULL OR expires_at > now()) LIMIT 1`,
    );
    return rows.length > 0;
  }

  /** Serialises bootstrapping between replicas that start together. */
  async lockBootstrap(tx: SqlTransaction): Promise<void> {
    await tx.query('SELECT pg_advisory_xact_lock($1)', [0x76676473_0002]);
  }
}
