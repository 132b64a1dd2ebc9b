import { defaultView } from 'src/governance/policy';
import { Injectable } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { z } from 'zod';
import { AccessContext } from 'src/common/access/access-context';
import { parseBody } from 'src/common/http/parse-body';
import { BadRequestData, ResourceNotFound } from 'src/common/problem/ngsi-ld-errors';
import { Sql } from 'src/database/sql';
import { newGrantSchema } from 'src/governance/grants/grant.schema';
import { AuditLog } from 'src/governance/audit/audit-log.service';
import { DatasetsService } from 'src/governance/datasets/datasets.service';
import { GrantRecord, GrantsRepository } from 'src/governance/grants/grants.repository';
import { PolicyDecisionPoint } from 'src/governance/policy-decision-point';

const API_KEY_PRINCIPAL = /^api-key:[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;


export interface GrantView {
  id: string;
  dataset: string;
  organisation?: string;
  principal?: string;
  view: 'full' | 'minimised';
  status: 'active' | 'revoked';
  createdBy: string;
  created: string;
  revoked?: string;
}

/** Grants of read access to a dataset, to organisations or to principals. Managed by the dataset's organisation admins, audited. */
@Injectable()
export class GrantsService {
  constructor(
    private readonly repository: GrantsRepository,
    private readonly datasets: DatasetsService,
    private readonly sql: Sql,
    private readonly policy: PolicyDecisionPoint,
    private readonly audit: AuditLog,
  ) {}

  async create(access: AccessContext, datasetId: string, body: unknown): Promise<{ grant: GrantView; created: boolean }> {
    const dataset = await this.datasets.findVisible(access, datasetId);
    this.policy.assertMayAdminister(access, dataset.organisation);
    const request = parseBody(newGrantSchema, body);
    const [granteeKind, grantee] = 'organisation' in request ? (['organisation', request.organisation] as const) : (['principal', request.principal] as const);
    if (dataset.isDefault) throw new BadRequestData("An organisation's default dataset holds what no rule claims and is not shared; put the entities in a dataset of their own and grant that");
    if (granteeKind === 'organisation' && grantee === dataset.organisation) throw new BadRequestData(`${grantee} publishes this dataset and reads it already`);
    if (grantee.startsWith('api-key:') && !API_KEY_PRINCIPAL.test(grantee)) throw new BadRequestData('An API key principal is api-key:<key id>');
    return this.sql.transaction(async (tx) => {
      const view = request.view ?? null;
      const existing = await this.repository.findActive(tx, dataset.id, granteeKind, grantee);
      if (existing?.view === view) return { grant: toView(existing, dataset), created: false };
      // Another view for the same grantee replaces the grant (the old one stays, revoked, for the record).
      if (existing) await this.repository.revoke(tx, dataset.id, existing.id);
      const grant = await this.repository.insert(tx, { id: randomUUID(), datasetId: dataset.id, granteeKind, grantee, view, createdBy: access.principal.subject });
      await this.audit.recordIn(tx, access.principal, {
        event: 'grant.created',
        target: dataset.id,
        organisation: dataset.organisation,
        details: { grant: grant.id, [granteeKind]: grantee, confidentiality: dataset.confidentiality, view: effectiveView(grant, dataset), ...(existing ? { replaces: existing.id } : {}) },
      });
      return { grant: toView(grant, dataset), created: true };
    });
  }

  async list(access: AccessContext, datasetId: string, includeRevoked: boolean): Promise<GrantView[]> {
    const dataset = await this.datasets.findVisible(access, datasetId);
    this.policy.assertMayAdminister(access, dataset.organisation);
    return (await this.repository.list(dataset.id, includeRevoked)).map((grant) => toView(grant, dataset));
  }

  async get(access: AccessContext, datasetId: string, id: string): Promise<GrantView> {
    const dataset = await this.datasets.findVisible(access, datasetId);
    this.policy.assertMayAdminister(access, dataset.organisation);
    const grant = z.uuid().safeParse(id).success ? await this.repository.find(dataset.id, id) : undefined;
    if (!grant) throw new ResourceNotFound(`No grant ${id} on dataset ${datasetId}`);
    return toView(grant, dataset);
  }

  async revoke(access: AccessContext, datasetId: string, id: string): Promise<void> {
    const grant = await this.get(access, datasetId, id);
    const { organisation } = await this.datasets.findVisible(access, datasetId);
    await this.sql.transaction(async (tx) => {
      if (!(await this.repository.revoke(tx, datasetId, id))) return;
      await this.audit.recordIn(tx, access.principal, {
        event: 'grant.revoked',
        target: datasetId,
        organisation,
        details: { grant: id, ...(grant.organisation ? { organisation: grant.organisation } : { principal: grant.principal }) },
      });
    });
  }
}

/** The view a grant gives: as it says, else minimised for personal data and full otherwise. */
function effectiveView(grant: GrantRecord, dataset: { personalData: { category: string } }): 'full' | 'minimised' {
  return grant.view ?? defaultView(dataset.personalData.category !== 'none');
}

function toView(grant: GrantRecord, dataset: { personalData: { category: string } }): GrantView {
  return {
    id: grant.id,
    dataset: grant.datasetId,
    [grant.granteeKind]: grant.grantee,
    view: effectiveView(grant, dataset),
    status: grant.revokedAt ? 'revoked' : 'active',
    createdBy: grant.createdBy,
    created: grant.createdAt.toISOString(),
    ...(grant.revokedAt ? { revoked: grant.revokedAt.toISOString() } : {}),
  };
}
