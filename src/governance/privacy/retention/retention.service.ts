import { Injectable } from '@nestjs/common';
import { AccessContext } from 'src/common/access/access-context';
import { PolicyDecisionPoint } from 'src/governance/policy-decision-point';
import { isPlatformAdmin } from 'src/governance/policy';
import { RetentionRunUnderWay } from 'src/governance/privacy/retention/retention.errors';
import { receiptFromAudit, RetentionReceipt } from 'src/governance/privacy/retention/retention-receipt';
import { RetentionJob } from 'src/governance/privacy/retention/retention.job';
import { RetentionRepository } from 'src/governance/privacy/retention/retention.repository';

export interface RetentionStatus {
  readonly nextRunAt: string | null;
  readonly intervalSeconds: number;
  readonly lastRun: RetentionReceipt | null;
}

/**
 * Retention as administrators see it: platform admins run it for every dataset and see every run;
 * an organisation's admins (tokens with MFA) run it for their organisation's datasets and see what
 * runs deleted of theirs.
 */
@Injectable()
export class RetentionService {
  constructor(
    private readonly job: RetentionJob,
    private readonly repository: RetentionRepository,
    private readonly policy: PolicyDecisionPoint,
  ) {}

  async status(access: AccessContext): Promise<RetentionStatus> {
    const organisations = this.organisationsOf(access);
    const lastRun = receiptFromAudit(await this.repository.lastRun(organisations));
    return { nextRunAt: this.job.nextRunAt?.toISOString() ?? null, intervalSeconds: this.job.intervalSeconds, lastRun };
  }

  async run(access: AccessContext): Promise<RetentionReceipt> {
    const scope = this.organisationsOf(access) === undefined ? undefined : this.policy.administeredDatasets(access);
    const receipt = await this.job.run(access.principal, scope);
    if (!receipt) throw new RetentionRunUnderWay();
    return receipt;
  }

  /** The organisations whose retention the caller administers: undefined for all (platform admins). */
  private organisationsOf(access: AccessContext): readonly string[] | undefined {
    const own = access.principal.organisation;
    this.policy.assertMayAdministerAny(
      access,
      own === undefined ? [] : [own],
      'Retention is run by administrators of an organisation (a token with MFA) or platform administrators',
      own,
    );
    return isPlatformAdmin(access.principal) || own === undefined ? undefined : [own];
  }
}
