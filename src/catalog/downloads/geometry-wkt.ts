import { isJsonObject, Json } from 'src/jsonld/value-codec';

type Position = readonly number[];

/**
 * A GeoJSON geometry as Well-Known Text (OGC 06-103r4), for CSV cells that spreadsheet and GIS
 * tools read; undefined for anything that is not a geometry.
 */
export function toWkt(geometry: Json | undefined): string | undefined {
  if (!isJsonObject(geometry) || typeof geometry.type !== 'string') return undefined;
  const type = geometry.type;
  if (type === 'GeometryCollection') {
    const members = Array.isArray(geometry.geometries) ? geometry.geometries.map((member) => toWkt(member)) : [];
    if (members.some((member) => member === undefined)) return undefined;
    return members.length === 0 ? 'GEOMETRYCOLLECTION EMPTY' : `GEOMETRYCOLLECTION (${members.join(', ')})`;
  }
  const text = coordinatesText(type, geometry.coordinates);
  return text === undefined ? undefined : `${type.toUpperCase()} ${text}`;
}

function coordinatesText(type: string, coordinates: Json | undefined): string | undefined {
  switch (type) {
    case 'Point':
      return isPosition(coordinates) ? `(${position(coordinates)})` : undefined;
    case 'MultiPoint':
    case 'LineString':
      return positions(coordinates);
    case 'MultiLineString':
    case 'Polygon':
      return nested(coordinates, positions);
    case 'MultiPolygon':
      return nested(coordinates, (polygon) => nested(polygon, positions));
    default:
      return undefined;
  }
}

function isPosition(value: unknown): value is Position {
  return Array.isArray(value) && value.length >= 2 && value.every((n) => typeof n === 'number');
}

function position(p: Position): string {
  return p.map(String).join(' ');
}

function positions(value: Json | undefined): string | undefined {
  if (!Array.isArray(value) || !value.every(isPosition)) return undefined;
  return `(${(value as Position[]).map(position).join(', ')})`;
}

function nested(value: Json | undefined, inner: (item: Json) => string | undefined): string | undefined {
  if (!Array.isArray(value)) return undefined;
  const parts = value.map(inner);
  return parts.some((part) => part === undefined) ? undefined : `(${parts.join(', ')})`;
}
