import { NGSI_LD } from 'src/jsonld/core-contexts';
import { ExpandedGeoQuery } from 'src/ngsi-ld/query/entity-filter';
import { SqlParameters } from 'src/ngsi-ld/entities/entity-filter.sql';
import { datasetsRemoving, geoOnViews, MinimisedDatasets, outside } from 'src/ngsi-ld/entities/minimised-filter.sql';

/* Geo-queries (clause 4.10) as conditions on `entity e`, on the geometry each caller may see. */

const LOCATION = `${NGSI_LD}location`;

export function geoCondition(geo: ExpandedGeoQuery, params: SqlParameters, minimised: MinimisedDatasets | undefined): string {
  // `location` is a column with spatial indexes; another GeoProperty is read from the JSON.
  const geometry =
    geo.geoproperty === LOCATION
      ? 'e.location'
      : `ST_SetSRID(ST_GeomFromGeoJSON(e.attrs -> ${params.add(geo.geoproperty)} -> 0 -> 'value'), 4326)`;
  const condition = geoOnViews(geometry, minimised, (seen) => relationCondition(geo, seen, params), params, (grid) => nearRaw(geo, geometry, grid, params));
  // A location a minimised view removes is no location at all there.
  return outside(condition, datasetsRemoving(minimised, geo.geoproperty), params);
}

/**
 * A condition on the raw geometry that every match on its coarsened one meets (the cell centre
 * lies within `grid` metres of the raw position): lets the spatial index find the candidates.
 * None for disjoint, and for near with only a minimum distance.
 */
function nearRaw(geo: ExpandedGeoQuery, geometry: string, grid: number, params: SqlParameters): string | undefined {
  const { relation } = geo;
  if (relation.kind === 'disjoint' || (relation.kind === 'near' && relation.maxDistance === undefined)) return undefined;
  const reach = relation.kind === 'near' ? relation.maxDistance! + grid : grid;
  const reference = `ST_SetSRID(ST_GeomFromGeoJSON(${params.add(JSON.stringify(geo.geometry))}::text), 4326)`;
  return `ST_DWithin((${geometry})::geography, (${reference})::geography, ${params.add(reach)})`;
}

function relationCondition(geo: ExpandedGeoQuery, geometry: string, params: SqlParameters): string {
  const reference = `ST_SetSRID(ST_GeomFromGeoJSON(${params.add(JSON.stringify(geo.geometry))}::text), 4326)`;
  const relation = geo.relation;
  switch (relation.kind) {
    case 'near': {
      const parts: string[] = [];
      if (relation.maxDistance !== undefined) {
        parts.push(`ST_DWithin((${geometry})::geography, (${reference})::geography, ${params.add(relation.maxDistance)})`);
      }
      if (relation.minDistance !== undefined) {
        parts.push(`NOT ST_DWithin((${geometry})::geography, (${reference})::geography, ${params.add(relation.minDistance)})`);
      }
      return `(${geometry} IS NOT NULL AND ${parts.join(' AND ')})`;
    }
    case 'within':
      return `ST_Within(${geometry}, ${reference})`;
    case 'contains':
      return `ST_Contains(${geometry}, ${reference})`;
    case 'intersects':
      return `ST_Intersects(${geometry}, ${reference})`;
    case 'overlaps':
      return `ST_Overlaps(${geometry}, ${reference})`;
    case 'disjoint':
      return `ST_Disjoint(${geometry}, ${reference})`;
    case 'equals':
      return `ST_Equals(${geometry}, ${reference})`;
  }
}
