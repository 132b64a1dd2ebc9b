import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The DCAT catalog states each dataset's temporal coverage: the first and last time of its
 * history. Without an index that leads with the dataset, that is a scan of the whole history; with
 * it, two index probes per partition and dataset (src/catalog/catalog.repository.ts).
 */
export class CatalogFacts1765100000000 implements MigrationInterface {
  name = 'CatalogFacts1765100000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`CREATE INDEX attribute_instance_dataset_time_idx ON attribute_instance (dataset_id, time)`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP INDEX attribute_instance_dataset_time_idx`);
  }
}
