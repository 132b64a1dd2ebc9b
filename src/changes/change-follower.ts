import { ProblemError } from 'src/common/problem/problem-error';
import { PROJECT_PROBLEMS } from 'src/governance/problems';
import { ChangeRecord } from 'src/changes/change-record';
import { FanOutBatch } from 'src/changes/change-fan-out.service';

/** A change to send, or why the follow ends (sent as an error, then nothing more). */
export type FollowedEvent = { readonly change: ChangeRecord; readonly refused?: undefined } | { readonly refused: ProblemError; readonly change?: undefined };

/** Events a follower may hold unsent: a reader that falls further behind is ended rather than buffered without bound. */
export const MAX_PENDING = 5_000;

/**
 * One follower's queue, read as an async iterator (what GraphQL subscriptions consume). Live
 * batches that arrive while the replay runs wait, and go after it; a change is sent once, in feed
 * order, by its position.
 */
export class ChangeFollower implements AsyncIterableIterator<FollowedEvent> {
  private readonly pending: FollowedEvent[] = [];
  private readonly waitingBatches: FanOutBatch[] = [];
  private waiter?: (result: IteratorResult<FollowedEvent>) => void;
  private isLive = false;
  private isDone = false;
  /** A refusal is queued: nothing goes after it. */
  private isEnding = false;
  private readonly closers: (() => void)[] = [];

  constructor(
    private position: number,
    private readonly show: (batch: FanOutBatch) => FollowedEvent[],
  ) {}

  /** Where the follower starts (before it goes live): after this position. */
  startAfter(position: number): void {
    this.position = position;
  }

  onClose(closer: () => void): void {
    this.closers.push(closer);
  }

  /** Events of the replay, already shown, read through position `through`. */
  replayed(events: readonly FollowedEvent[], through: number): void {
    this.push(events);
    this.position = Math.max(this.position, through);
  }

  /** A batch of the live feed. */
  live(batch: FanOutBatch): void {
    if (this.isDone) return;
    if (!this.isLive) this.waitingBatches.push(batch);
    else this.take(batch);
  }

  /** Ends the follow with `refusal`, sent after what is queued (the service stopping, say). */
  end(refusal: ProblemError): void {
    this.push([{ refused: refusal }]);
  }

  /** The replay is over: what arrived meanwhile, then live. */
  goLive(): void {
    this.isLive = true;
    for (const batch of this.waitingBatches.splice(0)) this.take(batch);
  }

  next(): Promise<IteratorResult<FollowedEvent>> {
    const event = this.pending.shift();
    if (event) {
      if (event.refused) this.finish();
      return Promise.resolve({ value: event, done: false });
    }
    if (this.isDone) return Promise.resolve({ value: undefined, done: true });
    return new Promise((resolve) => (this.waiter = resolve));
  }

  return(): Promise<IteratorResult<FollowedEvent>> {
    this.finish();
    this.pending.length = 0;
    return Promise.resolve({ value: undefined, done: true });
  }

  [Symbol.asyncIterator](): AsyncIterableIterator<FollowedEvent> {
    return this;
  }

  private take(batch: FanOutBatch): void {
    const changes = batch.changes.filter((change) => change.position > this.position);
    if (changes.length === 0) return;
    this.position = changes[changes.length - 1].position;
    this.push(this.show({ ...batch, changes }));
  }

  private push(events: readonly FollowedEvent[]): void {
    for (const event of events) {
      if (this.isDone || this.isEnding) return;
      if (event.change) this.position = Math.max(this.position, event.change.position);
      if (this.pending.length >= MAX_PENDING) {
        this.pending.length = 0;
        this.pending.push({ refused: new SlowFollower() });
        this.isEnding = true;
        this.closeSource();
      } else {
        this.pending.push(event);
        if (event.refused) {
          this.isEnding = true;
          this.closeSource();
        }
      }
      this.deliver();
    }
  }

  private deliver(): void {
    const waiter = this.waiter;
    if (!waiter || this.pending.length === 0) return;
    this.waiter = undefined;
    void this.next().then(waiter);
  }

  /** Stops the feed to this follower; what is queued can still be read. */
  private closeSource(): void {
    for (const close of this.closers.splice(0)) close();
  }

  private finish(): void {
    this.isDone = true;
    this.closeSource();
    this.waiter?.({ value: undefined, done: true });
    this.waiter = undefined;
  }
}

/** A follower that did not keep up. */
export class SlowFollower extends ProblemError {
  constructor() {
    super(`${PROJECT_PROBLEMS}too-slow`, 503, 'Too slow', `More than ${MAX_PENDING} changes waited unsent: subscribe again (with "after" to resume)`);
  }
}

/** The service is stopping: followers subscribe again (to another replica, or to this one once it is back) with their last cursor. */
export class ServiceStopping extends ProblemError {
  constructor() {
    super(`${PROJECT_PROBLEMS}service-stopping`, 503, 'Service stopping', 'The service is shutting down; subscribe again with "after" set to the last cursor received to resume');
  }
}
