import { Injectable } from '@nestjs/common';
import { BadRequestData } from 'src/common/problem/ngsi-ld-errors';
import { CompiledContext } from 'src/jsonld/compiled-context';
import { ContextCompiler } from 'src/jsonld/context-compiler';
import { expandName } from 'src/ngsi-ld/query/entity-filter';
import { datasetInconsistencies } from 'src/governance/datasets/dataset-consistency';
import { EntityRuleInput, NewDataset, PersonalDataProfile } from 'src/governance/datasets/dataset.schema';
import { DatasetContent, DatasetsRepository, EntityRule } from 'src/governance/datasets/datasets.repository';
import { OrganisationsService } from 'src/governance/organisations/organisations.service';
import { DataModel } from 'src/models/data-model';
import { ModelRegistry } from 'src/models/model-registry';

/**
 * A dataset request turned into what is stored, and checked as a whole: names expanded, id
 * patterns and the data model resolved, the fields consistent (classification, openness, High-Value
 * Dataset rules), and a published dataset's organisation registered.
 */
@Injectable()
export class DatasetContentService {
  constructor(
    private readonly repository: DatasetsRepository,
    private readonly contexts: ContextCompiler,
    private readonly models: ModelRegistry,
    private readonly organisations: OrganisationsService,
  ) {}

  async prepare(request: Omit<NewDataset, 'organisation'>, organisation: string, isDefault: boolean): Promise<DatasetContent> {
    const content = await this.contentOf(request);
    const problems = datasetInconsistencies(content, isDefault);
    if (problems.length > 0) throw new BadRequestData(`The dataset is not consistent: ${problems.join('; ')}`);
    // The catalog names every published dataset's publisher, so it must be one it knows.
    if (content.open || content.listedInCatalog) await this.organisations.assertRegistered(organisation);
    return content;
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
      listedInCatalog: request.listedInCatalog,
      personalData: expandedProfile(context.compiled, request.personalData),
      retentionPeriod: request.retentionPeriod ?? null,
      retentionIncludesCurrentValues: request.retentionIncludesCurrentValues,
      jsonldContext: request.jsonldContext ?? null,
      conformsTo: request.conformsTo === undefined ? null : this.modelOf(request.conformsTo).schemaUrl,
      entities,
    };
  }

  /** The registered model a conformsTo names; 400 naming the known ones otherwise. */
  private modelOf(conformsTo: string): DataModel {
    const model = this.models.resolve(conformsTo);
    if (model) return model;
    const known = this.models.all().map((m) => m.name).join(', ');
    throw new BadRequestData(`conformsTo: ${conformsTo} is not a known data model; known are ${known} (by name, type IRI or schema URL)`);
  }
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
