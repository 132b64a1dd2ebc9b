import { BadRequestData } from 'src/common/problem/ngsi-ld-errors';
import { geometryProblem } from 'src/ngsi-ld/representation/geojson';

export type GeoRelation =
  | { readonly kind: 'near'; readonly maxDistance?: number; readonly minDistance?: number }
  | { readonly kind: 'within' | 'contains' | 'intersects' | 'overlaps' | 'disjoint' | 'equals' };

export interface GeoQuery {
  readonly relation: GeoRelation;
  /** The reference geometry, GeoJSON in EPSG:4326. */
  readonly geometry: { type: string; coordinates: unknown };
  /** The GeoProperty compared, as the caller named it. */
  readonly geoproperty: string;
}

export interface GeoQueryInput {
  readonly georel?: unknown;
  readonly geometry?: unknown;
  readonly coordinates?: unknown;
  readonly geoproperty?: unknown;
}

const QUERY_GEOMETRIES = new Set(['Point', 'MultiPoint', 'LineString', 'MultiLineString', 'Polygon', 'MultiPolygon']);
const SIMPLE_RELATIONS = new Set(['within', 'contains', 'intersects', 'overlaps', 'disjoint', 'equals']);

/**
 * A geo-query (clause 4.10) from its parts, as query parameters or as the `geoQ` member of a POST
 * query; `undefined` when none is given. `coordinates` may be a JSON text or, in a body, an array.
 */
export function parseGeoQuery(input: GeoQueryInput): GeoQuery | undefined {
  const { georel, geometry, coordinates, geoproperty } = input;
  if (georel === undefined && geometry === undefined && coordinates === undefined) {
    if (geoproperty !== undefined) throw new BadRequestData('geoproperty needs georel, geometry and coordinates');
    return undefined;
  }
  if (typeof georel !== 'string' || typeof geometry !== 'string' || coordinates === undefined) {
    throw new BadRequestData('A geo-query needs georel, geometry and coordinates, all three');
  }
  if (!QUERY_GEOMETRIES.has(geometry)) {
    throw new BadRequestData(`geometry must be one of ${[...QUERY_GEOMETRIES].join(', ')}, not "${geometry}"`);
  }
  const reference = { type: geometry, coordinates: parseCoordinates(coordinates) };
  const problem = geometryProblem(reference);
  if (problem) throw new BadRequestData(`coordinates do not make a valid ${geometry}: ${problem}`);
  if (geoproperty !== undefined && (typeof geoproperty !== 'string' || geoproperty.length === 0)) {
    throw new BadRequestData('geoproperty must name a GeoProperty');
  }
  return { relation: parseRelation(georel), geometry: reference, geoproperty: (geoproperty as string | undefined) ?? 'location' };
}

function parseCoordinates(coordinates: unknown): unknown {
  if (typeof coordinates !== 'string') return coordinates;
  try {
    return JSON.parse(coordinates) as unknown;
  } catch {
    throw new BadRequestData(`coordinates must be a JSON array, like [11.97,57.71], not ${coordinates}`);
  }
}

function parseRelation(georel: string): GeoRelation {
  const [name, ...modifiers] = georel.split(';');
  if (SIMPLE_RELATIONS.has(name) && modifiers.length === 0) return { kind: name as Exclude<GeoRelation['kind'], 'near'> };
  if (name !== 'near' || modifiers.length === 0 || modifiers.length > 2) {
    throw new BadRequestData(
      `georel must be near;maxDistance==<m>, near;minDistance==<m>, within, contains, intersects, overlaps, disjoint or equals, not "${georel}"`,
    );
  }
  const distances: { maxDistance?: number; minDistance?: number } = {};
  for (const modifier of modifiers) {
    const found = /^(maxDistance|minDistance)==(\d+(\.\d+)?)$/.exec(modifier);
    if (!found || found[1] in distances) throw new BadRequestData(`georel: "${modifier}" is not maxDistance==<metres> or minDistance==<metres>`);
    distances[found[1] as 'maxDistance' | 'minDistance'] = Number(found[2]);
  }
  return { kind: 'near', ...distances };
}
