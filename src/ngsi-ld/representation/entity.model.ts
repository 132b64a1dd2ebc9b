import { Json } from 'src/jsonld/value-codec';

export const ATTRIBUTE_KINDS = [
  'Property',
  'Relationship',
  'GeoProperty',
  'LanguageProperty',
  'VocabProperty',
  'JsonProperty',
  'ListProperty',
  'ListRelationship',
] as const;
export type AttributeKind = (typeof ATTRIBUTE_KINDS)[number];

/** The member that carries each kind's value. */
export const VALUE_MEMBER: Readonly<Record<AttributeKind, ValueMember>> = {
  Property: 'value',
  GeoProperty: 'value',
  Relationship: 'object',
  LanguageProperty: 'languageMap',
  VocabProperty: 'vocab',
  JsonProperty: 'json',
  ListProperty: 'valueList',
  ListRelationship: 'objectList',
};
export type ValueMember = 'value' | 'object' | 'languageMap' | 'vocab' | 'json' | 'valueList' | 'objectList';

/**
 * One instance of an attribute as stored. NGSI-LD members keep their core names (the core context
 * is protected, so they mean the same under every context); vocabulary inside them is expanded.
 * Sub-attributes sit under their expanded IRIs (which always contain a colon, core names never do).
 */
export interface AttributeInstance {
  type: AttributeKind;
  value?: Json;
  object?: string | string[];
  languageMap?: Record<string, string | string[]>;
  vocab?: string | string[];
  json?: Json;
  valueList?: Json[];
  objectList?: { object: string }[];
  objectType?: string | string[];
  observedAt?: string;
  unitCode?: string;
  datasetId?: string;
  createdAt?: string;
  modifiedAt?: string;
  /** Identifies one instance in an attribute's history (temporal representation only); never stored in `entity`. */
  instanceId?: string;
  /** The language of a LanguageProperty shown in one language (lang=); never stored. */
  lang?: string;
  [subAttributeIri: string]: unknown;
}

/** Attributes by expanded IRI; each holds one instance per datasetId (the default one has none). */
export type AttributeMap = Record<string, AttributeInstance[]>;

/** An NGSI-LD entity in expanded form, as stored and as the representations are built from. */
export interface EntityData {
  id: string;
  /** Expanded type IRIs. */
  types: string[];
  scopes: string[] | null;
  attributes: AttributeMap;
  createdAt?: string;
  modifiedAt?: string;
  /** The (DCAT) dataset the entity belongs to; not NGSI-LD's `datasetId` of attribute instances. */
  datasetId?: string;
}

/** Sub-attribute keys are expanded IRIs; NGSI-LD member names never contain a colon. */
export function isSubAttributeKey(key: string): boolean {
  return key.includes(':');
}
