import { isJsonObject, Json } from 'src/jsonld/value-codec';

/*
 * GeoJSON geometries as WKT for GeoSPARQL's geo:wktLiteral. Without a CRS IRI in front, a WKT
 * literal is in CRS84: longitude before latitude, exactly GeoJSON's order, so coordinates are copied
 * as they are. Geometries were validated when written.
 */

type Position = number[];

const WKT_NAMES: Readonly<Record<string, string>> = {
  Point: 'POINT',
  MultiPoint: 'MULTIPOINT',
  LineString: 'LINESTRING',
  MultiLineString: 'MULTILINESTRING',
  Polygon: 'POLYGON',
  MultiPolygon: 'MULTIPOLYGON',
  GeometryCollection: 'GEOMETRYCOLLECTION',
};

/** The WKT of a GeoJSON geometry, or undefined when the value is not one. */
export function toWkt(geometry: Json | undefined): string | undefined {
  if (!isJsonObject(geometry) || typeof geometry.type !== 'string') return undefined;
  const name = WKT_NAMES[geometry.type];
  if (name === undefined) return undefined;
  if (geometry.type === 'GeometryCollection') {
    const members = Array.isArray(geometry.geometries) ? geometry.geometries.map(toWkt) : [];
    if (members.some((m) => m === undefined)) return undefined;
    return members.length === 0 ? `${name} EMPTY` : `${name}(${members.join(', ')})`;
  }
  const coordinates = geometry.coordinates as Json;
  if (!Array.isArray(coordinates)) return undefined;
  const body = wktBody(geometry.type, coordinates as unknown[]);
  if (body === '') return `${name} EMPTY`;
  return `${name}${hasZ(coordinates) ? ' Z' : ''}(${body})`;
}

function wktBody(type: string, coordinates: unknown[]): string {
  switch (type) {
    case 'Point':
      return position(coordinates as Position);
    case 'MultiPoint':
    case 'LineString':
      return (coordinates as Position[]).map(position).join(', ');
    case 'MultiLineString':
    case 'Polygon':
      return (coordinates as Position[][]).map(ring).join(', ');
    default:
      return (coordinates as Position[][][]).map((polygon) => `(${polygon.map(ring).join(', ')})`).join(', ');
  }
}

function ring(positions: Position[]): string {
  return `(${positions.map(position).join(', ')})`;
}

function position(coordinates: Position): string {
  return coordinates.map((n) => String(n)).join(' ');
}

/** Whether positions carry a height: the deepest arrays hold numbers, three of them. */
function hasZ(coordinates: unknown): boolean {
  let item: unknown = coordinates;
  while (Array.isArray(item) && Array.isArray(item[0])) item = item[0];
  return Array.isArray(item) && item.length >= 3;
}
