import { z } from 'zod';
import { ORGANISATION } from 'src/config/app-config';
import { DPV_TERM } from 'src/governance/privacy/purposes/purpose';

/*
 * The dataset resource as data owners write it. Code lists are the EU vocabularies DCAT-AP-SE
 * uses: data themes and update frequencies (Publications Office authority tables), High-Value
 * Dataset categories (Regulation (EU) 2023/138, http://data.europa.eu/bna/), DPV for legal bases
 * and purposes. Confidentiality, integrity and availability are KLASSA levels.
 */
export const DATA_THEMES = ['AGRI', 'ECON', 'EDUC', 'ENER', 'ENVI', 'GOVE', 'HEAL', 'INTR', 'JUST', 'REGI', 'SOCI', 'TECH', 'TRAN'] as const;
export const UPDATE_FREQUENCIES = [
  'CONT', 'UPDATE_CONT', '1MIN', '5MIN', '10MIN', '15MIN', '30MIN', 'HOURLY', 'BIHOURLY', 'TRIHOURLY', '12HRS',
  'DAILY', 'DAILY_2', 'WEEKLY', 'WEEKLY_2', 'WEEKLY_3', 'BIWEEKLY', 'MONTHLY', 'MONTHLY_2', 'MONTHLY_3', 'BIMONTHLY',
  'QUARTERLY', 'ANNUAL', 'ANNUAL_2', 'ANNUAL_3', 'BIENNIAL', 'TRIENNIAL', 'IRREG', 'NEVER', 'OTHER', 'UNKNOWN',
] as const;
export const PERSONAL_DATA_CATEGORIES = ['none', 'pseudonymised', 'personal', 'special-category'] as const;

const HTTP_URI = /^https?:\/\/[^\s<>"{}|\\^`]+$/;
/** ISO 8601 durations of whole units, as retention periods are stated (P30D, P1Y6M, PT12H). */
const DURATION = /^P(?=\d|T\d)(\d+Y)?(\d+M)?(\d+W)?(\d+D)?(T(?=\d)(\d+H)?(\d+M)?(\d+S)?)?$/;

const text = (max: number) => z.string().trim().min(1).max(max);
const languageText = (max: number) => z.strictObject({ sv: text(max), en: text(max).optional() });
const level = (name: string) =>
  z
    .number()
    .int()
    .min(0, `${name} is a KLASSA level from 0 to 3`)
    .max(4, `${name} is a KLASSA level from 0 to 3`)
    .refine((value) => value !== 4, `${name} level 4: such information does not belong in a data-sharing platform; keep it in systems built for it`)
    .meta({ description: 'A KLASSA level from 0 to 3; 4 is refused' });

const position = z.array(z.number()).min(2).max(3);
const geometry = z.union([
  z.strictObject({ type: z.literal('Point'), coordinates: position }),
  z.strictObject({ type: z.enum(['LineString', 'MultiPoint']), coordinates: z.array(position) }),
  z.strictObject({ type: z.enum(['Polygon', 'MultiLineString']), coordinates: z.array(z.array(position)) }),
  z.strictObject({ type: z.literal('MultiPolygon'), coordinates: z.array(z.array(z.array(position))) }),
]);

/** A named area of a minimised view: a polygon or several. */
const area = z.union([
  z.strictObject({ type: z.literal('Polygon'), coordinates: z.array(z.array(position).min(4)).min(1) }),
  z.strictObject({ type: z.literal('MultiPolygon'), coordinates: z.array(z.array(z.array(position).min(4)).min(1)).min(1) }),
]);

export const entityRuleSchema = z.strictObject({
  type: z.string().min(1).max(2048).regex(/^\S+$/, 'an entity type is a name or an IRI, without spaces').optional(),
  tenant: z.string().regex(/^([A-Za-z0-9][A-Za-z0-9_.:-]{0,99})?$/, 'expected an NGSILD-Tenant name ("" is the default tenant)').optional(),
  idPattern: z.string().min(1).max(1000).optional().meta({ description: 'A PostgreSQL regular expression on entity ids' }),
})
  .refine((rule) => rule.type !== undefined || rule.tenant !== undefined || rule.idPattern !== undefined, 'a rule names a type, a tenant or an id pattern')
  .meta({ description: "Which of the organisation's entities the dataset holds (a type, a tenant or an id pattern); the most specific rule wins (idPattern, then tenant, then type)" });

/** The time resolutions a minimised view truncates instants to (ISO 8601 durations). */
export const TIME_RESOLUTIONS = ['PT1M', 'PT5M', 'PT15M', 'PT1H', 'P1D'] as const;

const attributeName = text(2048).regex(/^\S+$/, 'an attribute is a name or an IRI, without spaces');

export const minimisationSchema = z
  .strictObject({
    removeAttributes: z.array(attributeName).max(200).default([]).meta({ description: 'Attributes removed from minimised answers, besides identifyingAttributes' }),
    locationGrid: z.number().int().min(10).max(100000).optional().meta({ description: 'Locations are coarsened to the centre of a grid cell of this many metres' }),
    locationAreas: z
      .array(z.strictObject({ name: text(200), geometry: area }))
      .min(1)
      .max(500)
      .optional()
      .meta({ description: 'Locations are coarsened to the named area (district, zone) they lie in, shown as its geometry; outside every area a location is left out' }),
    timeResolution: z.enum(TIME_RESOLUTIONS).optional().meta({ description: 'Instants (observedAt, history times) are truncated to this resolution' }),
    numberPrecision: z.number().int().min(-6).max(6).optional().meta({ description: 'Numeric values are rounded to this many decimals (negative: to tens, hundreds, ...)' }),
    smallCounts: z
      .strictObject({ attributes: z.array(attributeName).min(1).max(50), k: z.number().int().min(2).max(1000) })
      .optional()
      .meta({ description: 'A value of these count attributes below k is withheld (k-anonymity for small groups)' }),
  })
  .refine((m) => m.locationGrid === undefined || m.locationAreas === undefined, { message: 'coarsen locations to a grid or to named areas, not both', path: ['locationAreas'] })
  .meta({ description: 'What a minimised view of the dataset removes or coarsens' });

export const personalDataSchema = z
  .strictObject({
    category: z.enum(PERSONAL_DATA_CATEGORIES),
    legalBasis: z.array(z.string().regex(DPV_TERM, 'expected a DPV term such as dpv:PublicInterest')).max(10).default([]),
    purposes: z.array(z.string().regex(DPV_TERM, 'expected a DPV term such as dpv:ServiceProvision')).max(50).default([]),
    identifyingAttributes: z.array(attributeName).max(200).default([]),
    dataCategories: z
      .array(z.string().regex(DPV_TERM, 'expected a DPV personal-data category such as dpv:Location'))
      .max(50)
      .default([])
      .meta({ description: 'Categories of personal data held (DPV terms, e.g. dpv:Location, dpv:HealthRecord)' }),
    minimisation: minimisationSchema.default({ removeAttributes: [] }),
    subjectAttribute: attributeName
      .optional()
      .meta({ description: 'How a data subject is identified: the attribute holding their id (a Relationship or Property), or "@id" for the entity id itself' }),
    erasure: z.enum(['delete', 'anonymise']).default('delete').meta({ description: "What erasing a subject's data does: delete the entities, or remove the subject and identifying attributes everywhere" }),
  })
  .refine((p) => !p.identifyingAttributes.includes('@id'), {
    message: 'the entity id cannot be left out of a minimised view: give people pseudonymous entity ids, and name "@id" as subjectAttribute for data-subject requests',
    path: ['identifyingAttributes'],
  })
  .refine((p) => p.category === 'none' || p.legalBasis.length > 0, { message: 'personal data needs a legal basis (legalBasis)', path: ['legalBasis'] })
  .refine((p) => p.category === 'none' || p.purposes.length > 0, { message: 'personal data needs the purposes it may be used for', path: ['purposes'] });

export type PersonalDataProfile = z.output<typeof personalDataSchema>;
export type Minimisation = z.output<typeof minimisationSchema>;

const fields = {
  title: languageText(300),
  description: languageText(5000),
  keywords: z.strictObject({ sv: z.array(text(100)).max(50).optional(), en: z.array(text(100)).max(50).optional() }),
  themes: z.array(z.enum(DATA_THEMES)).max(DATA_THEMES.length),
  licence: z.string().regex(HTTP_URI, 'expected the licence URI, like https://creativecommons.org/licenses/by/4.0/'),
  contactPoint: z.strictObject({ name: text(200), email: z.email(), url: z.string().regex(HTTP_URI).optional() }),
  updateFrequency: z.enum(UPDATE_FREQUENCIES),
  spatialCoverage: z.union([z.string().regex(HTTP_URI, 'expected a place URI or a GeoJSON geometry'), geometry]),
  hvdCategory: z.string().regex(/^http:\/\/data\.europa\.eu\/bna\/c_[0-9a-f]{8}$/, 'expected an HVD category URI, like http://data.europa.eu/bna/c_dd313021'),
  entities: z.array(entityRuleSchema).max(100),
  jsonldContext: z.string().regex(HTTP_URI, 'expected the URL of a JSON-LD @context').meta({ description: 'Expands the entity type names of the rules' }),
  conformsTo: z
    .string()
    .trim()
    .min(1)
    .max(2048)
    .meta({
      description:
        "The data model the dataset's entities conform to (MIM2): the name (WaterQualityObserved), type IRI or published schema URL of a model of the registry (ontologies/models); stored and shown as the schema URL. Writes into the dataset are validated against it",
    }),
  classification: z.strictObject({
    confidentiality: level('confidentiality (K)'),
    integrity: level('integrity (R)'),
    availability: level('availability (T)'),
  }),
  open: z.boolean().meta({ description: 'Anonymous read and the open-data catalog; only for K0 without personal data' }),
  listedInCatalog: z
    .boolean()
    .meta({ description: 'A restricted dataset: list its metadata (not its data) in the open-data catalog, with its access rights, so that people learn it exists and whom to ask. Open datasets are always listed' }),
  personalData: personalDataSchema,
  retentionPeriod: z.string().regex(DURATION, 'expected an ISO 8601 duration, like P5Y or P90D').meta({ description: 'How long history is kept (ISO 8601 duration)' }),
  retentionIncludesCurrentValues: z.boolean().meta({ description: 'Retention also deletes entities whose last change is older than the period' }),
};

export const newDatasetSchema = z.strictObject({
  organisation: z.string().regex(ORGANISATION, 'expected an organisation id: lower-case letters, digits and "-"').optional().meta({ description: "The publishing organisation; the caller's by default" }),
  title: fields.title,
  description: fields.description,
  keywords: fields.keywords.default({}),
  themes: fields.themes.default([]),
  licence: fields.licence.optional(),
  contactPoint: fields.contactPoint.optional(),
  updateFrequency: fields.updateFrequency.optional(),
  spatialCoverage: fields.spatialCoverage.optional(),
  hvdCategory: fields.hvdCategory.optional(),
  entities: fields.entities.default([]),
  jsonldContext: fields.jsonldContext.optional(),
  conformsTo: fields.conformsTo.optional(),
  classification: fields.classification,
  open: fields.open.default(false),
  listedInCatalog: fields.listedInCatalog.default(false),
  personalData: fields.personalData.default({ category: 'none', legalBasis: [], purposes: [], identifyingAttributes: [], dataCategories: [], minimisation: { removeAttributes: [] }, erasure: 'delete' }),
  retentionPeriod: fields.retentionPeriod.optional(),
  retentionIncludesCurrentValues: fields.retentionIncludesCurrentValues.default(false),
});

/** A change: any field of a new dataset but the organisation; `null` clears an optional one. */
export const datasetChangeSchema = z.strictObject({
  title: fields.title.optional(),
  description: fields.description.optional(),
  keywords: fields.keywords.optional(),
  themes: fields.themes.optional(),
  licence: fields.licence.nullable().optional(),
  contactPoint: fields.contactPoint.nullable().optional(),
  updateFrequency: fields.updateFrequency.nullable().optional(),
  spatialCoverage: fields.spatialCoverage.nullable().optional(),
  hvdCategory: fields.hvdCategory.nullable().optional(),
  entities: fields.entities.optional(),
  jsonldContext: fields.jsonldContext.nullable().optional(),
  conformsTo: fields.conformsTo.nullable().optional(),
  classification: fields.classification.optional(),
  open: fields.open.optional(),
  listedInCatalog: fields.listedInCatalog.optional(),
  personalData: fields.personalData.optional(),
  retentionPeriod: fields.retentionPeriod.nullable().optional(),
  retentionIncludesCurrentValues: fields.retentionIncludesCurrentValues.optional(),
  status: z.enum(['active', 'retired']).optional().meta({ description: 'retired: it claims no new entities; active again' }),
});

export type NewDataset = z.output<typeof newDatasetSchema>;
export type DatasetChange = z.output<typeof datasetChangeSchema>;
export type EntityRuleInput = z.output<typeof entityRuleSchema>;
