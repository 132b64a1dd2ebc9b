import { MigrationInterface, QueryRunner } from 'typeorm';

/** Retention classes: a dataset's retention period rounded up to one of these (see vgds_retention_class). */
export const RETENTION_CLASSES = ['p30d', 'p1y', 'p2y', 'p5y', 'p10y', 'keep'] as const;

/**
 * The history of attribute values (NGSI-LD temporal representation), `attribute_instance`.
 *
 * Partitioned twice, so that retention (gallring) can drop whole tables instead of deleting rows:
 * - by LIST on `retention_class`: the dataset's retention period rounded up to one of a few
 *   classes, so that the rows of a 30-day dataset never share a table with those of a 10-year one;
 * - then by RANGE on `time` (observedAt, else the time of the write), one partition per month.
 *   `vgds_history_partitions(n)` creates the months from last month to n months ahead, and the
 *   months of rows that fell into a class's DEFAULT partition (old imports, clocks far ahead),
 *   moving those rows out first. The service runs it at start and daily.
 *
 * Each row carries the dataset the entity was in when the value was written: temporal reads filter
 * by the readable datasets exactly as current-state reads do.
 */
export class History1764200000000 implements MigrationInterface {
  name = 'History1764200000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE TABLE attribute_instance (
        retention_class     text NOT NULL,
        time                timestamptz NOT NULL,
        tenant              text COLLATE "C" NOT NULL,
        entity_id           text COLLATE "C" NOT NULL,
        attribute           text COLLATE "C" NOT NULL,
        instance_id         uuid NOT NULL DEFAULT gen_random_uuid(),
        dataset_id          uuid NOT NULL,
        multi_instance_key  text,
        created_at          timestamptz NOT NULL,
        modified_at         timestamptz NOT NULL,
        instance            jsonb NOT NULL
      ) PARTITION BY LIST (retention_class)`);
    await queryRunner.query(`COMMENT ON COLUMN attribute_instance.multi_instance_key IS 'NGSI-LD datasetId of the instance (multi-instance attributes); not our dataset'`);
    await queryRunner.query(`COMMENT ON COLUMN attribute_instance.time IS 'observedAt, else the time of the write: the partition key and the default timeproperty'`);
    await queryRunner.query(`CREATE INDEX attribute_instance_series_idx ON attribute_instance (tenant, entity_id, attribute, time)`);
    await queryRunner.query(`
      CREATE FUNCTION vgds_retention_class(period text) RETURNS text LANGUAGE sql IMMUTABLE AS $$
        SELECT CASE
          WHEN period IS NULL THEN 'keep'
          WHEN period::interval <= interval '30 days' THEN 'p30d'
          WHEN period::interval <= interval '1 year' THEN 'p1y'
          WHEN period::interval <= interval '2 years' THEN 'p2y'
          WHEN period::interval <= interval '5 years' THEN 'p5y'
          WHEN period::interval <= interval '10 years' THEN 'p10y'
          ELSE 'keep'
        END $$`);
    await queryRunner.query(`
      CREATE FUNCTION vgds_history_partitions(months_ahead int) RETURNS int LANGUAGE plpgsql AS $$
      DECLARE
        class text;
        parent text;
        fallback text;
        month timestamp;
        leaf text;
        created int := 0;
      BEGIN
        PERFORM pg_advisory_xact_lock(hashtext('vgds_history_partitions'));
        FOREACH class IN ARRAY ARRAY[${RETENTION_CLASSES.map((c) => `'${c}'`).join(', ')}] LOOP
          parent := 'attribute_instance_' || class;
          fallback := parent || '_default';
          IF to_regclass(parent) IS NULL THEN
            EXECUTE format('CREATE TABLE %I PARTITION OF attribute_instance FOR VALUES IN (%L) PARTITION BY RANGE (time)', parent, class);
            EXECUTE format('CREATE TABLE %I PARTITION OF %I DEFAULT', fallback, parent);
          END IF;
          FOR month IN EXECUTE format(
            'SELECT m FROM generate_series(date_trunc(''month'', now() AT TIME ZONE ''UTC'') - interval ''1 month'','
            ' date_trunc(''month'', now() AT TIME ZONE ''UTC'') + make_interval(months => $1), interval ''1 month'') AS m'
            ' UNION SELECT DISTINCT date_trunc(''month'', time AT TIME ZONE ''UTC'') FROM %I', fallback) USING months_ahead
          LOOP
            leaf := parent || '_' || to_char(month, 'YYYYMM');
            CONTINUE WHEN to_regclass(leaf) IS NOT NULL;
            -- Built apart and attached, after taking its rows out of the default partition: a
            -- month cannot be attached while the default partition still holds rows of it.
            EXECUTE format('CREATE TABLE %I (LIKE attribute_instance INCLUDING DEFAULTS)', leaf);
            EXECUTE format(
              'WITH moved AS (DELETE FROM %I WHERE time >= %L::timestamp AT TIME ZONE ''UTC'' AND time < %L::timestamp AT TIME ZONE ''UTC'' RETURNING *) INSERT INTO %I SELECT * FROM moved',
              fallback, month, month + interval '1 month', leaf);
            EXECUTE format(
              'ALTER TABLE %I ATTACH PARTITION %I FOR VALUES FROM (%L) TO (%L)',
              parent, leaf, to_char(month, 'YYYY-MM-DD') || ' 00:00:00+00', to_char(month + interval '1 month', 'YYYY-MM-DD') || ' 00:00:00+00');
            created := created + 1;
          END LOOP;
        END LOOP;
        RETURN created;
      END $$`);
    await queryRunner.query(`SELECT vgds_history_partitions(3)`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TABLE attribute_instance`);
    await queryRunner.query(`DROP FUNCTION vgds_history_partitions(int)`);
    await queryRunner.query(`DROP FUNCTION vgds_retention_class(text)`);
  }
}
