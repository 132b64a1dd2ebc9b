import { Minimisation } from 'src/governance/datasets/dataset.schema';

/**
 * What a minimised view of one dataset does to what leaves the process, from the dataset's
 * personal-data profile (attribute names are expanded IRIs, as stored).
 */
export interface MinimisedView {
  /** Attributes (and sub-attributes) left out: the identifying ones and those the profile names. */
  readonly removed: ReadonlySet<string>;
  /** Locations become the centre of a grid cell of this many metres. */
  readonly locationGrid?: number;
  /** Locations become the named area they lie in (its geometry); outside every area, none. */
  readonly locationAreas?: readonly NamedArea[];
  /** Instants are truncated to this many milliseconds (from the Unix epoch, UTC). */
  readonly timeStepMs?: number;
  /** The same step as an ISO 8601 duration (what SQL's date_bin takes). */
  readonly timeResolution?: string;
  /** Numbers are rounded to this many decimals. */
  readonly numberPrecision?: number;
  /** Values of these count attributes below k are withheld. */
  readonly smallCounts?: { readonly attributes: ReadonlySet<string>; readonly k: number };
}

export interface NamedArea {
  readonly name: string;
  readonly geometry: { readonly type: 'Polygon' | 'MultiPolygon'; readonly coordinates: unknown };
}

/** A read's view of a dataset: everything, or the minimised view. */
export type DatasetView = 'full' | MinimisedView;

const STEP_MS: Readonly<Record<string, number>> = { PT1M: 60_000, PT5M: 300_000, PT15M: 900_000, PT1H: 3_600_000, P1D: 86_400_000 };

export function minimisedViewOf(identifyingAttributes: readonly string[], minimisation: Minimisation): MinimisedView {
  const { locationGrid, locationAreas, timeResolution, numberPrecision, smallCounts } = minimisation;
  return {
    removed: new Set([...identifyingAttributes, ...minimisation.removeAttributes].filter((name) => name !== '@id')),
    ...(locationGrid !== undefined ? { locationGrid } : {}),
    ...(locationAreas !== undefined ? { locationAreas } : {}),
    ...(timeResolution !== undefined ? { timeResolution, timeStepMs: STEP_MS[timeResolution] } : {}),
    ...(numberPrecision !== undefined ? { numberPrecision } : {}),
    ...(smallCounts ? { smallCounts: { attributes: new Set(smallCounts.attributes), k: smallCounts.k } } : {}),
  };
}

/** Whether a view leaves anything out or coarsens anything. */
export function minimisesAnything(view: MinimisedView): boolean {
  const { removed, ...coarsening } = view;
  return removed.size > 0 || Object.values(coarsening).some((rule) => rule !== undefined);
}

/** Whether a view changes the values or presence of an attribute (so that a condition on it cannot be answered from raw values). */
export function alters(view: MinimisedView, attribute: string): boolean {
  return view.removed.has(attribute) || (view.smallCounts?.attributes.has(attribute) ?? false);
}

/** Whether a reader under `view` sees an attribute at all (history included): a view may remove it. */
export function showsAttribute(view: DatasetView, attribute: string): boolean {
  return view === 'full' || !view.removed.has(attribute);
}
