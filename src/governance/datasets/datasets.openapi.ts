import { z } from 'zod';
import { arrayOf, SchemaComponents } from 'src/common/openapi/openapi-answers';
import { jsonSchemaOf } from 'src/common/openapi/zod-json-schema';
import { datasetChangeSchema, minimisationSchema, newDatasetSchema, PERSONAL_DATA_CATEGORIES } from 'src/governance/datasets/dataset.schema';

/** The dataset resource as /api/v1/datasets shows it (dataset.mapper.ts): what its owner wrote, and what the service adds. */
const datasetViewSchema = newDatasetSchema.extend({
  id: z.uuid(),
  href: z.url(),
  organisation: z.string(),
  accessRights: z.enum(['PUBLIC', 'RESTRICTED', 'NON_PUBLIC']).meta({ description: 'dct:accessRights: PUBLIC for open K0, RESTRICTED up to K1, NON_PUBLIC above and when retired' }),
  isDefault: z.boolean().meta({ description: "The organisation's default dataset, created on its first write (K2, not open)" }),
  status: z.enum(['active', 'retired']),
  conformsTo: z.string().optional().meta({ description: 'The schema URL of the data model the entities conform to; writes that violate it are refused (400 BadRequestData)' }),
  dataModel: z.string().optional().meta({ description: 'The name of that data model, e.g. WaterQualityObserved' }),
  retiredAt: z.iso.datetime().optional(),
  // An organisation's default dataset is made by the database with the category alone.
  personalData: z.strictObject({
    category: z.enum(PERSONAL_DATA_CATEGORIES),
    legalBasis: z.array(z.string()).optional(),
    purposes: z.array(z.string()).optional(),
    identifyingAttributes: z.array(z.string()).optional(),
    dataCategories: z.array(z.string()).optional(),
    minimisation: minimisationSchema.optional(),
    subjectAttribute: z.string().optional(),
    erasure: z.enum(['delete', 'anonymise']).optional(),
  }),
  created: z.iso.datetime(),
  modified: z.iso.datetime(),
});

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

/** The schemas are those of dataset.schema.ts, which validate the requests. */
export const DATASET_SCHEMAS: SchemaComponents = {
  NewDataset: { ...jsonSchemaOf(newDatasetSchema, 'input'), example: DATASET_EXAMPLE },
  DatasetChange: { ...jsonSchemaOf(datasetChangeSchema, 'input'), example: { classification: { confidentiality: 2, integrity: 1, availability: 1 }, open: false } },
  Dataset: jsonSchemaOf(datasetViewSchema, 'output'),
  DatasetList: arrayOf('Dataset'),
};
