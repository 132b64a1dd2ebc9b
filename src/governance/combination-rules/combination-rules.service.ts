import { Injectable } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { z } from 'zod';
import { AccessContext } from 'src/common/access/access-context';
import { parseBody } from 'src/common/http/parse-body';
import { BadRequestData, ResourceNotFound } from 'src/common/problem/ngsi-ld-errors';
import { Sql } from 'src/database/sql';
import { newRuleSchema } from 'src/governance/combination-rules/combination-rule.schema';
import { AuditLog } from 'src/governance/audit/audit-log.service';
import { CombinationRuleRecord, CombinationRulesRepository } from 'src/governance/combination-rules/combination-rules.repository';
import { PolicyDecisionPoint } from 'src/governance/policy-decision-point';


export interface CombinationRuleView {
  id: string;
  name: string;
  datasets: string[];
  confidentiality: number;
  createdBy: string;
  created: string;
}

/**
 * Combination rules: the confidentiality a set of datasets has together (positions and times of
 * people counters may be harmless apart and personal together). Made by platform admins or by
 * admins of an organisation that publishes one of the datasets; audited.
 */
@Injectable()
export class CombinationRulesService {
  constructor(
    private readonly repository: CombinationRulesRepository,
    private readonly sql: Sql,
    private readonly policy: PolicyDecisionPoint,
    private readonly audit: AuditLog,
  ) {}

  async create(access: AccessContext, body: unknown): Promise<CombinationRuleView> {
    this.policy.assertAuthenticated(access);
    const request = parseBody(newRuleSchema, body);
    const visible = new Set(this.policy.visibleDatasets(access));
    const unknown = request.datasets.filter((id) => !visible.has(id));
    if (unknown.length > 0) throw new BadRequestData(`No datasets ${unknown.join(', ')}`);
    this.assertMayManage(access, request.datasets);
    const rule = await this.sql.transaction(async (tx) => {
      const inserted = await this.repository.insert(tx, { id: randomUUID(), ...request, createdBy: access.principal.subject });
      // Each organisation whose data the rule covers gets the record.
      for (const organisation of ownersOf(access, request.datasets)) {
        await this.audit.recordIn(tx, access.principal, { event: 'combination-rule.created', target: inserted.id, organisation, details: { ...request } });
      }
      return inserted;
    });
    return toView(rule);
  }

  /** Rules whose datasets the caller may all know of (all rules for platform admins). */
  async list(access: AccessContext): Promise<CombinationRuleView[]> {
    this.policy.assertAuthenticated(access);
    const visible = new Set(this.policy.visibleDatasets(access));
    return (await this.repository.list()).filter((rule) => rule.datasets.every((id) => visible.has(id))).map(toView);
  }

  async get(access: AccessContext, id: string): Promise<CombinationRuleView> {
    return toView(await this.findVisible(access, id));
  }

  async delete(access: AccessContext, id: string): Promise<void> {
    const rule = await this.findVisible(access, id);
    this.assertMayManage(access, rule.datasets);
    await this.sql.transaction(async (tx) => {
      if (!(await this.repository.delete(tx, id))) return;
      for (const organisation of ownersOf(access, rule.datasets)) {
        await this.audit.recordIn(tx, access.principal, {
          event: 'combination-rule.deleted',
          target: id,
          organisation,
          details: { name: rule.name, datasets: rule.datasets, confidentiality: rule.confidentiality },
        });
      }
    });
  }

  private async findVisible(access: AccessContext, id: string): Promise<CombinationRuleRecord> {
    this.policy.assertAuthenticated(access);
    const rule = z.uuid().safeParse(id).success ? await this.repository.find(id) : undefined;
    const visible = new Set(this.policy.visibleDatasets(access));
    if (!rule || !rule.datasets.every((d) => visible.has(d))) throw new ResourceNotFound(`No combination rule ${id}`);
    return rule;
  }

  private assertMayManage(access: AccessContext, datasets: readonly string[]): void {
    this.policy.assertMayAdministerAny(
      access,
      ownersOf(access, datasets),
      'Only platform admins, or admins of an organisation publishing one of the datasets, manage this rule',
    );
  }
}

function ownersOf(access: AccessContext, datasets: readonly string[]): string[] {
  return [...new Set(datasets.map((id) => access.governance.datasets.get(id)?.organisation).filter((o): o is string => o !== undefined))];
}

function toView(rule: CombinationRuleRecord): CombinationRuleView {
  return { id: rule.id, name: rule.name, datasets: rule.datasets, confidentiality: rule.confidentiality, createdBy: rule.createdBy, created: rule.createdAt.toISOString() };
}
