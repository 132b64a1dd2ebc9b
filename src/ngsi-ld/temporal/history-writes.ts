import { SqlTransaction } from 'src/database/sql';
import { AttributeInstance } from 'src/ngsi-ld/representation/entity.model';

/** An instance to add to the history. */
export interface NewInstance {
  readonly entityId: string;
  readonly attribute: string;
  readonly datasetId: string;
  readonly instance: AttributeInstance;
}

/** An instanceId of ours is urn:ngsi-ld:<uuid> (see instanceIdOf); the uuid, as a regular expression. */
const UUID = '[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}';
/** Changes to the history inside a write transaction (temporal API, device ingestion). */
export class HistoryWrites {
  constructor(
    private readonly tenant: string,
    private readonly tx: SqlTransaction,
  ) {}

  /**
   * Adds instances, each stamped `now` as its write time, in one statement. Adding is idempotent:
   * an instance the attribute's history already holds is not added again, nor one sent twice:
   * the same content (value, datasetId, unitCode, sub-attributes...) at the same instant, or one
   * carrying the instanceId of an instance of this attribute (as a temporal entity read back and
   * posted again does). A retried write or a re-delivered measurement leaves no duplicates.
   */
  async append(instances: readonly NewInstance[], now: Date): Promise<void> {
    if (instances.length === 0) return;
    await this.tx.query(
      `WITH arriving AS (
         SELECT DISTINCT ON (r.entity_id, r.attribute, a.time, a.content - 'observedAt') r.entity_id, r.attribute, r.dataset_id, a.time, a.content, a.given_id
         FROM jsonb_to_recordset($2::jsonb) AS r(entity_id text, attribute text, dataset_id uuid, instance jsonb)
         CROSS JOIN LATERAL (
           SELECT coalesce((r.instance->>'observedAt')::timestamptz, $3) AS time,
                  r.instance - 'createdAt' - 'modifiedAt' - 'instanceId' AS content,
                  substring(r.instance->>'instanceId' FROM '^urn:ngsi-ld:(${UUID})$')::uuid AS given_id
         ) a
       )
       INSERT INTO attribute_instance (retention_class, time, tenant, entity_id, attribute, dataset_id, multi_instance_key, created_at, modified_at, instance)
       SELECT vgds_retention_class(d.retention_period), a.time, $1, a.entity_id, a.attribute, a.dataset_id, a.content->>'datasetId', $3, $3, a.content
       FROM arriving a JOIN dataset d ON d.id = a.dataset_id
       WHERE NOT EXISTS (
           SELECT 1 FROM attribute_instance h
           WHERE h.tenant = $1 AND h.entity_id = a.entity_id AND h.attribute = a.attribute AND h.time = a.time
             AND h.instance - 'observedAt' = a.content - 'observedAt')
         AND (a.given_id IS NULL OR NOT EXISTS (
           SELECT 1 FROM attribute_instance h
           WHERE h.tenant = $1 AND h.entity_id = a.entity_id AND h.attribute = a.attribute AND h.instance_id = a.given_id))`,
      [this.tenant, JSON.stringify(instances.map((i) => ({ entity_id: i.entityId, attribute: i.attribute, dataset_id: i.datasetId, instance: i.instance }))), now],
    );
  }

  /** One instance, locked for a change; undefined when the entity's attribute has no such instance. */
  async lockInstance(entityId: string, attribute: string, instanceId: string): Promise<AttributeInstance | undefined> {
    const { rows } = await this.tx.query<{ instance: AttributeInstance }>(
      `SELECT instance FROM attribute_instance WHERE tenant = $1 AND entity_id = $2 AND attribute = $3 AND instance_id = $4 FOR UPDATE`,
      [this.tenant, entityId, attribute, instanceId],
    );
    return rows[0]?.instance;
  }

  /** Replaces one instance's content; its time follows a changed observedAt (moving partitions if it must). */
  async replaceInstance(entityId: string, attribute: string, instanceId: string, instance: AttributeInstance, now: Date): Promise<void> {
    await this.tx.query(
      `UPDATE attribute_instance SET instance = $5::jsonb - 'createdAt' - 'modifiedAt' - 'instanceId', modified_at = $6,
         time = coalesce(($5::jsonb->>'observedAt')::timestamptz, time), multi_instance_key = $5::jsonb->>'datasetId'
       WHERE tenant = $1 AND entity_id = $2 AND attribute = $3 AND instance_id = $4`,
      [this.tenant, entityId, attribute, instanceId, JSON.stringify(instance), now],
    );
  }

  async deleteInstance(entityId: string, attribute: string, instanceId: string): Promise<boolean> {
    const { rowCount } = await this.tx.query(
      `DELETE FROM attribute_instance WHERE tenant = $1 AND entity_id = $2 AND attribute = $3 AND instance_id = $4`,
      [this.tenant, entityId, attribute, instanceId],
    );
    return rowCount > 0;
  }

  /** Deletes an attribute's history: the default instances, those of one datasetId, or all. Returns how many. */
  async deleteAttribute(entityId: string, attribute: string, selection: { datasetId?: string; deleteAll: boolean }): Promise<number> {
    const { rowCount } = await this.tx.query(
      `DELETE FROM attribute_instance WHERE tenant = $1 AND entity_id = $2 AND attribute = $3
         AND ($4 OR multi_instance_key IS NOT DISTINCT FROM $5)`,
      [this.tenant, entityId, attribute, selection.deleteAll, selection.datasetId ?? null],
    );
    return rowCount;
  }
}
