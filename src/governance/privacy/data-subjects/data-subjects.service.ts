import { Injectable } from '@nestjs/common';
import { AccessContext } from 'src/common/access/access-context';
import { SqlTransaction } from 'src/database/sql';
import { AuditLog } from 'src/governance/audit/audit-log.service';
import { PolicyDecisionPoint } from 'src/governance/policy-decision-point';
import { Forbidden } from 'src/governance/problems';
import { isPlatformAdmin } from 'src/governance/policy';
import { DataSubjectRequestRefused } from 'src/governance/privacy/data-subjects/data-subject.errors';
import { checkSubjectId, ErasureCount, subjectDigest, SubjectDataset } from 'src/governance/privacy/data-subjects/data-subject';
import { DataSubjectsRepository, HistoryRow } from 'src/governance/privacy/data-subjects/data-subjects.repository';
import { EntityCursor, SubjectEntity } from 'src/governance/privacy/data-subjects/subject-match.sql';

const ENTITY_PAGE = 100;
const HISTORY_PAGE = 1000;

/** A dataset searched by an export, and how many of the subject's entities it holds. */
export interface ExportedDataset extends SubjectDataset {
  readonly entities: number;
}

/** One of the subject's entities, with its history to read page by page. */
export interface ExportedEntity extends SubjectEntity {
  readonly dataset: string;
  readonly history: AsyncIterable<readonly HistoryRow[]>;
}

/** What the platform holds about a subject: read lazily, so that the answer can stream. */
export interface SubjectExport {
  readonly subject: string;
  readonly exportedAt: Date;
  readonly datasets: readonly ExportedDataset[];
  readonly entities: AsyncIterable<ExportedEntity>;
}

export interface ErasureReceipt {
  readonly subject: string;
  readonly erasedAt: string;
  readonly datasets: readonly ErasureCount[];
}

/**
 * GDPR data-subject requests: access (Art. 15) and erasure (Art. 17), over the datasets the caller
 * administers whose personal-data profile says how a subject is identified. Nothing else is
 * searched, so a caller learns nothing of other organisations' data, not even whether they hold
 * some. Every request is audited, one record per organisation concerned, naming the subject by a
 * hash only.
 */
@Injectable()
export class DataSubjectsService {
  constructor(
    private readonly policy: PolicyDecisionPoint,
    private readonly repository: DataSubjectsRepository,
    private readonly audit: AuditLog,
  ) {}

  async export(access: AccessContext, subjectId: string): Promise<SubjectExport> {
    checkSubjectId(subjectId);
    const datasets = await this.scope(access, 'export', subjectId);
    const counts = await this.repository.countEntities(datasets, subjectId);
    const exported = datasets.map((d) => ({ ...d, entities: counts.get(d.dataset) ?? 0 }));
    // Recorded before anything leaves: a disclosure is accountable even if the transfer breaks off.
    await this.repository.transaction((tx) =>
      this.record(tx, access, 'data-subject.exported', subjectId, exported.map((d) => ({ dataset: d.dataset, organisation: d.organisation, entities: d.entities }))),
    );
    const administered = this.policy.administeredDatasets(access);
    return { subject: subjectId, exportedAt: new Date(), datasets: exported, entities: this.entitiesOf(exported, subjectId, administered) };
  }

  /** Erases everything at once: all datasets, their audit records, or nothing. */
  async erase(access: AccessContext, subjectId: string): Promise<ErasureReceipt> {
    checkSubjectId(subjectId);
    const datasets = await this.scope(access, 'erasure', subjectId);
    const erasedAt = new Date();
    const counts = await this.repository.erasing(erasedAt, async (erasure) => {
      const done: ErasureCount[] = [];
      for (const dataset of datasets) done.push(await erasure.eraseIn(dataset, subjectId));
      await this.record(erasure.transaction, access, 'data-subject.erased', subjectId, done);
      return done;
    });
    // The change records are numbered by the sequencer's next poll (CHANGES_POLL_INTERVAL_MS):
    // its in-process wake-up lives in the change module, which depends on this one.
    return { subject: subjectId, erasedAt: erasedAt.toISOString(), datasets: counts };
  }

  /** The datasets to search (see {@link allowedDatasets}); a refusal is audited naming the subject by its hash. */
  private async scope(access: AccessContext, request: 'export' | 'erasure', subjectId: string): Promise<SubjectDataset[]> {
    try {
      return await this.repository.subjectDatasets(this.allowedDatasets(access));
    } catch (error) {
      if (!(error instanceof Forbidden)) throw error;
      const { principal } = access;
      await this.audit.record(principal, {
        event: 'access.refused',
        organisation: error.concerns ?? principal.organisation,
        target: subjectDigest(subjectId),
        details: { request: `data-subject.${request}`, reason: error.detail, caller: principal.organisation ?? null },
      });
      throw new DataSubjectRequestRefused(error.detail ?? 'Forbidden');
    }
  }

  /**
   * The datasets the caller administers. Only people who proved a second factor (tokens with
   * MFA), and the platform's administrator keys; an organisation's keys, even with the admin role,
   * cannot prove a second factor and may not act on a person's data.
   */
  private allowedDatasets(access: AccessContext): string[] {
    this.policy.assertAuthenticated(access);
    const { principal } = access;
    if (principal.kind === 'api-key' && !isPlatformAdmin(principal)) throw new Forbidden("Data-subject requests need a person's token that proves multi-factor authentication, not an API key", principal.organisation);
    const administered = this.policy.administeredDatasets(access);
    if (administered.length === 0) {
      // Says why (no admin role, or no MFA), and names the caller's organisation as the one concerned.
      const own = principal.organisation === undefined ? [] : [principal.organisation];
      this.policy.assertMayAdministerAny(access, own, 'Data-subject requests are for administrators of the organisation that holds the data', principal.organisation);
    }
    return administered;
  }

  /** One audit record per organisation concerned (the caller's own when no dataset was searched). */
  private async record(tx: SqlTransaction, access: AccessContext, event: string, subjectId: string, lines: readonly { organisation: string; dataset: string }[]): Promise<void> {
    const byOrganisation = new Map<string | undefined, object[]>();
    for (const { organisation, ...line } of lines) byOrganisation.set(organisation, [...(byOrganisation.get(organisation) ?? []), line]);
    if (byOrganisation.size === 0) byOrganisation.set(access.principal.organisation, []);
    for (const [organisation, datasets] of byOrganisation) {
      await this.audit.recordIn(tx, access.principal, { event, organisation, target: subjectDigest(subjectId), details: { datasets } });
    }
  }

  private async *entitiesOf(datasets: readonly SubjectDataset[], subjectId: string, administered: readonly string[]): AsyncGenerator<ExportedEntity> {
    for (const dataset of datasets) {
      let after: EntityCursor | undefined;
      for (;;) {
        const page = await this.repository.entityPage(dataset, subjectId, after, ENTITY_PAGE);
        for (const found of page) yield { ...found, dataset: dataset.dataset, history: this.historyOf(found, administered) };
        if (page.length < ENTITY_PAGE) break;
        after = { tenant: page[page.length - 1].tenant, id: page[page.length - 1].entity.id };
      }
    }
  }

  /** The history written under datasets the caller administers (an entity may have moved in from another organisation's). */
  private async *historyOf({ tenant, entity }: SubjectEntity, administered: readonly string[]): AsyncGenerator<readonly HistoryRow[]> {
    let after: HistoryRow | undefined;
    for (;;) {
      const page = await this.repository.historyPage(tenant, entity.id, administered, after, HISTORY_PAGE);
      if (page.length > 0) yield page;
      if (page.length < HISTORY_PAGE) return;
      after = page[page.length - 1];
    }
  }
}
