import { Injectable } from '@nestjs/common';
import { AccessContext } from 'src/common/access/access-context';
import { AuditLog } from 'src/governance/audit/audit-log.service';
import { GovernanceState } from 'src/governance/governance-state';
import { PolicyDecisionPoint } from 'src/governance/policy-decision-point';
import { principalNow } from 'src/governance/standing-principal';
import { ChangeRecord, changeVisibleTo } from 'src/changes/change-record';
import { Sql } from 'src/database/sql';
import { ReadLog } from 'src/governance/privacy/read-log/read-log.service';
import { matchCandidates } from 'src/ngsi-ld/subscriptions/delivery/geo-matches.sql';
import { CompiledSubscription } from 'src/ngsi-ld/subscriptions/compiled-subscription';
import { SubscriptionsRepository } from 'src/ngsi-ld/subscriptions/subscriptions.repository';

export interface DeliveryDecision<T> {
  /** What the owner may read now. */
  readonly deliver: T[];
  /** Why something the owner could otherwise read was withheld (credentials, a combination rule), if it was. */
  readonly withheld?: string;
  /** The governance version decided under (it moves when pending changes are withdrawn too). */
  readonly governanceVersion?: string;
}

/**
 * Access for notifications, decided when they are sent (not when the subscription was made) by
 * the policy decision point, for the subscription's owner under the current governance: a change
 * goes out only if its dataset is readable now (others are left out without a word, as hidden
 * entities are absent from every answer), a revoked grant or key stops the flow at once. Its
 * previous values go with it only if the dataset they were written under is readable too.
 * A subscription that has drawn on datasets of a combination rule is not given the rule's last
 * dataset (a subscription is one read that combines whatever it delivers over time).
 */
@Injectable()
export class DeliveryAccess {
  private readonly drawn = new Map<string, Set<string>>();
  private readonly auditedRefusals = new Set<string>();

  constructor(
    private readonly governance: GovernanceState,
    private readonly policy: PolicyDecisionPoint,
    private readonly repository: SubscriptionsRepository,
    private readonly audit: AuditLog,
    private readonly readLog: ReadLog,
    private readonly sql: Sql,
  ) {}

  /** Counts what a notification disclosed in the read log. */
  recordRead(access: AccessContext): void {
    this.readLog.record(access, 'notification');
  }

  /** Remembers the datasets a subscription has drawn on (as stored), when it is (re)loaded. */
  load(key: string, drawnDatasets: readonly string[]): void {
    const known = this.drawn.get(key);
    if (known) for (const id of drawnDatasets) known.add(id);
    else this.drawn.set(key, new Set(drawnDatasets));
  }

  forget(key: string): void {
    this.drawn.delete(key);
  }

  /** The owner's access context now, or why there is none. */
  async accessNow(subscription: CompiledSubscription): Promise<AccessContext | string> {
    const snapshot = await this.governance.current();
    const principal = principalNow(subscription.owner, snapshot);
    if (!principal) return "The subscription owner's API key is revoked or expired";
    return new AccessContext(subscription.tenant, snapshot, principal);
  }

  async decide(subscription: CompiledSubscription, changes: readonly ChangeRecord[]): Promise<DeliveryDecision<ChangeRecord>> {
    const access = await this.accessNow(subscription);
    if (typeof access === 'string') return { deliver: [], withheld: access };
    const decision = await this.decideFor(access, subscription, changes);
    const shown = decision.deliver.flatMap((change) => this.policy.showChange(access, change) ?? []);
    const deliver = await this.stillMatching(access, subscription, shown);
    this.recordRead(access);
    return { ...decision, deliver, governanceVersion: access.governance.version };
  }

  /**
   * Whether a dataset has a minimised view (some readers may see it so): its values are matched
   * when sent. Asked while sequencing, inside a transaction: from the snapshot loaded last (every
   * dataset counts as minimisable before the first load, which only defers matching to the send).
   */
  minimisable(): (datasetId: string) => boolean {
    const snapshot = this.governance.latest();
    return (datasetId) => snapshot === undefined || snapshot.datasets.get(datasetId)?.minimisedView !== undefined;
  }

  /**
   * Changes of datasets with a minimised view were queued on their selectors and triggers alone
   * (matchChange's valuesLater): q and geo-query are matched here, on the change as the owner may
   * see it (minimised, or in full), so that whether a notification comes tells nothing the view
   * hides. All changes of such a subscription are matched again: a dataset may have gained or
   * lost its minimised view since the change was queued.
   */
  private async stillMatching(access: AccessContext, subscription: CompiledSubscription, shown: ChangeRecord[]): Promise<ChangeRecord[]> {
    if (!subscription.q && !subscription.geo) return shown;
    const matches = await matchCandidates(this.sql, shown.map((change) => ({ subscription, change })), Date.now());
    return shown.filter((_, i) => matches[i]);
  }

  private async decideFor(access: AccessContext, subscription: CompiledSubscription, changes: readonly ChangeRecord[]): Promise<DeliveryDecision<ChangeRecord>> {
    const allowance = this.policy.readable(access);
    const readable = new Set(allowance.datasets);
    // What the owner may not read is left out silently: hidden is absent, as in every answer.
    let deliver = changes.filter((change) => readable.has(change.datasetId)).map((change) => changeVisibleTo(change, readable));
    let withheld: string | undefined;
    const drawn = this.drawn.get(subscription.key) ?? new Set<string>();
    this.drawn.set(subscription.key, drawn);
    const fresh = [...new Set(deliver.map((change) => change.datasetId))].filter((id) => !drawn.has(id));
    if (fresh.length === 0) return { deliver, withheld };
    const refused = new Set<string>();
    for (const dataset of fresh) {
      const broken = allowance.combinationsToCheck.find((rule) => rule.datasets.includes(dataset) && rule.datasets.every((id) => id === dataset || drawn.has(id)));
      if (broken) {
        refused.add(dataset);
        await this.auditRefusal(access, subscription, broken);
      } else drawn.add(dataset);
    }
    const added = fresh.filter((id) => !refused.has(id));
    if (added.length > 0) await this.repository.addDrawnDatasets(subscription.key, added);
    if (refused.size > 0) {
      deliver = deliver.filter((change) => !refused.has(change.datasetId));
      withheld = 'Changes that would combine datasets above what the owner may read (a combination rule) were withheld';
    }
    return { deliver, withheld };
  }

  private async auditRefusal(access: AccessContext, subscription: CompiledSubscription, rule: { id: string; name: string; datasets: readonly string[] }): Promise<void> {
    const once = `${subscription.key} ${rule.id}`;
    if (this.auditedRefusals.has(once)) return;
    this.auditedRefusals.add(once);
    await this.audit.recordCombinationRefusal(access, rule, { subscription: subscription.definition.id });
  }
}
