import { Injectable } from '@nestjs/common';
import stableStringify from 'fast-json-stable-stringify';
import { randomUUID } from 'node:crypto';
import { z } from 'zod';
import { AccessContext } from 'src/common/access/access-context';
import { parseBody } from 'src/common/http/parse-body';
import { BadRequestData, ResourceNotFound } from 'src/common/problem/ngsi-ld-errors';
import { AppConfig } from 'src/config/app-config';
import { InjectConfig } from 'src/config/config.module';
import { Sql, SqlTransaction } from 'src/database/sql';
import { AuditLog } from 'src/governance/audit/audit-log.service';
import { toDatasetView } from 'src/governance/datasets/dataset.mapper';
import { DatasetChange, datasetChangeSchema, NewDataset, newDatasetSchema } from 'src/governance/datasets/dataset.schema';
import { DatasetContentService } from 'src/governance/datasets/dataset-content.service';
import { DatasetContent, DatasetRecord, DatasetsRepository } from 'src/governance/datasets/datasets.repository';
import { PolicyDecisionPoint } from 'src/governance/policy-decision-point';
import { ModelRegistry } from 'src/models/model-registry';

export interface DatasetList {
  readonly datasets: Record<string, unknown>[];
  readonly total: number;
}

/** Datasets: the published, classified collections every entity belongs to. Data owners manage them. */
@Injectable()
export class DatasetsService {
  constructor(
    private readonly repository: DatasetsRepository,
    private readonly sql: Sql,
    private readonly content: DatasetContentService,
    private readonly policy: PolicyDecisionPoint,
    private readonly audit: AuditLog,
    private readonly models: ModelRegistry,
    @InjectConfig() private readonly config: AppConfig,
  ) {}

  async create(access: AccessContext, body: unknown): Promise<Record<string, unknown>> {
    this.policy.assertAuthenticated(access);
    const request = parseBody(newDatasetSchema, body);
    const organisation = request.organisation ?? access.principal.organisation;
    if (organisation === undefined) throw new BadRequestData('Name the organisation that publishes the dataset (organisation)');
    this.policy.assertMayAdminister(access, organisation);
    const content = await this.content.prepare(request, organisation, false);
    const id = randomUUID();
    await this.sql.transaction(async (tx) => {
      await this.repository.insert(tx, id, organisation, content);
      const moved = content.entities.length > 0 ? await this.reassign(access, tx, organisation) : 0;
      await this.audit.recordIn(tx, access.principal, {
        event: 'dataset.created',
        target: id,
        organisation,
        details: { classification: classificationOf(content), open: content.open, personalData: content.personalData.category, entitiesMoved: moved },
      });
    });
    return this.view((await this.repository.findById(id))!);
  }

  async get(access: AccessContext, id: string): Promise<Record<string, unknown>> {
    return this.view(await this.findVisible(access, id));
  }

  async list(access: AccessContext, query: { organisation?: string; includeRetired: boolean; limit: number; offset: number }): Promise<DatasetList> {
    const { datasets, total } = await this.repository.list({ ...query, visible: this.policy.visibleDatasets(access) });
    return { datasets: datasets.map((d) => this.view(d)), total };
  }

  async update(access: AccessContext, id: string, body: unknown): Promise<Record<string, unknown>> {
    this.policy.assertAuthenticated(access);
    const change = parseBody(datasetChangeSchema, body);
    await this.findVisible(access, id);
    await this.sql.transaction(async (tx) => {
      const current = await this.repository.lock(tx, id);
      if (!current) throw new ResourceNotFound(`No dataset ${id}`);
      this.policy.assertMayAdminister(access, current.organisation);
      const next = await this.content.prepare(merged(current, change), current.organisation, current.isDefault);
      const retired = change.status === undefined ? current.retiredAt !== null : change.status === 'retired';
      if (retired && current.isDefault) throw new BadRequestData("An organisation's default dataset cannot be retired");
      await this.repository.update(tx, id, next, retired);
      const rulesChanged = stableStringify(next.entities) !== stableStringify(current.entities);
      const moved = rulesChanged || retired !== (current.retiredAt !== null) ? await this.reassign(access, tx, current.organisation) : 0;
      await this.auditChange(access, current, next, retired, moved, tx);
    });
    return this.view((await this.repository.findById(id))!);
  }

  retire(access: AccessContext, id: string): Promise<Record<string, unknown>> {
    return this.update(access, id, { status: 'retired' });
  }

  /** Re-places the organisation's entities after a rule change; returns how many moved. */
  private async reassign(access: AccessContext, tx: SqlTransaction, organisation: string): Promise<number> {
    const { dataset, created } = await this.repository.ensureDefault(tx, organisation);
    if (created) await this.audit.recordDefaultDataset(tx, access.principal, organisation, dataset);
    return this.repository.reassignEntities(tx, organisation);
  }

  /** A dataset the caller may know of; others are absent (404), whether or not they exist. */
  async findVisible(access: AccessContext, id: string): Promise<DatasetRecord> {
    const record = z.uuid().safeParse(id).success ? await this.repository.findById(id) : undefined;
    if (!record || !this.policy.visibleDatasets(access).includes(record.id)) throw new ResourceNotFound(`No dataset ${id}`);
    return record;
  }

  /** Audits a change; `moved` counts the organisation's entities that changed dataset with it. */
  private async auditChange(
    access: AccessContext,
    current: DatasetRecord,
    next: DatasetContent,
    retired: boolean,
    moved: number,
    tx: SqlTransaction,
  ) {
    const base = { target: current.id, organisation: current.organisation };
    const before = { ...classificationOf(current), open: current.open };
    const after = { ...classificationOf(next), open: next.open };
    if (stableStringify(before) !== stableStringify(after)) {
      await this.audit.recordIn(tx, access.principal, { ...base, event: 'dataset.classification-changed', details: { from: before, to: after } });
    }
    if (retired !== (current.retiredAt !== null)) {
      await this.audit.recordIn(tx, access.principal, { ...base, event: retired ? 'dataset.retired' : 'dataset.reactivated', details: { entitiesMoved: moved } });
    }
    // Stable JSON: PostgreSQL returns jsonb keys in its own order.
    const changed = (Object.keys(next) as (keyof DatasetContent)[]).filter((key) => stableStringify(next[key]) !== stableStringify(current[key]));
    if (changed.length > 0) await this.audit.recordIn(tx, access.principal, { ...base, event: 'dataset.updated', details: { changed, entitiesMoved: moved } });
  }

  private view(record: DatasetRecord): Record<string, unknown> {
    const dataModel = record.conformsTo ? this.models.bySchemaUrl(record.conformsTo)?.name : undefined;
    return toDatasetView({ ...record, dataModel }, this.config.http.publicBaseUrl);
  }
}

/** The current dataset with a change applied, in the shape of a new-dataset request (null clears a field). */
function merged(current: DatasetRecord, change: DatasetChange): Omit<NewDataset, 'organisation'> {
  const pick = <T>(given: T | null | undefined, was: T | null): T | undefined => (given === undefined ? (was ?? undefined) : (given ?? undefined));
  return {
    title: change.title ?? current.title,
    description: change.description ?? current.description,
    keywords: change.keywords ?? current.keywords,
    themes: change.themes ?? (current.themes as NewDataset['themes']),
    licence: pick(change.licence, current.licence),
    contactPoint: pick(change.contactPoint, current.contactPoint),
    updateFrequency: pick(change.updateFrequency, current.updateFrequency as NewDataset['updateFrequency'] | null),
    spatialCoverage: pick(change.spatialCoverage, current.spatialCoverage as NewDataset['spatialCoverage'] | null),
    hvdCategory: pick(change.hvdCategory, current.hvdCategory),
    // Stored types are IRIs already; expanding an IRI again leaves it as it is.
    entities: change.entities ?? current.entities,
    jsonldContext: pick(change.jsonldContext, current.jsonldContext),
    conformsTo: pick(change.conformsTo, current.conformsTo),
    classification: change.classification ?? classificationOf(current),
    open: change.open ?? current.open,
    listedInCatalog: change.listedInCatalog ?? current.listedInCatalog,
    personalData: (change.personalData ?? current.personalData) as NewDataset['personalData'],
    retentionPeriod: pick(change.retentionPeriod, current.retentionPeriod),
    retentionIncludesCurrentValues: change.retentionIncludesCurrentValues ?? current.retentionIncludesCurrentValues,
  };
}

function classificationOf(d: { confidentiality: number; integrity: number; availability: number }) {
  return { confidentiality: d.confidentiality, integrity: d.integrity, availability: d.availability };
}
