import { BeforeApplicationShutdown, Injectable } from '@nestjs/common';
import { AccessContext } from 'src/common/access/access-context';
import { BadRequestData, ResourceNotFound } from 'src/common/problem/ngsi-ld-errors';
import { AppConfig } from 'src/config/app-config';
import { InjectConfig } from 'src/config/config.module';
import { AuditLog } from 'src/governance/audit/audit-log.service';
import { GovernanceState } from 'src/governance/governance-state';
import { PolicyDecisionPoint } from 'src/governance/policy-decision-point';
import { CombinationRefused, PurposeRequired } from 'src/governance/problems';
import { ReadLog } from 'src/governance/privacy/read-log/read-log.service';
import { followerNow, StandingPrincipal, standingOfFollower } from 'src/governance/standing-principal';
import { ChangeRecord, changeVisibleTo } from 'src/changes/change-record';
import { ChangeLogRepository } from 'src/changes/change-log.repository';
import { ChangeSignal } from 'src/changes/change-signal';

const PAGE = 500;

/** Why a stream ended on the service's side: access withdrawn. */
export class StreamRefused extends Error {}

/** The service is stopping: readers reconnect (to another replica, or to this one once it is back). */
export class StreamClosing extends Error {
  constructor() {
    super('The service is shutting down; reconnect to resume');
  }
}

/** Changes as the reader may see them, and the position read through (past changes its view left nothing of). */
export interface ChangeBatch {
  readonly changes: ChangeRecord[];
  readonly through?: number;
}

/** A reader of the change feed of some datasets, from a position on. */
export interface ChangeStream {
  /** Where the reader starts: after this position. */
  readonly from: number;
  /** The first position still kept, when `from` asked for older changes (those are gone). */
  readonly truncatedTo?: number;
  /** The Last-Event-ID asked for, when it lies ahead of the feed (not one of its ids): the stream starts now instead. */
  readonly aheadOfFeed?: number;
  /** The next changes after `position`, waiting up to `waitMs` for some; throws {@link StreamRefused} once the reader may no longer read. */
  next(position: number, waitMs: number): Promise<ChangeBatch>;
}

/**
 * The change feed for readers that follow datasets (Server-Sent Events now, GraphQL subscriptions
 * later): changes in feed order, from any position still kept. Access is decided when the stream
 * opens and again before every page, so a revoked grant or key ends it. A stream of several
 * datasets is one read that combines them: refused like a query when a combination rule forbids it
 * (a rule made while the stream is open ends it). Previous states are shown as history is: only
 * when written under a dataset the reader may read.
 */
@Injectable()
export class ChangeStreams implements BeforeApplicationShutdown {
  /** Aborted when the service stops, ending every open stream (the HTTP server waits for them). */
  private readonly closing = new AbortController();

  constructor(
    private readonly log: ChangeLogRepository,
    private readonly signal: ChangeSignal,
    private readonly policy: PolicyDecisionPoint,
    private readonly governance: GovernanceState,
    private readonly audit: AuditLog,
    private readonly readLog: ReadLog,
    @InjectConfig() private readonly config: AppConfig,
  ) {}

  async open(access: AccessContext, datasets: readonly string[], lastEventId: string | undefined): Promise<ChangeStream> {
    if (datasets.length === 0) throw new BadRequestData('Name the datasets to follow: dataset=<id>[,<id>...]');
    const allowance = this.policy.readable(access);
    const readable = new Set(allowance.datasets);
    const needPurpose = new Map([...allowance.purposeNeeded].filter(([id]) => datasets.includes(id)));
    if (needPurpose.size > 0) throw new PurposeRequired(needPurpose, access.purpose);
    for (const id of datasets) {
      // Hidden and absent answer alike.
      if (!readable.has(id)) throw new ResourceNotFound(`No dataset ${id} you may read`);
    }
    const broken = this.policy.combinationBrokenBy(allowance, datasets);
    if (broken) {
      await this.audit.recordCombinationRefusal(access, broken, { stream: 'changes' });
      throw new CombinationRefused(broken);
    }
    const standing = standingOfFollower(access);
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
        this.assertOpen();
        let reader = await this.assertStillReadable(access.tenant, standing, datasets);
        let changes = await this.log.after(access.tenant, datasets, position, PAGE);
        if (changes.length === 0) {
          await this.signal.nextPositioned(Math.min(waitMs, Math.max(this.config.notifications.pollIntervalMs * 4, 1000)), this.closing.signal);
          this.assertOpen();
          reader = await this.assertStillReadable(access.tenant, standing, datasets);
          changes = await this.log.after(access.tenant, datasets, position, PAGE);
        }
        // The reader's view now, for each event; and the read log of what left.
        const shown = changes.flatMap((change) => this.policy.showChange(reader.access, changeVisibleTo(change, reader.readable)) ?? []);
        this.readLog.record(reader.access, 'GET /api/v1/changes');
        return { changes: shown, through: changes.at(-1)?.position };
      },
    };
  }

  beforeApplicationShutdown(): void {
    this.closing.abort();
  }

  private assertOpen(): void {
    if (this.closing.signal.aborted) throw new StreamClosing();
  }

  /** What the reader may read now; throws {@link StreamRefused} when that no longer covers the stream. */
  private async assertStillReadable(
    tenant: string,
    standing: StandingPrincipal | undefined,
    datasets: readonly string[],
  ): Promise<{ readable: Set<string>; access: AccessContext }> {
    const snapshot = await this.governance.current();
    const principal = followerNow(standing, snapshot);
    if (!principal) throw new StreamRefused('The credentials of this stream are no longer valid');
    const access = new AccessContext(tenant, snapshot, principal);
    const allowance = this.policy.readable(access);
    const readable = new Set(allowance.datasets);
    const lost = datasets.find((id) => !readable.has(id));
    if (lost) throw new StreamRefused(`You may no longer read dataset ${lost}`);
    const broken = this.policy.combinationBrokenBy(allowance, datasets);
    if (broken) throw new StreamRefused(`These datasets may no longer be followed together: the combination rule "${broken.name}" classifies them K${broken.confidentiality} together`);
    return { readable, access };
  }
}

function parsePosition(text: string): number {
  if (!/^\d{1,15}$/.test(text)) throw new BadRequestData(`Last-Event-ID must be an event id this stream sent (a number), not "${text}"`);
  return Number(text);
}
