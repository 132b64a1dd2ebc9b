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
import { DatasetContentService } from 'src/governance/datasets/dataset-content.service';
import { GovernanceRepository } from 'src/governance/governance.repository';
import { GovernanceState } from 'src/governance/governance-state';
import { GrantsController } from 'src/governance/grants/grants.controller';
import { GrantsRepository } from 'src/governance/grants/grants.repository';
import { GrantsService } from 'src/governance/grants/grants.service';
import { OrganisationsController } from 'src/governance/organisations/organisations.controller';
import { OrganisationsRepository } from 'src/governance/organisations/organisations.repository';
import { OrganisationsService } from 'src/governance/organisations/organisations.service';
import { PolicyDecisionPoint } from 'src/governance/policy-decision-point';
import { ReadLogController } from 'src/governance/privacy/read-log/read-log.controller';
import { ReadDisclosureHooks } from 'src/governance/privacy/read-log/read-log.hooks';
import { ReadLogRepository } from 'src/governance/privacy/read-log/read-log.repository';
import { ReadLog } from 'src/governance/privacy/read-log/read-log.service';
import { DataSubjectsController } from 'src/governance/privacy/data-subjects/data-subjects.controller';
import { DataSubjectsRepository } from 'src/governance/privacy/data-subjects/data-subjects.repository';
import { DataSubjectsService } from 'src/governance/privacy/data-subjects/data-subjects.service';
import { HistoryRetentionRepository } from 'src/governance/privacy/retention/history-retention.repository';
import { RetentionController } from 'src/governance/privacy/retention/retention.controller';
import { RetentionJob } from 'src/governance/privacy/retention/retention.job';
import { RetentionRepository } from 'src/governance/privacy/retention/retention.repository';
import { RetentionService } from 'src/governance/privacy/retention/retention.service';
import { ProcessingRecordsController } from 'src/governance/privacy/processing/processing-records.controller';
import { ProcessingRecordsService } from 'src/governance/privacy/processing/processing-records.service';
import { VocabularyController } from 'src/governance/privacy/processing/vocabulary.controller';

/** Datasets, classification, grants, combination rules, the policy decision point and the audit log. */
@Module({
  controllers: [DatasetsController, OrganisationsController, GrantsController, CombinationRulesController, AuditLogController, ProcessingRecordsController, VocabularyController, RetentionController, DataSubjectsController, ReadLogController],
  providers: [
    GovernanceRepository,
    GovernanceState,
    PolicyDecisionPoint,
    ReadLogRepository,
    ReadLog,
    ReadDisclosureHooks,
    AuditLogRepository,
    AuditLog,
    DatasetsRepository,
    DatasetsService,
    DatasetContentService,
    OrganisationsRepository,
    OrganisationsService,
    GrantsRepository,
    GrantsService,
    CombinationRulesRepository,
    CombinationRulesService,
    ProcessingRecordsService,
    RetentionRepository,
    HistoryRetentionRepository,
    RetentionJob,
    RetentionService,
    DataSubjectsRepository,
    DataSubjectsService,
  ],
  exports: [GovernanceState, PolicyDecisionPoint, AuditLog, ReadLog, DatasetsService, OrganisationsService],
})
export class GovernanceModule {}
