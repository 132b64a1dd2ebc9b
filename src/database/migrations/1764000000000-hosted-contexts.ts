import { MigrationInterface, QueryRunner } from 'typeorm';

/** JSON-LD @contexts hosted by this broker (`POST /ngsi-ld/v1/jsonldContexts`), served at their own URL. */
export class HostedContexts1764000000000 implements MigrationInterface {
  name = 'HostedContexts1764000000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE TABLE hosted_context (
        id         text COLLATE "C" PRIMARY KEY,
        document   jsonb NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now()
      )`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TABLE hosted_context`);
  }
}
