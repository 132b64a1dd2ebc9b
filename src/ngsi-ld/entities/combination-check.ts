import { Injectable } from '@nestjs/common';
import { AccessContext } from 'src/common/access/access-context';
import { AuditLog } from 'src/governance/audit/audit-log.service';
import { ReadAllowance } from 'src/governance/policy-decision-point';
import { CombinationRefused } from 'src/governance/problems';
import { EntitiesRepository } from 'src/ngsi-ld/entities/entities.repository';
import { EntityFilter } from 'src/ngsi-ld/query/entity-filter';

/** The combination rules of the policy decision point, applied to a query's whole match set (current state and history alike). */
@Injectable()
export class CombinationCheck {
  constructor(
    private readonly repository: EntitiesRepository,
    private readonly audit: AuditLog,
  ) {}

  /**
   * Refuses a query whose matches (all of them, not one page) draw on every dataset of a
   * combination rule the caller may not combine. Costs nothing when no such rule applies.
   */
  async check(access: AccessContext, allowance: ReadAllowance, filter: EntityFilter): Promise<void> {
    if (allowance.combinationsToCheck.length === 0) return;
    const candidates = [...new Set(allowance.combinationsToCheck.flatMap((rule) => rule.datasets))];
    const drawn = await this.repository.datasetsDrawnOn(access.tenant, candidates, filter, { minimised: allowance.minimised });
    const broken = allowance.combinationsToCheck.find((rule) => rule.datasets.every((id) => drawn.has(id)));
    if (!broken) return;
    await this.audit.recordCombinationRefusal(access, broken);
    throw new CombinationRefused(broken);
  }
}
