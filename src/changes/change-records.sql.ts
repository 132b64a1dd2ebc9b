/**
 * SQL that writes the change feed (`change`) as data-modifying CTEs of the entity write statements
 * themselves, like the history: whatever path writes an entity, its change record commits in the
 * same statement, or neither does.
 */

/**
 * Records a change for every row the write statement `written` created or changed. `written`
 * yields id, types, scopes, attrs, dataset_id, created_at and modified_at; `prior` each written
 * entity as it was before the statement (existed, types, scopes, attrs, dataset_id). A row written
 * exactly as it was is not a change. `previous` keeps the instances of the attributes the write
 * updated or deleted, as they were; `created_attrs` names the new ones; `previous_dataset_id` the
 * dataset they were written under (the entity's, before the write).
 */
export function changesOfWritten(written: string, prior: string, tenant: string): string {
  return `INSERT INTO change (tenant, entity_id, dataset_id, previous_dataset_id, operation, types, scopes, attrs, previous, created_attrs, entity_created_at, changed_at)
    SELECT ${tenant}, w.id, w.dataset_id, before.dataset_id, CASE WHEN before.existed THEN 'update' ELSE 'create' END, w.types, w.scopes, w.attrs,
           coalesce((SELECT jsonb_object_agg(b.key, b.value) FROM jsonb_each(before.attrs) b WHERE (w.attrs -> b.key) IS DISTINCT FROM b.value), '{}'),
           ARRAY(SELECT k FROM jsonb_object_keys(w.attrs) k WHERE NOT before.existed OR NOT before.attrs ? k),
           w.created_at, w.modified_at
    FROM ${written} w
    JOIN ${prior} before ON before.id = w.id
    WHERE NOT before.existed OR before.attrs IS DISTINCT FROM w.attrs OR before.types IS DISTINCT FROM w.types
       OR before.scopes IS DISTINCT FROM w.scopes OR before.dataset_id IS DISTINCT FROM w.dataset_id`;
}

/**
 * Records the deletion of every row `deleted` yields (the same columns as for writes), with its last
 * state (written under its own dataset) and when it was last modified.
 */
export function changesOfDeleted(deleted: string, tenant: string): string {
  return `INSERT INTO change (tenant, entity_id, dataset_id, previous_dataset_id, operation, types, scopes, attrs, entity_created_at, entity_modified_at, changed_at)
    SELECT ${tenant}, g.id, g.dataset_id, g.dataset_id, 'delete', g.types, g.scopes, g.attrs, g.created_at, g.modified_at, statement_timestamp()
    FROM ${deleted} g`;
}
