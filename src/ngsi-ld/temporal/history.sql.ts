/**
 * SQL that keeps the history (`attribute_instance`) in step with the entity store, written as
 * data-modifying CTEs of the entity write statements themselves: whatever path writes an entity,
 * its history commits in the same statement.
 */

/**
 * Records every attribute instance the write statement `written` just wrote: those the entity
 * did not hold, exactly so, before the statement (`prior`: each written entity's attrs as they
 * were, null for a new one). A written instance differs from what was held at least by its
 * modifiedAt; and what a write left alone is not recorded again, even when two writes come within
 * one millisecond or a write path stamps instances with a time other than the entity's.
 * Each instance's createdAt is when it entered the history (the write), as for temporal writes.
 * `written` yields id, attrs, modified_at and dataset_id of the rows written; `tenant` is the SQL
 * expression of their tenant.
 */
export function historyOfWritten(written: string, prior: string, tenant: string): string {
  return `INSERT INTO attribute_instance (retention_class, time, tenant, entity_id, attribute, dataset_id, multi_instance_key, created_at, modified_at, instance)
    SELECT vgds_retention_class(d.retention_period), coalesce((i.value->>'observedAt')::timestamptz, w.modified_at), ${tenant}, w.id, a.key,
           w.dataset_id, i.value->>'datasetId', w.modified_at, w.modified_at,
           i.value - 'createdAt' - 'modifiedAt'
    FROM ${written} w JOIN dataset d ON d.id = w.dataset_id
    JOIN ${prior} before ON before.id = w.id
    CROSS JOIN LATERAL jsonb_each(w.attrs) a
    CROSS JOIN LATERAL jsonb_array_elements(a.value) i
    WHERE NOT EXISTS (SELECT 1 FROM jsonb_array_elements(before.attrs->a.key) held WHERE held.value = i.value)`;
}

/** Deletes the history of the entities `deleted` yields (column id) in `tenant`. */
export function historyOfDeleted(deleted: string, tenant: string): string {
  return `DELETE FROM attribute_instance h USING ${deleted} g WHERE h.tenant = ${tenant} AND h.entity_id = g.id`;
}
