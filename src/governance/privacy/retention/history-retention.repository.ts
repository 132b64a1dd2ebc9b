import { Injectable } from '@nestjs/common';
import { SqlTransaction } from 'src/database/sql';
import { DueDataset } from 'src/governance/privacy/retention/retention-receipt';
import { DUE, dueParams } from 'src/governance/privacy/retention/retention.repository';

/** How long dropping a month waits for its lock before deleting its rows instead: the lock stops every history read and write meanwhile. */
const DROP_LOCK_TIMEOUT = '3s';
const LOCK_NOT_AVAILABLE = '55P03';

/** Month partitions retention may drop: those of a retention class (never `keep`, never a DEFAULT partition), named by their month. */
const MONTH_LEAF = '^attribute_instance_(p30d|p1y|p2y|p5y|p10y)_[0-9]{6}$';

/** Which history rows a delete takes (history migration: partitions by retention class, then by month). */
export type HistoryRange =
  /** Rows of months after the bound: partitions too young to drop. */
  | 'recent'
  /** Rows of class `keep` before the bound: their dataset was given a period after they were written. */
  | 'kept'
  /** Rows before the bound outside class `keep`: months that could not be dropped, and DEFAULT partitions. */
  | 'old';

const RANGES: Record<HistoryRange, string> = {
  recent: 'h.time >= $3',
  kept: "h.retention_class = 'keep' AND h.time < $3",
  old: "h.retention_class <> 'keep' AND h.time < $3",
};

/** The months that may be dropped, and the bound they all end by. */
export interface DropCandidates {
  readonly bound: Date;
  readonly leaves: readonly string[];
}

/** Rows of one dataset in a month partition, and whether all of them are due. */
interface LeafRows {
  readonly dataset: string;
  readonly count: number;
  readonly due: boolean;
}

/** Retention of `attribute_instance`: whole month partitions dropped where it can, rows deleted elsewhere. */
@Injectable()
export class HistoryRetentionRepository {
  /**
   * The month partitions that end by the bound: the latest cutoff, and never after the start of
   * last month (vgds_history_partitions keeps those from last month on, and would make them again).
   * Months are UTC, as the partitions are.
   */
  async dropCandidates(tx: SqlTransaction, due: readonly DueDataset[]): Promise<DropCandidates> {
    const latest = new Date(Math.max(...due.map((d) => d.cutoff.getTime())));
    const { rows } = await tx.query<{ bound: Date; leaves: string[] }>(
      `WITH bound AS (
         SELECT date_trunc('month', least($1::timestamptz, (date_trunc('month', now() AT TIME ZONE 'UTC') - interval '1 month') AT TIME ZONE 'UTC') AT TIME ZONE 'UTC') AT TIME ZONE 'UTC' AS at),
       months AS (
         SELECT c.relname::text AS leaf, (to_date(right(c.relname, 6), 'YYYYMM') + interval '1 month') AT TIME ZONE 'UTC' AS upper
         FROM pg_partition_tree('attribute_instance') t JOIN pg_class c ON c.oid = t.relid
         WHERE t.isleaf AND c.relname ~ $2)
       SELECT b.at AS bound, coalesce(array_agg(m.leaf ORDER BY m.leaf) FILTER (WHERE m.leaf IS NOT NULL), '{}') AS leaves
       FROM bound b LEFT JOIN months m ON m.upper <= b.at GROUP BY b.at`,
      [latest, MONTH_LEAF],
    );
    return { bound: rows[0].bound, leaves: rows[0].leaves };
  }

  /** Deletes the due history rows of one range (before or after `bound`); returns how many per dataset. */
  async deleteRows(tx: SqlTransaction, due: readonly DueDataset[], range: HistoryRange, bound: Date): Promise<Map<string, number>> {
    // Bounds given as values (never a prepared statement's generic plan) let the planner skip whole partitions.
    const latest = new Date(Math.max(...due.map((d) => d.cutoff.getTime())));
    const { rows } = await tx.query<{ dataset: string; count: number }>(
      `WITH gone AS (
         DELETE FROM attribute_instance h USING ${DUE}
         WHERE h.dataset_id = d.dataset_id AND h.time < d.cutoff AND h.time < $4 AND ${RANGES[range]}
         RETURNING h.dataset_id)
       SELECT dataset_id AS dataset, count(*)::int AS count FROM gone GROUP BY dataset_id`,
      [...dueParams(due), bound, latest],
    );
    return new Map(rows.map((row) => [row.dataset, row.count]));
  }

  /**
   * Drops a month partition if every row in it is due (its rows per dataset), else leaves it
   * (undefined) for the row deletes. The month is locked before it is counted, so that no write
   * lands in it between the count and the drop; a lock not had within DROP_LOCK_TIMEOUT leaves it
   * too. All inside a savepoint, whose rollback lets go of the lock and keeps the run going.
   */
  async dropIfDue(tx: SqlTransaction, leaf: string, due: readonly DueDataset[]): Promise<LeafRows[] | undefined> {
    const table = `"${leaf.replaceAll('"', '""')}"`; // a name from the catalogue, matched by MONTH_LEAF
    await tx.query('SAVEPOINT retention_month');
    try {
      await tx.query(`SET LOCAL lock_timeout = '${DROP_LOCK_TIMEOUT}'`);
      await tx.query(`LOCK TABLE ${table} IN ACCESS EXCLUSIVE MODE`);
      const { rows } = await tx.query<LeafRows>(
        `SELECT h.dataset_id AS dataset, count(*)::int AS count, bool_and(d.cutoff IS NOT NULL AND h.time < d.cutoff) AS due
         FROM ${table} h LEFT JOIN ${DUE} ON d.dataset_id = h.dataset_id GROUP BY h.dataset_id`,
        dueParams(due),
      );
      if (!rows.every((row) => row.due)) {
        await tx.query('ROLLBACK TO SAVEPOINT retention_month');
        return undefined;
      }
      await tx.query(`DROP TABLE ${table}`);
      await tx.query('RELEASE SAVEPOINT retention_month');
      await tx.query('SET LOCAL lock_timeout TO DEFAULT');
      return rows;
    } catch (error) {
      await tx.query('ROLLBACK TO SAVEPOINT retention_month');
      if ((error as { code?: string }).code === LOCK_NOT_AVAILABLE) return undefined;
      throw error;
    }
  }
}
