import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * A restricted dataset's owner may ask for its metadata to be listed in the open-data catalog
 * (issue 16), so that people learn it exists and whom to ask. Open datasets are listed anyway.
 */
export class DatasetCatalogListing1765000000000 implements MigrationInterface {
  name = 'DatasetCatalogListing1765000000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE dataset ADD COLUMN listed_in_catalog boolean NOT NULL DEFAULT false`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE dataset DROP COLUMN listed_in_catalog`);
  }
}
