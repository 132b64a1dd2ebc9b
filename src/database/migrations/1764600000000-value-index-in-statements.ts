import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The value index (`entity_attr_value`) is kept by the entity write statements themselves
 * (`value-index.sql.ts`), for the attributes a statement changed, from rows computed by the
 * service; no longer by statement triggers that deleted and re-derived every row of every entity
 * written. Measured on a single-attribute update of a store of 1,000 entities: the trigger's
 * statements took 46 of the statement's 88 ms (a temporary table created per transaction, whose
 * missing statistics sorted the whole value index, and JSON path queries plus a PL/pgSQL block
 * with an exception handler per value), growing with the store.
 *
 * New tenants are still registered by a statement trigger (one insert per statement, not per row).
 */
export class ValueIndexInStatements1764600000000 implements MigrationInterface {
  name = 'ValueIndexInStatements1764600000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TRIGGER entity_values_updated ON entity`);
    await queryRunner.query(`DROP TRIGGER entity_values_deleted ON entity`);
    await queryRunner.query(`DROP FUNCTION vgds_entity_updated(), vgds_entity_deleted()`);
    await queryRunner.query(`
      CREATE OR REPLACE FUNCTION vgds_entity_inserted() RETURNS trigger LANGUAGE plpgsql SET jit = off AS $$
      BEGIN
        INSERT INTO tenant (name) SELECT DISTINCT tenant FROM new_rows ON CONFLICT (name) DO NOTHING;
        RETURN NULL;
      END $$`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    const insertValues = (rows: string) => `
      INSERT INTO entity_attr_value (tenant, entity_id, attr, member, num, txt, bool, ts)
      SELECT * FROM (
        SELECT r.tenant, r.id, x.attr, x.member,
               CASE WHEN jsonb_typeof(x.s) = 'number' THEN (x.s)::numeric END,
               CASE WHEN jsonb_typeof(x.s) = 'string' THEN x.s #>> '{}' END,
               CASE WHEN jsonb_typeof(x.s) = 'boolean' THEN (x.s)::boolean END,
               vgds_timestamptz(x.s)
        FROM ${rows} AS r
        CROSS JOIN LATERAL (
          SELECT i.attr, i.member,
                 CASE WHEN jsonb_typeof(i.item) = 'object' AND i.item ? '@value' THEN i.item -> '@value' ELSE i.item END AS s
          FROM vgds_attribute_items(r.attrs) AS i
        ) AS x
      ) AS v (tenant, entity_id, attr, member, num, txt, bool, ts)
      WHERE num IS NOT NULL OR txt IS NOT NULL OR bool IS NOT NULL OR ts IS NOT NULL;`;
    await queryRunner.query(`
      CREATE OR REPLACE FUNCTION vgds_entity_inserted() RETURNS trigger LANGUAGE plpgsql SET jit = off AS $$
      BEGIN
        INSERT INTO tenant (name) SELECT DISTINCT tenant FROM new_rows ON CONFLICT (name) DO NOTHING;
        ${insertValues('new_rows')}
        RETURN NULL;
      END $$`);
    await queryRunner.query(`
      CREATE FUNCTION vgds_entity_updated() RETURNS trigger LANGUAGE plpgsql SET jit = off AS $$
      BEGIN
        CREATE TEMP TABLE IF NOT EXISTS vgds_changed_rows (tenant text, id text, attrs jsonb) ON COMMIT DROP;
        TRUNCATE vgds_changed_rows;
        INSERT INTO vgds_changed_rows
          SELECT n.tenant, n.id, n.attrs FROM new_rows AS n JOIN old_rows AS o ON o.tenant = n.tenant AND o.id = n.id
          WHERE o.attrs IS DISTINCT FROM n.attrs;
        DELETE FROM entity_attr_value AS v USING vgds_changed_rows AS r WHERE v.tenant = r.tenant AND v.entity_id = r.id;
        ${insertValues('vgds_changed_rows')}
        RETURN NULL;
      END $$`);
    await queryRunner.query(`
      CREATE FUNCTION vgds_entity_deleted() RETURNS trigger LANGUAGE plpgsql SET jit = off AS $$
      BEGIN
        DELETE FROM entity_attr_value AS v USING old_rows AS r WHERE v.tenant = r.tenant AND v.entity_id = r.id;
        RETURN NULL;
      END $$`);
    await queryRunner.query(`
      CREATE TRIGGER entity_values_updated AFTER UPDATE ON entity
      REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION vgds_entity_updated()`);
    await queryRunner.query(`
      CREATE TRIGGER entity_values_deleted AFTER DELETE ON entity
      REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION vgds_entity_deleted()`);
  }
}
