import { Injectable, Logger } from '@nestjs/common';
import { AccessContext } from 'src/common/access/access-context';
import { Principal } from 'src/auth/principal';
import { Sql, SqlTransaction } from 'src/database/sql';
import { AppConfig } from 'src/config/app-config';
import { InjectConfig } from 'src/config/config.module';
import { AuditQuery, AuditLogRepository, AuditSnapshot } from 'src/governance/audit/audit-log.repository';
import { ChainedAuditEntry, ChainVerdict, verifyChain } from 'src/governance/audit/audit-chain';
import { headProblem } from 'src/governance/audit/audit-head';
import { PolicyDecisionPoint } from 'src/governance/policy-decision-point';
import { isPlatformAdmin } from 'src/governance/policy';
import { CombinationRuleFacts } from 'src/governance/governance-snapshot';

/** The verdict on the whole log: the chain, and whether its head says records are missing. */
export interface AuditVerdict extends ChainVerdict {
  /** The head as found, to note down elsewhere: a later head that names an older record was rewound. */
  readonly head: { readonly seq: string; readonly hash: string; readonly signed: boolean } | null;
}

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
  /** The newest record this process wrote and saw committed (records of `record`). */
  private newestWrittenSeq: bigint | undefined;

  constructor(
    private readonly repository: AuditLogRepository,
    private readonly sql: Sql,
    private readonly policy: PolicyDecisionPoint,
    @InjectConfig() private readonly config: AppConfig,
  ) {}

  /** Appends the record inside `tx`; resolves to its seq. */
  recordIn(tx: SqlTransaction, principal: Principal, event: AuditEvent): Promise<string> {
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
  recordDefaultDataset(tx: SqlTransaction, principal: Principal, organisation: string, datasetId: string): Promise<string> {
    return this.recordIn(tx, principal, {
      event: 'dataset.created',
      target: datasetId,
      organisation,
      details: { isDefault: true, classification: { confidentiality: 2, integrity: 1, availability: 1 }, open: false, personalData: 'none' },
    });
  }

  /** Records an event that changes nothing else. Never fails the request it describes. */
  /**
   * A read refused by a combination rule, recorded for the organisation whose data was about to be
   * combined (so that its admins see it); `where` names the door (a stream, a subscription).
   */
  recordCombinationRefusal(access: AccessContext, rule: Pick<CombinationRuleFacts, 'id' | 'name' | 'datasets'>, where: Record<string, unknown> = {}): Promise<void> {
    return this.record(access.principal, {
      event: 'access.refused',
      target: rule.id,
      organisation: access.governance.datasets.get(rule.datasets[0])?.organisation,
      details: { reason: 'combination-rule', rule: rule.name, ...where, caller: access.principal.organisation ?? null },
    });
  }

  async record(principal: Principal, event: AuditEvent): Promise<void> {
    try {
      const seq = BigInt(await this.sql.transaction((tx) => this.recordIn(tx, principal, event)));
      if (this.newestWrittenSeq === undefined || seq > this.newestWrittenSeq) this.newestWrittenSeq = seq;
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

  /**
   * Walks the whole chain, a page at a time, then holds its end against the head: a chain that
   * links can still have lost its newest records, which only the head shows.
   */
  async verify(access: AccessContext): Promise<AuditVerdict> {
    this.policy.assertPlatformAdmin(access);
    return this.repository.inSnapshot((snapshot) => this.verifySnapshot(snapshot));
  }

  private async verifySnapshot({ head, pages }: AuditSnapshot): Promise<AuditVerdict> {
    const shownHead = head ? { seq: head.seq, hash: head.hash, signed: head.signature !== null } : null;
    let previous: string | undefined;
    let newest: ChainedAuditEntry | undefined;
    let checked = 0;
    for await (const page of pages) {
      const { lastHash, ...verdict } = verifyChain(page, previous);
      checked += verdict.checked;
      if (!verdict.valid) return this.reported({ ...verdict, checked, head: shownHead });
      previous = lastHash;
      newest = page[page.length - 1];
    }
    const problem = headProblem({ head, newest, signingKey: this.config.security.auditSigningKey, newestWrittenSeq: this.newestWrittenSeq });
    return problem ? this.reported({ valid: false, checked, reason: problem, head: shownHead }) : { valid: true, checked, head: shownHead };
  }

  /** A failed verification goes to the log too, which is usually shipped off the machine. */
  private reported(verdict: AuditVerdict): AuditVerdict {
    this.logger.error({ msg: 'The audit log does not verify', ...verdict });
    return verdict;
  }
}
