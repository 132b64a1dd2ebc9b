import { Injectable } from '@nestjs/common';
import { AccessContext } from 'src/common/access/access-context';
import { CombinationRuleFacts } from 'src/governance/governance-snapshot';
import { canAdminister, canRead, canWrite, isPlatformAdmin, mayCombine, purposeAllows, viewFor } from 'src/governance/policy';
import { DatasetView, MinimisedView, showsAttribute } from 'src/governance/privacy/views/minimised-view';
import { minimiseAttributes, minimiseEntity, minimiseInstance, truncate } from 'src/governance/privacy/views/minimise';
import { AttributeInstance, EntityData } from 'src/ngsi-ld/representation/entity.model';
import { attributeChanges, ChangeRecord } from 'src/changes/change-record';
import { Forbidden, Unauthorized } from 'src/governance/problems';

/** What a caller may read: the datasets (repositories filter by them in SQL), their views, and the combinations to check. */
export interface ReadAllowance {
  readonly datasets: readonly string[];
  /** Rules whose datasets the caller may each read but not combine: an answer drawing on all of them is refused. */
  readonly combinationsToCheck: readonly CombinationRuleFacts[];
  /** The datasets (of `datasets` and `purposeNeeded`) the caller reads through their minimised view; the others in full. */
  readonly minimised: ReadonlyMap<string, MinimisedView>;
  /** Datasets with personal data the caller could read for another purpose (not in `datasets`): their allowed purposes. */
  readonly purposeNeeded: ReadonlyMap<string, readonly string[]>;
}

/** The view a read of one dataset must apply. */
export function viewOf(allowance: ReadAllowance, datasetId: string | undefined): DatasetView {
  return (datasetId !== undefined && allowance.minimised.get(datasetId)) || 'full';
}

/**
 * An allowance narrowed to some datasets (a read that names its datasets): the others are neither
 * read nor asked for a purpose. Without datasets named, the allowance itself.
 */
export function narrowed(allowance: ReadAllowance, datasets: readonly string[] | undefined): ReadAllowance {
  if (datasets === undefined) return allowance;
  const named = new Set(datasets);
  return {
    datasets: allowance.datasets.filter((id) => named.has(id)),
    combinationsToCheck: allowance.combinationsToCheck,
    minimised: allowance.minimised,
    purposeNeeded: new Map([...allowance.purposeNeeded].filter(([id]) => named.has(id))),
  };
}

/**
 * The one policy decision point. Every read and write path asks it, with the caller's
 * {@link AccessContext}; repositories then filter in SQL by its answer (deny by default: an empty
 * allowance matches nothing) and apply the view it gives for each dataset (minimise.ts).
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

  /** An entity as the caller may see it: its dataset's view applied, and recorded in the request's disclosure. */
  showEntity(access: AccessContext, entity: EntityData): EntityData {
    const view = viewOf(this.readable(access), entity.datasetId);
    access.disclosure.record(entity.datasetId, view);
    return view === 'full' ? entity : minimiseEntity(entity, view);
  }

  /** History instances of one attribute of an entity of `datasetId`, as the caller may see them (withheld ones left out). */
  showInstances<T extends { instance: AttributeInstance }>(access: AccessContext, datasetId: string | undefined, attribute: string, rows: readonly T[]): T[] {
    const view = viewOf(this.readable(access), datasetId);
    const shown =
      view === 'full'
        ? (rows as T[])
        : rows.flatMap((row) => {
            const instance = minimiseInstance(attribute, row.instance, view);
            return instance ? [{ ...row, instance }] : [];
          });
    access.disclosure.record(datasetId, view, shown.length);
    return shown;
  }

  /**
   * A change (a notification's or a stream event's) as the caller may see it: the entity under its
   * dataset's view, its previous values under the view of the dataset they were written in, the
   * time truncated; undefined for an update the view leaves nothing of (only hidden values changed).
   */
  showChange(access: AccessContext, change: ChangeRecord): ChangeRecord | undefined {
    const allowance = this.readable(access);
    const view = viewOf(allowance, change.datasetId);
    const previousView = viewOf(allowance, change.previousDatasetId ?? change.datasetId);
    if (view === 'full' && previousView === 'full') {
      access.disclosure.record(change.datasetId, view);
      return change;
    }
    const shown: ChangeRecord = {
      ...change,
      entity: view === 'full' ? change.entity : minimiseEntity(change.entity, view),
      previous: previousView === 'full' ? change.previous : minimiseAttributes(change.previous, previousView),
      createdAttributes: view === 'full' ? change.createdAttributes : change.createdAttributes.filter((attribute) => showsAttribute(view, attribute)),
      changedAt: view === 'full' ? change.changedAt : truncate(change.changedAt, view),
    };
    if (shown.operation === 'update' && !changesAnything(shown)) return undefined;
    access.disclosure.record(change.datasetId, view);
    return shown;
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
  const minimised = new Map<string, MinimisedView>();
  const purposeNeeded = new Map<string, readonly string[]>();
  for (const dataset of governance.datasets.values()) {
    if (!canRead(principal, dataset, governance)) continue;
    // Also for datasets that need a purpose: the probe that says so must not see more than the view.
    if (viewFor(principal, dataset, governance) === 'minimised') minimised.set(dataset.id, dataset.minimisedView!);
    if (!purposeAllows(dataset, access.purpose)) {
      purposeNeeded.set(dataset.id, dataset.personalData!.purposes);
      continue;
    }
    datasets.push(dataset.id);
  }
  const readableSet = new Set(datasets);
  const combinationsToCheck = governance.combinationRules.filter(
    (rule) => rule.datasets.every((id) => readableSet.has(id)) && !mayCombine(principal, rule, governance),
  );
  return { datasets, combinationsToCheck, minimised, purposeNeeded };
}

/** Whether an update shows any attribute created, changed or deleted. */
function changesAnything(change: ChangeRecord): boolean {
  const { created, updated, deleted } = attributeChanges(change);
  return created.length + updated.length + deleted.length > 0;
}

function describe(access: AccessContext): string {
  const { principal } = access;
  const who = principal.kind === 'api-key' ? `API key ${principal.apiKey!.keyId}` : `Principal ${principal.subject}`;
  return principal.organisation ? `${who} of ${principal.organisation}` : who;
}
