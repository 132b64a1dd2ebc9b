import { Injectable, Logger } from '@nestjs/common';
import { AccessContext } from 'src/common/access/access-context';
import { Principal } from 'src/auth/principal';
import { Sql, SqlTransaction } from 'src/database/sql';
import { AuditQuery, AuditLogRepository } from 'src/governance/audit/audit-log.repository';
import { ChainedAuditEntry, ChainVerdict, verifyChain } from 'src/governance/audit/audit-chain';
import { PolicyDecisionPoint } from 'src/governance/policy-decision-point';
import { isPlatformAdmin } from 'src/governance/policy';

export interface AuditEvent {
  readonly event: string;
  readonly target?: string;
  readonly organisation?: string;
  readonly details?: Record<string, unknown>;
}

/**
 * The audit log. Governance changes are recorded in their own transaction (`recordIn`), so a
 * change and its record commit together or not at all; refusals and failed authentications,
 * which change nothing, are recorded on their own (`record`).
 */
@Injectable()
export class AuditLog {
  private readonly logger = new Logger('audit');

  constructor(
    private readonly repository: AuditLogRepository,
    private readonly sql: Sql,
    private readonly policy: PolicyDecisionPoint,
  ) {}

  recordIn(tx: SqlTransaction, principal: Principal, event: AuditEvent): Promise<void> {
    return this.repository.append(tx, {
      at: new Date(),
      actor: principal.subject,
      organisation: event.organisation ?? principal.organisation ?? null,
      event: event.event,
      target: event.target ?? null,
      details: event.details ?? {},
    });
  }

  /** An organisation's default dataset was created on first need (by a write, or by its first dataset rules). */
  recordDefaultDataset(tx: SqlTransaction, principal: Principal, organisation: string, datasetId: string): Promise<void> {
    return this.recordIn(tx, principal, {
      event: 'dataset.created',
      target: datasetId,
      organisation,
      details: { isDefault: true, classification: { confidentiality: 2, integrity: 1, availability: 1 }, open: false, personalData: 'none' },
    });
  }

  /** Records an event that changes nothing else. Never fails the request it describes. */
  async record(principal: Principal, event: AuditEvent): Promise<void> {
    try {
      await this.sql.transaction((tx) => this.recordIn(tx, principal, event));
    } catch (error) {
      this.logger.error(`Could not write the audit record ${event.event}: ${(error as Error).message}`);
    }
  }

  /** Platform admins read every record; an organisation's admins read the records about it. */
  async read(access: AccessContext, query: AuditQuery): Promise<ChainedAuditEntry[]> {
    const organisation = query.organisation ?? (isPlatformAdmin(access.principal) ? undefined : access.principal.organisation);
    if (organisation === undefined) this.policy.assertPlatformAdmin(access);
    else this.policy.assertMayAdminister(access, organisation);
    return this.repository.find({ ...query, organisation });
  }

  /** Walks the whole chain, a page at a time. */
  async verify(access: AccessContext): Promise<ChainVerdict> {
    this.policy.assertPlatformAdmin(access);
    let previous: string | undefined;
    let checked = 0;
    for await (const page of this.repository.allInOrder()) {
      const { lastHash, ...verdict } = verifyChain(page, previous);
      checked += verdict.checked;
      if (!verdict.valid) return { ...verdict, checked };
      previous = lastHash;
    }
    return { valid: true, checked };
  }
}
