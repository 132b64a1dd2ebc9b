import { AttributeInstance, AttributeMap, EntityData, isSubAttributeKey } from 'src/ngsi-ld/representation/entity.model';
import { MinimisedView, NamedArea } from 'src/governance/privacy/views/minimised-view';

/*
 * The one function every read path applies to what a minimised view lets out: attributes removed,
 * locations moved to the centre of their grid cell, instants truncated, numbers rounded, small
 * counts withheld, sub-attributes alike. SQL that filters or aggregates on minimised datasets
 * (minimised-sql.ts) computes the same coarsening, so that a query cannot find what an answer hides.
 */

const METRES_PER_DEGREE = 111_320;
const TIME_MEMBERS = ['observedAt', 'createdAt', 'modifiedAt'] as const;

/** An entity as the view shows it; `undefined` members are left out. */
export function minimiseEntity(entity: EntityData, view: MinimisedView): EntityData {
  return {
    ...entity,
    attributes: minimiseAttributes(entity.attributes, view),
    ...(entity.createdAt !== undefined ? { createdAt: truncate(entity.createdAt, view) } : {}),
    ...(entity.modifiedAt !== undefined ? { modifiedAt: truncate(entity.modifiedAt, view) } : {}),
  };
}

export function minimiseAttributes(attributes: AttributeMap, view: MinimisedView): AttributeMap {
  const shown: AttributeMap = {};
  for (const [name, instances] of Object.entries(attributes)) {
    if (view.removed.has(name)) continue;
    const kept = instances.flatMap((instance) => minimiseInstance(name, instance, view) ?? []);
    if (kept.length > 0) shown[name] = kept;
  }
  return shown;
}

/** One instance of `attribute` as the view shows it; undefined when it is withheld (a small count, a removed attribute). */
export function minimiseInstance(attribute: string, instance: AttributeInstance, view: MinimisedView): AttributeInstance | undefined {
  if (view.removed.has(attribute)) return undefined;
  const counts = view.smallCounts;
  // Withheld when the count, or the count as shown (rounded), is below k: a rounded 10 must not stand for a small group either.
  if (counts?.attributes.has(attribute)) {
    const shownCount = view.numberPrecision === undefined ? instance.value : roundNumbers(instance.value, view.numberPrecision);
    if (isSmallCount(instance.value, counts.k) || isSmallCount(shownCount, counts.k)) return undefined;
  }
  const shown: AttributeInstance = { ...instance };
  for (const member of TIME_MEMBERS) {
    if (typeof shown[member] === 'string') shown[member] = truncate(shown[member], view);
  }
  if (instance.type === 'GeoProperty' && view.locationAreas !== undefined) {
    const area = areaOf(instance.value, view.locationAreas);
    if (!area) return undefined; // outside every area: no location at all
    shown.value = area.geometry as AttributeInstance['value'];
  } else if (instance.type === 'GeoProperty' && view.locationGrid !== undefined) {
    shown.value = coarsenGeometry(instance.value, view.locationGrid) as AttributeInstance['value'];
  } else if (instance.type === 'Property' && view.numberPrecision !== undefined) {
    shown.value = roundNumbers(instance.value, view.numberPrecision) as AttributeInstance['value'];
  } else if (instance.type === 'ListProperty' && view.numberPrecision !== undefined && instance.valueList) {
    shown.valueList = instance.valueList.map((item) => roundNumbers(item, view.numberPrecision!) as (typeof instance.valueList)[number]);
  }
  for (const key of Object.keys(instance)) {
    if (!isSubAttributeKey(key)) continue;
    const sub = (instance[key] as AttributeInstance[]).flatMap((nested) => minimiseInstance(key, nested, view) ?? []);
    if (sub.length > 0) shown[key] = sub;
    else delete shown[key];
  }
  return shown;
}

/** A count below k (a number, or a number given as {"@value": n}). */
function isSmallCount(value: unknown, k: number): boolean {
  const number = typeof value === 'object' && value !== null && '@value' in value ? (value as { '@value': unknown })['@value'] : value;
  return typeof number === 'number' && number < k;
}

/** An ISO 8601 instant truncated to the view's time step (UTC); as it was without one, or when it is not an instant. */
export function truncate(instant: string, view: Pick<MinimisedView, 'timeStepMs'>): string {
  if (view.timeStepMs === undefined) return instant;
  const ms = Date.parse(instant);
  if (Number.isNaN(ms)) return instant;
  return new Date(Math.floor(ms / view.timeStepMs) * view.timeStepMs).toISOString();
}

/** Rounds a number half away from zero, as PostgreSQL's round(numeric, n) does; other values pass through, arrays element by element. */
export function roundNumbers(value: unknown, decimals: number): unknown {
  if (typeof value === 'number') return roundNumber(value, decimals);
  if (Array.isArray(value)) return value.map((item) => roundNumbers(item, decimals));
  if (typeof value === 'object' && value !== null && typeof (value as { '@value'?: unknown })['@value'] === 'number') {
    return { ...value, '@value': roundNumber((value as { '@value': number })['@value'], decimals) };
  }
  return value;
}

function roundNumber(value: number, decimals: number): number {
  const factor = 10 ** decimals;
  const rounded = (Math.sign(value) * Math.round(Math.abs(value) * factor)) / factor;
  return Number(rounded.toFixed(Math.max(0, decimals))) + 0; // + 0 turns -0 into 0
}

/**
 * The centre of the grid cell a geometry lies in (its centroid's, for lines and areas), as a
 * GeoJSON Point. Cells are `grid` metres high; their width in degrees grows with the latitude of
 * the cell's centre so that they stay about `grid` metres wide. Idempotent: a centre is its own.
 */
export function coarsenGeometry(geometry: unknown, grid: number): unknown {
  const point = centroidOf(geometry);
  if (!point) return geometry; // no position in it: nothing to coarsen, nothing to reveal
  const [longitude, latitude] = cellCentre(point[0], point[1], grid);
  return { type: 'Point', coordinates: [longitude, latitude] };
}

/** The cell centre of a position (longitude, latitude in degrees). Mirrored by vgds_coarsen in SQL. */
export function cellCentre(longitude: number, latitude: number, grid: number): [number, number] {
  const latitudeStep = grid / METRES_PER_DEGREE;
  const centreLatitude = (Math.floor(latitude / latitudeStep) + 0.5) * latitudeStep;
  const longitudeStep = grid / (METRES_PER_DEGREE * Math.max(Math.cos((centreLatitude * Math.PI) / 180), 0.01));
  const centreLongitude = (Math.floor(longitude / longitudeStep) + 0.5) * longitudeStep;
  return [roundCoordinate(centreLongitude), roundCoordinate(centreLatitude)];
}

/** Seven decimals (about a centimetre): the same text in JavaScript and SQL whatever the last bits of a cosine. */
function roundCoordinate(value: number): number {
  return Math.round(value * 1e7) / 1e7;
}

/** The mean of a geometry's positions (good enough to pick a cell); undefined when it has none. */
function centroidOf(geometry: unknown): [number, number] | undefined {
  const positions: [number, number][] = [];
  collectPositions((geometry as { coordinates?: unknown } | undefined)?.coordinates, positions);
  if (positions.length === 0) return undefined;
  const sum = positions.reduce((acc, [x, y]) => [acc[0] + x, acc[1] + y], [0, 0]);
  return [sum[0] / positions.length, sum[1] / positions.length];
}

function collectPositions(coordinates: unknown, into: [number, number][]): void {
  if (!Array.isArray(coordinates)) return;
  if (typeof coordinates[0] === 'number' && typeof coordinates[1] === 'number') {
    into.push([coordinates[0], coordinates[1]]);
    return;
  }
  for (const child of coordinates) collectPositions(child, into);
}

/**
 * The first of `areas` that the geometry's mean position lies in (inside a polygon and outside
 * its holes; a position on an edge may count either way). Mirrored in SQL by ST_Contains on the
 * same mean position (geo-filter.sql.ts).
 */
export function areaOf(geometry: unknown, areas: readonly NamedArea[]): NamedArea | undefined {
  const point = centroidOf(geometry);
  if (!point) return undefined;
  return areas.find(({ geometry: area }) => {
    const polygons = (area.type === 'Polygon' ? [area.coordinates] : area.coordinates) as number[][][][];
    return polygons.some((rings) => inRing(point, rings[0]) && !rings.slice(1).some((hole) => inRing(point, hole)));
  });
}

/** Ray casting: whether a position lies inside a closed ring. */
function inRing([x, y]: [number, number], ring: number[][]): boolean {
  let inside = false;
  for (let i = 0, j = ring.length - 1; i < ring.length; j = i++) {
    const [xi, yi] = ring[i];
    const [xj, yj] = ring[j];
    if (yi > y !== yj > y && x < ((xj - xi) * (y - yi)) / (yj - yi) + xi) inside = !inside;
  }
  return inside;
}
