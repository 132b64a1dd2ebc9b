import { Injectable } from '@nestjs/common';
import { Sql } from 'src/database/sql';

export interface TypeSummary {
  readonly type: string;
  readonly attributes: string[];
}

export interface TypeDetails {
  readonly entityCount: number;
  readonly attributes: { attribute: string; kinds: string[] }[];
}

export interface AttributeSummary {
  readonly attribute: string;
  /** Instances of the attribute, over all entities. */
  readonly count: number;
  readonly kinds: string[];
  readonly types: string[];
}

/** Attributes a minimised view removes, as "<dataset id> <attribute IRI>": discovery does not list them for that dataset. */
export type HiddenAttributes = readonly string[];

function shown(entity: string, attribute: string, hidden: string): string {
  return `(${entity}.dataset_id::text || ' ' || ${attribute}) <> ALL (${hidden}::text[])`;
}

/**
 * What types and attributes exist in a tenant (clause 5.7.5 to 5.7.10), counting only entities
 * of datasets the caller may read: a type that exists only in hidden datasets does not exist. These read every entity of
 * the tenant (or of one type): fine for discovery, which is not on a hot path.
 */
@Injectable()
export class DiscoveryRepository {
  constructor(private readonly sql: Sql) {}

  async types(tenant: string, readable: readonly string[], hidden: HiddenAttributes = []): Promise<TypeSummary[]> {
    const { rows } = await this.sql.query<{ type: string; attributes: string[] }>(
      `SELECT t.type, array_remove(array_agg(DISTINCT a.name ORDER BY a.name), NULL) AS attributes
       FROM entity e CROSS JOIN LATERAL unnest(e.types) AS t(type) LEFT JOIN LATERAL unnest(e.attr_names) AS a(name) ON ${shown('e', 'a.name', '$3')}
       WHERE e.tenant = $1 AND e.dataset_id = ANY ($2::uuid[]) GROUP BY t.type ORDER BY t.type`,
      [tenant, readable, hidden],
    );
    return rows;
  }

  async type(tenant: string, readable: readonly string[], type: string, hidden: HiddenAttributes = []): Promise<TypeDetails | undefined> {
    const { rows: counts } = await this.sql.query<{ count: number }>(
      `SELECT count(*)::int AS count FROM entity WHERE tenant = $1 AND types @> ARRAY[$2]::text[] AND dataset_id = ANY ($3::uuid[])`,
      [tenant, type, readable],
    );
    if (counts[0].count === 0) return undefined;
    const { rows } = await this.sql.query<{ attribute: string; kinds: string[] }>(
      `SELECT a.key AS attribute, array_agg(DISTINCT i ->> 'type' ORDER BY i ->> 'type') AS kinds
       FROM entity e CROSS JOIN LATERAL jsonb_each(e.attrs) AS a CROSS JOIN LATERAL jsonb_array_elements(a.value) AS i
       WHERE e.tenant = $1 AND e.types @> ARRAY[$2]::text[] AND e.dataset_id = ANY ($3::uuid[]) AND ${shown('e', 'a.key', '$4')}
       GROUP BY a.key ORDER BY a.key`,
      [tenant, type, readable, hidden],
    );
    return { entityCount: counts[0].count, attributes: rows };
  }

  async attributes(tenant: string, readable: readonly string[], attribute?: string, hidden: HiddenAttributes = []): Promise<AttributeSummary[]> {
    const { rows } = await this.sql.query<AttributeSummary>(
      `SELECT a.key AS attribute, count(*)::int AS count,
              array_agg(DISTINCT i ->> 'type' ORDER BY i ->> 'type') AS kinds,
              (SELECT array_agg(DISTINCT t ORDER BY t) FROM entity e2 CROSS JOIN LATERAL unnest(e2.types) AS t
                WHERE e2.tenant = $1 AND e2.attr_names @> ARRAY[a.key] AND e2.dataset_id = ANY ($3::uuid[]) AND ${shown('e2', 'a.key', '$4')}) AS types
       FROM entity e CROSS JOIN LATERAL jsonb_each(e.attrs) AS a CROSS JOIN LATERAL jsonb_array_elements(a.value) AS i
       WHERE e.tenant = $1 AND e.dataset_id = ANY ($3::uuid[]) AND ($2::text IS NULL OR (a.key = $2 AND e.attr_names @> ARRAY[$2]::text[]))
         AND ${shown('e', 'a.key', '$4')}
       GROUP BY a.key ORDER BY a.key`,
      [tenant, attribute ?? null, readable, hidden],
    );
    return rows;
  }
}
