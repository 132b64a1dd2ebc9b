import { AttributeMap, EntityData } from 'src/ngsi-ld/representation/entity.model';
import { LOCATION } from 'src/ngsi-ld/representation/ngsi-ld-vocabulary';

/** A row of the `entity` table as `pg` returns it. */
export interface EntityRow {
  id: string;
  types: string[];
  scopes: string[] | null;
  attrs: AttributeMap;
  created_at: Date;
  modified_at: Date;
}

export function toEntityData(row: EntityRow): EntityData {
  return {
    id: row.id,
    types: row.types,
    scopes: row.scopes,
    attributes: row.attrs,
    createdAt: row.created_at.toISOString(),
    modifiedAt: row.modified_at.toISOString(),
  };
}

/** The geometry kept in the indexed column: the default instance of `location`, else its first one. */
export function locationGeoJson(entity: EntityData): string | null {
  const instances = entity.attributes[LOCATION];
  if (!instances || instances.length === 0) return null;
  const chosen = instances.find((instance) => instance.datasetId === undefined) ?? instances[0];
  return JSON.stringify(chosen.value);
}
