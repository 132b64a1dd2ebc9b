export const GEOMETRY_TYPES: ReadonlySet<string> = new Set([
  'Point',
  'MultiPoint',
  'LineString',
  'MultiLineString',
  'Polygon',
  'MultiPolygon',
  'GeometryCollection',
]);

type Check = (coordinates: unknown) => string | undefined;

function position(p: unknown): string | undefined {
  if (!Array.isArray(p) || p.length < 2 || p.length > 3 || !p.every((n) => typeof n === 'number' && Number.isFinite(n))) {
    return 'a position must be an array of two or three numbers';
  }
  const [longitude, latitude] = p as number[];
  if (longitude < -180 || longitude > 180) return `longitude ${longitude} is outside -180..180 (EPSG:4326)`;
  if (latitude < -90 || latitude > 90) return `latitude ${latitude} is outside -90..90 (EPSG:4326)`;
  return undefined;
}

const arrayOf =
  (item: Check, min: number, what: string): Check =>
  (value) => {
    if (!Array.isArray(value) || value.length < min) return `${what} needs at least ${min} element(s)`;
    for (const element of value) {
      const problem = item(element);
      if (problem) return problem;
    }
    return undefined;
  };

const lineString = arrayOf(position, 2, 'a LineString');
const ring: Check = (value) => {
  const problem = arrayOf(position, 4, 'a polygon ring')(value);
  if (problem) return problem;
  const points = value as number[][];
  const [first, last] = [points[0], points[points.length - 1]];
  return first.every((n, i) => n === last[i]) && first.length === last.length
    ? undefined
    : 'a polygon ring must end where it starts';
};
const polygon = arrayOf(ring, 1, 'a Polygon');

const COORDINATE_CHECKS: Readonly<Record<string, Check>> = {
  Point: position,
  MultiPoint: arrayOf(position, 1, 'a MultiPoint'),
  LineString: lineString,
  MultiLineString: arrayOf(lineString, 1, 'a MultiLineString'),
  Polygon: polygon,
  MultiPolygon: arrayOf(polygon, 1, 'a MultiPolygon'),
};

/** What is wrong with a GeoJSON geometry (RFC 7946, EPSG:4326), or `undefined` when it is valid. */
export function geometryProblem(value: unknown, depth = 0): string | undefined {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return 'a GeoJSON geometry must be an object';
  const geometry = value as { type?: unknown; coordinates?: unknown; geometries?: unknown };
  if (typeof geometry.type !== 'string' || !GEOMETRY_TYPES.has(geometry.type)) {
    return `"type" must be one of ${[...GEOMETRY_TYPES].join(', ')}`;
  }
  if (geometry.type === 'GeometryCollection') {
    if (depth > 0) return 'a GeometryCollection cannot contain another one';
    if (!Array.isArray(geometry.geometries)) return 'a GeometryCollection needs "geometries"';
    for (const member of geometry.geometries) {
      const problem = geometryProblem(member, depth + 1);
      if (problem) return problem;
    }
    return undefined;
  }
  return COORDINATE_CHECKS[geometry.type](geometry.coordinates);
}

/** A concise GeoProperty: a bare GeoJSON geometry where an attribute was expected. */
export function looksLikeGeometry(value: Record<string, unknown>): boolean {
  return typeof value.type === 'string' && GEOMETRY_TYPES.has(value.type) && ('coordinates' in value || 'geometries' in value);
}
