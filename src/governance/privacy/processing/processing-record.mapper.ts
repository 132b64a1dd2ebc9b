import { toDatasetView } from 'src/governance/datasets/dataset.mapper';
import { Minimisation, PersonalDataProfile } from 'src/governance/datasets/dataset.schema';
import { DatasetRecord } from 'src/governance/datasets/datasets.repository';
import { GrantRecord } from 'src/governance/grants/grants.repository';

/*
 * Records of processing (GDPR article 30) in W3C DPV 2 terms, as JSON-LD. Terms DPV lacks come
 * from the project's vocabulary (ontologies/vgds.ttl). Everything is written as compact IRIs
 * against one inline @context, so that a record expands without fetching anything.
 */

export const VGDS = 'https://w3id.org/vg-datashare/vocab#';
export const DPV = 'https://w3id.org/dpv#';
/** DPV 2 moved the personal-data categories (Location, HealthRecord...) to this extension. */
export const DPV_PD = 'https://w3id.org/dpv/pd#';
/** Where the service serves its vocabulary (the w3id.org IRIs are names, not yet redirected). */
export const VOCABULARY_PATH = '/ontologies/vgds.ttl';

export const PROCESSING_CONTEXT = {
  dpv: DPV,
  pd: DPV_PD,
  dct: 'http://purl.org/dc/terms/',
  rdf: 'http://www.w3.org/1999/02/22-rdf-syntax-ns#',
  rdfs: 'http://www.w3.org/2000/01/rdf-schema#',
  xsd: 'http://www.w3.org/2001/XMLSchema#',
  vgds: VGDS,
} as const;

/**
 * Personal-data classes of DPV's core. Every other `dpv:` data category is one of the categories
 * DPV 1 had in its core and DPV 2 keeps in the PD extension (`dpv:Location` in DPV 2's core is a
 * place, not personal data), so it is read as `pd:`.
 */
const CORE_PERSONAL_DATA = new Set([
  'PersonalData', 'SensitivePersonalData', 'SpecialCategoryPersonalData', 'IdentifyingPersonalData', 'PseudonymisedData',
  'CollectedPersonalData', 'DerivedPersonalData', 'GeneratedPersonalData', 'InferredPersonalData', 'ObservedPersonalData', 'ProvidedPersonalData',
]);

const PROFILE_CATEGORY: Readonly<Record<string, string>> = {
  pseudonymised: 'dpv:PseudonymisedData',
  personal: 'dpv:PersonalData',
  'special-category': 'dpv:SpecialCategoryPersonalData',
};

export type JsonLdNode = Record<string, unknown>;
/** A grant as the record needs it; `view` once grants carry one (null: the decision point's default). */
export type GrantFacts = Pick<GrantRecord, 'granteeKind' | 'grantee'> & { readonly view?: 'full' | 'minimised' | null };

const ref = (iri: string) => ({ '@id': iri });
const typed = (value: string | number, type: string) => ({ '@value': String(value), '@type': type });

/** The IRI an organisation is known by in records (no organisation registry yet gives them URLs). */
export function organisationIri(organisation: string): string {
  return `urn:vg-datashare:organisation:${organisation}`;
}

/** A data category as an IRI: full IRIs as given, `dpv:` names mapped to DPV 2 (see CORE_PERSONAL_DATA). */
export function dataCategoryIri(term: string): string {
  if (!term.startsWith('dpv:')) return term;
  const name = term.slice('dpv:'.length);
  return CORE_PERSONAL_DATA.has(name) ? term : `pd:${name}`;
}

/** One dataset's record of processing, a JSON-LD document with its @context. */
export function toProcessingDocument(dataset: DatasetRecord, grants: readonly GrantFacts[], baseUrl: string): JsonLdNode {
  return { '@context': PROCESSING_CONTEXT, ...toProcessingRecord(dataset, grants, baseUrl), 'rdfs:seeAlso': ref(`${baseUrl}${VOCABULARY_PATH}`) };
}

/** An organisation's register: the records of its datasets that hold personal data. */
export function toProcessingRegister(organisation: string, records: readonly JsonLdNode[], baseUrl: string): JsonLdNode {
  return {
    '@context': PROCESSING_CONTEXT,
    '@id': `${baseUrl}/api/v1/organisations/${organisation}/processing`,
    '@type': 'vgds:RegisterOfProcessingActivities',
    'dpv:hasDataController': controller(organisation),
    'dpv:hasProcess': records,
    'rdfs:seeAlso': ref(`${baseUrl}${VOCABULARY_PATH}`),
  };
}

/**
 * The record of one dataset. A dataset without personal data gets a record too, typed
 * dpv:NonPersonalDataProcess: "this processes no personal data" is a statement worth making.
 */
export function toProcessingRecord(dataset: DatasetRecord, grants: readonly GrantFacts[], baseUrl: string): JsonLdNode {
  const href = toDatasetView(dataset, baseUrl).href as string;
  const personal = dataset.personalData.category !== 'none';
  const common = {
    '@id': `${href}/processing`,
    '@type': personal ? 'dpv:PersonalDataProcess' : 'dpv:NonPersonalDataProcess',
    'vgds:dataset': ref(href),
    'dct:title': Object.entries(dataset.title).map(([language, text]) => ({ '@value': text, '@language': language })),
    'dpv:hasDataController': controller(dataset.organisation),
    'dpv:hasOrganisationalMeasure': classification(dataset),
  };
  if (!personal) return common;
  const profile = dataset.personalData;
  return {
    ...common,
    'dpv:hasPersonalData': personalData(profile).map(ref),
    'dpv:hasPurpose': (profile.purposes ?? []).map(ref),
    'dpv:hasLegalBasis': (profile.legalBasis ?? []).map(ref),
    'dpv:hasDataSubject': ref('dpv:DataSubject'),
    'dpv:hasProcessing': [ref('dpv:Store'), ref('dpv:MakeAvailable')],
    'dpv:hasStorageCondition': storageDuration(dataset),
    'dpv:hasRecipient': recipients(grants),
    ...(grants.some((g) => g.granteeKind === 'organisation' && g.view) ? { 'vgds:hasGrant': organisationGrantViews(grants) } : {}),
    'dpv:hasTechnicalMeasure': technicalMeasures(profile),
  };
}

function controller(organisation: string): JsonLdNode {
  return { '@id': organisationIri(organisation), '@type': 'dpv:Organisation', 'dct:identifier': organisation };
}

function classification(dataset: DatasetRecord): JsonLdNode {
  return {
    '@type': 'vgds:InformationClassification',
    'vgds:confidentialityLevel': ref(`vgds:K${dataset.confidentiality}`),
    'vgds:integrityLevel': ref(`vgds:R${dataset.integrity}`),
    'vgds:availabilityLevel': ref(`vgds:T${dataset.availability}`),
  };
}

function personalData(profile: PersonalDataProfile): string[] {
  const categories = (profile.dataCategories ?? []).map(dataCategoryIri);
  return [...new Set([PROFILE_CATEGORY[profile.category], ...categories])];
}

/** Retention is the storage duration; without one, history is kept until someone sets it. */
function storageDuration(dataset: DatasetRecord): JsonLdNode {
  const duration = dataset.retentionPeriod
    ? { '@type': 'dpv:TemporalDuration', 'rdf:value': typed(dataset.retentionPeriod, 'xsd:duration') }
    : { '@type': 'dpv:EndlessDuration' };
  return {
    '@type': 'dpv:StorageDuration',
    'dpv:hasDuration': duration,
    'vgds:appliesToCurrentValues': typed(String(dataset.retentionIncludesCurrentValues), 'xsd:boolean'),
  };
}

/**
 * Organisations granted the dataset, by name; principals (persons, API keys) only as a number:
 * article 30 asks for categories of recipients, and a grant to a person is about that person.
 */
function recipients(grants: readonly GrantFacts[]): JsonLdNode[] {
  const organisations = [...new Set(grants.filter((g) => g.granteeKind === 'organisation').map((g) => g.grantee))].sort();
  const principals = new Set(grants.filter((g) => g.granteeKind === 'principal').map((g) => g.grantee)).size;
  return [
    ...organisations.map(controller),
    ...(principals > 0 ? [{ '@type': 'vgds:GrantedPrincipals', 'vgds:numberOfPrincipals': typed(principals, 'xsd:nonNegativeInteger') }] : []),
  ];
}

function organisationGrantViews(grants: readonly GrantFacts[]): JsonLdNode[] {
  return grants
    .filter((g) => g.granteeKind === 'organisation' && g.view)
    .map((g) => ({ '@type': 'vgds:Grant', 'vgds:grantee': ref(organisationIri(g.grantee)), 'vgds:view': ref(g.view === 'full' ? 'vgds:FullView' : 'vgds:MinimisedView') }));
}

function technicalMeasures(profile: PersonalDataProfile): JsonLdNode[] {
  const pseudonymised = profile.category === 'pseudonymised' ? [ref('dpv:Pseudonymisation')] : [];
  return [...pseudonymised, ...minimisationMeasures(profile.identifyingAttributes ?? [], profile.minimisation ?? { removeAttributes: [] })];
}

/** The steps of the minimised view, with their parameters; "@id" (the entity id) is not an attribute. */
export function minimisationMeasures(identifyingAttributes: readonly string[], minimisation: Minimisation): JsonLdNode[] {
  const inMinimisedView = { 'vgds:view': ref('vgds:MinimisedView') };
  const removed = [...new Set([...identifyingAttributes, ...(minimisation.removeAttributes ?? [])])].filter((name) => name !== '@id');
  const { locationGrid, locationAreas, timeResolution, numberPrecision, smallCounts } = minimisation;
  return [
    ...(removed.length > 0 ? [{ '@type': 'vgds:AttributeRemoval', ...inMinimisedView, 'vgds:removedAttribute': removed.map(ref) }] : []),
    ...(locationGrid !== undefined ? [{ '@type': 'vgds:LocationCoarsening', ...inMinimisedView, 'vgds:gridCellSize': typed(locationGrid, 'xsd:integer') }] : []),
    ...(locationAreas !== undefined
      ? [{ '@type': 'vgds:AreaCoarsening', ...inMinimisedView, 'vgds:areaName': locationAreas.map((area) => area.name) }]
      : []),
    ...(timeResolution !== undefined ? [{ '@type': 'vgds:TimeTruncation', ...inMinimisedView, 'vgds:timeResolution': typed(timeResolution, 'xsd:duration') }] : []),
    ...(numberPrecision !== undefined ? [{ '@type': 'vgds:NumberRounding', ...inMinimisedView, 'vgds:decimalPlaces': typed(numberPrecision, 'xsd:integer') }] : []),
    ...(smallCounts
      ? [{ '@type': 'vgds:SmallCountSuppression', ...inMinimisedView, 'vgds:threshold': typed(smallCounts.k, 'xsd:integer'), 'vgds:countAttribute': smallCounts.attributes.map(ref) }]
      : []),
  ];
}
