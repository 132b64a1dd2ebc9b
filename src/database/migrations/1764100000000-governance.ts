import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Datasets, their classification and access, API keys and the audit log.
 *
 * - `dataset`: the unit of publication and classification; every entity belongs to exactly one.
 *   Each organisation has one default dataset (restricted, K2) for entities no rule claims.
 * - `dataset_rule`: which entities of its organisation a dataset holds (type, tenant, id pattern).
 * - `entity.dataset_id`: placed on write by the dataset rules (src/governance/datasets/dataset-placement.sql.ts),
 *   or given explicitly.
 * - `dataset_grant`, `combination_rule`, `api_key`: inputs of the policy decision point.
 * - `governance_version`: bumped by every change to those tables, so each service replica sees
 *   a change on its next request without caching anything stale.
 * - `audit_log`: append-only (a trigger refuses updates and deletes), each row hash-chained.
 */
export class Governance1764100000000 implements MigrationInterface {
  name = 'Governance1764100000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE TABLE dataset (
        id                uuid PRIMARY KEY,
        organisation      text COLLATE "C" NOT NULL,
        title             jsonb NOT NULL,
        description       jsonb NOT NULL,
        keywords          jsonb NOT NULL DEFAULT '{}',
        themes            text[] NOT NULL DEFAULT '{}',
        licence           text,
        contact_point     jsonb,
        update_frequency  text,
        spatial_coverage  jsonb,
        hvd_category      text,
        confidentiality   smallint NOT NULL CHECK (confidentiality BETWEEN 0 AND 3),
        integrity         smallint NOT NULL CHECK (integrity BETWEEN 0 AND 3),
        availability      smallint NOT NULL CHECK (availability BETWEEN 0 AND 3),
        open              boolean NOT NULL DEFAULT false CHECK (NOT open OR confidentiality = 0),
        personal_data     jsonb NOT NULL DEFAULT '{"category": "none"}',
        retention_period  text,
        jsonld_context    text,
        is_default        boolean NOT NULL DEFAULT false,
        retired_at        timestamptz,
        created_at        timestamptz NOT NULL DEFAULT now(),
        modified_at       timestamptz NOT NULL DEFAULT now()
      )`);
    await queryRunner.query(`CREATE UNIQUE INDEX dataset_one_default_idx ON dataset (organisation) WHERE is_default`);
    await queryRunner.query(`CREATE INDEX dataset_organisation_idx ON dataset (organisation)`);
    await queryRunner.query(`
      CREATE TABLE dataset_rule (
        dataset_id   uuid NOT NULL REFERENCES dataset ON DELETE CASCADE,
        position     smallint NOT NULL,
        entity_type  text COLLATE "C",
        tenant       text COLLATE "C",
        id_pattern   text,
        PRIMARY KEY (dataset_id, position)
      )`);
    await queryRunner.query(`
      CREATE TABLE dataset_grant (
        id            uuid PRIMARY KEY,
        dataset_id    uuid NOT NULL REFERENCES dataset ON DELETE CASCADE,
        grantee_kind  text NOT NULL CHECK (grantee_kind IN ('organisation', 'principal')),
        grantee       text COLLATE "C" NOT NULL,
        created_by    text NOT NULL,
        created_at    timestamptz NOT NULL DEFAULT now(),
        revoked_at    timestamptz
      )`);
    await queryRunner.query(`CREATE INDEX dataset_grant_dataset_idx ON dataset_grant (dataset_id)`);
    await queryRunner.query(`
      CREATE TABLE combination_rule (
        id               uuid PRIMARY KEY,
        name             text NOT NULL,
        datasets         uuid[] NOT NULL CHECK (cardinality(datasets) >= 2),
        confidentiality  smallint NOT NULL CHECK (confidentiality BETWEEN 0 AND 3),
        created_by       text NOT NULL,
        created_at       timestamptz NOT NULL DEFAULT now()
      )`);
    await queryRunner.query(`
      CREATE TABLE api_key (
        id            uuid PRIMARY KEY,
        name          text NOT NULL,
        organisation  text COLLATE "C" NOT NULL,
        secret_hash   text NOT NULL,
        roles         text[] NOT NULL DEFAULT '{}',
        can_read      boolean NOT NULL,
        can_write     boolean NOT NULL,
        datasets      uuid[],
        expires_at    timestamptz,
        revoked_at    timestamptz,
        created_by    text NOT NULL,
        created_at    timestamptz NOT NULL DEFAULT now()
      )`);

    await queryRunner.query(`CREATE TABLE governance_version (id smallint PRIMARY KEY CHECK (id = 1), version bigint NOT NULL)`);
    await queryRunner.query(`INSERT INTO governance_version VALUES (1, 1)`);
    await queryRunner.query(`
      CREATE FUNCTION vgds_governance_changed() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN UPDATE governance_version SET version = version + 1 WHERE id = 1; RETURN NULL; END $$`);
    for (const table of ['dataset', 'dataset_rule', 'dataset_grant', 'combination_rule', 'api_key']) {
      await queryRunner.query(`
        CREATE TRIGGER ${table}_changed AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON ${table}
        FOR EACH STATEMENT EXECUTE FUNCTION vgds_governance_changed()`);
    }

    await queryRunner.query(`
      CREATE FUNCTION vgds_default_dataset(p_organisation text, OUT dataset uuid, OUT created boolean) LANGUAGE plpgsql AS $$
      BEGIN
        created := false;
        SELECT id INTO dataset FROM dataset WHERE organisation = p_organisation AND is_default;
        IF dataset IS NULL THEN
          INSERT INTO dataset (id, organisation, title, description, confidentiality, integrity, availability, is_default, personal_data)
          VALUES (gen_random_uuid(), p_organisation,
                  jsonb_build_object('sv', 'Ej tilldelade data från ' || p_organisation, 'en', 'Unassigned data of ' || p_organisation),
                  jsonb_build_object('sv', 'Entiteter som ingen datamängd gör anspråk på. Delas inte utanför organisationen.',
                                     'en', 'Entities no dataset claims. Not shared outside the organisation.'),
                  2, 1, 1, true, '{"category": "none", "legalBasis": [], "purposes": [], "identifyingAttributes": []}')
          ON CONFLICT (organisation) WHERE is_default DO NOTHING
          RETURNING id INTO dataset;
          created := dataset IS NOT NULL;
          IF dataset IS NULL THEN
            SELECT id INTO dataset FROM dataset WHERE organisation = p_organisation AND is_default;
          END IF;
        END IF;
      END $$`);
    // Entities written before datasets existed belong to the default dataset of "unassigned".
    await queryRunner.query(`ALTER TABLE entity ADD COLUMN dataset_id uuid`);
    await queryRunner.query(`ALTER TABLE entity ADD COLUMN dataset_explicit boolean NOT NULL DEFAULT false`);
    await queryRunner.query(
      `UPDATE entity SET dataset_id = (SELECT d.dataset FROM vgds_default_dataset('unassigned') AS d) WHERE EXISTS (SELECT 1 FROM entity)`,
    );
    await queryRunner.query(`ALTER TABLE entity ALTER COLUMN dataset_id SET NOT NULL`);
    await queryRunner.query(`ALTER TABLE entity ADD CONSTRAINT entity_dataset_fkey FOREIGN KEY (dataset_id) REFERENCES dataset`);
    await queryRunner.query(`CREATE INDEX entity_dataset_idx ON entity (tenant, dataset_id)`);

    // Rows whose attributes did not change (a new dataset, new types) keep their value index.
    await queryRunner.query(`
      CREATE OR REPLACE FUNCTION vgds_entity_updated() RETURNS trigger LANGUAGE plpgsql SET jit = off AS $$
      BEGIN
        CREATE TEMP TABLE IF NOT EXISTS vgds_changed_rows (tenant text, id text, attrs jsonb) ON COMMIT DROP;
        TRUNCATE vgds_changed_rows;
        INSERT INTO vgds_changed_rows
          SELECT n.tenant, n.id, n.attrs FROM new_rows AS n JOIN old_rows AS o ON o.tenant = n.tenant AND o.id = n.id
          WHERE o.attrs IS DISTINCT FROM n.attrs;
        DELETE FROM entity_attr_value AS v USING vgds_changed_rows AS r WHERE v.tenant = r.tenant AND v.entity_id = r.id;
        INSERT INTO entity_attr_value (tenant, entity_id, attr, member, num, txt, bool, ts)
        SELECT * FROM (
          SELECT r.tenant, r.id, x.attr, x.member,
                 CASE WHEN jsonb_typeof(x.s) = 'number' THEN (x.s)::numeric END,
                 CASE WHEN jsonb_typeof(x.s) = 'string' THEN x.s #>> '{}' END,
                 CASE WHEN jsonb_typeof(x.s) = 'boolean' THEN (x.s)::boolean END,
                 vgds_timestamptz(x.s)
          FROM vgds_changed_rows AS r
          CROSS JOIN LATERAL (
            SELECT i.attr, i.member,
                   CASE WHEN jsonb_typeof(i.item) = 'object' AND i.item ? '@value' THEN i.item -> '@value' ELSE i.item END AS s
            FROM vgds_attribute_items(r.attrs) AS i
          ) AS x
        ) AS v (tenant, entity_id, attr, member, num, txt, bool, ts)
        WHERE num IS NOT NULL OR txt IS NOT NULL OR bool IS NOT NULL OR ts IS NOT NULL;
        RETURN NULL;
      END $$`);

    await queryRunner.query(`
      CREATE TABLE audit_log (
        seq           bigserial PRIMARY KEY,
        at            timestamptz NOT NULL,
        actor         text NOT NULL,
        organisation  text,
        event         text NOT NULL,
        target        text,
        details       jsonb NOT NULL DEFAULT '{}',
        previous_hash text NOT NULL,
        hash          text NOT NULL
      )`);
    await queryRunner.query(`
      CREATE FUNCTION vgds_audit_log_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN RAISE EXCEPTION 'the audit log is append-only' USING ERRCODE = '42501'; END $$`);
    await queryRunner.query(`
      CREATE TRIGGER audit_log_append_only BEFORE UPDATE OR DELETE OR TRUNCATE ON audit_log
      FOR EACH STATEMENT EXECUTE FUNCTION vgds_audit_log_append_only()`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TABLE audit_log`);
    await queryRunner.query(`DROP FUNCTION vgds_audit_log_append_only()`);
    await queryRunner.query(`ALTER TABLE entity DROP COLUMN dataset_explicit, DROP COLUMN dataset_id`);
    await queryRunner.query(`DROP FUNCTION vgds_default_dataset(text)`); // OUT parameters are not part of the signature
    await queryRunner.query(`DROP TABLE api_key, combination_rule, dataset_grant, dataset_rule, dataset`);
    await queryRunner.query(`DROP TABLE governance_version`);
    await queryRunner.query(`DROP FUNCTION vgds_governance_changed()`);
  }
}
