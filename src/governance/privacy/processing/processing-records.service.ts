import { Injectable } from '@nestjs/common';
import { AccessContext } from 'src/common/access/access-context';
import { AppConfig } from 'src/config/app-config';
import { InjectConfig } from 'src/config/config.module';
import { DatasetRecord, DatasetsRepository } from 'src/governance/datasets/datasets.repository';
import { DatasetsService } from 'src/governance/datasets/datasets.service';
import { GrantsRepository } from 'src/governance/grants/grants.repository';
import { PolicyDecisionPoint } from 'src/governance/policy-decision-point';
import { JsonLdNode, toProcessingDocument, toProcessingRecord, toProcessingRegister } from 'src/governance/privacy/processing/processing-record.mapper';

/** Datasets read per query while building a register; an organisation has tens, not thousands. */
const PAGE = 500;

/**
 * Records of processing (GDPR article 30) built from what the platform already knows: each
 * dataset's personal-data profile, retention, classification and active grants. Whoever may see a
 * dataset's description may see its record; nothing else is disclosed by it.
 */
@Injectable()
export class ProcessingRecordsService {
  constructor(
    private readonly datasets: DatasetsService,
    private readonly datasetsRepository: DatasetsRepository,
    private readonly grants: GrantsRepository,
    private readonly policy: PolicyDecisionPoint,
    @InjectConfig() private readonly config: AppConfig,
  ) {}

  /** The record of one dataset; 404 as for GET /api/v1/datasets/{id} when the caller may not see it. */
  async forDataset(access: AccessContext, id: string): Promise<JsonLdNode> {
    const dataset = await this.datasets.findVisible(access, id);
    return toProcessingDocument(dataset, await this.grants.list(dataset.id, false), this.config.http.publicBaseUrl);
  }

  /**
   * The register of an organisation: a record per dataset of it that holds personal data and that
   * the caller may see. Members and platform admins see every dataset of the organisation already
   * (visibleDatasets includes them), others what they were granted. Retired datasets stay in it:
   * their entities are still stored. An organisation with nothing to show has an empty register,
   * whether or not it exists, as nothing else tells organisations apart.
   */
  async forOrganisation(access: AccessContext, organisation: string): Promise<JsonLdNode> {
    const baseUrl = this.config.http.publicBaseUrl;
    const personal = (await this.visibleDatasetsOf(access, organisation)).filter((d) => d.personalData.category !== 'none');
    const records = [];
    for (const dataset of personal) records.push(toProcessingRecord(dataset, await this.grants.list(dataset.id, false), baseUrl));
    return toProcessingRegister(organisation, records, baseUrl);
  }

  private async visibleDatasetsOf(access: AccessContext, organisation: string): Promise<DatasetRecord[]> {
    const visible = this.policy.visibleDatasets(access);
    const found: DatasetRecord[] = [];
    for (let offset = 0; ; offset += PAGE) {
      const { datasets, total } = await this.datasetsRepository.list({ visible, organisation, includeRetired: true, limit: PAGE, offset });
      found.push(...datasets);
      if (offset + PAGE >= total) return found;
    }
  }
}
