/**
 * A data model the service knows (MIM2): the Smart Data Models the region's sensors produce,
 * described once in `ontologies/models/` and used to validate writes, to generate the GraphQL
 * schema and to name `dct:conformsTo` in the catalog.
 */
export interface DataModel {
  /** The model's name and its entities' short type, e.g. `WaterQualityObserved`. */
  readonly name: string;
  /** The expanded entity type, e.g. `https://smartdatamodels.org/dataModel.WaterQuality/WaterQualityObserved`. */
  readonly typeIri: string;
  /** Where the model's published JSON Schema lives (what `conformsTo` names). */
  readonly schemaUrl: string;
  /** The published `@context` URLs whose terms this model's attributes are (served locally from the registry). */
  readonly contextUrls: readonly string[];
  readonly description: LocalisedText;
  /** Attributes an entity must have when it is created (the schema's `required`, less id and type). */
  readonly required?: readonly string[];
  readonly attributes: readonly ModelAttribute[];
}

export interface LocalisedText {
  readonly en: string;
  readonly sv?: string;
}

/** The NGSI-LD kind an attribute of the model is written as. */
export type AttributeKind = 'Property' | 'Relationship' | 'GeoProperty' | 'LanguageProperty';

/** The JSON type of an attribute's value (what GraphQL exposes it as). */
export type ValueType = 'number' | 'integer' | 'string' | 'boolean' | 'dateTime' | 'uri' | 'object' | 'array' | 'geometry';

export interface ModelAttribute {
  /** The attribute's term in the model's @context, e.g. `temperature` or `N-TOT`. */
  readonly name: string;
  /** The expanded attribute IRI, e.g. `https://smartdatamodels.org/dataModel.WaterQuality/temperature`. */
  readonly iri: string;
  readonly kind: AttributeKind;
  readonly valueType: ValueType;
  /** Other JSON types the schema allows besides `valueType` (e.g. a category name or a number); `enum` applies to strings only. */
  readonly alsoValueTypes?: readonly Exclude<ValueType, 'array'>[];
  /** For arrays: the type of the items. */
  readonly itemType?: Exclude<ValueType, 'array'>;
  /** UN/CEFACT common code of the unit values are in, where the model says (e.g. `CEL`). */
  readonly unitCode?: string;
  /** The values a string attribute may take. */
  readonly enum?: readonly string[];
  readonly minimum?: number;
  readonly maximum?: number;
  /** For relationships: the models of the entities it may point at. */
  readonly targetModels?: readonly string[];
  readonly description: LocalisedText;
}
