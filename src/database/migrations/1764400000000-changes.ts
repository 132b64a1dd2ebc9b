import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The change feed and NGSI-LD subscriptions (src/changes/, src/ngsi-ld/subscriptions/).
 *
 * - `change`: one row per entity a write statement created, changed or deleted, inserted by that
 *   statement itself (a data-modifying CTE, like the history), so it commits with the data or not
 *   at all. It carries the entity as it is after the change (as it was, for a deletion) and the
 *   previous instances of the attributes the change updated or deleted.
 * - `position`: the feed's order. `seq` comes from a sequence when the row is inserted, and rows of
 *   concurrent transactions become visible in another order than their `seq`; a reader that
 *   remembered "up to seq n" could skip one that commits late. So one sequencer (holding the
 *   `change_clock` row) numbers visible rows in `seq` order: positions are dense, never reused, and
 *   become visible together, so "after position n" is a cursor that skips nothing. Two changes of
 *   one entity are serialised by its row lock, so their positions keep their order.
 * - `subscription`: NGSI-LD subscriptions, with the principal that made them (access is decided
 *   again for every notification) and their delivery counters.
 * - `pending_notification`: what each subscription has yet to receive, by change position; written
 *   in the sequencer's transaction, deleted once the subscriber acknowledged it. This is what makes
 *   delivery survive a restart, and lets one dead endpoint wait without holding up anybody else.
 */
export class Changes1764400000000 implements MigrationInterface {
  name = 'Changes1764400000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE TABLE change (
        seq                bigserial PRIMARY KEY,
        position           bigint UNIQUE,
        tenant             text COLLATE "C" NOT NULL,
        entity_id          text NOT NULL,
        dataset_id         uuid NOT NULL,
        operation          text NOT NULL CHECK (operation IN ('create', 'update', 'delete')),
        types              text[] NOT NULL,
        scopes             text[],
        attrs              jsonb NOT NULL,
        previous           jsonb NOT NULL DEFAULT '{}',
        created_attrs      text[] NOT NULL DEFAULT '{}',
        entity_created_at  timestamptz,
        changed_at         timestamptz NOT NULL
      )`);
    await queryRunner.query(`CREATE INDEX change_unpositioned_idx ON change (seq) WHERE position IS NULL`);
    await queryRunner.query(`CREATE INDEX change_dataset_idx ON change (dataset_id, position)`);
    await queryRunner.query(`CREATE INDEX change_time_idx ON change (changed_at)`);
    await queryRunner.query(`
      CREATE TABLE change_clock (
        id                     int PRIMARY KEY CHECK (id = 1),
        position               bigint NOT NULL DEFAULT 0,
        subscriptions_version  bigint NOT NULL DEFAULT 0
      )`);
    await queryRunner.query(`INSERT INTO change_clock (id) VALUES (1)`);
    await queryRunner.query(`
      CREATE TABLE subscription (
        key                  bigserial UNIQUE,
        tenant               text COLLATE "C" NOT NULL,
        id                   text NOT NULL,
        owner                jsonb NOT NULL,
        organisation         text COLLATE "C",
        definition           jsonb NOT NULL,
        jsonld_context       jsonb,
        is_active            boolean NOT NULL DEFAULT true,
        expires_at           timestamptz,
        created_at           timestamptz NOT NULL,
        modified_at          timestamptz NOT NULL,
        times_sent           bigint NOT NULL DEFAULT 0,
        times_failed         bigint NOT NULL DEFAULT 0,
        last_notification    timestamptz,
        last_success         timestamptz,
        last_failure         timestamptz,
        last_failure_reason  text,
        drawn_datasets       uuid[] NOT NULL DEFAULT '{}',
        PRIMARY KEY (tenant, id)
      )`);
    await queryRunner.query(`
      CREATE TABLE pending_notification (
        subscription_key  bigint NOT NULL REFERENCES subscription (key) ON DELETE CASCADE,
        position          bigint NOT NULL,
        PRIMARY KEY (subscription_key, position)
      )`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TABLE pending_notification, subscription, change_clock, change`);
  }
}
