import { Injectable } from '@nestjs/common';
import stableStringify from 'fast-json-stable-stringify';
import { AccessContext } from 'src/common/access/access-context';
import { parseBody } from 'src/common/http/parse-body';
import { ResourceNotFound } from 'src/common/problem/ngsi-ld-errors';
import { ORGANISATION, AppConfig } from 'src/config/app-config';
import { InjectConfig } from 'src/config/config.module';
import { Sql } from 'src/database/sql';
import { AuditLog } from 'src/governance/audit/audit-log.service';
import { OrganisationNotRegistered } from 'src/governance/organisations/organisation.errors';
import { toOrganisationView } from 'src/governance/organisations/organisation.mapper';
import { newOrganisationSchema, OrganisationChange, organisationChangeSchema } from 'src/governance/organisations/organisation.schema';
import { OrganisationContent, OrganisationRecord, OrganisationsRepository } from 'src/governance/organisations/organisations.repository';
import { PolicyDecisionPoint } from 'src/governance/policy-decision-point';
import { isPlatformAdmin } from 'src/governance/policy';
import { Forbidden } from 'src/governance/problems';

export interface OrganisationList {
  readonly organisations: Record<string, unknown>[];
  readonly total: number;
}

/** What an organisation's own admins may change; the rest is for platform administrators. */
const OWN_ADMIN_FIELDS: readonly (keyof OrganisationChange)[] = ['contactPoint'];

/**
 * The registry of member organisations, so that a catalog can name its publishers. Organisations
 * are public facts (names, organisation numbers, contact points published anyway), so anyone reads
 * them; platform administrators register and change them, an organisation's admins its contact.
 */
@Injectable()
export class OrganisationsService {
  constructor(
    private readonly repository: OrganisationsRepository,
    private readonly sql: Sql,
    private readonly policy: PolicyDecisionPoint,
    private readonly audit: AuditLog,
    @InjectConfig() private readonly config: AppConfig,
  ) {}

  async create(access: AccessContext, body: unknown): Promise<Record<string, unknown>> {
    this.policy.assertPlatformAdmin(access);
    const request = parseBody(newOrganisationSchema, body);
    const content: OrganisationContent = { ...request, homepage: request.homepage ?? null, contactPoint: request.contactPoint ?? null };
    await this.sql.transaction(async (tx) => {
      await this.repository.insert(tx, request.id, content);
      await this.audit.recordIn(tx, access.principal, {
        event: 'organisation.created',
        target: request.id,
        organisation: request.id,
        details: { kind: content.kind, organisationNumber: content.organisationNumber },
      });
    });
    return this.view((await this.repository.findById(request.id))!);
  }

  async get(_access: AccessContext, id: string): Promise<Record<string, unknown>> {
    return this.view(await this.find(id));
  }

  async list(_access: AccessContext, query: { limit: number; offset: number }): Promise<OrganisationList> {
    const { organisations, total } = await this.repository.list(query);
    return { organisations: organisations.map((o) => this.view(o)), total };
  }

  async update(access: AccessContext, id: string, body: unknown): Promise<Record<string, unknown>> {
    this.policy.assertAuthenticated(access);
    const change = parseBody(organisationChangeSchema, body);
    await this.find(id);
    await this.sql.transaction(async (tx) => {
      const current = await this.repository.lock(tx, id);
      if (!current) throw new ResourceNotFound(`No organisation ${id}`);
      this.assertMayChange(access, id, change);
      const before = contentOf(current);
      const next: OrganisationContent = {
        name: change.name ?? before.name,
        organisationNumber: change.organisationNumber ?? before.organisationNumber,
        kind: change.kind ?? before.kind,
        homepage: change.homepage === undefined ? before.homepage : change.homepage,
        contactPoint: change.contactPoint === undefined ? before.contactPoint : change.contactPoint,
      };
      const changed = (Object.keys(next) as (keyof OrganisationContent)[]).filter((key) => stableStringify(next[key]) !== stableStringify(before[key]));
      if (changed.length === 0) return;
      await this.repository.update(tx, id, next);
      await this.audit.recordIn(tx, access.principal, { event: 'organisation.updated', target: id, organisation: id, details: { changed } });
    });
    return this.view((await this.repository.findById(id))!);
  }

  /**
   * Refuses (409 organisation-not-registered) an organisation the registry does not know. The
   * catalog calls it before publishing a dataset, so that every published dataset names a
   * publisher. It checks a fact, not an act of the caller, so it takes no AccessContext.
   */
  async assertRegistered(id: string): Promise<void> {
    if (!ORGANISATION.test(id) || !(await this.repository.findById(id))) throw new OrganisationNotRegistered(id);
  }

  /** Platform admins change anything; an organisation's own admins (with MFA) its contact point only; others nothing. */
  private assertMayChange(access: AccessContext, id: string, change: OrganisationChange): void {
    if (isPlatformAdmin(access.principal)) return;
    this.policy.assertMayAdminister(access, id);
    const others = (Object.keys(change) as (keyof OrganisationChange)[]).filter((key) => !OWN_ADMIN_FIELDS.includes(key));
    if (others.length > 0) {
      throw new Forbidden(`An organisation's own administrators may change only its contactPoint; ${others.join(', ')} only platform administrators`, id);
    }
  }

  /** Absent is 404; ids that cannot be an organisation are absent too, without asking the database. */
  private async find(id: string): Promise<OrganisationRecord> {
    const record = ORGANISATION.test(id) ? await this.repository.findById(id) : undefined;
    if (!record) throw new ResourceNotFound(`No organisation ${id}`);
    return record;
  }

  private view(record: OrganisationRecord): Record<string, unknown> {
    return toOrganisationView(record, this.config.http.publicBaseUrl);
  }
}

function contentOf(record: OrganisationRecord): OrganisationContent {
  return {
    name: { sv: record.nameSv, ...(record.nameEn !== null ? { en: record.nameEn } : {}) },
    organisationNumber: record.organisationNumber,
    kind: record.kind,
    homepage: record.homepage,
    contactPoint:
      record.contactName !== null && record.contactEmail !== null
        ? { name: record.contactName, email: record.contactEmail, ...(record.contactPhone !== null ? { phone: record.contactPhone } : {}) }
        : null,
  };
}
