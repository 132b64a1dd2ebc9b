import { Module } from '@nestjs/common';
import { AuditLogController } from 'src/governance/audit/audit-log.controller';
import { AuditLogRepository } from 'src/governance/audit/audit-log.repository';
import { AuditLog } from 'src/governance/audit/audit-log.service';
import { CombinationRulesController } from 'src/governance/combination-rules/combination-rules.controller';
import { CombinationRulesRepository } from 'src/governance/combination-rules/combination-rules.repository';
import { CombinationRulesService } from 'src/governance/combination-rules/combination-rules.service';
import { DatasetsController } from 'src/governance/datasets/datasets.controller';
import { DatasetsRepository } from 'src/governance/datasets/datasets.repository';
import { DatasetsService } from 'src/governance/datasets/datasets.service';
import { GovernanceRepository } from 'src/governance/governance.repository';
import { GovernanceState } from 'src/governance/governance-state';
import { GrantsController } from 'src/governance/grants/grants.controller';
import { GrantsRepository } from 'src/governance/grants/grants.repository';
import { GrantsService } from 'src/governance/grants/grants.service';
import { PolicyDecisionPoint } from 'src/governance/policy-decision-point';

/** Datasets, classification, grants, combination rules, the policy decision point and the audit log. */
@Module({
  controllers: [DatasetsController, GrantsController, CombinationRulesController, AuditLogController],
  providers: [
    GovernanceRepository,
    GovernanceState,
    PolicyDecisionPoint,
    AuditLogRepository,
    AuditLog,
    DatasetsRepository,
    DatasetsService,
    GrantsRepository,
    GrantsService,
    CombinationRulesRepository,
    CombinationRulesService,
  ],
  exports: [GovernanceState, PolicyDecisionPoint, AuditLog],
})
export class GovernanceModule {}
