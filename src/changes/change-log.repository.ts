import { Injectable } from '@nestjs/common';
import { PREPARED, Sql, SqlTransaction } from 'src/database/sql';
import { CHANGE_COLUMNS, ChangeRecord, ChangeRow, toChangeRecord } from 'src/changes/change-record';

/** What the sequencer saw on the clock: the last position, and the version of the subscriptions. */
export interface Clock {
  readonly position: number;
  readonly subscriptionsVersion: string;
}

/** The `change` table and its clock. */
@Injectable()
export class ChangeLogRepository {
  constructor(private readonly sql: Sql) {}

  /**
   * Takes the clock (held until the transaction ends: one sequencer at a time, whichever replica)
   * and numbers up to `limit` visible changes that have no position yet, in `seq` order.
   */
  async sequence(tx: SqlTransaction, limit: number): Promise<{ clock: Clock; changes: ChangeRecord[] }> {
    const { rows: clocks } = await tx.query<{ position: string; subscriptions_version: string }>(
      'SELECT position, subscriptions_version FROM change_clock WHERE id = 1 FOR UPDATE',
      [],
      PREPARED,
    );
    const clock = { position: Number(clocks[0].position), subscriptionsVersion: clocks[0].subscriptions_version };
    const { rows } = await tx.query<ChangeRow>(
      `WITH next AS (
         SELECT s.seq, row_number() OVER (ORDER BY s.seq) AS n
         FROM (SELECT seq FROM change WHERE position IS NULL ORDER BY seq LIMIT $2) s)
       UPDATE change c SET position = $1 + next.n FROM next WHERE c.seq = next.seq
       RETURNING ${CHANGE_COLUMNS}`,
      [clock.position, limit],
      PREPARED,
    );
    if (rows.length > 0) await tx.query('UPDATE change_clock SET position = position + $1 WHERE id = 1', [rows.length], PREPARED);
    const changes = rows.map(toChangeRecord).sort((a, b) => a.position - b.position);
    return { clock, changes };
  }

  async hasUnnumbered(): Promise<boolean> {
    const { rows } = await this.sql.query('SELECT 1 FROM change WHERE position IS NULL LIMIT 1', [], PREPARED);
    return rows.length > 0;
  }

  /** Changes of some datasets in one tenant after a position, in feed order. */
  async after(tenant: string, datasets: readonly string[], position: number, limit: number): Promise<ChangeRecord[]> {
    const { rows } = await this.sql.query<ChangeRow>(
      `SELECT ${CHANGE_COLUMNS} FROM change c
       WHERE c.dataset_id = ANY ($1::uuid[]) AND c.position > $2 AND c.tenant = $4 ORDER BY c.position LIMIT $3`,
      [datasets, position, limit, tenant],
    );
    return rows.map(toChangeRecord);
  }

  /** Changes of every tenant and dataset after a position, in feed order: what the in-process fan-out reads once for all its followers. */
  async afterAll(position: number, limit: number): Promise<ChangeRecord[]> {
    const { rows } = await this.sql.query<ChangeRow>(`SELECT ${CHANGE_COLUMNS} FROM change c WHERE c.position > $1 ORDER BY c.position LIMIT $2`, [position, limit]);
    return rows.map(toChangeRecord);
  }

  async lastPosition(): Promise<number> {
    const { rows } = await this.sql.query<{ position: string }>('SELECT position FROM change_clock WHERE id = 1');
    return Number(rows[0].position);
  }

  /** The oldest position still kept (resuming before it has lost changes); undefined when none is kept. */
  async firstPosition(): Promise<number | undefined> {
    const { rows } = await this.sql.query<{ position: string | null }>('SELECT min(position) AS position FROM change');
    return rows[0].position === null ? undefined : Number(rows[0].position);
  }

  /**
   * Deletes numbered changes older than `before`, and what subscribers still had pending of them;
   * returns how many pending notifications each subscription lost that way.
   */
  async prune(before: Date): Promise<{ changes: number; dropped: Map<string, number> }> {
    return this.sql.transaction(async (tx) => {
      const { rows: dropped } = await tx.query<{ subscription_key: string; count: number }>(
        `WITH old AS (SELECT position FROM change WHERE changed_at < $1 AND position IS NOT NULL),
              gone AS (DELETE FROM pending_notification p USING old WHERE p.position = old.position RETURNING p.subscription_key)
         SELECT subscription_key, count(*)::int AS count FROM gone GROUP BY subscription_key`,
        [before],
      );
      const { rowCount } = await tx.query('DELETE FROM change WHERE changed_at < $1 AND position IS NOT NULL', [before]);
      return { changes: rowCount, dropped: new Map(dropped.map((row) => [row.subscription_key, row.count])) };
    });
  }
}
