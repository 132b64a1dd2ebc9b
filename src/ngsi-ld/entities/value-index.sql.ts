/*
 * SQL that keeps the value index (`entity_attr_value`) in step with the entity store, as parts of
 * the entity write statements themselves (like history and change records): only the attributes a
 * statement changed are indexed again. The rows come computed (`value-index.ts`), so PostgreSQL
 * stores them without reading JSON.
 */

/**
 * Replaces the index rows of every attribute the statement `written` changed: the rows of those
 * attributes go, the given rows of them (a JSON parameter, `values`) come. `prior` is each written
 * entity as it was before the statement (attrs null for a new one). Names two CTEs; `tenant` is
 * the SQL expression of the tenant.
 */
export function valuesOfWritten(written: string, prior: string, tenant: string, values: string): string {
  const changed = (attr: string) => `(before.attrs -> ${attr}) IS DISTINCT FROM (w.attrs -> ${attr})`;
  return `index_removed AS (
      DELETE FROM entity_attr_value AS v
      USING ${written} AS w JOIN ${prior} AS before ON before.id = w.id
      WHERE v.tenant = ${tenant} AND v.entity_id = w.id AND before.existed AND ${changed('v.attr')}),
    index_added AS (
      INSERT INTO entity_attr_value (tenant, entity_id, attr, member, num, txt, bool, ts)
      SELECT ${tenant}, x.id, x.attr, x.member, x.num, x.txt, x.bool, 'epoch'::timestamptz + (x.ts || ' microseconds')::interval
      FROM jsonb_to_recordset(${values}::jsonb) AS x(id text, attr text, member text, num numeric, txt text, bool boolean, ts text)
      JOIN ${written} AS w ON w.id = x.id
      JOIN ${prior} AS before ON before.id = w.id
      WHERE ${changed('x.attr')})`;
}

/** Removes the index rows of the entities `deleted` yields (column id). */
export function valuesOfDeleted(deleted: string, tenant: string): string {
  return `DELETE FROM entity_attr_value AS v USING ${deleted} AS g WHERE v.tenant = ${tenant} AND v.entity_id = g.id`;
}
