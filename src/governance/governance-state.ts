import { Injectable } from '@nestjs/common';
import { GovernanceRepository } from 'src/governance/governance.repository';
import { GovernanceSnapshot } from 'src/governance/governance-snapshot';

/**
 * The current governance snapshot. Each request waits for a read of the version counter that
 * began after the request arrived, and the snapshot is reloaded when the counter moved: a
 * classification change, a revoked grant or a revoked key applies from the next request on, in
 * every replica, with nothing stale kept.
 *
 * Requests that arrive while a version read is under way share the next one (at most one read in
 * flight), so under load the check costs one round trip per batch of requests, not one each.
 */
@Injectable()
export class GovernanceState {
  private snapshot?: GovernanceSnapshot;
  private loading?: Promise<GovernanceSnapshot>;
  private waiting: { resolve: (version: string) => void; reject: (error: unknown) => void }[] = [];
  private reading = false;

  constructor(private readonly repository: GovernanceRepository) {}

  async current(): Promise<GovernanceSnapshot> {
    const version = await this.freshVersion();
    if (this.snapshot?.version === version) return this.snapshot;
    // Concurrent requests that see the same new version share one load.
    this.loading ??= this.repository.load().finally(() => (this.loading = undefined));
    const loaded = await this.loading;
    if (!this.snapshot || BigInt(loaded.version) >= BigInt(this.snapshot.version)) this.snapshot = loaded;
    return BigInt(loaded.version) >= BigInt(version) ? loaded : this.current();
  }

  /**
   * The snapshot loaded last, without asking the database whether it is still current: for code
   * that runs inside a transaction holding the only connection (the embedded database's), where
   * waiting for another would never end. May be a request behind; undefined before the first load.
   */
  latest(): GovernanceSnapshot | undefined {
    return this.snapshot;
  }

  /** The version counter as read by a query sent after this call. */
  private freshVersion(): Promise<string> {
    return new Promise((resolve, reject) => {
      this.waiting.push({ resolve, reject });
      if (!this.reading) void this.readForWaiting();
    });
  }

  private async readForWaiting(): Promise<void> {
    this.reading = true;
    while (this.waiting.length > 0) {
      const batch = this.waiting;
      this.waiting = [];
      try {
        const version = await this.repository.version();
        for (const waiter of batch) waiter.resolve(version);
      } catch (error) {
        for (const waiter of batch) waiter.reject(error);
      }
    }
    this.reading = false;
  }
}
