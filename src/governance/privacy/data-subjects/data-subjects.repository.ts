import { announceWithdrawnChanges } from 'src/governance/governance.repository';
import { Injectable } from '@nestjs/common';
import { Sql, SqlTransaction } from 'src/database/sql';
import { PROFILE_DEFAULTS } from 'src/governance/datasets/datasets.repository';
import { AttributeInstance } from 'src/ngsi-ld/representation/entity.model';
import { SubjectDataset } from 'src/governance/privacy/data-subjects/data-subject';
import { DataSubjectErasure } from 'src/governance/privacy/data-subjects/data-subject-erasure';
import { EntityCursor, findPage, holdingCondition, SubjectEntity } from 'src/governance/privacy/data-subjects/subject-match.sql';

/** One stored history instance of an entity's attribute. */
export interface HistoryRow {
  readonly attribute: string;
  readonly instance_id: string;
  readonly time: Date;
  readonly created_at: Date;
  readonly modified_at: Date;
  readonly instance: AttributeInstance;
}

/**
 * Reads for data-subject requests (which datasets say how to find a subject, the subject's
 * entities in them in every tenant, their history), and the transaction erasures run in. Callers
 * pass only the datasets the caller administers: nothing else is searched.
 */
@Injectable()
export class DataSubjectsRepository {
  constructor(private readonly sql: Sql) {}

  /** Of `administered`, the datasets whose personal-data profile names a subject attribute. */
  async subjectDatasets(administered: readonly string[]): Promise<SubjectDataset[]> {
    const { rows } = await this.sql.query<SubjectDataset>(
      `SELECT d.id AS dataset, d.organisation, p.profile ->> 'subjectAttribute' AS "subjectAttribute", p.profile ->> 'erasure' AS erasure,
              ARRAY(SELECT jsonb_array_elements_text(p.profile -> 'identifyingAttributes')) AS "identifyingAttributes"
       FROM dataset d CROSS JOIN LATERAL (SELECT ${PROFILE_DEFAULTS} || d.personal_data AS profile) p
       WHERE d.id = ANY ($1::uuid[]) AND p.profile ? 'subjectAttribute'
       ORDER BY d.organisation, d.created_at, d.id`,
      [administered],
    );
    return rows;
  }

  /** How many of the subject's entities each dataset holds. */
  async countEntities(datasets: readonly SubjectDataset[], subjectId: string): Promise<Map<string, number>> {
    const counts = new Map<string, number>();
    for (const d of datasets) {
      const { rows } = await this.sql.query<{ count: number }>(
        `SELECT count(*)::int AS count FROM entity e WHERE e.dataset_id = $1 AND ${holdingCondition(d.subjectAttribute)}`,
        [d.dataset, d.subjectAttribute, subjectId],
      );
      counts.set(d.dataset, rows[0].count);
    }
    return counts;
  }

  /** One page of the subject's entities in a dataset, in (tenant, id) order, after `after`. */
  entityPage(dataset: SubjectDataset, subjectId: string, after: EntityCursor | undefined, limit: number): Promise<SubjectEntity[]> {
    return findPage(this.sql, dataset, subjectId, after, limit);
  }

  /** One page of an entity's history written under `datasets`, in (attribute, time, instance) order, after `after`. */
  async historyPage(tenant: string, entityId: string, datasets: readonly string[], after: HistoryRow | undefined, limit: number): Promise<HistoryRow[]> {
    const { rows } = await this.sql.query<HistoryRow>(
      `SELECT h.attribute, h.instance_id, h.time, h.created_at, h.modified_at, h.instance
       FROM attribute_instance h
       WHERE h.tenant = $1 AND h.entity_id = $2 AND h.dataset_id = ANY ($3::uuid[])
         AND ($4::text IS NULL OR (h.attribute, h.time, h.instance_id) > ($4::text, $5::timestamptz, $6::uuid))
       ORDER BY h.attribute, h.time, h.instance_id LIMIT $7`,
      [tenant, entityId, datasets, after?.attribute ?? null, after?.time ?? null, after?.instance_id ?? null, limit],
    );
    return rows;
  }

  /** Runs `work` in one transaction (audit records join it). */
  transaction<T>(work: (tx: SqlTransaction) => Promise<T>): Promise<T> {
    return this.sql.transaction(work);
  }

  /** Runs an erasure in one transaction: every dataset's, and the audit records, commit together or not at all. */
  erasing<T>(now: Date, work: (erasure: DataSubjectErasure) => Promise<T>): Promise<T> {
    return this.sql.transaction(async (tx) => {
      const result = await work(new DataSubjectErasure(tx, now));
      await announceWithdrawnChanges(tx);
      return result;
    });
  }
}
