import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * A dataset's entities in id order (bulk downloads, RDF dumps: keyset pages "after this id"):
 * without the id in the index every page would find and sort all the dataset's entities again.
 * It replaces (tenant, dataset_id), a prefix of it.
 */
export class DatasetEntityOrder1765210000000 implements MigrationInterface {
  name = 'DatasetEntityOrder1765210000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`CREATE INDEX entity_dataset_id_idx ON entity (tenant, dataset_id, id)`);
    await queryRunner.query(`DROP INDEX entity_dataset_idx`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`CREATE INDEX entity_dataset_idx ON entity (tenant, dataset_id)`);
    await queryRunner.query(`DROP INDEX entity_dataset_id_idx`);
  }
}
