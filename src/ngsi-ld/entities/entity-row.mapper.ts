import { AttributeMap, EntityData } from 'src/ngsi-ld/representation/entity.model';

/** The columns of an {@link EntityRow}, selected from `entity e`. */
export const ENTITY_COLUMNS = 'e.id, e.types, e.scopes, e.attrs, e.created_at, e.modified_at, e.dataset_id';

/** A row of the `entity` table as `pg` returns it. */
export interface EntityRow {
  id: string;
  types: string[];
  scopes: string[] | null;
  attrs: AttributeMap;
  created_at: Date;
  modified_at: Date;
  dataset_id: string;
}

export function toEntityData(row: EntityRow): EntityData {
  return {
    id: row.id,
    types: row.types,
    scopes: row.scopes,
    attributes: row.attrs,
    createdAt: row.created_at.toISOString(),
    modifiedAt: row.modified_at.toISOString(),
    datasetId: row.dataset_id,
  };
}
