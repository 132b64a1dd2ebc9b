import { Injectable } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { z } from 'zod';
import { AccessContext } from 'src/common/access/access-context';
import { parseBody } from 'src/common/http/parse-body';
import { BadRequestData, ResourceNotFound } from 'src/common/problem/ngsi-ld-errors';
import { Sql, SqlTransaction } from 'src/database/sql';
import { ApiKeyRecord, ApiKeysRepository } from 'src/auth/api-keys/api-keys.repository';
import { issueSecret } from 'src/auth/api-keys/api-key-secret';
import { newApiKeySchema } from 'src/auth/api-keys/api-key.schema';
import { Principal } from 'src/auth/principal';
import { AuditLog } from 'src/governance/audit/audit-log.service';
import { isPlatformAdmin } from 'src/governance/policy';
import { PolicyDecisionPoint } from 'src/governance/policy-decision-point';
import { Forbidden } from 'src/governance/problems';


export interface ApiKeyView {
  id: string;
  name: string;
  organisation: string;
  read: boolean;
  write: boolean;
  roles: string[];
  datasets?: string[];
  expiresAt?: string;
  purpose?: string;
  revokedAt?: string;
  status: 'active' | 'expired' | 'revoked';
  createdBy: string;
  createdAt: string;
}

/** API keys for machines: issued by an organisation's admins, shown once, stored hashed, revocable. */
@Injectable()
export class ApiKeysService {
  constructor(
    private readonly repository: ApiKeysRepository,
    private readonly sql: Sql,
    private readonly policy: PolicyDecisionPoint,
    private readonly audit: AuditLog,
  ) {}

  async create(access: AccessContext, body: unknown): Promise<ApiKeyView & { key: string }> {
    this.policy.assertAuthenticated(access);
    const request = parseBody(newApiKeySchema, body);
    const organisation = request.organisation ?? access.principal.organisation;
    if (organisation === undefined) throw new BadRequestData('Name the organisation the key acts for');
    this.policy.assertMayAdminister(access, organisation);
    // Administrator keys make administrators; only platform administrators hand those out.
    if (request.roles.some((role) => role !== 'writer') && !isPlatformAdmin(access.principal)) {
      throw new Forbidden('Only platform administrators issue keys with the admin or platform-admin role');
    }
    if (request.expiresAt && Date.parse(request.expiresAt) <= Date.now()) throw new BadRequestData('expiresAt must be in the future');
    // Datasets the issuer cannot see are as unknown as absent ones (their existence is not revealed).
    const visible = new Set(this.policy.visibleDatasets(access));
    const unknown = (request.datasets ?? []).filter((id) => !visible.has(id));
    if (unknown.length > 0) throw new BadRequestData(`No datasets ${unknown.join(', ')}`);
    const created = await this.issue(access.principal, {
      name: request.name,
      organisation,
      roles: request.roles,
      canRead: request.read,
      canWrite: request.write,
      datasets: request.datasets ?? null,
      expiresAt: request.expiresAt ? new Date(request.expiresAt) : null,
      purpose: request.purpose ?? null,
    });
    return created!;
  }

  /**
   * Issues a key and audits it in one transaction; also bootstraps the first administrator key,
   * when `precondition` (checked inside the transaction) holds. Undefined when it did not.
   */
  async issue(
    issuer: Principal,
    key: Omit<ApiKeyRecord, 'id' | 'revokedAt' | 'createdAt' | 'createdBy'>,
    precondition?: (tx: SqlTransaction) => Promise<boolean>,
  ): Promise<(ApiKeyView & { key: string }) | undefined> {
    const id = randomUUID();
    const { token, secretHash } = issueSecret(id);
    const record = await this.sql.transaction(async (tx) => {
      if (precondition && !(await precondition(tx))) return undefined;
      const inserted = await this.repository.insert(tx, { ...key, id, secretHash, createdBy: issuer.subject });
      await this.audit.recordIn(tx, issuer, {
        event: 'api-key.created',
        target: id,
        organisation: key.organisation,
        details: { name: key.name, roles: key.roles, read: key.canRead, write: key.canWrite, datasets: key.datasets, expiresAt: key.expiresAt },
      });
      return inserted;
    });
    return record && { ...toView(record), key: token };
  }

  async list(access: AccessContext, organisation: string | undefined): Promise<ApiKeyView[]> {
    const scope = organisation ?? (isPlatformAdmin(access.principal) ? undefined : access.principal.organisation);
    if (scope === undefined) this.policy.assertPlatformAdmin(access);
    else this.policy.assertMayAdminister(access, scope);
    return (await this.repository.findByOrganisation(scope)).map(toView);
  }

  async get(access: AccessContext, id: string): Promise<ApiKeyView> {
    return toView(await this.findAdministered(access, id));
  }

  async revoke(access: AccessContext, id: string): Promise<void> {
    const key = await this.findAdministered(access, id);
    await this.sql.transaction(async (tx) => {
      if (!(await this.repository.revoke(tx, id))) return;
      await this.audit.recordIn(tx, access.principal, { event: 'api-key.revoked', target: id, organisation: key.organisation, details: { name: key.name } });
    });
  }

  /** A key of an organisation the caller administers; others look absent. */
  private async findAdministered(access: AccessContext, id: string): Promise<ApiKeyRecord> {
    this.policy.assertAuthenticated(access);
    const key = z.uuid().safeParse(id).success ? await this.repository.findById(id) : undefined;
    if (!key || !this.policy.isMemberOf(access, key.organisation)) throw new ResourceNotFound(`No API key ${id}`);
    this.policy.assertMayAdminister(access, key.organisation);
    return key;
  }
}

function toView(record: ApiKeyRecord): ApiKeyView {
  const expired = record.expiresAt !== null && record.expiresAt.getTime() <= Date.now();
  return {
    id: record.id,
    name: record.name,
    organisation: record.organisation,
    read: record.canRead,
    write: record.canWrite,
    roles: record.roles,
    ...(record.datasets ? { datasets: record.datasets } : {}),
    ...(record.expiresAt ? { expiresAt: record.expiresAt.toISOString() } : {}),
    ...(record.purpose ? { purpose: record.purpose } : {}),
    ...(record.revokedAt ? { revokedAt: record.revokedAt.toISOString() } : {}),
    status: record.revokedAt ? 'revoked' : expired ? 'expired' : 'active',
    createdBy: record.createdBy,
    createdAt: record.createdAt.toISOString(),
  };
}
