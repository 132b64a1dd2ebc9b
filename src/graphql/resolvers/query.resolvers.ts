import { AccessContext } from 'src/common/access/access-context';
import { BadRequestData } from 'src/common/problem/ngsi-ld-errors';
import { DataModel } from 'src/models/data-model';
import { ModelRegistry } from 'src/models/model-registry';
import { parseEntityQuery } from 'src/ngsi-ld/entities/dto/entity-request-params';
import { EntityOrder } from 'src/ngsi-ld/entities/entities.repository';
import { GraphqlContext } from 'src/graphql/graphql-context';
import { connectionOf, offsetAfter, PageArgs } from 'src/graphql/mapping/connection';
import { geoParamsOf, NearArgs, WithinArgs } from 'src/graphql/mapping/geo-args';
import { ModelFilter, qOfFilter } from 'src/graphql/mapping/q-filter';
import { GraphqlServices } from 'src/graphql/resolvers/graphql-loaders';
import { ResolverMap } from 'src/graphql/resolvers/entity.resolvers';
import { collectionFieldOf, typeNameOf, valueFieldOf, valueFieldsOf } from 'src/graphql/schema/graphql-names';

/** Arguments of an entity collection (per model, `entities`, a dataset's entities). */
export interface CollectionArgs extends PageArgs {
  readonly type?: string | null;
  readonly q?: string | null;
  readonly filter?: ModelFilter | null;
  readonly near?: NearArgs | null;
  readonly within?: WithinArgs | null;
  readonly dataset?: string | null;
  readonly scopeQ?: string | null;
  readonly orderBy?: string | null;
}

const ORDERS: Readonly<Record<string, EntityOrder>> = {
  ID_ASC: 'id',
  ID_DESC: '-id',
  CREATED_AT_ASC: 'createdAt',
  CREATED_AT_DESC: '-createdAt',
  MODIFIED_AT_ASC: 'modifiedAt',
  MODIFIED_AT_DESC: '-modifiedAt',
};

/**
 * Reads collections and single entities through the entities service, with the same query
 * parameters (and so the same parser, limits and errors) as GET /ngsi-ld/v1/entities.
 */
export class EntityCollections {
  private readonly valueFields = new Map<DataModel, ReadonlyMap<string, DataModel['attributes'][number]>>();

  constructor(
    private readonly services: GraphqlServices,
    private readonly registry: ModelRegistry,
  ) {
    for (const model of registry.all()) this.valueFields.set(model, valueFieldsOf(model));
  }

  async page(access: AccessContext, model: DataModel | undefined, args: CollectionArgs, inDatasets?: readonly string[]) {
    const first = args.first ?? this.services.config.query.defaultLimit;
    if (first < 0) throw new BadRequestData('first must not be negative');
    const offset = offsetAfter(args.after);
    // A model's name or type IRI reads under its terms; any other type expression passes as NGSI-LD's.
    const typedModel = model ?? (args.type ? this.registry.resolve(args.type) : undefined);
    const type = typedModel?.typeIri ?? args.type ?? undefined;
    const q = [args.q, model ? qOfFilter(args.filter ?? undefined, this.valueFields.get(model)!) : undefined].filter(Boolean);
    const params: Record<string, string> = {
      ...geoParamsOf(args.near, args.within),
      ...(type ? { type } : {}),
      ...(q.length > 0 ? { q: q.map((part) => `(${part})`).join(';') } : {}),
      ...(args.scopeQ ? { scopeQ: args.scopeQ } : {}),
      limit: String(first),
      offset: String(offset),
    };
    // Without a filter, everything you may read (NGSI-LD asks for local=true to say so).
    if (!params.type && !params.q && !params.georel && !params.scopeQ) params.local = 'true';
    if (first === 0) params.count = 'true';
    const context = this.services.contexts(typedModel);
    const query = parseEntityQuery(params, this.services.config);
    const datasets = args.dataset ? [args.dataset, ...(inDatasets ?? [])].filter((id) => !inDatasets || inDatasets.includes(id)) : inDatasets;
    const found = await this.services.entities.find(access, context, query, { inDatasets: datasets, order: args.orderBy ? ORDERS[args.orderBy] : undefined });
    const count = async () => (await this.services.entities.find(access, context, { ...query, limit: 0, count: true }, { inDatasets: datasets })).count ?? 0;
    return connectionOf(found.entities, offset, found.hasMore, count);
  }
}

/** Resolvers of Query's entity and dataset fields. */
export function queryResolvers(services: GraphqlServices, registry: ModelRegistry): ResolverMap {
  const collections = new EntityCollections(services, registry);
  const query: Record<string, (source: unknown, args: any, context: GraphqlContext) => unknown> = {
    entity: (_source, { id }: { id: string }, { loaders }) => loaders.entity.load(id),
    entities: (_source, args: CollectionArgs, { access }) => collections.page(access, undefined, args),
    datasets: async (_source, args: PageArgs & { organisation?: string }, { access }) => {
      const limit = args.first ?? services.config.query.defaultLimit;
      const offset = offsetAfter(args.after);
      if (limit < 0 || limit > services.config.query.maxLimit) throw new BadRequestData(`first must be between 0 and ${services.config.query.maxLimit}`);
      const { datasets, total } = await services.datasets.list(access, { organisation: args.organisation, includeRetired: false, limit, offset });
      return connectionOf(datasets, offset, offset + datasets.length < total, async () => total);
    },
    dataset: (_source, { id }: { id: string }, { loaders }) => loaders.dataset.load(id),
    dataModels: () => registry.all(),
  };
  for (const model of registry.all()) {
    query[collectionFieldOf(model)] = (_source, args: CollectionArgs, { access }) => collections.page(access, model, args);
  }
  const localised = (field: 'title' | 'description') => (dataset: Record<string, unknown>, { lang }: { lang: string }) => {
    const texts = (dataset[field] ?? {}) as Record<string, string>;
    return texts[lang] ?? texts.sv ?? texts.en ?? Object.values(texts)[0] ?? null;
  };
  return {
    Query: query,
    Dataset: {
      title: localised('title'),
      description: localised('description'),
      entities: (dataset: { id: string }, args: CollectionArgs, { access }: GraphqlContext) => collections.page(access, undefined, args, [dataset.id]),
      conformsTo: (dataset: Record<string, unknown>) => dataset.conformsTo ?? null,
    },
    DataModel: {
      graphqlType: (model: DataModel) => typeNameOf(model),
      description: (model: DataModel, { lang }: { lang: 'en' | 'sv' }) => model.description[lang] ?? model.description.en,
    },
    DataModelAttribute: {
      graphqlField: (attribute: DataModel['attributes'][number]) => valueFieldOf(attribute),
      description: (attribute: DataModel['attributes'][number], { lang }: { lang: 'en' | 'sv' }) => attribute.description[lang] ?? attribute.description.en,
    },
  };
}
