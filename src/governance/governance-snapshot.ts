import { MinimisedView } from 'src/governance/privacy/views/minimised-view';

/** What the policy decision point needs to know about one dataset. */
export interface DatasetPolicyFacts {
  readonly id: string;
  readonly organisation: string;
  readonly confidentiality: number;
  readonly open: boolean;
  readonly retired: boolean;
  /** The organisation's default dataset (what no rule claims). */
  readonly isDefault?: boolean;
  /** The personal-data profile; null for datasets without personal data. */
  readonly personalData?: PersonalDataFacts | null;
  /** The minimised view of the dataset (for personal data, and for grants that give one). */
  readonly minimisedView?: MinimisedView;
  /** The schema URL of the data model its entities conform to (writes are validated against it). */
  readonly conformsTo?: string | null;
}

export interface PersonalDataFacts {
  readonly category: string;
  /** Allowed purposes as full DPV IRIs. */
  readonly purposes: readonly string[];
}

export type ViewKind = 'full' | 'minimised';

export interface GrantFacts {
  readonly datasetId: string;
  readonly granteeKind: 'organisation' | 'principal';
  readonly grantee: string;
  /** The view the grant gives; null: minimised for personal data, full otherwise. */
  readonly view?: ViewKind | null;
}

export interface CombinationRuleFacts {
  readonly id: string;
  readonly name: string;
  readonly datasets: readonly string[];
  readonly confidentiality: number;
}

export interface ApiKeyFacts {
  readonly id: string;
  readonly organisation: string;
  readonly secretHash: string;
  readonly roles: readonly string[];
  readonly canRead: boolean;
  readonly canWrite: boolean;
  readonly datasets: readonly string[] | null;
  readonly expiresAt: Date | null;
  readonly revoked: boolean;
  /** The purpose (a DPV term) the key's reads are made for. */
  readonly purpose?: string | null;
}

/**
 * Everything access decisions depend on, as of one governance version. Immutable: a change in the
 * database produces a new version, and the next request loads a new snapshot.
 */
export class GovernanceSnapshot {
  readonly datasets: ReadonlyMap<string, DatasetPolicyFacts>;
  readonly apiKeys: ReadonlyMap<string, ApiKeyFacts>;
  private readonly organisationGrants = new Map<string, ViewKind | null>();
  private readonly principalGrants = new Map<string, ViewKind | null>();

  constructor(
    readonly version: string,
    datasets: readonly DatasetPolicyFacts[],
    grants: readonly GrantFacts[],
    readonly combinationRules: readonly CombinationRuleFacts[],
    apiKeys: readonly ApiKeyFacts[] = [],
  ) {
    this.datasets = new Map(datasets.map((d) => [d.id, d]));
    this.apiKeys = new Map(apiKeys.map((k) => [k.id, k]));
    for (const grant of grants) {
      (grant.granteeKind === 'organisation' ? this.organisationGrants : this.principalGrants).set(`${grant.datasetId} ${grant.grantee}`, grant.view ?? null);
    }
  }

  isGrantedToOrganisation(datasetId: string, organisation: string | undefined): boolean {
    return organisation !== undefined && this.organisationGrants.has(`${datasetId} ${organisation}`);
  }

  isGrantedToPrincipal(datasetId: string, subject: string): boolean {
    return this.principalGrants.has(`${datasetId} ${subject}`);
  }

  /** The view a grant to the principal (else to its organisation) gives: undefined without a grant, null when the grant names none. */
  grantedView(datasetId: string, subject: string, organisation: string | undefined): ViewKind | null | undefined {
    const own = this.principalGrants.get(`${datasetId} ${subject}`);
    if (own !== undefined) return own;
    return organisation === undefined ? undefined : this.organisationGrants.get(`${datasetId} ${organisation}`);
  }
}
