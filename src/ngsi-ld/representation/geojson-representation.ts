import { isJsonObject, Json, JsonObject } from 'src/jsonld/value-codec';
import { GEOMETRY_TYPES } from 'src/ngsi-ld/representation/geojson';

/**
 * The GeoJSON representation of entities (clause 4.5.16): a Feature per entity, its geometry the
 * value of one GeoProperty (`geometryProperty`, `location` by default), every other member in
 * `properties`, in whichever form (normalized, concise, keyValues) the entity was compacted.
 */
export function toFeature(entity: JsonObject, geometryName: string): JsonObject {
  const { id, ...properties } = entity;
  return { id: id ?? null, type: 'Feature', geometry: geometryOf(properties[geometryName]), properties };
}

export function toFeatureCollection(entities: JsonObject[], geometryName: string): JsonObject {
  return { type: 'FeatureCollection', features: entities.map((entity) => toFeature(entity, geometryName)) };
}

function geometryOf(attribute: Json | undefined): Json {
  const first = Array.isArray(attribute) ? attribute[0] : attribute;
  if (!isJsonObject(first)) return null;
  if (typeof first.type === 'string' && GEOMETRY_TYPES.has(first.type)) return first;
  if (first.type === 'GeoProperty' || (first.type === undefined && 'value' in first)) return geometryOf(first.value);
  return null;
}
