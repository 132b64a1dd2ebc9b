import { AttributeKind, DataModel, ModelAttribute, ValueType } from 'src/models/data-model';

/*
 * JSON Schemas (draft 2020-12) derived from a data model, for entities in the form the write path
 * holds them: expanded NGSI-LD (`EntityData`: expanded type IRIs, attributes keyed by expanded IRI,
 * one instance per datasetId), as brought to {@link validatedForm}. Smart Data Models allow
 * attributes besides the model's (and NGSI-LD adds system ones), so unknown attributes pass.
 */

export type JsonSchema = { [keyword: string]: unknown };

/** `create`: a whole new entity, with the attributes the model requires; `change`: only the attributes written. */
export type ValidationMode = 'create' | 'change';

const JSON_TYPES: Readonly<Record<ValueType, string>> = {
  number: 'number',
  integer: 'integer',
  string: 'string',
  boolean: 'boolean',
  dateTime: 'string',
  uri: 'string',
  object: 'object',
  array: 'array',
  geometry: 'object',
};

/** An absolute URI (scheme, colon, no spaces): URNs like urn:ngsi-ld:Device:x as well as URLs. */
const URI_PATTERN = '^[A-Za-z][A-Za-z0-9+.-]*:\\S*$';
const GEOMETRY_TYPES = ['Point', 'MultiPoint', 'LineString', 'MultiLineString', 'Polygon', 'MultiPolygon', 'GeometryCollection'];

/** The member of an instance that carries the value of each kind the models use. */
export const VALUE_MEMBERS: Readonly<Record<AttributeKind, string>> = {
  Property: 'value',
  GeoProperty: 'value',
  Relationship: 'object',
  LanguageProperty: 'languageMap',
};

/** The schema of a value of one JSON type, with the constraints the attribute puts on it. */
function typedValue(type: Exclude<ValueType, 'array'>, attribute: ModelAttribute): JsonSchema {
  const schema: JsonSchema = { type: JSON_TYPES[type] };
  if (type === 'dateTime') schema.format = 'date-time';
  if (type === 'uri') schema.pattern = URI_PATTERN;
  if (type === 'geometry') Object.assign(schema, { required: ['type'], properties: { type: { enum: GEOMETRY_TYPES } } });
  if (type === 'string' && attribute.enum) schema.enum = attribute.enum;
  if (type === 'number' || type === 'integer') {
    if (attribute.minimum !== undefined) schema.minimum = attribute.minimum;
    if (attribute.maximum !== undefined) schema.maximum = attribute.maximum;
  }
  return schema;
}

/** The schema of the attribute's value; alternatives (a category or a number) each keep their own constraints. */
export function valueSchema(attribute: ModelAttribute): JsonSchema {
  if (attribute.valueType === 'array') {
    return { type: 'array', ...(attribute.itemType ? { items: typedValue(attribute.itemType, attribute) } : {}) };
  }
  const types = [attribute.valueType, ...(attribute.alsoValueTypes ?? [])];
  if (types.length === 1) return typedValue(attribute.valueType, attribute);
  // One branch per JSON type, chosen by `if`, so that a failing value is told the rule of its own type.
  const [first, ...rest] = types;
  return {
    type: [...new Set(types.map((t) => JSON_TYPES[t]))],
    ...rest.reduceRight<JsonSchema>(
      (otherwise, type) => ({ if: { type: JSON_TYPES[type] }, then: typedValue(type, attribute), else: otherwise }),
      typedValue(first, attribute),
    ),
  };
}

/** The schema of one instance of the attribute: its kind, and its value in the member of that kind. */
export function instanceSchema(attribute: ModelAttribute): JsonSchema {
  const member = VALUE_MEMBERS[attribute.kind];
  const value =
    attribute.kind === 'Relationship'
      ? { type: 'string', pattern: URI_PATTERN }
      : attribute.kind === 'LanguageProperty'
        ? { type: 'object', additionalProperties: { type: ['string', 'array'] } }
        : valueSchema(attribute);
  return {
    type: 'object',
    required: ['type', member],
    properties: { type: { const: attribute.kind }, [member]: value },
  };
}

/** The JSON Schema an entity of `model` is validated with. */
export function jsonSchemaOf(model: DataModel, mode: ValidationMode): JsonSchema {
  const attributes: JsonSchema = {};
  for (const attribute of model.attributes) attributes[attribute.iri] = { type: 'array', items: instanceSchema(attribute) };
  const required = mode === 'create' ? (model.required ?? []).map((name) => model.attributes.find((a) => a.name === name)!.iri) : [];
  return {
    $schema: 'https://json-schema.org/draft/2020-12/schema',
    $id: `urn:vgds:model:${model.name}:${mode}`,
    title: `${model.name} (${mode === 'create' ? 'a new entity' : 'the attributes written'}), expanded NGSI-LD`,
    type: 'object',
    required: ['id', 'types', 'attributes'],
    properties: {
      id: { type: 'string', pattern: URI_PATTERN },
      types: { type: 'array', contains: { const: model.typeIri } },
      attributes: { type: 'object', properties: attributes, ...(required.length > 0 ? { required } : {}) },
    },
  };
}

/** What of an entity the schemas look at. */
export interface ValidatedEntity {
  readonly id: string;
  readonly types: readonly string[];
  readonly attributes: Readonly<Record<string, readonly { readonly type: string; readonly [member: string]: unknown }[]>>;
}

/**
 * The entity as its schema validates it: each instance reduced to its kind and value, JSON-LD
 * value objects (`{"@value"}` of typed literals, `{"@id"}` of references) unwrapped to the plain
 * values the model describes, and an array attribute's single value taken as a one-item array
 * (JSON-LD does not tell the two apart).
 */
export function validatedForm(model: DataModel, entity: ValidatedEntity): ValidatedEntity {
  const byIri = new Map(model.attributes.map((a) => [a.iri, a]));
  const attributes: Record<string, { type: string; [member: string]: unknown }[]> = {};
  for (const [iri, instances] of Object.entries(entity.attributes)) {
    const attribute = byIri.get(iri);
    if (!attribute) continue;
    attributes[iri] = instances.map((instance) => {
      const member = VALUE_MEMBERS[instance.type as AttributeKind] ?? 'value';
      let value = plain(instance[member]);
      if (attribute.valueType === 'array' && instance.type === attribute.kind && !Array.isArray(value) && value !== undefined) value = [value];
      return { type: instance.type, ...(value === undefined ? {} : { [member]: value }) };
    });
  }
  return { id: entity.id, types: entity.types, attributes };
}

function plain(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(plain);
  if (typeof value !== 'object' || value === null) return value;
  const keys = Object.keys(value);
  if ('@value' in value && keys.every((k) => k.startsWith('@'))) return (value as { '@value': unknown })['@value'];
  if (keys.length === 1 && keys[0] === '@id') return (value as { '@id': unknown })['@id'];
  if (keys.length === 1 && keys[0] === '@list') return plain((value as { '@list': unknown })['@list']);
  return value;
}
