import { arrayOf, schemaRef, SchemaComponents } from 'src/common/openapi/openapi-answers';
import { NGSI_LD_URI } from 'src/ngsi-ld/common/ngsi-ld-schemas.openapi';

/** The discovery data types (ETSI GS CIM 009 v1.9.1, clauses 5.2.24 to 5.2.28), names compacted with the caller's @context. */

const context = schemaRef('LdContext');
const attributeKinds = { type: 'array', items: { type: 'string' }, description: 'The kinds of its instances: Property, Relationship, GeoProperty, LanguageProperty...' };

export const DISCOVERY_SCHEMAS: SchemaComponents = {
  EntityTypeList: {
    type: 'object',
    required: ['id', 'type', 'typeList'],
    properties: { '@context': context, id: NGSI_LD_URI, type: { const: 'EntityTypeList' }, typeList: { type: 'array', items: { type: 'string' } } },
  },
  EntityType: {
    type: 'object',
    required: ['id', 'type', 'typeName', 'attributeNames'],
    properties: {
      '@context': context,
      id: { ...NGSI_LD_URI, description: 'The type IRI' },
      type: { const: 'EntityType' },
      typeName: { type: 'string' },
      attributeNames: { type: 'array', items: { type: 'string' } },
    },
  },
  EntityTypeDetailList: { ...arrayOf('EntityType'), description: 'With details=true: an EntityType per type' },
  EntityTypeInfo: {
    type: 'object',
    required: ['id', 'type', 'typeName', 'entityCount', 'attributeDetails'],
    properties: {
      '@context': context,
      id: NGSI_LD_URI,
      type: { const: 'EntityTypeInfo' },
      typeName: { type: 'string' },
      entityCount: { type: 'integer', minimum: 0, description: 'Entities of this type the caller may read' },
      attributeDetails: {
        type: 'array',
        items: {
          type: 'object',
          required: ['id', 'type', 'attributeName', 'attributeTypes'],
          properties: { id: NGSI_LD_URI, type: { const: 'Attribute' }, attributeName: { type: 'string' }, attributeTypes: attributeKinds },
        },
      },
    },
  },
  AttributeList: {
    type: 'object',
    required: ['id', 'type', 'attributeList'],
    properties: { '@context': context, id: NGSI_LD_URI, type: { const: 'AttributeList' }, attributeList: { type: 'array', items: { type: 'string' } } },
  },
  Attribute: {
    type: 'object',
    required: ['id', 'type', 'attributeName', 'attributeCount', 'attributeTypes', 'typeNames'],
    properties: {
      '@context': context,
      id: { ...NGSI_LD_URI, description: 'The attribute IRI' },
      type: { const: 'Attribute' },
      attributeName: { type: 'string' },
      attributeCount: { type: 'integer', minimum: 0, description: 'Instances of it in entities the caller may read' },
      attributeTypes: attributeKinds,
      typeNames: { type: 'array', items: { type: 'string' }, description: 'The types of the entities that have it' },
    },
  },
  AttributeDetailList: { ...arrayOf('Attribute'), description: 'With details=true: an Attribute per attribute' },
};
