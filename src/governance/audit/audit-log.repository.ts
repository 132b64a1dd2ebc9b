import { Injectable } from '@nestjs/common';
import { AppConfig } from 'src/config/app-config';
import { InjectConfig } from 'src/config/config.module';
import { Sql, SqlTransaction } from 'src/database/sql';
import { AuditEntry, chainHash, ChainedAuditEntry, GENESIS_HASH } from 'src/governance/audit/audit-chain';
import { AuditHead, signHead } from 'src/governance/audit/audit-head';

/** Serialises appends, so that each record links to the one committed before it. */
const AUDIT_LOCK = 0x76676473_0001; // "vgds" + 1

// seq leaves as text (a bigint may exceed JavaScript's numbers); order by the column, not this text.
const COLUMNS = `seq::text AS seq, at, actor, organisation, event, target, details, previous_hash AS "previousHash", hash`;
const PAGE_SIZE = 5_000;

export interface AuditQuery {
  readonly organisation?: string;
  readonly event?: string;
  readonly afterSeq?: string;
  readonly limit: number;
}

/** The head and the records in order, as one snapshot shows them. */
export interface AuditSnapshot {
  readonly head: AuditHead | undefined;
  readonly pages: AsyncGenerator<ChainedAuditEntry[]>;
}

/**
 * The `audit_log` table, appended to inside the transaction of the act it records and never
 * changed, and its head (`audit_head`), moved in the same transaction.
 */
@Injectable()
export class AuditLogRepository {
  constructor(
    private readonly sql: Sql,
    @InjectConfig() private readonly config: AppConfig,
  ) {}

  /** Appends a record linked to the head, and moves the head to it; returns its seq. */
  async append(tx: SqlTransaction, entry: AuditEntry): Promise<string> {
    await tx.query('SELECT pg_advisory_xact_lock($1)', [AUDIT_LOCK]);
    // The head, not the newest row: after a removal of the newest rows, new records still link to
    // what was removed, so the break stays visible.
    const { rows } = await tx.query<{ hash: string }>('SELECT hash FROM audit_head');
    const previousHash = rows[0]?.hash ?? GENESIS_HASH;
    const hash = chainHash(previousHash, entry);
    const inserted = await tx.query<{ seq: string }>(
      `INSERT INTO audit_log (at, actor, organisation, event, target, details, previous_hash, hash) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)
       RETURNING seq::text AS seq`,
      [entry.at, entry.actor, entry.organisation, entry.event, entry.target, entry.details, previousHash, hash],
    );
    const seq = inserted.rows[0].seq;
    await tx.query(
      `INSERT INTO audit_head (seq, hash, signature) VALUES ($1, $2, $3)
       ON CONFLICT (singleton) DO UPDATE SET seq = EXCLUDED.seq, hash = EXCLUDED.hash, signature = EXCLUDED.signature, moved_at = now()`,
      [seq, hash, signHead(this.config.security.auditSigningKey, seq, hash)],
    );
    return seq;
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

  /**
   * Hands `work` the head and the whole chain in order, a page at a time, read in one snapshot
   * (repeatable read), so that records appended meanwhile cannot look like tampering.
   */
  inSnapshot<T>(work: (snapshot: AuditSnapshot) => Promise<T>): Promise<T> {
    return this.sql.transaction(async (tx) => {
      await tx.query('SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY');
      const { rows } = await tx.query<AuditHead>('SELECT seq::text AS seq, hash, signature FROM audit_head');
      return work({ head: rows[0], pages: allInOrder(tx) });
    });
  }
}

async function* allInOrder(tx: SqlTransaction): AsyncGenerator<ChainedAuditEntry[]> {
  let after = '0';
  for (;;) {
    const { rows } = await tx.query<ChainedAuditEntry>(`SELECT ${COLUMNS} FROM audit_log WHERE seq > $1 ORDER BY audit_log.seq LIMIT $2`, [after, PAGE_SIZE]);
    if (rows.length === 0) return;
    yield rows;
    after = rows[rows.length - 1].seq;
  }
}
