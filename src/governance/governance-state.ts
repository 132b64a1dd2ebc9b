import { Injectable } from '@nestjs/common';
import { GovernanceRepository } from 'src/governance/governance.repository';
import { GovernanceSnapshot } from 'src/governance/governance-snapshot';

/**
 * The current governance snapshot. Each call asks the database for the version counter (one
 * indexed single-row read) and reloads when it moved, so a classification change, a revoked grant
 * or a revoked key applies from the next request on, in every replica, with nothing stale kept.
 */
@Injectable()
export class GovernanceState {
  private snapshot?: GovernanceSnapshot;
  private loading?: Promise<GovernanceSnapshot>;

  constructor(private readonly repository: GovernanceRepository) {}

  async current(): Promise<GovernanceSnapshot> {
    const version = await this.repository.version();
    if (this.snapshot?.version === version) return this.snapshot;
    // Concurrent requests that see the same new version share one load.
    this.loading ??= this.repository.load().finally(() => (this.loading = undefined));
    const loaded = await this.loading;
    if (!this.snapshot || BigInt(loaded.version) >= BigInt(this.snapshot.version)) this.snapshot = loaded;
    return BigInt(loaded.version) >= BigInt(version) ? loaded : this.current();
  }
}
