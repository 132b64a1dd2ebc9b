import { Injectable } from '@nestjs/common';
import { AccessContext } from 'src/common/access/access-context';
import { CombinationRuleFacts } from 'src/governance/governance-snapshot';
import { canAdminister, canRead, canWrite, isPlatformAdmin, mayCombine } from 'src/governance/policy';
import { Forbidden, Unauthorized } from 'src/governance/problems';

/** What a caller may read: the datasets (repositories filter by them in SQL) and the combinations to check. */
export interface ReadAllowance {
  readonly datasets: readonly string[];
  /** Rules whose datasets the caller may each read but not combine: an answer drawing on all of them is refused. */
  readonly combinationsToCheck: readonly CombinationRuleFacts[];
}

/**
 * The one policy decision point. Every read and write path asks it, with the caller's
 * {@link AccessContext}; repositories then filter in SQL by its answer (deny by default: an empty
 * allowance matches nothing). Views are always full for now; minimised views arrive with the GDPR rules.
 */
@Injectable()
export class PolicyDecisionPoint {
  // Decided once per request: an AccessContext holds one caller and one governance snapshot, and
  // several services of the same request ask the same question.
  private readonly readableOf = new WeakMap<AccessContext, ReadAllowance>();
  private readonly writableOf = new WeakMap<AccessContext, readonly string[]>();

  readable(access: AccessContext): ReadAllowance {
    let allowance = this.readableOf.get(access);
    if (!allowance) {
      allowance = decideReadable(access);
      this.readableOf.set(access, allowance);
    }
    return allowance;
  }

  /**
   * The combination rule that a read drawing on every one of `datasets` would break for this
   * caller (a rule whose datasets it may each read but not combine), if there is one.
   */
  combinationBrokenBy(allowance: ReadAllowance, datasets: Iterable<string>): CombinationRuleFacts | undefined {
    if (allowance.combinationsToCheck.length === 0) return undefined;
    const drawn = new Set(datasets);
    return allowance.combinationsToCheck.find((rule) => rule.datasets.every((id) => drawn.has(id)));
  }

  /**
   * The datasets whose description (not data) the caller may see: those it may read, its own
   * organisation's, and all of them for platform admins. Others do not exist for the caller.
   */
  visibleDatasets(access: AccessContext): string[] {
    const { principal, governance } = access;
    const platformAdmin = isPlatformAdmin(principal);
    return [...governance.datasets.values()]
      .filter((d) => platformAdmin || d.organisation === principal.organisation || canRead(principal, d, governance))
      .map((d) => d.id);
  }

  /**
   * The datasets whose organisation the caller administers (its admins with MFA, or platform
   * admins): the scope of data-subject requests, retention runs and read logs. Empty for others.
   */
  administeredDatasets(access: AccessContext): string[] {
    const { principal, governance } = access;
    return [...governance.datasets.values()].filter((d) => canAdminister(principal, d.organisation) || isPlatformAdmin(principal)).map((d) => d.id);
  }

  /** The datasets the caller may write entities into (existing ones, and new ones by resolution). */
  writable(access: AccessContext): readonly string[] {
    let datasets = this.writableOf.get(access);
    if (!datasets) {
      const { principal, governance } = access;
      datasets = [...governance.datasets.values()].filter((dataset) => canWrite(principal, dataset)).map((dataset) => dataset.id);
      this.writableOf.set(access, datasets);
    }
    return datasets;
  }

  /** Refuses a write early, before any work, when the caller cannot write anything at all. */
  assertMayWrite(access: AccessContext): void {
    this.assertAuthenticated(access);
    if (this.writable(access).length === 0 && !this.mayWriteNewEntities(access)) {
      throw new Forbidden(`${describe(access)} may not write entities`);
    }
  }

  /**
   * Whether the caller may create entities at all (they land in a dataset of its organisation by
   * the dataset rules, or in the organisation's default dataset, which may not exist yet).
   */
  mayWriteNewEntities(access: AccessContext): boolean {
    const { principal } = access;
    if (principal.organisation === undefined) return false;
    if (principal.kind === 'user') return principal.roles.has('writer') || principal.roles.has('admin');
    return principal.kind === 'api-key' && principal.apiKey!.canWrite;
  }

  /** Hosted @contexts: anyone reads them; authenticated writers and admins add and remove them. */
  assertMayManageContexts(access: AccessContext): void {
    this.assertAuthenticated(access);
    if (!this.mayWriteNewEntities(access)) throw new Forbidden(`${describe(access)} may not manage hosted @contexts`);
  }

  /** Administrative acts on an organisation's governance: its admins (tokens with MFA) or platform admins. */
  assertMayAdminister(access: AccessContext, organisation: string): void {
    this.assertMayAdministerAny(access, [organisation], `${describe(access)} is not an administrator of organisation ${organisation}`, organisation);
  }

  /**
   * An administrative act that any of several organisations' admins (or platform admins) may do.
   * `refusal` says who may, `concerns` names the organisation the refusal is audited for.
   */
  assertMayAdministerAny(access: AccessContext, organisations: readonly string[], refusal: string, concerns?: string): void {
    this.assertAuthenticated(access);
    const { principal } = access;
    if (isPlatformAdmin(principal) || organisations.some((organisation) => canAdminister(principal, organisation))) return;
    if (principal.kind === 'user' && !principal.mfa && (principal.roles.has('admin') || principal.roles.has('platform-admin'))) {
      throw new Forbidden('Administrative acts need a token that proves multi-factor authentication (amr/acr)', concerns);
    }
    throw new Forbidden(refusal, concerns);
  }

  assertPlatformAdmin(access: AccessContext): void {
    this.assertAuthenticated(access);
    if (!isPlatformAdmin(access.principal)) throw new Forbidden('Only platform administrators (with MFA, for tokens) may do this');
  }

  /** Whether the caller may see an organisation's governance records (datasets list, keys): its members. */
  isMemberOf(access: AccessContext, organisation: string): boolean {
    return access.principal.organisation === organisation || isPlatformAdmin(access.principal);
  }

  assertAuthenticated(access: AccessContext): void {
    if (access.principal.kind === 'anonymous') throw new Unauthorized('This needs credentials: a bearer token or an API key');
  }
}

function decideReadable(access: AccessContext): ReadAllowance {
  const { principal, governance } = access;
  const datasets: string[] = [];
  for (const dataset of governance.datasets.values()) {
    if (canRead(principal, dataset, governance)) datasets.push(dataset.id);
  }
  const readableSet = new Set(datasets);
  const combinationsToCheck = governance.combinationRules.filter(
    (rule) => rule.datasets.every((id) => readableSet.has(id)) && !mayCombine(principal, rule, governance),
  );
  return { datasets, combinationsToCheck };
}

function describe(access: AccessContext): string {
  const { principal } = access;
  const who = principal.kind === 'api-key' ? `API key ${principal.apiKey!.keyId}` : `Principal ${principal.subject}`;
  return principal.organisation ? `${who} of ${principal.organisation}` : who;
}
