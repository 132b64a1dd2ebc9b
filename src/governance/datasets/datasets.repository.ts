import { Injectable } from '@nestjs/common';
import { BadRequestData } from 'src/common/problem/ngsi-ld-errors';
import { Sql, SqlTransaction } from 'src/database/sql';
import { PersonalDataProfile } from 'src/governance/datasets/dataset.schema';
import { placedDataset, placementRules, RULES_LOCK } from 'src/governance/datasets/dataset-placement.sql';

export interface EntityRule {
  /** Expanded type IRI. */
  readonly type?: string;
  readonly tenant?: string;
  readonly idPattern?: string;
}

export interface DatasetRecord {
  readonly id: string;
  readonly organisation: string;
  readonly title: { sv: string; en?: string };
  readonly description: { sv: string; en?: string };
  readonly keywords: { sv?: string[]; en?: string[] };
  readonly themes: string[];
  readonly licence: string | null;
  readonly contactPoint: { name: string; email: string; url?: string } | null;
  readonly updateFrequency: string | null;
  readonly spatialCoverage: string | Record<string, unknown> | null;
  readonly hvdCategory: string | null;
  readonly confidentiality: number;
  readonly integrity: number;
  readonly availability: number;
  readonly open: boolean;
  /** A restricted dataset whose metadata its owner asked to list in the open-data catalog. */
  readonly listedInCatalog: boolean;
  /** The profile as stored: attribute names expanded to IRIs. */
  readonly personalData: PersonalDataProfile;
  readonly retentionPeriod: string | null;
  readonly retentionIncludesCurrentValues: boolean;
  readonly jsonldContext: string | null;
  /** The schema URL of the data model the entities conform to. */
  readonly conformsTo: string | null;
  readonly isDefault: boolean;
  readonly retiredAt: Date | null;
  readonly createdAt: Date;
  readonly modifiedAt: Date;
  readonly entities: EntityRule[];
}

export type DatasetContent = Omit<DatasetRecord, 'id' | 'organisation' | 'isDefault' | 'retiredAt' | 'createdAt' | 'modifiedAt'>;

/** Fields that profiles stored before they existed lack (jsonb `||`: the stored ones win). */
export const PROFILE_DEFAULTS = `'{"legalBasis": [], "purposes": [], "identifyingAttributes": [], "dataCategories": [], "minimisation": {"removeAttributes": []}, "erasure": "delete"}'::jsonb`;

const COLUMNS = `d.id, d.organisation, d.title, d.description, d.keywords, d.themes, d.licence, d.contact_point AS "contactPoint",
  d.update_frequency AS "updateFrequency", d.spatial_coverage AS "spatialCoverage",
  d.hvd_category AS "hvdCategory", d.confidentiality, d.integrity, d.availability, d.open, d.listed_in_catalog AS "listedInCatalog", ${PROFILE_DEFAULTS} || d.personal_data AS "personalData",
  d.retention_period AS "retentionPeriod",
  d.retention_includes_current AS "retentionIncludesCurrentValues", d.jsonld_context AS "jsonldContext", d.conforms_to AS "conformsTo", d.is_default AS "isDefault",
  d.retired_at AS "retiredAt", d.created_at AS "createdAt", d.modified_at AS "modifiedAt",
  coalesce((SELECT jsonb_agg(jsonb_strip_nulls(jsonb_build_object('type', r.entity_type, 'tenant', r.tenant, 'idPattern', r.id_pattern)) ORDER BY r.position)
            FROM dataset_rule r WHERE r.dataset_id = d.id), '[]') AS entities`;

export interface DatasetListQuery {
  /** Only these datasets (what the caller may see). */
  readonly visible: readonly string[];
  readonly organisation?: string;
  readonly includeRetired: boolean;
  readonly limit: number;
  readonly offset: number;
}

/** The `dataset` and `dataset_rule` tables. */
@Injectable()
export class DatasetsRepository {
  constructor(private readonly sql: Sql) {}

  async findById(id: string): Promise<DatasetRecord | undefined> {
    const { rows } = await this.sql.query<DatasetRecord>(`SELECT ${COLUMNS} FROM dataset d WHERE d.id = $1`, [id]);
    return rows[0];
  }

  async list(query: DatasetListQuery): Promise<{ datasets: DatasetRecord[]; total: number }> {
    const where = `d.id = ANY ($1::uuid[]) AND ($2::text IS NULL OR d.organisation = $2) AND ($3 OR d.retired_at IS NULL)`;
    const params = [query.visible, query.organisation ?? null, query.includeRetired];
    const [{ rows }, { rows: counted }] = await Promise.all([
      this.sql.query<DatasetRecord>(`SELECT ${COLUMNS} FROM dataset d WHERE ${where} ORDER BY d.organisation, d.created_at, d.id LIMIT $4 OFFSET $5`, [
        ...params,
        query.limit,
        query.offset,
      ]),
      this.sql.query<{ total: number }>(`SELECT count(*)::int AS total FROM dataset d WHERE ${where}`, params),
    ]);
    return { datasets: rows, total: counted[0].total };
  }

  /** The organisation's default dataset, created when missing; `created` tells whether this call made it. */
  async ensureDefault(tx: SqlTransaction, organisation: string): Promise<{ dataset: string; created: boolean }> {
    const { rows } = await tx.query<{ dataset: string; created: boolean }>('SELECT d.dataset, d.created FROM vgds_default_dataset($1) AS d', [organisation]);
    return rows[0];
  }

  async insert(tx: SqlTransaction, id: string, organisation: string, content: DatasetContent): Promise<void> {
    await tx.query(
      `INSERT INTO dataset (id, organisation, title, description, keywords, themes, licence, contact_point, update_frequency,
         spatial_coverage, hvd_category, confidentiality, integrity, availability, open, personal_data, retention_period, jsonld_context,
         retention_includes_current, conforms_to, listed_in_catalog)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18, $19, $20, $21)`,
      [id, organisation, ...contentValues(content)],
    );
    await this.replaceRules(tx, id, content.entities);
  }

  async update(tx: SqlTransaction, id: string, content: DatasetContent, retired: boolean): Promise<void> {
    await tx.query(
      `UPDATE dataset SET title = $2, description = $3, keywords = $4, themes = $5, licence = $6, contact_point = $7, update_frequency = $8,
         spatial_coverage = $9, hvd_category = $10, confidentiality = $11, integrity = $12, availability = $13, open = $14,
         personal_data = $15, retention_period = $16, jsonld_context = $17, retention_includes_current = $18,
         conforms_to = $19, listed_in_catalog = $20, retired_at = CASE WHEN $21 THEN coalesce(retired_at, now()) END, modified_at = now()
       WHERE id = $1`,
      [id, ...contentValues(content), retired],
    );
    await this.replaceRules(tx, id, content.entities);
  }

  /** Locks the dataset row for a read-modify-write. */
  async lock(tx: SqlTransaction, id: string): Promise<DatasetRecord | undefined> {
    const { rows } = await tx.query<DatasetRecord>(`SELECT ${COLUMNS} FROM dataset d WHERE d.id = $1 FOR UPDATE OF d`, [id]);
    return rows[0];
  }

  /**
   * Re-resolves the entities of an organisation after its dataset rules changed: every entity not
   * placed explicitly, and not in a retired dataset, moves to the dataset its rules now pick.
   * Set-based, under the organisation's exclusive rules lock (writers hold it shared).
   */
  async reassignEntities(tx: SqlTransaction, organisation: string): Promise<number> {
    // Entities that no rule claims any more go to the default dataset, which must exist (ensureDefault).
    await tx.query(`SELECT pg_advisory_xact_lock(${RULES_LOCK})`, [organisation]);
    const { rowCount } = await tx.query(
      `WITH ${placementRules('$1', 'NULL')}
       UPDATE entity e SET dataset_id = m.resolved
       FROM (SELECT e2.tenant, e2.id, ${placedDataset('e2.tenant', 'e2.id', 'e2.types')} AS resolved
             FROM entity e2 JOIN dataset d ON d.id = e2.dataset_id
             WHERE d.organisation = $1 AND d.retired_at IS NULL AND NOT e2.dataset_explicit) AS m
       WHERE e.tenant = m.tenant AND e.id = m.id AND e.dataset_id <> m.resolved`,
      [organisation],
    );
    return rowCount;
  }

  /** PostgreSQL, not JavaScript, runs the id patterns: check them with its own regular-expression engine. */
  async checkPatterns(patterns: readonly string[]): Promise<void> {
    for (const pattern of patterns) {
      try {
        await this.sql.query(`SELECT '' ~ $1`, [pattern]);
      } catch (error) {
        throw new BadRequestData(`entities: "${pattern}" is not a valid regular expression: ${(error as Error).message}`);
      }
    }
  }

  private async replaceRules(tx: SqlTransaction, id: string, rules: readonly EntityRule[]): Promise<void> {
    await tx.query('DELETE FROM dataset_rule WHERE dataset_id = $1', [id]);
    if (rules.length === 0) return;
    await tx.query(
      `INSERT INTO dataset_rule (dataset_id, position, entity_type, tenant, id_pattern)
       SELECT $1, r.ordinality - 1, r.value ->> 'type', r.value ->> 'tenant', r.value ->> 'idPattern'
       FROM jsonb_array_elements($2::jsonb) WITH ORDINALITY AS r`,
      [id, JSON.stringify(rules)],
    );
  }
}

function contentValues(c: DatasetContent): unknown[] {
  return [
    c.title,
    c.description,
    c.keywords,
    c.themes,
    c.licence,
    c.contactPoint,
    c.updateFrequency,
    c.spatialCoverage === null ? null : JSON.stringify(c.spatialCoverage),
    c.hvdCategory,
    c.confidentiality,
    c.integrity,
    c.availability,
    c.open,
    c.personalData,
    c.retentionPeriod,
    c.jsonldContext,
    c.retentionIncludesCurrentValues,
    c.conformsTo,
    c.listedInCatalog,
  ];
}

/** The columns of a DatasetRecord (table alias `d`), for the catalog's statements that read the same records. */
export const DATASET_COLUMNS = COLUMNS;
