/** What the policy decision point needs to know about one dataset. */
export interface DatasetPolicyFacts {
  readonly id: string;
  readonly organisation: string;
  readonly confidentiality: number;
  readonly open: boolean;
  readonly retired: boolean;
  /** The organisation's default dataset (what no rule claims). */
  readonly isDefault?: boolean;
}

export interface GrantFacts {
  readonly datasetId: string;
  readonly granteeKind: 'organisation' | 'principal';
  readonly grantee: string;
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
}

/**
 * Everything access decisions depend on, as of one governance version. Immutable: a change in the
 * database produces a new version, and the next request loads a new snapshot.
 */
export class GovernanceSnapshot {
  readonly datasets: ReadonlyMap<string, DatasetPolicyFacts>;
  readonly apiKeys: ReadonlyMap<string, ApiKeyFacts>;
  private readonly organisationGrants = new Set<string>();
  private readonly principalGrants = new Set<string>();

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
      (grant.granteeKind === 'organisation' ? this.organisationGrants : this.principalGrants).add(`${grant.datasetId} ${grant.grantee}`);
    }
  }

  isGrantedToOrganisation(datasetId: string, organisation: string | undefined): boolean {
    return organisation !== undefined && this.organisationGrants.has(`${datasetId} ${organisation}`);
  }

  isGrantedToPrincipal(datasetId: string, subject: string): boolean {
    return this.principalGrants.has(`${datasetId} ${subject}`);
  }
}
