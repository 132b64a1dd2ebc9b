import { Injectable } from '@nestjs/common';
import { CatalogDataset, DatasetFacts, NO_FACTS } from 'src/catalog/catalog-entry';
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

type FactsRow = DatasetRecord & {
  entityCount: number;
  bbox: string | null;
  firstObservedAt: Date | null;
  lastObservedAt: Date | null;
  lastChangedAt: Date | null;
  meanChangeIntervalSeconds: number | null;
};

/** Which datasets a catalog lists: open ones (PUBLIC) and the ones their owner asked to list, never retired ones, only of registered organisations. */
const LISTED = `(d.retired_at IS NULL AND ((d.open AND d.confidentiality = 0) OR d.listed_in_catalog))`;

/**
 * A catalog in one statement (whole, one organisation's, or one dataset): the listed datasets with the facts from their data.
 * - entities: count, bounding box (PostGIS ST_Extent) and last change, one pass over the
 *   entities of the listed datasets;
 * - history: first and last observedAt (values without one say nothing of the period), from
 *   attribute_instance_dataset_time_idx: two probes per partition and dataset;
 * - update rate: the mean interval between the changes the change feed still keeps (its retention
 *   is the window), null with fewer than two.
 * The box is written as WKT in lon/lat, which is what a GeoSPARQL wktLiteral without a CRS means.
 */
const factsOf = (which: string) => `
  WITH listed AS (
    SELECT ${DATASET_COLUMNS}
    FROM dataset d JOIN organisation o ON o.id = d.organisation
    WHERE ${which}
  ),
  entities AS (
    SELECT e.dataset_id, count(*)::int AS n, ST_AsText(ST_Envelope(ST_Extent(e.location)::geometry)) AS bbox, max(e.modified_at) AS last_changed
    FROM entity e WHERE e.dataset_id IN (SELECT id FROM listed) GROUP BY e.dataset_id
  ),
  changes AS (
    SELECT c.dataset_id, extract(epoch FROM max(c.changed_at) - min(c.changed_at)) / nullif(count(*) - 1, 0) AS mean_interval
    FROM change c WHERE c.dataset_id IN (SELECT id FROM listed) GROUP BY c.dataset_id
  )
  SELECT l.*, coalesce(e.n, 0) AS "entityCount", e.last_changed AS "lastChangedAt",
    coalesce(e.bbox, CASE WHEN jsonb_typeof(l."spatialCoverage") = 'object' THEN ST_AsText(ST_Envelope(ST_GeomFromGeoJSON(l."spatialCoverage"::text))) END) AS bbox,
    (SELECT min(h.time) FROM attribute_instance h WHERE h.dataset_id = l.id AND h.instance ? 'observedAt') AS "firstObservedAt",
    (SELECT max(h.time) FROM attribute_instance h WHERE h.dataset_id = l.id AND h.instance ? 'observedAt') AS "lastObservedAt",
    ch.mean_interval::float8 AS "meanChangeIntervalSeconds"
  FROM listed l LEFT JOIN entities e ON e.dataset_id = l.id LEFT JOIN changes ch ON ch.dataset_id = l.id
  ORDER BY l.organisation, l."createdAt", l.id`;

const LISTED_DATASETS = factsOf(`${LISTED} AND ($1::text IS NULL OR d.organisation = $1)`);
const ONE_DATASET = factsOf('d.id = $1');

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

  /** The listed datasets (of one organisation, or all) with their facts. */
  async listedDatasets(organisation?: string): Promise<CatalogDataset[]> {
    const { rows } = await this.sql.query<FactsRow>(LISTED_DATASETS, [organisation ?? null]);
    return rows.map(toEntry);
  }

  /** The facts of one dataset, whether listed or not (its own URL shows it to whoever may see it). */
  async factsOf(id: string): Promise<DatasetFacts> {
    const { rows } = await this.sql.query<FactsRow>(ONE_DATASET, [id]);
    return rows[0] ? toEntry(rows[0]).facts : NO_FACTS;
  }
}

function toEntry(row: FactsRow): CatalogDataset {
  const { entityCount, bbox, firstObservedAt, lastObservedAt, lastChangedAt, meanChangeIntervalSeconds, ...record } = row;
  return { record, facts: { entityCount, bbox, firstObservedAt, lastObservedAt, lastChangedAt, meanChangeIntervalSeconds } };
}
