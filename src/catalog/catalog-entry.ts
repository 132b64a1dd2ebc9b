import { DatasetRecord } from 'src/governance/datasets/datasets.repository';
import { OrganisationRecord } from 'src/governance/organisations/organisations.repository';

/** What the catalog learns about a dataset from its data rather than from its owner. */
export interface DatasetFacts {
  readonly entityCount: number;
  /** The bounding box of its entities' locations (else of the declared coverage) as WKT in CRS84 (lon lat). */
  readonly bbox: string | null;
  /** First and last observedAt (else time of the write) of its history. */
  readonly firstObservedAt: Date | null;
  readonly lastObservedAt: Date | null;
  /** The last change of one of its entities. */
  readonly lastChangedAt: Date | null;
  /** The mean interval between changes over the window the change feed keeps; null with fewer than two. */
  readonly meanChangeIntervalSeconds: number | null;
}

/** A dataset as the catalog lists it. */
export interface CatalogDataset {
  readonly record: DatasetRecord;
  readonly facts: DatasetFacts;
}

/** An organisation's catalog: the registered organisation and the datasets it lists. */
export interface OrganisationCatalog {
  readonly organisation: OrganisationRecord;
  readonly datasets: readonly CatalogDataset[];
}

export const NO_FACTS: DatasetFacts = {
  entityCount: 0,
  bbox: null,
  firstObservedAt: null,
  lastObservedAt: null,
  lastChangedAt: null,
  meanChangeIntervalSeconds: null,
};
