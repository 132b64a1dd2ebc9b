import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * A dataset may declare the data model its entities conform to (MIM2, issue 15): the schema URL
 * of a model in the registry (ontologies/models). Writes into it are validated against the model;
 * without one nothing is.
 */
export class DatasetConformsTo1764800000000 implements MigrationInterface {
  name = 'DatasetConformsTo1764800000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE dataset ADD COLUMN conforms_to text`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE dataset DROP COLUMN conforms_to`);
  }
}
