import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Privacy that acts (issue 14): a grant says which view it gives (full or minimised), an API key
 * may carry the purpose its reads are made for, a dataset may have retention delete current values
 * too, and reads of personal data are logged.
 *
 * The read log is written in batches by the service (one row per caller, dataset, purpose, read
 * path and second, with the number of entities or instances read), never in a request's
 * transaction; retention deletes old rows.
 */
export class Privacy1764700000000 implements MigrationInterface {
  name = 'Privacy1764700000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE dataset_grant ADD COLUMN view text CHECK (view IN ('full', 'minimised'))`);
    await queryRunner.query(`ALTER TABLE api_key ADD COLUMN purpose text`);
    await queryRunner.query(`ALTER TABLE dataset ADD COLUMN retention_includes_current boolean NOT NULL DEFAULT false`);
    await queryRunner.query(`
      CREATE TABLE read_log (
        id            bigserial PRIMARY KEY,
        dataset_id    uuid NOT NULL,
        organisation  text NOT NULL,
        at            timestamptz NOT NULL,
        principal     text NOT NULL,
        principal_organisation text,
        purpose       text,
        read_path     text NOT NULL,
        view          text NOT NULL,
        requests      integer NOT NULL,
        items         integer NOT NULL
      )`);
    await queryRunner.query(`CREATE INDEX read_log_dataset_at_idx ON read_log (dataset_id, at)`);
    // The centre of the grid cell of a geometry's mean position, as minimise.ts computes it:
    // minimised views show it, and geo-queries on minimised datasets compare it. Single
    // expressions, so that PostgreSQL inlines them into the query (a CTE body costs twice as much).
    await queryRunner.query(`
      CREATE FUNCTION vgds_coarsen_cell(x float8, y float8, grid float8) RETURNS geometry LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
        SELECT ST_SetSRID(ST_MakePoint(
          round(((floor(x / (grid / (111320.0 * greatest(cos(radians(y)), 0.01)))) + 0.5)
                 * (grid / (111320.0 * greatest(cos(radians(y)), 0.01))))::numeric, 7)::float8,
          round(y::numeric, 7)::float8), 4326)
      $$`);
    await queryRunner.query(`
      CREATE FUNCTION vgds_coarsen(g geometry, grid float8) RETURNS geometry LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
        SELECT vgds_coarsen_cell(ST_X(ST_Centroid(ST_Points(g))),
                                 (floor(ST_Y(ST_Centroid(ST_Points(g))) / (grid / 111320.0)) + 0.5) * (grid / 111320.0), grid)
      $$`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP FUNCTION vgds_coarsen(geometry, float8)`);
    await queryRunner.query(`DROP FUNCTION vgds_coarsen_cell(float8, float8, float8)`);
    await queryRunner.query(`DROP TABLE read_log`);
    await queryRunner.query(`ALTER TABLE dataset DROP COLUMN retention_includes_current`);
    await queryRunner.query(`ALTER TABLE api_key DROP COLUMN purpose`);
    await queryRunner.query(`ALTER TABLE dataset_grant DROP COLUMN view`);
  }
}
