import { DataModel, ModelAttribute, ValueType } from 'src/models/data-model';
import { attributeFieldOf, collectionFieldOf, fieldsOf, typeNameOf, valueFieldOf } from 'src/graphql/schema/graphql-names';
import { COMMON_SDL, ENTITY_FIELDS } from 'src/graphql/schema/common-sdl';

/** The GraphQL type of a value of this JSON type. */
function scalarOf(valueType: ValueType): string {
  switch (valueType) {
    case 'number':
      return 'Float';
    case 'integer':
      return 'Int';
    case 'string':
    case 'uri':
      return 'String';
    case 'boolean':
      return 'Boolean';
    case 'dateTime':
      return 'DateTime';
    case 'geometry':
      return 'GeoJSON';
    case 'object':
    case 'array':
      return 'JSON';
  }
}

/** The GraphQL type of an attribute's value: arrays of scalars become lists. */
export function valueTypeOf(attribute: ModelAttribute): string {
  // A value that may be of several JSON types (a category name or a number) is JSON.
  if (attribute.alsoValueTypes?.length) return 'JSON';
  if (attribute.valueType === 'array' && attribute.itemType && !['object', 'geometry'].includes(attribute.itemType)) return `[${scalarOf(attribute.itemType)}]`;
  return scalarOf(attribute.valueType);
}

/** The filter input of an attribute: by value for scalars, by target for relationships, existence otherwise. */
export function filterInputOf(attribute: ModelAttribute): string {
  if (attribute.kind === 'Relationship') return 'RelationshipFilter';
  const type = valueTypeOf(attribute);
  return ['Float', 'Int', 'String', 'Boolean', 'DateTime'].includes(type) ? `${type}Filter` : 'ExistsFilter';
}

/** The name of the object type that holds an attribute with its metadata: FloatAttribute, StringListAttribute, ... */
export function attributeTypeOf(attribute: ModelAttribute): string {
  if (attribute.kind === 'Relationship') return 'RelationshipAttribute';
  const type = valueTypeOf(attribute);
  return type.startsWith('[') ? `${type.slice(1, -1)}ListAttribute` : `${type}Attribute`;
}

function attributeTypeSdl(name: string, valueType: string): string {
  return `
"""An attribute whose value is ${valueType}, with its metadata, instances and history."""
type ${name} {
  value: ${valueType}
  observedAt: DateTime
  unitCode: String
  datasetId: String
  instances: [${name}!]!
  history(from: DateTime, to: DateTime, last: Int): [Instance!]!
  aggregate(every: String, method: AggregationMethod!, from: DateTime, to: DateTime, last: Int): [Bucket!]!
}`;
}

/** A sentence: ends with a full stop. */
function sentence(text: string): string {
  const trimmed = text.trim();
  return /[.!?]$/.test(trimmed) ? trimmed : `${trimmed}.`;
}

function describe(text: string): string {
  return `"""${text.replace(/"""/g, '\\"""')}"""`;
}

function attributeDescription(attribute: ModelAttribute): string {
  const parts = [sentence(attribute.description.en)];
  if (attribute.description.sv) parts.push(`(sv) ${sentence(attribute.description.sv)}`);
  if (attribute.unitCode) parts.push(`Unit: ${attribute.unitCode}.`);
  if (attribute.enum?.length) parts.push(`One of: ${attribute.enum.join(', ')}.`);
  parts.push(`NGSI-LD ${attribute.kind} ${attribute.name} <${attribute.iri}>.`);
  return describe(parts.join(' '));
}


const COLLECTION_ARGS = 'near: NearInput, within: WithinInput, dataset: ID, scopeQ: String, orderBy: EntityOrder = ID_ASC, first: Int = 20, after: String';

function modelSdl(model: DataModel, byName: ReadonlyMap<string, DataModel>): string {
  const type = typeNameOf(model);
  const fields = model.attributes.flatMap((attribute) => {
    const description = attributeDescription(attribute);
    if (attribute.kind === 'Relationship') {
      const targets = (attribute.targetModels ?? []).map((name) => byName.get(name)).filter((target) => target !== undefined);
      const target = targets.length === 1 ? typeNameOf(targets[0]) : 'Entity';
      return [`  ${description}\n  ${valueFieldOf(attribute)}: ${target}`, `  ${attributeFieldOf(attribute)}: RelationshipAttribute`];
    }
    return [`  ${description}\n  ${valueFieldOf(attribute)}: ${valueTypeOf(attribute)}`, `  ${attributeFieldOf(attribute)}: ${attributeTypeOf(attribute)}`];
  });
  const filters = model.attributes.map((attribute) => `  ${valueFieldOf(attribute)}: ${filterInputOf(attribute)}`);
  const text = [sentence(model.description.en), model.description.sv ? `(sv) ${sentence(model.description.sv)}` : '', `Type <${model.typeIri}>, schema ${model.schemaUrl}.`].filter(Boolean).join(' ');
  return `
${describe(text)}
type ${type} implements Entity {
${ENTITY_FIELDS}${fields.join('\n')}
}
type ${type}Edge { cursor: String! node: ${type}! }
type ${type}Connection { totalCount: Int! pageInfo: PageInfo! edges: [${type}Edge!]! nodes: [${type}!]! }
"""Conditions on ${type}'s attributes, all of which must hold; \`or\` lists alternatives."""
input ${type}Filter {
${filters.join('\n')}
  and: [${type}Filter!]
  or: [${type}Filter!]
}`;
}

/**
 * The whole schema as SDL: the common part and, per registered data model, its entity type, its
 * connection and its filter input, with a collection field on Query. Generated at start-up, so a
 * model added to the registry is in GraphQL without code written for it.
 */
export function schemaSdl(models: readonly DataModel[]): string {
  const byName = new Map(models.map((model) => [model.name, model]));
  for (const model of models) fieldsOf(model); // refuses ambiguous field names at start-up
  const attributeTypes = new Map<string, string>();
  for (const attribute of models.flatMap((model) => model.attributes)) {
    if (attribute.kind !== 'Relationship') attributeTypes.set(attributeTypeOf(attribute), valueTypeOf(attribute));
  }
  const changes = models.map(
    (model) =>
      `  """${typeNameOf(model)} entities created, changed or deleted that meet the filter (tested on what you may see of them when each change is sent)."""\n  ${collectionFieldOf(model)}Changed(filter: ${typeNameOf(model)}Filter, ids: [ID!], dataset: ID, after: String): EntityChange!`,
  );
  const collections = models.map(
    (model) => `  """${typeNameOf(model)} entities you may read, filtered and paged."""\n  ${collectionFieldOf(model)}(filter: ${typeNameOf(model)}Filter, ${COLLECTION_ARGS}): ${typeNameOf(model)}Connection!`,
  );
  return `${COMMON_SDL}
${[...attributeTypes].map(([name, valueType]) => attributeTypeSdl(name, valueType)).join('\n')}
${models.map((model) => modelSdl(model, byName)).join('\n')}

type Query {
  """One entity by id; null when it does not exist or you may not read it."""
  entity(id: ID!): Entity
  """Entities of any type: type is a type IRI or a registered model's name; q is NGSI-LD's query language over expanded IRIs or the model's terms."""
  entities(type: String, q: String, ${COLLECTION_ARGS}): EntityConnection!
${collections.join('\n')}
  """Datasets you may see."""
  datasets(organisation: String, first: Int = 20, after: String): DatasetConnection!
  dataset(id: ID!): Dataset
  """The data models the service knows."""
  dataModels: [DataModel!]!
}

type Subscription {
  """Entities created, changed or deleted from now on (or after the cursor given), that you may read when each change is sent."""
  entityChanged(type: String, ids: [ID!], q: String, dataset: ID, after: String): EntityChange!
  """Changes of the named attributes (expanded IRIs or the model's terms) of matching entities."""
  attributeChanged(type: String, ids: [ID!], attributes: [String!]!, dataset: ID, after: String): AttributeChange!
${changes.join('\n')}
}
`;
}
