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
  /**
   * The dataset the entity was in before the change, under which `previous` was written (the
   * entity's own for a deletion; undefined for a creation, and for changes recorded before this was).
   */
  readonly previousDatasetId?: string;
  /** Attributes the change added. */
  readonly createdAttributes: readonly string[];
  readonly changedAt: string;
}

export interface ChangeRow {
  position: string;
  tenant: string;
  entity_id: string;
  dataset_id: string;
  previous_dataset_id: string | null;
  operation: ChangeOperation;
  types: string[];
  scopes: string[] | null;
  attrs: AttributeMap;
  previous: Record<string, AttributeInstance[]>;
  created_attrs: string[];
  entity_created_at: Date | null;
  entity_modified_at: Date | null;
  changed_at: Date;
}

export const CHANGE_COLUMNS =
  'c.position, c.tenant, c.entity_id, c.dataset_id, c.previous_dataset_id, c.operation, c.types, c.scopes, c.attrs, c.previous, c.created_attrs, ' +
  'c.entity_created_at, c.entity_modified_at, c.changed_at';

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
      modifiedAt: row.entity_modified_at?.toISOString() ?? changedAt,
      datasetId: row.dataset_id,
    },
    previous: row.previous,
    previousDatasetId: row.previous_dataset_id ?? undefined,
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

/**
 * The change as a reader who may read `readable` datasets sees it: the previous state (values,
 * and which attributes were updated or deleted) only if it was written under a dataset the reader
 * may read, as history is shown. Otherwise the entity appears as the change left it, with no past:
 * every attribute it has is new to this reader, and none was updated or deleted.
 */
export function changeVisibleTo(change: ChangeRecord, readable: ReadonlySet<string>): ChangeRecord {
  if (change.operation !== 'update') return change;
  if (change.previousDatasetId !== undefined && readable.has(change.previousDatasetId)) return change;
  return { ...change, previous: {}, createdAttributes: Object.keys(change.entity.attributes) };
}
