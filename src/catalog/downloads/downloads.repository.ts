import { Injectable } from '@nestjs/common';
import { PREPARED, Sql } from 'src/database/sql';
import { DatasetAllowance } from 'src/ngsi-ld/entities/entities.repository';
import { AttributeSeen } from 'src/catalog/downloads/csv-layout';

/** What a download's validators (ETag, Last-Modified) are made of, read before anything is streamed. */
export interface DatasetFreshness {
  readonly entities: number;
  /** When an entity of the dataset last changed; null for an empty dataset. */
  readonly lastModified: Date | null;
  /** The change feed's last position for the dataset (moves, deletions, temporal writes, retention); null when it has none. */
  readonly lastChange: string | null;
}

/** The statements only downloads make; the entities and their history are read through their services. */
@Injectable()
export class DownloadsRepository {
  constructor(private readonly sql: Sql) {}

  /** Index scans: the dataset's entities (tenant, dataset_id, id) and its newest change (dataset_id, position). */
  async freshness(tenant: string, datasetId: string, readable: DatasetAllowance): Promise<DatasetFreshness> {
    const { rows } = await this.sql.query<{ entities: number; last_modified: Date | null; last_change: string | null }>(
      `SELECT s.entities, s.last_modified,
              (SELECT max(c.position)::text FROM change c WHERE c.dataset_id = $2::uuid) AS last_change
       FROM (SELECT count(*)::int AS entities, max(e.modified_at) AS last_modified FROM entity e
             WHERE e.tenant = $1 AND e.dataset_id = $2::uuid AND e.dataset_id = ANY ($3::uuid[])) s`,
      [tenant, datasetId, readable],
      PREPARED,
    );
    const row = rows[0];
    return { entities: row.entities, lastModified: row.last_modified, lastChange: row.last_change };
  }

  /**
   * The attributes a dataset's entities hold, each with the unit codes of its instances: the
   * columns of a CSV when the dataset declares no data model. One pass in the database; what
   * comes back is one row per attribute name.
   */
  async attributesSeen(tenant: string, datasetId: string, readable: DatasetAllowance): Promise<AttributeSeen[]> {
    const { rows } = await this.sql.query<{ iri: string; units: string[] }>(
      `SELECT a.key AS iri, array_remove(array_agg(DISTINCT i.value->>'unitCode'), NULL) AS units
       FROM entity e CROSS JOIN LATERAL jsonb_each(e.attrs) a CROSS JOIN LATERAL jsonb_array_elements(a.value) i
       WHERE e.tenant = $1 AND e.dataset_id = $2::uuid AND e.dataset_id = ANY ($3::uuid[])
       GROUP BY a.key ORDER BY a.key`,
      [tenant, datasetId, readable],
      PREPARED,
    );
    return rows.map((row) => ({ iri: row.iri, units: row.units }));
  }
}
