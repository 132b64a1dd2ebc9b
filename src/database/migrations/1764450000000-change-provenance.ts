import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Two facts about each change that notifications need (src/changes/change-records.sql.ts):
 *
 * - `previous_dataset_id`: the dataset the entity was in before the change. The previous values a
 *   change keeps were written under it, so they are shown only to readers of that dataset (the
 *   rule history follows): an entity moved from a K2 dataset into an open one must not bring its
 *   K2-era values along. NULL for creations, and for rows older than this column (their previous
 *   values are then shown to nobody: deny by default).
 * - `entity_modified_at`: for a deletion, when the entity was last modified (`changed_at` is when
 *   it was deleted); notifications with sysAttrs show it. NULL for writes, where both are the same.
 */
export class ChangeProvenance1764450000000 implements MigrationInterface {
  name = 'ChangeProvenance1764450000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE change ADD COLUMN previous_dataset_id uuid, ADD COLUMN entity_modified_at timestamptz`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE change DROP COLUMN previous_dataset_id, DROP COLUMN entity_modified_at`);
  }
}
