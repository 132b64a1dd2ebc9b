import { announceWithdrawnChanges } from 'src/governance/governance.repository';
import { Injectable } from '@nestjs/common';
import { Sql, SqlTransaction } from 'src/database/sql';
import { DueDataset, RETENTION_EVENT, RetentionAuditRecord } from 'src/governance/privacy/retention/retention-receipt';

/** One run at a time across replicas: held by the run's transaction. */
const RETENTION_LOCK = `hashtext('vg-datashare:retention')`;

/**
 * The ISO 8601 durations the dataset schema accepts, with at most six digits a number: larger ones
 * would overflow an interval or the timestamp range. A period past 1000 years is as good as keeping.
 */
const ENFORCEABLE = `'^P(?=\\d|T\\d)(\\d{1,6}Y)?(\\d{1,6}M)?(\\d{1,6}W)?(\\d{1,6}D)?(T(?=\\d)(\\d{1,6}H)?(\\d{1,6}M)?(\\d{1,6}S)?)?$'`;

/** More organisations than the county has (about 140): the records of one run lie within this many. */
const MAX_RECORDS_OF_A_RUN = 10_000;

/** The due datasets as statements take them: $1 ids, $2 cutoffs. */
export const DUE = 'unnest($1::uuid[], $2::timestamptz[]) AS d(dataset_id, cutoff)';

export const dueParams = (due: readonly DueDataset[]) => [due.map((d) => d.dataset), due.map((d) => d.cutoff)];

/** Rows counted per dataset. */
interface Counted {
  readonly dataset: string;
  readonly count: number;
}

/** What retention deletes besides history: changes and their pending notifications, entities, the read log; and its runs in the audit log. */
@Injectable()
export class RetentionRepository {
  constructor(private readonly sql: Sql) {}

  async tryLock(tx: SqlTransaction): Promise<boolean> {
    const { rows } = await tx.query<{ locked: boolean }>(`SELECT pg_try_advisory_xact_lock(${RETENTION_LOCK}) AS locked`);
    return rows[0].locked;
  }

  /**
   * The datasets with a retention period (of `scope`; all when undefined) and their cutoffs, now()
   * minus the period on the database's clock. Cutoffs are cut to milliseconds, so that they travel
   * to the following statements as JavaScript dates unchanged.
   */
  async dueDatasets(tx: SqlTransaction, scope: readonly string[] | undefined): Promise<DueDataset[]> {
    const { rows } = await tx.query<DueDataset>(
      `SELECT id AS dataset, organisation, retention_period AS "retentionPeriod", retention_includes_current AS "includesCurrent",
              date_trunc('milliseconds', now() - retention_period::interval) AS cutoff
       FROM dataset
       WHERE retention_period IS NOT NULL AND ($1::uuid[] IS NULL OR id = ANY ($1::uuid[]))
         AND CASE WHEN retention_period ~ ${ENFORCEABLE} THEN retention_period::interval <= interval '1000 years' ELSE false END
       ORDER BY organisation, id`,
      [scope ?? null],
    );
    return rows;
  }

  /**
   * Deletes the entities of datasets that delete current values too, unmodified since the cutoff,
   * with their history and value index, as the NGSI-LD delete does. Their deletion enters the
   * change feed (subscribers learn the entity is gone) without its attributes: those are past
   * retention, and a change row keeps them for CHANGES_RETENTION_HOURS more.
   */
  async deleteEntities(tx: SqlTransaction, due: readonly DueDataset[]): Promise<{ entities: Counted[]; history: Counted[] }> {
    const current = due.filter((d) => d.includesCurrent);
    if (current.length === 0) return { entities: [], history: [] };
    const { rows } = await tx.query<Counted & { kind: 'entities' | 'history' }>(
      `WITH gone AS (
         DELETE FROM entity e USING ${DUE} WHERE e.dataset_id = d.dataset_id AND e.modified_at < d.cutoff
         RETURNING e.tenant, e.id, e.types, e.scopes, e.dataset_id, e.created_at, e.modified_at),
       history AS (DELETE FROM attribute_instance h USING gone g WHERE h.tenant = g.tenant AND h.entity_id = g.id RETURNING h.dataset_id),
       changes AS (
         INSERT INTO change (tenant, entity_id, dataset_id, previous_dataset_id, operation, types, scopes, attrs, entity_created_at, entity_modified_at, changed_at)
         SELECT g.tenant, g.id, g.dataset_id, g.dataset_id, 'delete', g.types, g.scopes, '{}', g.created_at, g.modified_at, statement_timestamp() FROM gone g),
       values_gone AS (DELETE FROM entity_attr_value v USING gone g WHERE v.tenant = g.tenant AND v.entity_id = g.id)
       SELECT 'entities' AS kind, dataset_id AS dataset, count(*)::int AS count FROM gone GROUP BY dataset_id
       UNION ALL SELECT 'history', dataset_id, count(*)::int FROM history GROUP BY dataset_id`,
      dueParams(current),
    );
    return { entities: rows.filter((r) => r.kind === 'entities'), history: rows.filter((r) => r.kind === 'history') };
  }

  /**
   * Deletes changes older than their dataset's cutoff, and what subscribers had pending of them
   * (the data is past retention: it must not be sent either), as the change feed's own pruning
   * does. That is safe for the feed: positions come from the clock, so numbering goes on densely,
   * and readers ask for "after position n", which skips what is gone. Changes not yet numbered are
   * left to the sequencer. A change whose previous values came from a due dataset goes too.
   */
  async deleteChanges(tx: SqlTransaction, due: readonly DueDataset[]): Promise<{ changes: Counted[]; notifications: Counted[] }> {
    if (due.length === 0) return { changes: [], notifications: [] };
    const latest = new Date(Math.max(...due.map((d) => d.cutoff.getTime())));
    const { rows } = await tx.query<Counted & { kind: 'changes' | 'notifications' }>(
      `WITH gone AS (
         DELETE FROM change c USING ${DUE}
         WHERE c.position IS NOT NULL AND c.changed_at < $3 AND c.changed_at < d.cutoff
           AND (c.dataset_id = d.dataset_id OR c.previous_dataset_id = d.dataset_id)
         RETURNING c.position, d.dataset_id),
       dropped AS (DELETE FROM pending_notification p USING gone g WHERE p.position = g.position RETURNING g.dataset_id)
       SELECT 'changes' AS kind, dataset_id AS dataset, count(*)::int AS count FROM gone GROUP BY dataset_id
       UNION ALL SELECT 'notifications', dataset_id, count(*)::int FROM dropped GROUP BY dataset_id`,
      [...dueParams(due), latest],
    );
    if (rows.length > 0) await announceWithdrawnChanges(tx);
    return { changes: rows.filter((r) => r.kind === 'changes'), notifications: rows.filter((r) => r.kind === 'notifications') };
  }

  /** Deletes read-log rows older than `days` (of the datasets of `scope`; all when undefined); returns how many per organisation. */
  async deleteReadLog(tx: SqlTransaction, days: number, scope: readonly string[] | undefined): Promise<Map<string, number>> {
    const { rows } = await tx.query<{ organisation: string; count: number }>(
      `WITH gone AS (
         DELETE FROM read_log WHERE at < now() - make_interval(days => $1) AND ($2::uuid[] IS NULL OR dataset_id = ANY ($2::uuid[]))
         RETURNING organisation)
       SELECT organisation, count(*)::int AS count FROM gone GROUP BY organisation`,
      [days, scope ?? null],
    );
    return new Map(rows.map((row) => [row.organisation, row.count]));
  }

  /**
   * The audit records of the latest run that concerned one of `organisations` (any run when
   * undefined), only those of these organisations. Read backwards along the primary key, so the
   * search stops at the latest run; a run's records are adjacent (appending holds the audit lock
   * until the run commits), at most one per organisation, hence the bounded range.
   */
  async lastRun(organisations: readonly string[] | undefined): Promise<RetentionAuditRecord[]> {
    const { rows } = await this.sql.query<RetentionAuditRecord>(
      `WITH last AS (
         SELECT seq, target FROM audit_log WHERE event = $1 AND ($2::text[] IS NULL OR organisation = ANY ($2::text[])) ORDER BY seq DESC LIMIT 1)
       SELECT a.target, a.organisation, a.details FROM audit_log a JOIN last ON a.seq BETWEEN last.seq - $3 AND last.seq AND a.target = last.target
       WHERE a.event = $1 AND ($2::text[] IS NULL OR a.organisation = ANY ($2::text[])) ORDER BY a.seq`,
      [RETENTION_EVENT, organisations ?? null, MAX_RECORDS_OF_A_RUN],
    );
    return rows;
  }
}
