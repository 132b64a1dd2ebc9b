import type { Quad_Object } from '@rdfjs/types';
import { DataFactory } from 'n3';
import { NGSI_LD } from 'src/jsonld/core-contexts';
import { isJsonObject, Json, JsonObject } from 'src/jsonld/value-codec';
import { expandedObjects } from 'src/linked-data/entities/expanded-value.rdf';
import { QuadCollector } from 'src/linked-data/entities/quad-collector';
import { NS, RDF_TYPE } from 'src/linked-data/entities/rdf-vocabulary';

/*
 * A GeoProperty's value is stored as the GeoJSON it was given; in JSON-LD it is read with the core
 * context, which maps "type" to @type and the geometry names, "coordinates" and "bbox" to lists,
 * and everything it does not name to its @vocab (the NGSI-LD default context).
 */

const { namedNode } = DataFactory;
const GEOJSON_TERMS = new Set([
  'Feature', 'FeatureCollection', 'GeometryCollection', 'LineString', 'MultiLineString', 'MultiPoint', 'MultiPolygon', 'Point', 'Polygon',
]);
const LIST_MEMBERS = new Set(['coordinates', 'bbox']);
const NAMED_MEMBERS = new Set(['coordinates', 'bbox', 'features', 'geometry', 'properties']);
const DEFAULT_VOCAB = `${NGSI_LD}default-context/`;

/** The RDF object a GeoJSON value stands for, as JSON-LD with the core context would give it. */
export function geoJsonObjects(out: QuadCollector, value: Json | undefined): Quad_Object[] {
  if (value === undefined || value === null) return [];
  if (Array.isArray(value)) return value.flatMap((item) => geoJsonObjects(out, item));
  if (!isJsonObject(value)) return expandedObjects(out, value);
  return [geoJsonNode(out, value)];
}

function geoJsonNode(out: QuadCollector, value: JsonObject): Quad_Object {
  const node = out.blank();
  for (const [key, member] of Object.entries(value)) {
    if (key === 'type') {
      for (const type of [member].flat()) if (typeof type === 'string') out.add(node, RDF_TYPE, namedNode(typeIri(type)));
    } else if (LIST_MEMBERS.has(key)) {
      out.add(node, namedNode(`${NS.geojson}${key}`), coordinateList(out, Array.isArray(member) ? member : [member]));
    } else {
      const predicate = namedNode(NAMED_MEMBERS.has(key) ? `${NS.geojson}${key}` : DEFAULT_VOCAB + key);
      for (const object of geoJsonObjects(out, member)) out.add(node, predicate, object);
    }
  }
  return node;
}

function typeIri(type: string): string {
  return GEOJSON_TERMS.has(type) ? `${NS.geojson}${type}` : DEFAULT_VOCAB + type;
}

function coordinateList(out: QuadCollector, items: Json[]): Quad_Object {
  return expandedObjects(out, { '@list': items })[0];
}
