import { Injectable } from '@nestjs/common';
import { AlreadyExists } from 'src/common/problem/ngsi-ld-errors';
import { Sql, SqlTransaction } from 'src/database/sql';
import { AttributeMapping } from 'src/ingest/payload/attribute-mapping';

export interface ChirpStackBinding {
  readonly applicationId: string;
  /** Lower-case hexadecimal. */
  readonly devEui: string;
}

export interface DeviceRecord {
  readonly id: string;
  readonly organisation: string;
  readonly deviceId: string;
  readonly tenant: string;
  readonly entityId: string;
  /** Expanded type IRI. */
  readonly entityType: string;
  readonly datasetId: string;
  readonly jsonldContext: string | null;
  /** Attributes as expanded IRIs. */
  readonly mapping: AttributeMapping[];
  readonly chirpstack: ChirpStackBinding | null;
  readonly keyIssuedAt: Date;
  readonly createdBy: string;
  readonly createdAt: Date;
  readonly modifiedAt: Date;
}

export type DeviceContent = Pick<DeviceRecord, 'deviceId' | 'tenant' | 'entityId' | 'entityType' | 'datasetId' | 'jsonldContext' | 'mapping' | 'chirpstack'>;

/** What ingestion needs of a device, the hash of its key included (never shown by the API). */
export type IngestDeviceRecord = Pick<DeviceRecord, 'id' | 'organisation' | 'deviceId' | 'tenant' | 'entityId' | 'entityType' | 'datasetId' | 'mapping' | 'chirpstack'> & {
  readonly keyHash: string;
};

const BINDING = `CASE WHEN d.chirpstack_dev_eui IS NULL THEN NULL
  ELSE jsonb_build_object('applicationId', d.chirpstack_application_id, 'devEui', d.chirpstack_dev_eui) END AS chirpstack`;
const INGEST_COLUMNS = `d.id, d.organisation, d.device_id AS "deviceId", d.tenant, d.entity_id AS "entityId", d.entity_type AS "entityType",
  d.dataset_id AS "datasetId", d.mapping, ${BINDING}, d.key_hash AS "keyHash"`;
const COLUMNS = `d.id, d.organisation, d.device_id AS "deviceId", d.tenant, d.entity_id AS "entityId", d.entity_type AS "entityType",
  d.dataset_id AS "datasetId", d.jsonld_context AS "jsonldContext", d.mapping, ${BINDING}, d.key_issued_at AS "keyIssuedAt",
  d.created_by AS "createdBy", d.created_at AS "createdAt", d.modified_at AS "modifiedAt"`;

/** The `device` table. Key hashes are written here and read only by ingestion. */
@Injectable()
export class DevicesRepository {
  constructor(private readonly sql: Sql) {}

  async findById(id: string): Promise<DeviceRecord | undefined> {
    const { rows } = await this.sql.query<DeviceRecord>(`SELECT ${COLUMNS} FROM device d WHERE d.id = $1`, [id]);
    return rows[0];
  }

  /** Devices of the given organisations (all of them when `organisations` is undefined), a page at a time. */
  async list(query: { organisations: readonly string[] | undefined; limit: number; offset: number }): Promise<{ devices: DeviceRecord[]; total: number }> {
    const where = `($1::text[] IS NULL OR d.organisation = ANY ($1::text[]))`;
    const params = [query.organisations ?? null];
    const [{ rows }, { rows: counted }] = await Promise.all([
      this.sql.query<DeviceRecord>(`SELECT ${COLUMNS} FROM device d WHERE ${where} ORDER BY d.organisation, d.device_id LIMIT $2 OFFSET $3`, [
        ...params,
        query.limit,
        query.offset,
      ]),
      this.sql.query<{ total: number }>(`SELECT count(*)::int AS total FROM device d WHERE ${where}`, params),
    ]);
    return { devices: rows, total: counted[0].total };
  }

  async lock(tx: SqlTransaction, id: string): Promise<DeviceRecord | undefined> {
    const { rows } = await tx.query<DeviceRecord>(`SELECT ${COLUMNS} FROM device d WHERE d.id = $1 FOR UPDATE OF d`, [id]);
    return rows[0];
  }

  async insert(tx: SqlTransaction, device: { id: string; organisation: string; keyHash: string; createdBy: string }, content: DeviceContent): Promise<void> {
    await unique(content, () =>
      tx.query(
        `INSERT INTO device (id, organisation, key_hash, created_by, device_id, tenant, entity_id, entity_type, dataset_id, jsonld_context,
           mapping, chirpstack_application_id, chirpstack_dev_eui)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13)`,
        [device.id, device.organisation, device.keyHash, device.createdBy, ...contentValues(content)],
      ),
    );
  }

  async update(tx: SqlTransaction, id: string, content: DeviceContent): Promise<void> {
    await unique(content, () =>
      tx.query(
        `UPDATE device SET device_id = $2, tenant = $3, entity_id = $4, entity_type = $5, dataset_id = $6, jsonld_context = $7, mapping = $8,
           chirpstack_application_id = $9, chirpstack_dev_eui = $10, modified_at = now()
         WHERE id = $1`,
        [id, ...contentValues(content)],
      ),
    );
  }

  async replaceKey(tx: SqlTransaction, id: string, keyHash: string): Promise<void> {
    await tx.query(`UPDATE device SET key_hash = $2, key_issued_at = now(), modified_at = now() WHERE id = $1`, [id, keyHash]);
  }

  async delete(tx: SqlTransaction, id: string): Promise<void> {
    await tx.query(`DELETE FROM device WHERE id = $1`, [id]);
  }

  /** The devices a batch of messages addresses, by organisation and name or by DevEUI, in one statement. */
  async findForIngest(named: readonly { organisation: string; deviceId: string }[], devEuis: readonly string[]): Promise<IngestDeviceRecord[]> {
    if (named.length === 0 && devEuis.length === 0) return [];
    const { rows } = await this.sql.query<IngestDeviceRecord>(
      `SELECT ${INGEST_COLUMNS} FROM device d
       WHERE (d.organisation, d.device_id) IN (SELECT n.organisation COLLATE "C", n.device_id COLLATE "C" FROM unnest($1::text[], $2::text[]) AS n(organisation, device_id))
          OR d.chirpstack_dev_eui = ANY ($3::text[])`,
      [named.map((n) => n.organisation), named.map((n) => n.deviceId), devEuis],
    );
    return rows;
  }
}

function contentValues(c: DeviceContent): unknown[] {
  return [c.deviceId, c.tenant, c.entityId, c.entityType, c.datasetId, c.jsonldContext, JSON.stringify(c.mapping), c.chirpstack?.applicationId ?? null, c.chirpstack?.devEui ?? null];
}

/** Runs a write, turning a clash with another device's name or DevEUI into 409 AlreadyExists. */
async function unique<T>(content: DeviceContent, write: () => Promise<T>): Promise<T> {
  try {
    return await write();
  } catch (error) {
    const { code, constraint } = error as { code?: string; constraint?: string };
    if (code !== '23505') throw error;
    if (constraint === 'device_dev_eui_idx') throw new AlreadyExists(`Another device has the DevEUI ${content.chirpstack?.devEui}`);
    throw new AlreadyExists(`The organisation already has a device named ${content.deviceId}`);
  }
}
