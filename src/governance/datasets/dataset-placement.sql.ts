/*
 * Which dataset an entity of an organisation belongs to, as SQL shared by the write path (new and
 * retyped entities) and by rule changes (re-placing an organisation's entities): the most specific
 * rule of the organisation's active datasets (an id pattern beats none, a tenant beats none, a
 * type beats none; then the oldest dataset), else the organisation's default dataset.
 *
 * Set-based: the organisation's few rules are read once (`rules`), and each entity picks from
 * them in memory; no function call or query per entity.
 */

/**
 * The advisory lock key that serialises an organisation's rule changes (held exclusively) against
 * the writes placing entities by those rules (held shared); `$1` is the organisation.
 */
export const RULES_LOCK = `hashtext('vgds-dataset-rules:' || $1)`;

/** The organisation's active rules; `$org` and `$tenant` name the parameters (tenant may be NULL: any). */
export function placementRules(org: string, tenant: string): string {
  return `placement_rules AS (
    SELECT r.dataset_id, r.entity_type, r.id_pattern, r.tenant AS rule_tenant, d.created_at, d.id AS dataset_order
    FROM dataset_rule AS r JOIN dataset AS d ON d.id = r.dataset_id
    WHERE d.organisation = ${org} AND d.retired_at IS NULL AND NOT d.is_default
      AND (r.tenant IS NULL OR ${tenant}::text IS NULL OR r.tenant = ${tenant})
  ), placement_default AS (
    SELECT id FROM dataset WHERE organisation = ${org} AND is_default
  )`;
}

/** The dataset (uuid) for the entity whose tenant, id and types are the given SQL expressions. */
export function placedDataset(tenant: string, id: string, types: string): string {
  return `coalesce(
    (SELECT pr.dataset_id FROM placement_rules AS pr
     WHERE (pr.entity_type IS NULL OR pr.entity_type = ANY (${types}))
       AND (pr.rule_tenant IS NULL OR pr.rule_tenant = ${tenant})
       AND (pr.id_pattern IS NULL OR ${id} ~ pr.id_pattern)
     ORDER BY (pr.id_pattern IS NOT NULL) DESC, (pr.rule_tenant IS NOT NULL) DESC, (pr.entity_type IS NOT NULL) DESC,
              pr.created_at, pr.dataset_order
     LIMIT 1),
    (SELECT id FROM placement_default))`;
}
