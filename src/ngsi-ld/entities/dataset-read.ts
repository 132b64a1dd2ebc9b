import { AccessContext } from 'src/common/access/access-context';
import { ResourceNotFound } from 'src/common/problem/ngsi-ld-errors';
import { narrowed, PolicyDecisionPoint, ReadAllowance, viewOf } from 'src/governance/policy-decision-point';
import { DatasetView } from 'src/governance/privacy/views/minimised-view';
import { Forbidden, PurposeRequired } from 'src/governance/problems';

/** A read of one whole dataset, as the policy decision point allows it. */
export interface DatasetRead {
  /** The caller's allowance narrowed to the dataset: its `datasets` is exactly [datasetId]. */
  readonly allowance: ReadAllowance;
  readonly view: DatasetView;
}

/**
 * Decides a read of a whole dataset (bulk downloads, dumps) as a query naming only that dataset
 * would be decided: 404 when the caller may not even see the dataset (the same answer as an
 * absent one), 403 when it sees its description but may not read its data, 403 purpose-required
 * for personal data without an allowed purpose. A single dataset never breaks a combination rule
 * (a rule names at least two distinct datasets), so there is no combination check to make.
 */
export function decideDatasetRead(access: AccessContext, policy: PolicyDecisionPoint, datasetId: string): DatasetRead {
  const allowance = narrowed(policy.readable(access), [datasetId]);
  if (allowance.purposeNeeded.has(datasetId)) throw new PurposeRequired(allowance.purposeNeeded, access.purpose);
  if (!allowance.datasets.includes(datasetId)) {
    if (policy.visibleDatasets(access).includes(datasetId)) throw new Forbidden(`You may see dataset ${datasetId} but not read its data`);
    throw new ResourceNotFound(`No dataset ${datasetId}`);
  }
  return { allowance, view: viewOf(allowance, datasetId) };
}
