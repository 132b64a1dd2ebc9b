import { Injectable } from '@nestjs/common';
import { AccessContext } from 'src/common/access/access-context';
import { BadRequestData, ResourceNotFound } from 'src/common/problem/ngsi-ld-errors';
import { AppConfig } from 'src/config/app-config';
import { InjectConfig } from 'src/config/config.module';
import { GovernanceState } from 'src/governance/governance-state';
import { PolicyDecisionPoint } from 'src/governance/policy-decision-point';
import { principalNow, StandingPrincipal, standingPrincipalOf } from 'src/governance/standing-principal';
import { ChangeRecord } from 'src/changes/change-record';
import { ChangeLogRepository } from 'src/changes/change-log.repository';
import { ChangeSignal } from 'src/changes/change-signal';
import { ANONYMOUS } from 'src/auth/principal';

const PAGE = 500;

/** Why a stream ended on the service's side: access withdrawn. */
export class StreamRefused extends Error {}

/** A reader of the change feed of some datasets, from a position on. */
export interface ChangeStream {
  /** Where the reader starts: after this position. */
  readonly from: number;
  /** The first position still kept, when `from` asked for older changes (those are gone). */
  readonly truncatedTo?: number;
  /** The Last-Event-ID asked for, when it lies ahead of the feed (not one of its ids): the stream starts now instead. */
  readonly aheadOfFeed?: number;
  /** The next changes after `position`, waiting up to `waitMs` for some; throws {@link StreamRefused} once the reader may no longer read. */
  next(position: number, waitMs: number): Promise<ChangeRecord[]>;
}

/**
 * The change feed for readers that follow datasets (Server-Sent Events now, GraphQL subscriptions
 * later): changes in feed order, from any position still kept. Access is decided when the stream
 * opens and again before every page, so a revoked grant or key ends it.
 */
@Injectable()
export class ChangeStreams {
  constructor(
    private readonly log: ChangeLogRepository,
    private readonly signal: ChangeSignal,
    private readonly policy: PolicyDecisionPoint,
    private readonly governance: GovernanceState,
    @InjectConfig() private readonly config: AppConfig,
  ) {}

  async open(access: AccessContext, datasets: readonly string[], lastEventId: string | undefined): Promise<ChangeStream> {
    if (datasets.length === 0) throw new BadRequestData('Name the datasets to follow: dataset=<id>[,<id>...]');
    const readable = new Set(this.policy.readable(access).datasets);
    for (const id of datasets) {
      // Hidden and absent answer alike.
      if (!readable.has(id)) throw new ResourceNotFound(`No dataset ${id} you may read`);
    }
    const standing: StandingPrincipal | undefined =
      access.principal.kind === 'anonymous' ? undefined : standingPrincipalOf(access.principal, { keepMfa: true });
    const last = await this.log.lastPosition();
    const asked = lastEventId === undefined ? last : parsePosition(lastEventId);
    // An id ahead of the feed comes from another feed (a database restored or replaced): start now, and say so.
    const from = Math.min(asked, last);
    const aheadOfFeed = asked > last ? asked : undefined;
    let truncatedTo: number | undefined;
    if (lastEventId !== undefined && aheadOfFeed === undefined) {
      // Changes after `from` that are no longer kept: before the first one kept, or all of them.
      const first = (await this.log.firstPosition()) ?? last + 1;
      if (first > from + 1) truncatedTo = first;
    }
    return {
      from,
      truncatedTo,
      aheadOfFeed,
      next: async (position, waitMs) => {
        await this.assertStillReadable(access.tenant, standing, datasets);
        const changes = await this.page(datasets, position, access.tenant);
        if (changes.length > 0) return changes;
        await this.signal.nextPositioned(Math.min(waitMs, Math.max(this.config.notifications.pollIntervalMs * 4, 1000)));
        await this.assertStillReadable(access.tenant, standing, datasets);
        return this.page(datasets, position, access.tenant);
      },
    };
  }

  private page(datasets: readonly string[], position: number, tenant: string): Promise<ChangeRecord[]> {
    return this.log.after(tenant, datasets, position, PAGE);
  }

  private async assertStillReadable(tenant: string, standing: StandingPrincipal | undefined, datasets: readonly string[]): Promise<void> {
    const snapshot = await this.governance.current();
    const principal = standing ? principalNow(standing, snapshot) : ANONYMOUS;
    if (!principal) throw new StreamRefused('The credentials of this stream are no longer valid');
    const readable = new Set(this.policy.readable(new AccessContext(tenant, snapshot, principal)).datasets);
    const lost = datasets.find((id) => !readable.has(id));
    if (lost) throw new StreamRefused(`You may no longer read dataset ${lost}`);
  }
}

function parsePosition(text: string): number {
  if (!/^\d{1,15}$/.test(text)) throw new BadRequestData(`Last-Event-ID must be an event id this stream sent (a number), not "${text}"`);
  return Number(text);
}
