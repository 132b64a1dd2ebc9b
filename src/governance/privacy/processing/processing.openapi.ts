import { JsonSchema, schemaRef, SchemaComponents } from 'src/common/openapi/openapi-answers';

/** OpenAPI schemas of the records of processing (processing-record.mapper.ts): JSON-LD with DPV 2 terms. */

const idRef: JsonSchema = { type: 'object', required: ['@id'], properties: { '@id': { type: 'string' } }, additionalProperties: false };
const idRefs: JsonSchema = { type: 'array', items: idRef };
const node: JsonSchema = { type: 'object', required: ['@type'], properties: { '@type': { type: 'string' } } };
const organisation: JsonSchema = {
  type: 'object',
  required: ['@id', '@type', 'dct:identifier'],
  properties: { '@id': { type: 'string', pattern: '^urn:vg-datashare:organisation:' }, '@type': { const: 'dpv:Organisation' }, 'dct:identifier': { type: 'string' } },
};
const context: JsonSchema = { type: 'object', description: 'Prefixes dpv, pd (DPV 2 personal-data categories), dct, rdf, rdfs, xsd and vgds (the vocabulary at /ontologies/vgds.ttl)' };

const EXAMPLE = {
  '@context': { dpv: 'https://w3id.org/dpv#', pd: 'https://w3id.org/dpv/pd#', dct: 'http://purl.org/dc/terms/', xsd: 'http://www.w3.org/2001/XMLSchema#', vgds: 'https://w3id.org/vg-datashare/vocab#' },
  '@id': 'https://data.example.se/api/v1/datasets/7b0f3a5e-4c41-4a53-9b55-2f0e2d1d6a11/processing',
  '@type': 'dpv:PersonalDataProcess',
  'vgds:dataset': { '@id': 'https://data.example.se/api/v1/datasets/7b0f3a5e-4c41-4a53-9b55-2f0e2d1d6a11' },
  'dpv:hasDataController': { '@id': 'urn:vg-datashare:organisation:goteborg', '@type': 'dpv:Organisation', 'dct:identifier': 'goteborg' },
  'dpv:hasPersonalData': [{ '@id': 'dpv:PseudonymisedData' }, { '@id': 'pd:Location' }],
  'dpv:hasPurpose': [{ '@id': 'dpv:ServiceOptimisation' }],
  'dpv:hasLegalBasis': [{ '@id': 'dpv:PublicInterest' }],
  'dpv:hasStorageCondition': { '@type': 'dpv:StorageDuration', 'dpv:hasDuration': { '@type': 'dpv:TemporalDuration', 'rdf:value': { '@value': 'P90D', '@type': 'xsd:duration' } } },
  'dpv:hasRecipient': [{ '@id': 'urn:vg-datashare:organisation:boras', '@type': 'dpv:Organisation', 'dct:identifier': 'boras' }],
  'dpv:hasTechnicalMeasure': [{ '@id': 'dpv:Pseudonymisation' }, { '@type': 'vgds:LocationCoarsening', 'vgds:view': { '@id': 'vgds:MinimisedView' }, 'vgds:gridCellSize': { '@value': '250', '@type': 'xsd:integer' } }],
};

const recordProperties: Record<string, JsonSchema> = {
  '@id': { type: 'string', format: 'uri', description: 'The record: the dataset URL followed by /processing' },
  '@type': { enum: ['dpv:PersonalDataProcess', 'dpv:NonPersonalDataProcess'], description: 'dpv:NonPersonalDataProcess: the dataset declares no personal data, and the record says only that' },
  'vgds:dataset': { ...idRef, description: 'The dataset (its URL under /api/v1/datasets)' },
  'dct:title': { type: 'array', items: { type: 'object', required: ['@value', '@language'] } },
  'dpv:hasDataController': organisation,
  'dpv:hasOrganisationalMeasure': { ...node, description: 'The KLASSA classification (vgds:InformationClassification with vgds:K0..K3, R0..R3, T0..T3)' },
  'dpv:hasPersonalData': { ...idRefs, description: 'The profile category (dpv:PersonalData, dpv:PseudonymisedData, dpv:SpecialCategoryPersonalData) and the data categories; dpv: names of categories DPV 2 keeps in its PD extension become pd:' },
  'dpv:hasPurpose': idRefs,
  'dpv:hasLegalBasis': idRefs,
  'dpv:hasDataSubject': idRef,
  'dpv:hasProcessing': idRefs,
  'dpv:hasStorageCondition': { ...node, description: 'dpv:StorageDuration: the retention period as an xsd:duration (dpv:TemporalDuration), or dpv:EndlessDuration when none is set' },
  'dpv:hasRecipient': { type: 'array', items: node, description: 'Organisations granted the dataset, by name; principals granted it one by one only counted (vgds:GrantedPrincipals)' },
  'vgds:hasGrant': { type: 'array', items: node, description: 'The view (vgds:FullView, vgds:MinimisedView) each organisation grant gives, where the grant states one' },
  'dpv:hasTechnicalMeasure': { type: 'array', items: { type: 'object' }, description: 'dpv:Pseudonymisation for pseudonymised data, and the steps of the minimised view with their parameters' },
};

export const PROCESSING_SCHEMAS: SchemaComponents = {
  ProcessingRecordNode: {
    type: 'object',
    description: 'A record of processing (GDPR article 30) in W3C DPV 2 terms',
    required: ['@id', '@type', 'vgds:dataset', 'dpv:hasDataController', 'dpv:hasOrganisationalMeasure'],
    properties: recordProperties,
    additionalProperties: false,
  },
  ProcessingRecord: {
    description: 'The record of one dataset, as a JSON-LD document',
    allOf: [{ type: 'object', properties: recordProperties }],
    required: ['@context', '@id', '@type', 'vgds:dataset', 'dpv:hasDataController', 'dpv:hasOrganisationalMeasure', 'rdfs:seeAlso'],
    properties: { '@context': context, 'rdfs:seeAlso': { ...idRef, description: 'The vocabulary of the vgds: terms' } },
    unevaluatedProperties: false,
    example: EXAMPLE,
  },
  ProcessingRegister: {
    type: 'object',
    description: "An organisation's register of processing activities (GDPR article 30): a record per dataset with personal data that the caller may see",
    required: ['@context', '@id', '@type', 'dpv:hasDataController', 'dpv:hasProcess', 'rdfs:seeAlso'],
    properties: {
      '@context': context,
      '@id': { type: 'string', format: 'uri' },
      '@type': { const: 'vgds:RegisterOfProcessingActivities' },
      'dpv:hasDataController': organisation,
      'dpv:hasProcess': { type: 'array', items: schemaRef('ProcessingRecordNode') },
      'rdfs:seeAlso': idRef,
    },
    additionalProperties: false,
  },
};
