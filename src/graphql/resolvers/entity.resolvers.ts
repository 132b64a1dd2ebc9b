import { DataModel, ModelAttribute } from 'src/models/data-model';
import { ModelRegistry } from 'src/models/model-registry';
import { GraphqlContext } from 'src/graphql/graphql-context';
import { attributeFieldOf, typeNameOf, valueFieldOf } from 'src/graphql/schema/graphql-names';
import { attributeTypeOf } from 'src/graphql/schema/model-sdl';
import { rawValueOf, typedValueOf } from 'src/graphql/mapping/attribute-values';
import { AggregateArgs, aggregationMethodOf, HistoryArgs } from 'src/graphql/resolvers/graphql-loaders';
import { AttributeInstance, EntityData } from 'src/ngsi-ld/representation/entity.model';
import { BucketRow, InstanceRow } from 'src/ngsi-ld/temporal/history.repository';
import { CompiledContext } from 'src/jsonld/compiled-context';
import { ModelContexts } from 'src/graphql/mapping/model-context';
import { compactValue, Json } from 'src/jsonld/value-codec';
import { valueTypeOf } from 'src/graphql/schema/model-sdl';

/** What an attribute field resolves to: one instance (the default one first) with its entity. */
interface AttributeSource {
  readonly entity: EntityData;
  readonly attribute: ModelAttribute;
  readonly instance: AttributeInstance;
  readonly instances: readonly AttributeInstance[];
}

/** Resolvers per type and field, as Apollo takes them. */
export type ResolverMap = Record<string, unknown>;

type Resolver<S, A = Record<string, never>> = (source: S, args: A, context: GraphqlContext) => unknown;

/** The instance shown first: the default one (no datasetId), else the first. */
function mainInstance(instances: readonly AttributeInstance[] | undefined): AttributeInstance | undefined {
  return instances?.find((instance) => instance.datasetId === undefined) ?? instances?.[0];
}

function attributeSource(entity: EntityData, attribute: ModelAttribute): AttributeSource | null {
  const instances = entity.attributes[attribute.iri];
  const instance = mainInstance(instances);
  return instance ? { entity, attribute, instance, instances } : null;
}

function instanceOf(row: InstanceRow) {
  const { instance } = row;
  return {
    value: instance.type === 'Relationship' ? null : rawValueOf(instance),
    object: typeof instance.object === 'string' ? instance.object : null,
    observedAt: instance.observedAt ?? null,
    unitCode: instance.unitCode ?? null,
    datasetId: instance.datasetId ?? null,
  };
}

function bucketOf(method: string) {
  const name = aggregationMethodOf(method);
  return (row: BucketRow) => ({ start: row.start, end: row.end, value: row.values[name] ?? null });
}

/** An attribute name as a resolver argument: a term of the entity's model or of the core context (its @vocab included), or an IRI. */
function iriOf(ctx: CompiledContext, name: string): string {
  const iri = ctx.expandTerm(name);
  return iri && !iri.startsWith('@') ? iri : name;
}

/** Resolvers of the fields every entity has (the Entity interface). */
function commonFields(ctx: CompiledContext): Record<string, Resolver<EntityData, any>> {
  return {
    type: (entity) => entity.types[0],
    types: (entity) => entity.types,
    scopes: (entity) => entity.scopes ?? null,
    createdAt: (entity) => entity.createdAt ?? null,
    modifiedAt: (entity) => entity.modifiedAt ?? null,
    dataset: (entity, _args, { loaders }) => (entity.datasetId ? loaders.dataset.load(entity.datasetId) : null),
    attributes: (entity, { names }: { names?: string[] }) => {
      const wanted = names ? new Set(names.map((name) => iriOf(ctx, name))) : undefined;
      const picked = Object.entries(entity.attributes).filter(([iri]) => !wanted || wanted.has(iri));
      return Object.fromEntries(picked.map(([iri, instances]) => [iri, instances.length === 1 ? instances[0] : instances]));
    },
    history: async (entity, args: HistoryArgs & { attribute: string }, { loaders }) => {
      const { attribute, ...window } = args;
      return (await loaders.history.load({ entityId: entity.id, attribute: iriOf(ctx, attribute), args: window })).map(instanceOf);
    },
    aggregate: async (entity, args: AggregateArgs & { attribute: string }, { loaders }) => {
      const { attribute, ...window } = args;
      return (await loaders.aggregate.load({ entityId: entity.id, attribute: iriOf(ctx, attribute), args: window })).map(bucketOf(window.method));
    },
  };
}

/**
 * A JSON value as the model's @context names its members (`addressLocality`, not its expanded
 * IRI), as NGSI-LD's compaction shows it; scalars as they are.
 */
function compactedJson(ctx: CompiledContext, attribute: ModelAttribute, value: unknown): unknown {
  if (value === null || typeof value !== 'object') return value;
  try {
    return compactValue(ctx.propertyScope(attribute.name), ctx.definition(attribute.name), value as Json);
  } catch {
    // A member that needs a scoped context not loaded yet: shown as stored rather than not at all.
    return value;
  }
}

/** Resolvers of a model's typed fields: the value, and the attribute with its metadata. */
function modelFields(model: DataModel, ctx: CompiledContext): Record<string, Resolver<EntityData, any>> {
  const fields: Record<string, Resolver<EntityData>> = {};
  for (const attribute of model.attributes) {
    const value = valueFieldOf(attribute);
    fields[attributeFieldOf(attribute)] = (entity) => attributeSource(entity, attribute);
    fields[value] =
      attribute.kind === 'Relationship'
        ? (entity, _args, { loaders }) => {
            const target = mainInstance(entity.attributes[attribute.iri])?.object;
            return typeof target === 'string' ? loaders.entity.load(target) : null;
          }
        : valueTypeOf(attribute) === 'JSON'
          ? (entity) => {
              const instance = mainInstance(entity.attributes[attribute.iri]);
              return instance ? compactedJson(ctx, attribute, typedValueOf(attribute, instance)) : null;
            }
          : (entity) => {
              const instance = mainInstance(entity.attributes[attribute.iri]);
              return instance ? typedValueOf(attribute, instance) : null;
            };
  }
  return fields;
}

/** Resolvers of the attribute types (FloatAttribute, StringAttribute, ...): all read an {@link AttributeSource}. */
const ATTRIBUTE_FIELDS: Record<string, Resolver<AttributeSource, any>> = {
  value: ({ attribute, instance }) => typedValueOf(attribute, instance),
  observedAt: ({ instance }) => instance.observedAt ?? null,
  unitCode: ({ instance }) => instance.unitCode ?? null,
  datasetId: ({ instance }) => instance.datasetId ?? null,
  instances: ({ entity, attribute, instances }) => instances.map((instance) => ({ entity, attribute, instance, instances: [instance] })),
  history: async ({ entity, attribute }, args: HistoryArgs, { loaders }) =>
    (await loaders.history.load({ entityId: entity.id, attribute: attribute.iri, args })).map(instanceOf),
  aggregate: async ({ entity, attribute }, args: AggregateArgs, { loaders }) =>
    (await loaders.aggregate.load({ entityId: entity.id, attribute: attribute.iri, args })).map(bucketOf(args.method)),
};

/** RelationshipAttribute: the id pointed at and the entity there, instead of a value. */
const { value: _value, aggregate: _aggregate, unitCode: _unitCode, ...RELATIONSHIP_COMMON } = ATTRIBUTE_FIELDS;
const RELATIONSHIP_FIELDS: Record<string, Resolver<AttributeSource, any>> = {
  ...RELATIONSHIP_COMMON,
  object: ({ instance }) => (typeof instance.object === 'string' ? instance.object : null),
  entity: ({ instance }, _args, { loaders }) => (typeof instance.object === 'string' ? loaders.entity.load(instance.object) : null),
};

/** Resolvers of every entity type, generated from the registry like the schema. */
export function entityResolvers(registry: ModelRegistry, contexts: ModelContexts): ResolverMap {
  const resolvers: ResolverMap = {
    Entity: {
      __resolveType: (entity: EntityData) => {
        for (const type of entity.types) {
          const model = registry.byTypeIri(type);
          if (model) return typeNameOf(model);
        }
        return 'GenericEntity';
      },
    },
    GenericEntity: commonFields(contexts(undefined).compiled),
  };
  const attributeTypes = new Set(registry.all().flatMap((model) => model.attributes.filter((attribute) => attribute.kind !== 'Relationship').map(attributeTypeOf)));
  for (const type of attributeTypes) resolvers[type] = ATTRIBUTE_FIELDS;
  resolvers.RelationshipAttribute = RELATIONSHIP_FIELDS;
  for (const model of registry.all()) {
    const { compiled } = contexts(model);
    resolvers[typeNameOf(model)] = { ...commonFields(compiled), ...modelFields(model, compiled) };
  }
  return resolvers;
}
