import { FollowedEvent } from 'src/changes/change-follower';

/**
 * A follower's events mapped to the payloads of a subscription (one change may make several,
 * as attributeChanged sends one per attribute). Hand-written rather than an async generator:
 * `return()` must reach the follower at once (graphql-ws calls it when the client completes),
 * not after its next event, so that a closed subscription stops listening right away.
 */
export class ChangeEventSource<T> implements AsyncIterableIterator<T | FollowedEvent> {
  private readonly ready: (T | FollowedEvent)[] = [];

  constructor(
    private readonly source: AsyncIterableIterator<FollowedEvent>,
    private readonly map: (event: FollowedEvent & { change: NonNullable<FollowedEvent['change']> }) => T[],
  ) {}

  async next(): Promise<IteratorResult<T | FollowedEvent>> {
    while (this.ready.length === 0) {
      const { value, done } = await this.source.next();
      if (done) return { value: undefined, done: true };
      // A refusal goes through as it is: the field resolver turns it into the error sent.
      if (value.refused) this.ready.push(value);
      else this.ready.push(...this.map(value as FollowedEvent & { change: NonNullable<FollowedEvent['change']> }));
    }
    return { value: this.ready.shift()!, done: false };
  }

  async return(): Promise<IteratorResult<T | FollowedEvent>> {
    this.ready.length = 0;
    await this.source.return?.();
    return { value: undefined, done: true };
  }

  [Symbol.asyncIterator](): AsyncIterableIterator<T | FollowedEvent> {
    return this;
  }
}
