import { Injectable } from '@nestjs/common';
import { DatasetFacts } from 'src/catalog/catalog-entry';
import { Sql } from 'src/database/sql';
import { DATASET_COLUMNS, DatasetRecord } from 'src/governance/datasets/datasets.repository';
import { ORGANISATION_COLUMNS, OrganisationRecord } from 'src/governance/organisations/organisations.repository';

/** What the catalog document depends on: a change of any part is a new document. */
export interface CatalogVersion {
  /** Bumped by every change of datasets, rules, grants and keys (governance_version). */
  readonly governance: string;
  /** Count and last change of the organisation registry (it has no version counter of its own). */
  readonly organisations: string;
  /** The change feed's position: entities written since. */
  readonly changes: string;
}

/** Which datasets a catalog lists: open ones (PUBLIC) and the ones their owner asked to list, never retired ones, only of registered organisations. */
const LISTED = `(d.retired_at IS NULL AND ((d.open AND d.confidentiality = 0) OR d.listed_in_catalog))`;

const LISTED_DATASETS = `
  SELECT ${DATASET_COLUMNS} FROM dataset d JOIN organisation o ON o.id = d.organisation
  WHERE ${LISTED} AND ($1::text IS NULL OR d.organisation = $1)
  ORDER BY d.organisation, d.created_at, d.id`;

/**
 * The facts from the data of many datasets in one statement:
 * - entities: count, bounding box (PostGIS ST_Extent) and last change, one pass over the
 *   entities of those datasets;
 * - history: first and last observedAt (values without one say nothing of the period), from
 *   attribute_instance_dataset_time_idx: two probes per partition and dataset;
 * - update rate: the mean interval between the changes the change feed still keeps (its retention
 *   is the window), null with fewer than two.
 * Without entities, the box is the one of the coverage the owner declared. Boxes are WKT in
 * lon/lat, which is what a GeoSPARQL wktLiteral without a CRS means.
 */
const FACTS = `
  WITH entities AS (
    SELECT e.dataset_id, count(*)::int AS n, ST_AsText(ST_Envelope(ST_Extent(e.location)::geometry)) AS bbox, max(e.modified_at) AS last_changed
    FROM entity e WHERE e.dataset_id = ANY ($1::uuid[]) GROUP BY e.dataset_id
  ),
  changes AS (
    SELECT c.dataset_id, extract(epoch FROM max(c.changed_at) - min(c.changed_at)) / nullif(count(*) - 1, 0) AS mean_interval
    FROM change c WHERE c.dataset_id = ANY ($1::uuid[]) GROUP BY c.dataset_id
  )
  SELECT d.id, coalesce(e.n, 0) AS "entityCount", e.last_changed AS "lastChangedAt",
    coalesce(e.bbox, CASE WHEN jsonb_typeof(d.spatial_coverage) = 'object' THEN ST_AsText(ST_Envelope(ST_GeomFromGeoJSON(d.spatial_coverage::text))) END) AS bbox,
    (SELECT min(h.time) FROM attribute_instance h WHERE h.dataset_id = d.id AND h.instance ? 'observedAt') AS "firstObservedAt",
    (SELECT max(h.time) FROM attribute_instance h WHERE h.dataset_id = d.id AND h.instance ? 'observedAt') AS "lastObservedAt",
    ch.mean_interval::float8 AS "meanChangeIntervalSeconds"
  FROM dataset d LEFT JOIN entities e ON e.dataset_id = d.id LEFT JOIN changes ch ON ch.dataset_id = d.id
  WHERE d.id = ANY ($1::uuid[])`;

/** Reads for the DCAT catalog: hand-written statements for the whole catalog at once, never one per dataset. */
@Injectable()
export class CatalogRepository {
  constructor(private readonly sql: Sql) {}

  async version(): Promise<CatalogVersion> {
    const { rows } = await this.sql.query<CatalogVersion>(
      `SELECT (SELECT version FROM governance_version WHERE id = 1)::text AS governance,
         (SELECT count(*) || '@' || coalesce(extract(epoch FROM max(modified_at)), 0) FROM organisation) AS organisations,
         (SELECT position FROM change_clock WHERE id = 1)::text AS changes`,
    );
    return rows[0];
  }

  /** Registered organisations, by id; one, or all. */
  async organisations(id?: string): Promise<OrganisationRecord[]> {
    const { rows } = await this.sql.query<OrganisationRecord>(`SELECT ${ORGANISATION_COLUMNS} FROM organisation WHERE $1::text IS NULL OR id = $1 ORDER BY id`, [id ?? null]);
    return rows;
  }

  /** The listed datasets, of one organisation or all. */
  async listedDatasets(organisation?: string): Promise<DatasetRecord[]> {
    const { rows } = await this.sql.query<DatasetRecord>(LISTED_DATASETS, [organisation ?? null]);
    return rows;
  }

  /** The facts from the data of these datasets, by dataset id. */
  async facts(ids: readonly string[]): Promise<Map<string, DatasetFacts>> {
    if (ids.length === 0) return new Map();
    const { rows } = await this.sql.query<DatasetFacts & { id: string }>(FACTS, [ids]);
    return new Map(rows.map(({ id, ...facts }) => [id, facts]));
  }
}
