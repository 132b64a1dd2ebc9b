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
import { ContextCompiler } from 'src/jsonld/context-compiler';
import { CompiledContext } from 'src/jsonld/compiled-context';
import { expandName } from 'src/ngsi-ld/query/entity-filter';
import { AuditLog } from 'src/governance/audit/audit-log.service';
import { datasetInconsistencies } from 'src/governance/datasets/dataset-consistency';
import { toDatasetView } from 'src/governance/datasets/dataset.mapper';
import { DatasetChange, datasetChangeSchema, EntityRuleInput, NewDataset, newDatasetSchema, PersonalDataProfile } from 'src/governance/datasets/dataset.schema';
import { DatasetContent, DatasetRecord, DatasetsRepository, EntityRule } from 'src/governance/datasets/datasets.repository';
import { PolicyDecisionPoint } from 'src/governance/policy-decision-point';
import { DataModel } from 'src/models/data-model';
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
    private readonly contexts: ContextCompiler,
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
    const content = await this.contentOf(request);
    this.assertConsistent(content, false);
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
      const next = await this.contentOf(merged(current, change));
      this.assertConsistent(next, current.isDefault);
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

  /** Request fields as stored: entity types expanded with the dataset's @context (or the core context), patterns checked. */
  private async contentOf(request: Omit<NewDataset, 'organisation'>): Promise<DatasetContent> {
    const context = await this.contexts.compile(request.jsonldContext ?? undefined);
    const entities = request.entities.map((rule: EntityRuleInput): EntityRule => ({
      ...(rule.type !== undefined ? { type: expandName(context.compiled, rule.type, 'entities: type') } : {}),
      ...(rule.tenant !== undefined ? { tenant: rule.tenant } : {}),
      ...(rule.idPattern !== undefined ? { idPattern: rule.idPattern } : {}),
    }));
    await this.repository.checkPatterns(entities.flatMap((rule) => (rule.idPattern ? [rule.idPattern] : [])));
    return {
      title: request.title,
      description: request.description,
      keywords: request.keywords,
      themes: request.themes,
      licence: request.licence ?? null,
      contactPoint: request.contactPoint ?? null,
      updateFrequency: request.updateFrequency ?? null,
      spatialCoverage: request.spatialCoverage ?? null,
      hvdCategory: request.hvdCategory ?? null,
      ...request.classification,
      open: request.open,
      personalData: expandedProfile(context.compiled, request.personalData),
      retentionPeriod: request.retentionPeriod ?? null,
      retentionIncludesCurrentValues: request.retentionIncludesCurrentValues,
      jsonldContext: request.jsonldContext ?? null,
      conformsTo: request.conformsTo === undefined ? null : this.modelOf(request.conformsTo).schemaUrl,
      entities,
    };
  }

  private assertConsistent(content: DatasetContent, isDefault: boolean): void {
    const problems = datasetInconsistencies(content, isDefault);
    if (problems.length > 0) throw new BadRequestData(`The dataset is not consistent: ${problems.join('; ')}`);
  }

  /** The registered model a conformsTo names; 400 naming the known ones otherwise. */
  private modelOf(conformsTo: string): DataModel {
    const model = this.models.resolve(conformsTo);
    if (model) return model;
    const known = this.models.all().map((m) => m.name).join(', ');
    throw new BadRequestData(`conformsTo: ${conformsTo} is not a known data model; known are ${known} (by name, type IRI or schema URL)`);
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
    personalData: (change.personalData ?? current.personalData) as NewDataset['personalData'],
    retentionPeriod: pick(change.retentionPeriod, current.retentionPeriod),
    retentionIncludesCurrentValues: change.retentionIncludesCurrentValues ?? current.retentionIncludesCurrentValues,
  };
}

/** The profile with its attribute names expanded as the entities' attributes are ("@id" stays: it names the entity id). */
function expandedProfile(context: CompiledContext, profile: PersonalDataProfile): PersonalDataProfile {
  const expand = (what: string) => (name: string) => (name === '@id' ? name : expandName(context, name, what));
  const { minimisation } = profile;
  return {
    ...profile,
    identifyingAttributes: profile.identifyingAttributes.map(expand('personalData.identifyingAttributes')),
    minimisation: {
      ...minimisation,
      removeAttributes: minimisation.removeAttributes.map(expand('personalData.minimisation.removeAttributes')),
      ...(minimisation.smallCounts
        ? { smallCounts: { ...minimisation.smallCounts, attributes: minimisation.smallCounts.attributes.map(expand('personalData.minimisation.smallCounts')) } }
        : {}),
    },
    ...(profile.subjectAttribute ? { subjectAttribute: expand('personalData.subjectAttribute')(profile.subjectAttribute) } : {}),
  };
}

function classificationOf(d: { confidentiality: number; integrity: number; availability: number }) {
  return { confidentiality: d.confidentiality, integrity: d.integrity, availability: d.availability };
}
