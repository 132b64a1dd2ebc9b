import { AttributeInstance, AttributeMap, EntityData } from 'src/ngsi-ld/representation/entity.model';

export type ChangeOperation = 'create' | 'update' | 'delete';

/** One committed change of one entity, as the change feed holds it. */
export interface ChangeRecord {
  /** Place in the feed: dense and increasing; changes of one entity keep their order. */
  readonly position: number;
  readonly tenant: string;
  readonly operation: ChangeOperation;
  /** The entity after the change (before it, for a deletion). */
  readonly entity: EntityData;
  /** The dataset the entity was in when it changed: what access to the change is decided on. */
  readonly datasetId: string;
  /** Attributes the change updated or deleted, with their instances before it. */
  readonly previous: Readonly<Record<string, AttributeInstance[]>>;
  /** Attributes the change added. */
  readonly createdAttributes: readonly string[];
  readonly changedAt: string;
}

export interface ChangeRow {
  position: string;
  tenant: string;
  entity_id: string;
  dataset_id: string;
  operation: ChangeOperation;
  types: string[];
  scopes: string[] | null;
  attrs: AttributeMap;
  previous: Record<string, AttributeInstance[]>;
  created_attrs: string[];
  entity_created_at: Date | null;
  changed_at: Date;
}

export const CHANGE_COLUMNS =
  'c.position, c.tenant, c.entity_id, c.dataset_id, c.operation, c.types, c.scopes, c.attrs, c.previous, c.created_attrs, c.entity_created_at, c.changed_at';

export function toChangeRecord(row: ChangeRow): ChangeRecord {
  const changedAt = row.changed_at.toISOString();
  return {
    position: Number(row.position),
    tenant: row.tenant,
    operation: row.operation,
    datasetId: row.dataset_id,
    entity: {
      id: row.entity_id,
      types: row.types,
      scopes: row.scopes,
      attributes: row.attrs,
      createdAt: row.entity_created_at?.toISOString(),
      modifiedAt: changedAt,
      datasetId: row.dataset_id,
    },
    previous: row.previous,
    createdAttributes: row.created_attrs,
    changedAt,
  };
}

/** Which attributes a change created, updated and deleted (what notification triggers look at). */
export function attributeChanges(change: ChangeRecord): { created: readonly string[]; updated: string[]; deleted: string[] } {
  const updated: string[] = [];
  const deleted: string[] = [];
  for (const iri of Object.keys(change.previous)) (iri in change.entity.attributes ? updated : deleted).push(iri);
  return { created: change.createdAttributes, updated, deleted };
}
