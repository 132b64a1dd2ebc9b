import { alters, MinimisedView, NamedArea } from 'src/governance/privacy/views/minimised-view';
import { ExpandedPath } from 'src/ngsi-ld/query/entity-filter';
import { SqlParameters } from 'src/ngsi-ld/entities/entity-filter.sql';

/*
 * Conditions on entities of datasets the caller reads minimised: a query must not find what the
 * answer hides. A condition on an attribute the view removes or withholds, on numbers it rounds or
 * on instants it truncates matches nothing in such a dataset (it cannot be answered from what the
 * caller sees); geo-queries compare the coarsened location the caller sees.
 */

export type MinimisedDatasets = ReadonlyMap<string, MinimisedView>;

/** The datasets among `minimised` whose view changes what a q condition on `path` compares. */
export function datasetsHiding(minimised: MinimisedDatasets, path: ExpandedPath, comparesNumbers: boolean): string[] {
  const hiding: string[] = [];
  for (const [dataset, view] of minimised) {
    const attributes = [path.attribute, ...path.subAttributes];
    const instant = path.member === 'observedAt' || path.member === 'createdAt' || path.member === 'modifiedAt';
    if (
      attributes.some((attribute) => alters(view, attribute)) ||
      (comparesNumbers && view.numberPrecision !== undefined) ||
      (instant && view.timeStepMs !== undefined)
    ) {
      hiding.push(dataset);
    }
  }
  return hiding;
}

/** The datasets among `minimised` whose view removes `attribute`. */
export function datasetsRemoving(minimised: MinimisedDatasets | undefined, attribute: string): string[] {
  return [...(minimised ?? [])].filter(([, view]) => view.removed.has(attribute)).map(([dataset]) => dataset);
}

/** `condition`, which holds for no entity of `datasets`. */
export function outside(condition: string, datasets: readonly string[], params: SqlParameters): string {
  return datasets.length === 0 ? condition : `(${condition} AND e.dataset_id <> ALL (${params.add(datasets)}::uuid[]))`;
}

/** `attrs=`: entities with one of `attributes`, counting in a minimised dataset only those its view shows. */
export function attributesCondition(attributes: readonly string[], minimised: MinimisedDatasets | undefined, params: SqlParameters): string {
  const plain = (names: readonly string[]) => `e.attr_names && ${params.add(names)}::text[]`;
  const narrowed = [...(minimised ?? [])].filter(([, view]) => attributes.some((name) => view.removed.has(name)));
  if (narrowed.length === 0) return plain(attributes);
  const parts = [`(e.dataset_id <> ALL (${params.add(narrowed.map(([dataset]) => dataset))}::uuid[]) AND ${plain(attributes)})`];
  for (const [dataset, view] of narrowed) {
    const shown = attributes.filter((name) => !view.removed.has(name));
    if (shown.length > 0) parts.push(`(e.dataset_id = ${params.add(dataset)}::uuid AND ${plain(shown)})`);
  }
  return `(${parts.join(' OR ')})`;
}

/**
 * A geo condition stated on each dataset's geometry as the caller sees it: coarsened to the grid
 * or to the named areas of a minimised view. `nearRaw(grid)` is a condition on the raw geometry
 * that every match on the coarsened one meets, for the spatial index (vgds_coarsen of every row
 * would be a full scan).
 */
export function geoOnViews(
  geometry: string,
  minimised: MinimisedDatasets | undefined,
  condition: (geometry: string) => string,
  params: SqlParameters,
  nearRaw: (grid: number) => string | undefined = () => undefined,
): string {
  const byGrid = new Map<number, string[]>();
  const withAreas: [string, readonly NamedArea[]][] = [];
  for (const [dataset, view] of minimised ?? []) {
    if (view.locationGrid !== undefined) byGrid.set(view.locationGrid, [...(byGrid.get(view.locationGrid) ?? []), dataset]);
    if (view.locationAreas !== undefined) withAreas.push([dataset, view.locationAreas]);
  }
  if (byGrid.size === 0 && withAreas.length === 0) return condition(geometry);
  const coarsened = [...[...byGrid.values()].flat(), ...withAreas.map(([dataset]) => dataset)];
  const parts = [`(e.dataset_id <> ALL (${params.add(coarsened)}::uuid[]) AND ${condition(geometry)})`];
  for (const [grid, datasets] of byGrid) {
    const candidates = nearRaw(grid);
    const seen = condition(`vgds_coarsen(${geometry}, ${params.add(grid)}::float8)`);
    parts.push(`(e.dataset_id = ANY (${params.add(datasets)}::uuid[]) AND ${candidates ? `${candidates} AND ` : ''}${seen})`);
  }
  for (const [dataset, areas] of withAreas) {
    parts.push(`(e.dataset_id = ${params.add(dataset)}::uuid AND ${condition(areaOf(geometry, areas, params))})`);
  }
  return `(${parts.join(' OR ')})`;
}

/**
 * The first named area the geometry's mean position lies in, as minimise.ts picks it (NULL
 * outside every area: no location, no match).
 */
export function areaOf(geometry: string, areas: readonly NamedArea[], params: SqlParameters): string {
  const shape = `ST_SetSRID(ST_GeomFromGeoJSON(a.area->>'geometry'), 4326)`;
  return `(SELECT ${shape} FROM jsonb_array_elements(${params.add(JSON.stringify(areas))}::jsonb) WITH ORDINALITY AS a(area, n)
    WHERE ST_Contains(${shape}, ST_Centroid(ST_Points(${geometry}))) ORDER BY a.n LIMIT 1)`;
}
