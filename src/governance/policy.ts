import { Principal } from 'src/auth/principal';
import { CombinationRuleFacts, DatasetPolicyFacts, GovernanceSnapshot, ViewKind } from 'src/governance/governance-snapshot';

/*
 * The access rules themselves, as pure functions of a caller and a governance snapshot. The
 * policy decision point applies them; nothing else decides access. KLASSA confidentiality levels:
 *
 *   K0 and open   everyone, anonymous callers included
 *   K0, K1        any authenticated caller acting for a member organisation
 *   K2            the publishing organisation, and organisations or principals granted the dataset
 *   K3            principals granted the dataset, and only after multi-factor authentication
 *
 * A retired dataset is visible to its own organisation only. An API key sees at most what its
 * scope names (open data is open to everyone, keys included) and never K3 (keys cannot prove MFA).
 * Administrators get no data by being administrators: data rights come from the rules above.
 */

/** Whether the caller may read entities of this dataset. */
export function canRead(principal: Principal, dataset: DatasetPolicyFacts, snapshot: GovernanceSnapshot): boolean {
  if (dataset.retired) return principal.organisation === dataset.organisation && keyAllowsRead(principal, dataset);
  if (dataset.open && dataset.confidentiality === 0) return true;
  return keyAllowsRead(principal, dataset) && hasLevel(principal, dataset.confidentiality, dataset, snapshot);
}

/**
 * Which view of a readable dataset the caller gets: its own organisation, and grants that say
 * `view: full`, see everything; other readers of a dataset with personal data see the minimised
 * view, as do grants that say `view: minimised` on a dataset that defines one.
 */
export function viewFor(principal: Principal, dataset: DatasetPolicyFacts, snapshot: GovernanceSnapshot): ViewKind {
  if (!dataset.minimisedView || principal.organisation === dataset.organisation) return 'full';
  return snapshot.grantedView(dataset.id, principal.subject, principal.organisation) || defaultView(Boolean(dataset.personalData));
}

/** The view of readers whose grant names none, or who read without a grant: minimised for personal data, full otherwise. */
export function defaultView(personalData: boolean): ViewKind {
  return personalData ? 'minimised' : 'full';
}

/** Whether a declared purpose (a DPV IRI) is one the dataset's personal data may be read for; data without personal data needs none. */
export function purposeAllows(dataset: DatasetPolicyFacts, purpose: string | undefined): boolean {
  if (!dataset.personalData) return true;
  return purpose !== undefined && dataset.personalData.purposes.includes(purpose);
}

/** Whether the caller may write entities into this dataset: the owning organisation's writers and write keys. */
export function canWrite(principal: Principal, dataset: Pick<DatasetPolicyFacts, 'id' | 'organisation'>): boolean {
  if (principal.organisation !== dataset.organisation) return false;
  if (principal.kind === 'user') return principal.roles.has('writer') || principal.roles.has('admin');
  if (principal.kind === 'api-key') {
    const scope = principal.apiKey!;
    return scope.canWrite && (scope.datasets === undefined || scope.datasets.has(dataset.id));
  }
  return false;
}

/**
 * Whether the caller holds the combined level a combination rule demands, on every dataset of
 * the rule (a K2 combination needs access of the K2 kind to each of them, and so on).
 */
export function mayCombine(principal: Principal, rule: CombinationRuleFacts, snapshot: GovernanceSnapshot): boolean {
  return rule.datasets.every((id) => {
    const dataset = snapshot.datasets.get(id);
    return dataset !== undefined && hasLevel(principal, rule.confidentiality, dataset, snapshot);
  });
}

/** Whether the caller may administer an organisation: its admins, or platform admins; tokens only with MFA. */
export function canAdminister(principal: Principal, organisation: string): boolean {
  if (principal.kind === 'anonymous') return false;
  if (principal.kind === 'user' && !principal.mfa) return false;
  if (principal.roles.has('platform-admin')) return true;
  return principal.roles.has('admin') && principal.organisation === organisation;
}

export function isPlatformAdmin(principal: Principal): boolean {
  return principal.roles.has('platform-admin') && (principal.kind === 'api-key' || principal.mfa);
}

/** The `dct:accessRights` a dataset is published with (DCAT-AP-SE). */
export function accessRights(dataset: Pick<DatasetPolicyFacts, 'confidentiality' | 'open'> & { retired?: boolean }): 'PUBLIC' | 'RESTRICTED' | 'NON_PUBLIC' {
  if (dataset.retired) return 'NON_PUBLIC'; // its own organisation only
  if (dataset.open && dataset.confidentiality === 0) return 'PUBLIC';
  return dataset.confidentiality <= 1 ? 'RESTRICTED' : 'NON_PUBLIC';
}

function hasLevel(principal: Principal, level: number, dataset: DatasetPolicyFacts, snapshot: GovernanceSnapshot): boolean {
  if (principal.kind === 'anonymous' || principal.organisation === undefined) return false;
  const grantedToMe = snapshot.isGrantedToPrincipal(dataset.id, principal.subject);
  switch (level) {
    case 0:
    case 1:
      return true;
    case 2:
      return (
        principal.organisation === dataset.organisation ||
        snapshot.isGrantedToOrganisation(dataset.id, principal.organisation) ||
        grantedToMe
      );
    default:
      return principal.kind === 'user' && principal.mfa && grantedToMe;
  }
}

function keyAllowsRead(principal: Principal, dataset: DatasetPolicyFacts): boolean {
  const scope = principal.apiKey;
  if (!scope) return true;
  return scope.canRead && (scope.datasets === undefined || scope.datasets.has(dataset.id));
}
