import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The registry of member organisations (issue 16), so that a catalog can name its publishers.
 * The id is the one datasets, keys and tokens already carry; no foreign key ties them to it yet,
 * because organisations existed before the registry did and their data must keep working.
 */
export class Organisations1764900000000 implements MigrationInterface {
  name = 'Organisations1764900000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE TABLE organisation (
        id text PRIMARY KEY CHECK (id ~ '^[a-z0-9][a-z0-9-]{0,62}$'),
        name_sv text NOT NULL,
        name_en text,
        organisation_number text NOT NULL CHECK (organisation_number ~ '^[0-9]{10}$'),
        kind text NOT NULL CHECK (kind IN ('municipality', 'region', 'municipal-company', 'regional-company', 'association', 'other')),
        homepage text,
        contact_name text,
        contact_email text,
        contact_phone text,
        created_at timestamptz NOT NULL DEFAULT now(),
        modified_at timestamptz NOT NULL DEFAULT now(),
        CONSTRAINT organisation_number_unique UNIQUE (organisation_number),
        CONSTRAINT organisation_contact_complete CHECK ((contact_name IS NULL) = (contact_email IS NULL))
      )`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('DROP TABLE organisation');
  }
}
