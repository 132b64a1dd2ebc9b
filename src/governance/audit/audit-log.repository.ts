import { Injectable } from '@nestjs/common';
import { Sql, SqlTransaction } from 'src/database/sql';
import { AuditEntry, chainHash, ChainedAuditEntry, GENESIS_HASH } from 'src/governance/audit/audit-chain';

/** Serialises appends, so that each record links to the one committed before it. */
const AUDIT_LOCK = 0x76676473_0001; // "vgds" + 1

// seq leaves as text (a bigint may exceed JavaScript's numbers); order by the column, not this text.
const COLUMNS = `seq::text AS seq, at, actor, organisation, event, target, details, previous_hash AS "previousHash", hash`;

export interface AuditQuery {
  readonly organisation?: string;
  readonly event?: string;
  readonly afterSeq?: string;
  readonly limit: number;
}

/** The `audit_log` table: appended to inside the transaction of the act it records, never changed. */
@Injectable()
export class AuditLogRepository {
  constructor(private readonly sql: Sql) {}

  async append(tx: SqlTransaction, entry: AuditEntry): Promise<void> {
    await tx.query('SELECT pg_advisory_xact_lock($1)', [AUDIT_LOCK]);
    const { rows } = await tx.query<{ hash: string }>('SELECT hash FROM audit_log ORDER BY seq DESC LIMIT 1');
    const previousHash = rows[0]?.hash ?? GENESIS_HASH;
    await tx.query(
      `INSERT INTO audit_log (at, actor, organisation, event, target, details, previous_hash, hash) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)`,
      [entry.at, entry.actor, entry.organisation, entry.event, entry.target, entry.details, previousHash, chainHash(previousHash, entry)],
    );
  }

  async find(query: AuditQuery): Promise<ChainedAuditEntry[]> {
    const { rows } = await this.sql.query<ChainedAuditEntry>(
      `SELECT ${COLUMNS} FROM audit_log
       WHERE ($1::text IS NULL OR organisation = $1) AND ($2::text IS NULL OR event = $2) AND ($3::bigint IS NULL OR seq > $3)
       ORDER BY audit_log.seq LIMIT $4`,
      [query.organisation ?? null, query.event ?? null, query.afterSeq ?? null, query.limit],
    );
    return rows;
  }

  /** The whole chain in order, a page at a time (for verification without holding it all in memory). */
  async *allInOrder(pageSize = 5_000): AsyncGenerator<ChainedAuditEntry[]> {
    let after = '0';
    for (;;) {
      const { rows } = await this.sql.query<ChainedAuditEntry>(`SELECT ${COLUMNS} FROM audit_log WHERE seq > $1 ORDER BY audit_log.seq LIMIT $2`, [after, pageSize]);
      if (rows.length === 0) return;
      yield rows;
      after = rows[rows.length - 1].seq;
    }
  }
}
