import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The NGSI-LD entity store. One row per entity and tenant; attributes as jsonb keyed by expanded
 * IRI; the `location` GeoProperty also as a PostGIS geometry for spatial queries.
 *
 * - ids and tenants sort byte-wise (COLLATE "C"): paging is stable, and anchored id patterns can
 *   use the primary key's order;
 * - types are an array of expanded IRIs with a GIN index, for `type=` (any of several types);
 * - location has a GiST index, in EPSG:4326 as GeoJSON is.
 */
export class EntityStore1763900000000 implements MigrationInterface {
  name = 'EntityStore1763900000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`CREATE EXTENSION IF NOT EXISTS postgis`);
    await queryRunner.query(`
      CREATE TABLE entity (
        tenant      text COLLATE "C" NOT NULL,
        id          text COLLATE "C" NOT NULL,
        types       text[]           NOT NULL,
        scopes      text[],
        attrs       jsonb            NOT NULL,
        location    geometry(Geometry, 4326),
        created_at  timestamptz      NOT NULL,
        modified_at timestamptz      NOT NULL,
        CONSTRAINT entity_pkey PRIMARY KEY (tenant, id),
        CONSTRAINT entity_has_a_type CHECK (cardinality(types) > 0)
      )`);
    await queryRunner.query(`CREATE INDEX entity_types_idx ON entity USING gin (types)`);
    await queryRunner.query(`CREATE INDEX entity_location_idx ON entity USING gist (location)`);
    await queryRunner.query(
      `COMMENT ON TABLE entity IS 'NGSI-LD entities; attrs holds attribute instances keyed by expanded IRI'`,
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TABLE entity`);
  }
}
