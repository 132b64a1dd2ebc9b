import { DataModel, ModelAttribute } from 'src/models/data-model';

/** Fields every entity type has; a model attribute of the same name gets a suffix instead. */
const ENTITY_FIELDS = new Set(['id', 'type', 'types', 'dataset', 'scopes', 'createdAt', 'modifiedAt', 'attributes', 'history', 'aggregate', '__typename']);

/**
 * A GraphQL name for an NGSI-LD term: GraphQL names are `[_A-Za-z][_0-9A-Za-z]*`, so characters
 * outside that become `_` (`N-TOT` → `N_TOT`, `Cl-` → `Cl_`) and a leading digit gets a `_`.
 */
export function graphqlName(term: string): string {
  const name = term.replace(/[^_0-9A-Za-z]/g, '_');
  return /^[0-9]/.test(name) ? `_${name}` : name;
}

/** The field of an entity type that holds an attribute's value; never one of the common entity fields. */
export function valueFieldOf(attribute: ModelAttribute): string {
  const name = graphqlName(attribute.name);
  return ENTITY_FIELDS.has(name) ? `${name}Value` : name;
}

/** The field that holds an attribute with its metadata (observedAt, unitCode, instances, history). */
export function attributeFieldOf(attribute: ModelAttribute): string {
  return `${valueFieldOf(attribute)}Attribute`;
}

/** The query field of a model's collection: `WaterQualityObserved` → `waterQualityObserved`. */
export function collectionFieldOf(model: DataModel): string {
  const name = graphqlName(model.name);
  return name[0].toLowerCase() + name.slice(1);
}

export function typeNameOf(model: DataModel): string {
  return graphqlName(model.name);
}

/**
 * Field names of a model's attributes, refusing two attributes that map to one field (which would
 * hide one of them): a registry mistake, found at start-up.
 */
export function fieldsOf(model: DataModel): ReadonlyMap<string, ModelAttribute> {
  const fields = new Map<string, ModelAttribute>();
  for (const attribute of model.attributes) {
    for (const field of [valueFieldOf(attribute), attributeFieldOf(attribute)]) {
      const other = fields.get(field);
      if (other && other !== attribute) throw new Error(`Model ${model.name}: attributes "${other.name}" and "${attribute.name}" both map to the GraphQL field ${field}`);
      fields.set(field, attribute);
    }
  }
  return fields;
}

/** A model's attributes by the GraphQL field of their value: what typed filters name. */
export function valueFieldsOf(model: DataModel): ReadonlyMap<string, ModelAttribute> {
  return new Map(model.attributes.map((attribute) => [valueFieldOf(attribute), attribute]));
}
