import { SqlParameters } from 'src/ngsi-ld/entities/entity-filter.sql';
import { MinimisedDatasets } from 'src/ngsi-ld/entities/minimised-filter.sql';

/*
 * The history as a caller with minimised views sees it, as a relation with the columns of
 * `attribute_instance`: instances of removed attributes and small counts gone, instants truncated,
 * numbers rounded. Time windows, paging and aggregations run on it, so that an hourly average or a
 * narrow time window cannot reveal what the view hides. Rows of datasets read in full pass as
 * they are; the planner still reaches them through the series index (the subquery is flattened).
 * Geometries are coarsened here too (a distinct count of positions must not see inside a cell).
 * What SQL does not compute with (sub-attributes, lists) is minimised after reading, by the same
 * function as every other answer.
 */

/** `attribute_instance`, or the minimised relation when some readable datasets are read minimised. */
export function historyRelation(minimised: MinimisedDatasets | undefined, params: SqlParameters): string {
  if (!minimised || minimised.size === 0) return 'attribute_instance';
  const rules = [...minimised].map(([dataset, view]) => ({
    dataset_id: dataset,
    removed: [...view.removed],
    step: view.timeResolution ?? null,
    decimals: view.numberPrecision ?? null,
    counts: view.smallCounts ? [...view.smallCounts.attributes] : [],
    k: view.smallCounts?.k ?? null,
    grid: view.locationGrid ?? null,
    areas: view.locationAreas ?? null,
  }));
  const truncated = (column: string) => `CASE WHEN m.step IS NULL THEN a.${column} ELSE date_bin(m.step, a.${column}, timestamptz '1970-01-01T00:00:00Z') END`;
  // A number, or a number given as {"@value": n}, as minimise.ts reads counts.
  const scalar = `CASE WHEN jsonb_typeof(a.instance->'value') = 'object' THEN a.instance->'value'->'@value' ELSE a.instance->'value' END`;
  const number = `CASE WHEN jsonb_typeof(${scalar}) = 'number' THEN (${scalar} #>> '{}')::numeric END`;
  // The named area of a location (the first its mean position lies in), as minimise.ts picks it.
  const shape = `ST_SetSRID(ST_GeomFromGeoJSON(z.area->>'geometry'), 4326)`;
  const area = `(SELECT z.area->'geometry' FROM jsonb_array_elements(m.areas) WITH ORDINALITY AS z(area, n)
      WHERE ST_Contains(${shape}, ST_Centroid(ST_Points(ST_SetSRID(ST_GeomFromGeoJSON(a.instance->'value'), 4326)))) ORDER BY z.n LIMIT 1)`;
  const geo = `a.instance->>'type' = 'GeoProperty'`;
  const instance = `CASE
      WHEN m.areas IS NOT NULL AND ${geo} THEN jsonb_set(a.instance, '{value}', ${area})
      WHEN m.grid IS NOT NULL AND a.instance->>'type' = 'GeoProperty'
        THEN jsonb_set(a.instance, '{value}', ST_AsGeoJSON(vgds_coarsen(ST_GeomFromGeoJSON(a.instance->'value'), m.grid))::jsonb)
      WHEN m.decimals IS NULL OR jsonb_typeof(a.instance->'value') <> 'number' THEN a.instance
      ELSE jsonb_set(a.instance, '{value}', to_jsonb(round(${number}, m.decimals))) END`;
  return `(SELECT a.retention_class, ${truncated('time')} AS time, a.tenant, a.entity_id, a.attribute, a.instance_id, a.dataset_id, a.multi_instance_key,
      ${truncated('created_at')} AS created_at, ${truncated('modified_at')} AS modified_at, ${instance} AS instance
    FROM attribute_instance a
    LEFT JOIN jsonb_to_recordset(${params.add(JSON.stringify(rules))}::jsonb) AS m(dataset_id uuid, removed text[], step interval, decimals int, counts text[], k numeric, grid float8, areas jsonb)
      ON m.dataset_id = a.dataset_id
    WHERE m.dataset_id IS NULL
       OR (a.attribute <> ALL (m.removed) AND NOT (m.areas IS NOT NULL AND ${geo} AND ${area} IS NULL)
           AND NOT (a.attribute = ANY (m.counts) AND coalesce(${number} < m.k OR round(${number}, m.decimals) < m.k, false))))`;
}
