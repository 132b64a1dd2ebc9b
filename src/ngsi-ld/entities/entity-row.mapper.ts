import { AttributeMap, EntityData } from 'src/ngsi-ld/representation/entity.model';

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
