import { Injectable } from '@nestjs/common';
import { Sql } from 'src/database/sql';

/** One row of the read log: the reads of one caller, dataset, purpose, read path and view in one second. */
export interface ReadLogEntry {
  readonly datasetId: string;
  readonly organisation: string;
  readonly at: Date;
  readonly principal: string;
  readonly principalOrganisation: string | null;
  readonly purpose: string | null;
  readonly readPath: string;
  readonly view: 'full' | 'minimised';
  readonly requests: number;
  readonly items: number;
}

export interface ReadLogQuery {
  readonly datasetId: string;
  readonly from?: string;
  readonly to?: string;
  readonly principal?: string;
  readonly purpose?: string;
  readonly limit: number;
  readonly offset: number;
}

export interface ReadLogDay {
  readonly day: string;
  readonly requests: number;
  readonly items: number;
  readonly principals: number;
  readonly purposes: string[];
}

const FILTER = `dataset_id = $1 AND ($2::timestamptz IS NULL OR at >= $2) AND ($3::timestamptz IS NULL OR at < $3)
  AND ($4::text IS NULL OR principal = $4) AND ($5::text IS NULL OR purpose = $5)`;

/** The `read_log` table: written in batches, read by the owning organisation's admins. */
@Injectable()
export class ReadLogRepository {
  constructor(private readonly sql: Sql) {}

  async append(entries: readonly ReadLogEntry[]): Promise<void> {
    if (entries.length === 0) return;
    await this.sql.query(
      `INSERT INTO read_log (dataset_id, organisation, at, principal, principal_organisation, purpose, read_path, view, requests, items)
       SELECT r."datasetId", r.organisation, r.at, r.principal, r."principalOrganisation", r.purpose, r."readPath", r.view, r.requests, r.items
       FROM jsonb_to_recordset($1::jsonb) AS r("datasetId" uuid, organisation text, at timestamptz, principal text, "principalOrganisation" text,
         purpose text, "readPath" text, view text, requests int, items int)`,
      [JSON.stringify(entries)],
    );
  }

  async find(query: ReadLogQuery): Promise<{ entries: ReadLogEntry[]; total: number }> {
    const values = [query.datasetId, query.from ?? null, query.to ?? null, query.principal ?? null, query.purpose ?? null];
    const [{ rows }, { rows: counted }] = await Promise.all([
      this.sql.query<ReadLogEntry>(
        `SELECT dataset_id AS "datasetId", organisation, at, principal, principal_organisation AS "principalOrganisation", purpose,
                read_path AS "readPath", view, requests, items
         FROM read_log WHERE ${FILTER} ORDER BY at DESC, id DESC LIMIT $6 OFFSET $7`,
        [...values, query.limit, query.offset],
      ),
      this.sql.query<{ total: number }>(`SELECT count(*)::int AS total FROM read_log WHERE ${FILTER}`, values),
    ]);
    return { entries: rows, total: counted[0].total };
  }

  /** Reads per day (UTC), newest first. */
  async days(query: Omit<ReadLogQuery, 'limit' | 'offset'>): Promise<ReadLogDay[]> {
    const { rows } = await this.sql.query<ReadLogDay>(
      `SELECT to_char(date_trunc('day', at AT TIME ZONE 'UTC'), 'YYYY-MM-DD') AS day, sum(requests)::int AS requests, sum(items)::int AS items,
              count(DISTINCT principal)::int AS principals, coalesce(array_agg(DISTINCT purpose) FILTER (WHERE purpose IS NOT NULL), '{}') AS purposes
       FROM read_log WHERE ${FILTER} GROUP BY 1 ORDER BY 1 DESC LIMIT 366`,
      [query.datasetId, query.from ?? null, query.to ?? null, query.principal ?? null, query.purpose ?? null],
    );
    return rows;
  }
}
