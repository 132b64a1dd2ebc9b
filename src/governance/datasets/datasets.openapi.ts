import { DATA_THEMES, PERSONAL_DATA_CATEGORIES, UPDATE_FREQUENCIES } from 'src/governance/datasets/dataset.schema';

const languageText = { type: 'object', required: ['sv'], properties: { sv: { type: 'string' }, en: { type: 'string' } } };
const level = { type: 'integer', minimum: 0, maximum: 3, description: 'KLASSA level; 4 is refused' };

/** The dataset resource for OpenAPI (the zod schema in dataset.schema.ts is what validates). */
export const DATASET_SCHEMA: Record<string, unknown> = {
  required: ['title', 'description', 'classification'],
  properties: {
    organisation: { type: 'string', description: "Publishing organisation; the caller's by default" },
    title: languageText,
    description: languageText,
    keywords: { type: 'object', properties: { sv: { type: 'array', items: { type: 'string' } }, en: { type: 'array', items: { type: 'string' } } } },
    themes: { type: 'array', items: { enum: DATA_THEMES }, description: 'EU data themes' },
    licence: { type: 'string', format: 'uri' },
    contactPoint: { type: 'object', required: ['name', 'email'], properties: { name: { type: 'string' }, email: { type: 'string', format: 'email' }, url: { type: 'string' } } },
    updateFrequency: { enum: UPDATE_FREQUENCIES, description: 'EU frequency code' },
    spatialCoverage: { description: 'A place URI or a GeoJSON geometry' },
    hvdCategory: { type: 'string', description: 'High-Value Dataset category URI (http://data.europa.eu/bna/c_...)' },
    entities: {
      type: 'array',
      description: "Which of the organisation's entities it holds; the most specific rule wins (idPattern, then tenant, then type)",
      items: { type: 'object', properties: { type: { type: 'string' }, tenant: { type: 'string' }, idPattern: { type: 'string', description: 'PostgreSQL regular expression' } } },
    },
    jsonldContext: { type: 'string', format: 'uri', description: 'Expands the entity type names of the rules' },
    classification: { type: 'object', required: ['confidentiality', 'integrity', 'availability'], properties: { confidentiality: level, integrity: level, availability: level } },
    open: { type: 'boolean', description: 'Anonymous read and the open-data catalog; only for K0 without personal data' },
    personalData: {
      type: 'object',
      required: ['category'],
      properties: {
        category: { enum: PERSONAL_DATA_CATEGORIES },
        legalBasis: { type: 'array', items: { type: 'string' }, description: 'DPV terms, like dpv:PublicTask' },
        purposes: { type: 'array', items: { type: 'string' }, description: 'DPV purposes, like dpv:ServiceProvision' },
        identifyingAttributes: { type: 'array', items: { type: 'string' } },
      },
    },
    retentionPeriod: { type: 'string', description: 'ISO 8601 duration, like P5Y' },
  },
};

export const DATASET_EXAMPLE = {
  title: { sv: 'Badtemperaturer i Göteborg', en: 'Bathing water temperatures in Gothenburg' },
  description: { sv: 'Vattentemperatur vid kommunens badplatser, var tionde minut.', en: 'Water temperature at municipal beaches, every ten minutes.' },
  keywords: { sv: ['bad', 'vattentemperatur'], en: ['bathing', 'water temperature'] },
  themes: ['ENVI'],
  licence: 'https://creativecommons.org/publicdomain/zero/1.0/',
  contactPoint: { name: 'Miljöförvaltningen', email: 'miljo@example.se' },
  updateFrequency: '10MIN',
  spatialCoverage: 'http://publications.europa.eu/resource/authority/place/SWE_GOT',
  entities: [{ type: 'https://smartdatamodels.org/dataModel.Environment/WaterQualityObserved' }],
  classification: { confidentiality: 0, integrity: 1, availability: 1 },
  open: true,
  personalData: { category: 'none' },
};
