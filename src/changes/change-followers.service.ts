import { Injectable } from '@nestjs/common';
import { AccessContext } from 'src/common/access/access-context';
import { BadRequestData, ResourceNotFound } from 'src/common/problem/ngsi-ld-errors';
import { ProblemError } from 'src/common/problem/problem-error';
import { GovernanceSnapshot } from 'src/governance/governance-snapshot';
import { GovernanceState } from 'src/governance/governance-state';
import { PolicyDecisionPoint, ReadAllowance, viewOf } from 'src/governance/policy-decision-point';
import { CombinationRefused, Forbidden, PurposeRequired, Unauthorized } from 'src/governance/problems';
import { AuditLog } from 'src/governance/audit/audit-log.service';
import { ReadLog } from 'src/governance/privacy/read-log/read-log.service';
import { followerNow, StandingPrincipal, standingOfFollower } from 'src/governance/standing-principal';
import { ChangeRecord, changeVisibleTo } from 'src/changes/change-record';
import { ChangeFanOut, FanOutBatch } from 'src/changes/change-fan-out.service';
import { ChangeLogRepository } from 'src/changes/change-log.repository';
import { ChangeFollower, FollowedEvent } from 'src/changes/change-follower';

const REPLAY_PAGE = 500;
const REDECIDE_MS = 1000;
/**
 * How far back a resume may reach: further back, the follower starts again from now (and reads
 * the current state by query). Below what a follower may hold unsent, since the replay is queued
 * before the first event leaves.
 */
export const MAX_REPLAY = 2_000;

/** What a follower follows: one dataset or all it may read, and which changes (tested on the change as the follower sees it). */
export interface FollowSelection {
  readonly dataset?: string;
  readonly matches: (change: ChangeRecord) => boolean;
  /** Where the read log says the data went. */
  readonly readPath: string;
}

/**
 * Live followers of the change feed within this process (GraphQL subscriptions): each gets the
 * changes after a cursor (replayed from the log, bounded) or from now, fed by the one
 * {@link ChangeFanOut} reader. Access is decided per batch when it is sent, under the governance
 * current then, as the SSE feed does: a withdrawn credential or a dataset no longer readable ends
 * the follow with a refusal; each change is shown under the follower's view of it.
 */
@Injectable()
export class ChangeFollowers {
  constructor(
    private readonly fanOut: ChangeFanOut,
    private readonly log: ChangeLogRepository,
    private readonly policy: PolicyDecisionPoint,
    private readonly governance: GovernanceState,
    private readonly readLog: ReadLog,
    private readonly audit: AuditLog,
  ) {}

  private readonly open = new Set<ChangeFollower>();

  /** Ends every follow with `refusal` (the service stopping): each follower hears why, after what it was sent. */
  endAll(refusal: ProblemError): void {
    for (const follower of this.open) follower.end(refusal);
  }

  async follow(access: AccessContext, selection: FollowSelection, after: string | undefined | null): Promise<AsyncIterableIterator<FollowedEvent>> {
    const allowance = this.policy.readable(access);
    if (selection.dataset !== undefined) {
      const purposes = allowance.purposeNeeded.get(selection.dataset);
      if (purposes) throw new PurposeRequired(new Map([[selection.dataset, purposes]]), access.purpose);
      // Hidden and absent answer alike.
      if (!allowance.datasets.includes(selection.dataset)) throw new ResourceNotFound(`No dataset ${selection.dataset} you may read`);
    }
    // Following several datasets is one read that combines them, as a stream of them is (GET /api/v1/changes).
    const broken = this.policy.combinationBrokenBy(allowance, followed(selection, allowance.datasets));
    if (broken) {
      await this.audit.recordCombinationRefusal(access, broken, { stream: selection.readPath });
      throw new CombinationRefused(broken);
    }
    const cursor = after === undefined || after === null ? undefined : parseCursor(after);
    const show = this.shower(access.tenant, standingOfFollower(access), selection);
    // Listening first, then reading where the feed is: a change numbered in between is held, not lost.
    const follower = new ChangeFollower(0, show);
    this.open.add(follower);
    follower.onClose(() => this.open.delete(follower));
    follower.onClose(await this.fanOut.listen((batch) => follower.live(batch)));
    try {
      const last = await this.log.lastPosition();
      // A cursor ahead of the feed comes from another feed (a database restored or replaced): from now, as SSE does.
      const from = cursor === undefined ? last : Math.min(cursor, last);
      follower.startAfter(from);
      if (cursor !== undefined) {
        await this.assertKept(from, last);
        await this.replay(access, selection, follower, from, show);
      }
    } catch (error) {
      await follower.return();
      throw error;
    }
    follower.goLive();
    return follower;
  }

  /** Refuses a resume from a cursor whose next changes are past retention, rather than skip them silently. */
  private async assertKept(from: number, last: number): Promise<void> {
    const first = (await this.log.firstPosition()) ?? last + 1;
    if (first > from + 1) throw new BadRequestData(`Changes after cursor ${from} are past retention (the first kept is ${first}): subscribe without "after" and read the current state by query`);
  }

  /** Changes since the cursor, read from the log page by page up to {@link MAX_REPLAY}. */
  private async replay(access: AccessContext, selection: FollowSelection, follower: ChangeFollower, from: number, show: (batch: FanOutBatch) => FollowedEvent[]): Promise<void> {
    const datasets = selection.dataset !== undefined ? [selection.dataset] : this.policy.readable(access).datasets;
    let position = from;
    for (let read = 0; ; ) {
      const changes = await this.log.after(access.tenant, datasets, position, REPLAY_PAGE);
      if (changes.length === 0) return;
      read += changes.length;
      if (read > MAX_REPLAY) throw new BadRequestData(`More than ${MAX_REPLAY} changes since cursor ${from}: subscribe without "after" and read the current state by query`);
      position = changes[changes.length - 1].position;
      follower.replayed(show({ changes, snapshot: await this.governance.current() }), position);
    }
  }

  /**
   * How one follower sees a batch under the batch's snapshot; a refusal ends the follow. What the
   * follower may read is decided once per governance snapshot, not per batch (a thousand followers
   * at hundreds of batches a second), and decided again as soon as the snapshot changes.
   */
  private shower(tenant: string, standingPrincipal: StandingPrincipal | undefined, selection: FollowSelection): (batch: FanOutBatch) => FollowedEvent[] {
    let decided: { snapshot: GovernanceSnapshot; at: number; reader: AccessContext | ProblemError; allowance?: ReadAllowance; readable: ReadonlySet<string>; broken?: CombinationRefused } | undefined;
    return (batch) => {
      // Also once a second: an API key that expires does so without a new snapshot.
      if (decided?.snapshot !== batch.snapshot || Date.now() - decided.at > REDECIDE_MS) {
        const reader = readerNow(tenant, standingPrincipal, batch.snapshot);
        const allowance = reader instanceof ProblemError ? undefined : this.policy.readable(reader);
        // A combination rule made while following ends it, as it ends a stream.
        const rule = allowance && this.policy.combinationBrokenBy(allowance, followed(selection, allowance.datasets));
        decided = { snapshot: batch.snapshot, at: Date.now(), reader, allowance, readable: new Set(allowance?.datasets ?? []), broken: rule ? new CombinationRefused(rule) : undefined };
      }
      const { reader, allowance, readable, broken } = decided;
      if (reader instanceof ProblemError) return [{ refused: reader }];
      if (selection.dataset !== undefined && !readable.has(selection.dataset)) return [{ refused: new Forbidden(`You may no longer read dataset ${selection.dataset}`) }];
      if (broken) return [{ refused: broken }];
      // The read log counts what this batch sent, not what the follower saw over its life.
      const sent = new AccessContext(tenant, batch.snapshot, reader.principal);
      const events: FollowedEvent[] = [];
      for (const change of batch.changes) {
        if (change.tenant !== tenant || !readable.has(change.datasetId)) continue;
        if (selection.dataset !== undefined && change.datasetId !== selection.dataset) continue;
        const shown = this.policy.showChange(reader, changeVisibleTo(change, readable));
        if (!shown || !selection.matches(shown)) continue;
        sent.disclosure.record(shown.datasetId, viewOf(allowance!, shown.datasetId));
        events.push({ change: shown });
      }
      if (events.length > 0) this.readLog.record(sent, selection.readPath);
      return events;
    };
  }
}

/** The datasets a follow draws on: the one it names, else every one the follower may read. */
function followed(selection: FollowSelection, readable: readonly string[]): readonly string[] {
  return selection.dataset !== undefined ? [selection.dataset] : readable;
}

/** The follower as it stands under `snapshot`: a fresh context (its disclosure is this batch's), or why it may no longer read. */
function readerNow(tenant: string, standingPrincipal: StandingPrincipal | undefined, snapshot: GovernanceSnapshot): AccessContext | ProblemError {
  const principal = followerNow(standingPrincipal, snapshot);
  if (!principal) return new Unauthorized('The credentials of this subscription are no longer valid');
  return new AccessContext(tenant, snapshot, principal);
}

function parseCursor(text: string): number {
  if (!/^\d{1,15}$/.test(text)) throw new BadRequestData(`after must be the cursor of a change this feed sent, not "${text}"`);
  return Number(text);
}
