import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Devices that write measurements over MQTT (src/ingest/).
 *
 * - `device`: the registry. A device feeds one entity, in one dataset of its organisation, by a
 *   mapping from payload fields to attributes (expanded IRIs). Only a SHA-256 of its key is kept.
 *   `device_id` names it in its MQTT topic, so it is unique per organisation; a LoRaWAN DevEUI is
 *   unique across all devices, because ChirpStack topics name the device by DevEUI alone.
 * - `device_status`: what ingestion saw of each device (last seen, counters, last error), one row
 *   per device, updated once per batch. Kept apart from `device` so that ingestion never locks or
 *   rewrites registry rows.
 */
export class Devices1764300000000 implements MigrationInterface {
  name = 'Devices1764300000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE TABLE device (
        id                         uuid PRIMARY KEY,
        organisation               text COLLATE "C" NOT NULL,
        device_id                  text COLLATE "C" NOT NULL CHECK (device_id ~ '^[A-Za-z0-9_.-]{1,64}$'),
        tenant                     text COLLATE "C" NOT NULL DEFAULT '',
        entity_id                  text NOT NULL,
        entity_type                text NOT NULL,
        dataset_id                 uuid NOT NULL REFERENCES dataset,
        jsonld_context             text,
        mapping                    jsonb NOT NULL,
        chirpstack_application_id  text,
        chirpstack_dev_eui         text CHECK (chirpstack_dev_eui ~ '^[0-9a-f]{16}$'),
        key_hash                   text NOT NULL,
        key_issued_at              timestamptz NOT NULL DEFAULT now(),
        created_by                 text NOT NULL,
        created_at                 timestamptz NOT NULL DEFAULT now(),
        modified_at                timestamptz NOT NULL DEFAULT now(),
        UNIQUE (organisation, device_id),
        CHECK ((chirpstack_application_id IS NULL) = (chirpstack_dev_eui IS NULL))
      )`);
    await queryRunner.query(`CREATE UNIQUE INDEX device_dev_eui_idx ON device (chirpstack_dev_eui) WHERE chirpstack_dev_eui IS NOT NULL`);
    await queryRunner.query(`CREATE INDEX device_dataset_idx ON device (dataset_id)`);
    await queryRunner.query(`
      CREATE TABLE device_status (
        device_id          uuid PRIMARY KEY REFERENCES device ON DELETE CASCADE,
        last_seen          timestamptz,
        accepted           bigint NOT NULL DEFAULT 0,
        rejected           bigint NOT NULL DEFAULT 0,
        last_error_at      timestamptz,
        last_error_reason  text
      )`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TABLE device_status`);
    await queryRunner.query(`DROP TABLE device`);
  }
}
