import * as jsonld from 'jsonld';
import { DatasetRecord } from 'src/governance/datasets/datasets.repository';
import { dataCategoryIri, DPV, DPV_PD, toProcessingDocument, VGDS } from 'src/governance/privacy/processing/processing-record.mapper';

const BASE = 'https://data.example.se';
const ID = '7b0f3a5e-4c41-4a53-9b55-2f0e2d1d6a11';
const SPEED = 'https://uri.etsi.org/ngsi-ld/default-context/speed';
const VEHICLE = 'https://uri.etsi.org/ngsi-ld/default-context/vehicle';
const COUNT = 'https://uri.etsi.org/ngsi-ld/default-context/peopleCount';
const XSD = 'http://www.w3.org/2001/XMLSchema#';
const RDF_VALUE = 'http://www.w3.org/1999/02/22-rdf-syntax-ns#value';

function dataset(overrides: Partial<DatasetRecord> = {}): DatasetRecord {
  return {
    id: ID,
    organisation: 'goteborg',
    title: { sv: 'Personräknare', en: 'People counters' },
    description: { sv: 'Räknare' },
    keywords: {},
    themes: [],
    licence: null,
    contactPoint: null,
    updateFrequency: null,
    spatialCoverage: null,
    hvdCategory: null,
    confidentiality: 2,
    integrity: 1,
    availability: 1,
    open: false,
    listedInCatalog: false,
    personalData: {
      category: 'pseudonymised',
      legalBasis: ['dpv:PublicInterest'],
      purposes: ['dpv:ServiceOptimisation', 'https://w3id.org/dpv#ResearchAndDevelopment'],
      identifyingAttributes: [VEHICLE, '@id'],
      dataCategories: ['dpv:Location', 'dpv:PersonalData', 'https://w3id.org/dpv/pd#Behavioral'],
      minimisation: { removeAttributes: [SPEED], locationGrid: 250, timeResolution: 'PT15M', numberPrecision: 1, smallCounts: { attributes: [COUNT], k: 5 } },
      erasure: 'delete',
    },
    retentionPeriod: 'P90D',
    retentionIncludesCurrentValues: false,
    jsonldContext: null,
    conformsTo: null,
    isDefault: false,
    retiredAt: null,
    createdAt: new Date('2026-01-01T00:00:00Z'),
    modifiedAt: new Date('2026-01-01T00:00:00Z'),
    entities: [],
    ...overrides,
  };
}

type Expanded = Record<string, { '@id'?: string; '@value'?: string; '@type'?: string | string[] }[] | string | string[]>;
const refuse = (url: string) => Promise.reject(new Error(`no fetching ${url}`));

/** The record as a graph would hold it: expanded, so that only IRIs count, not how they were written. */
async function expanded(document: object): Promise<Expanded> {
  const [node] = (await jsonld.expand(document as jsonld.JsonLdDocument, { documentLoader: refuse } as unknown as jsonld.Options.Expand)) as unknown as Expanded[];
  return node;
}
const ids = (values: unknown) => (values as { '@id': string }[]).map((v) => v['@id']);
const ofType = (node: Expanded, property: string, type: string) => (node[property] as unknown as Expanded[]).find((n) => (n['@type'] as string[] | undefined)?.includes(type));

describe('the record of processing of a dataset', () => {
  it('names the dataset, its controller, purposes and legal basis by their DPV IRIs', async () => {
    const record = await expanded(toProcessingDocument(dataset(), [], BASE));
    expect(record['@id']).toBe(`${BASE}/api/v1/datasets/${ID}/processing`);
    expect(record['@type']).toEqual([`${DPV}PersonalDataProcess`]);
    expect(ids(record[`${VGDS}dataset`])).toEqual([`${BASE}/api/v1/datasets/${ID}`]);
    expect(ids(record[`${DPV}hasDataController`])).toEqual(['urn:vg-datashare:organisation:goteborg']);
    expect(ids(record[`${DPV}hasPurpose`])).toEqual([`${DPV}ServiceOptimisation`, `${DPV}ResearchAndDevelopment`]);
    expect(ids(record[`${DPV}hasLegalBasis`])).toEqual([`${DPV}PublicInterest`]);
    expect(ids(record['http://www.w3.org/2000/01/rdf-schema#seeAlso'])).toEqual([`${BASE}/ontologies/vgds.ttl`]);
  });

  it('reads dpv: data categories as DPV 2 has them: core personal-data classes in dpv, the rest in the PD extension', async () => {
    const record = await expanded(toProcessingDocument(dataset(), [], BASE));
    expect(ids(record[`${DPV}hasPersonalData`])).toEqual([`${DPV}PseudonymisedData`, `${DPV_PD}Location`, `${DPV}PersonalData`, `${DPV_PD}Behavioral`]);
    expect(dataCategoryIri('https://w3id.org/dpv#Location')).toBe('https://w3id.org/dpv#Location');
  });

  it('gives the retention period as an xsd:duration, and an endless duration without one', async () => {
    const storage = (await expanded(toProcessingDocument(dataset(), [], BASE)))[`${DPV}hasStorageCondition`] as unknown as Expanded[];
    expect(storage[0]['@type']).toEqual([`${DPV}StorageDuration`]);
    const duration = storage[0][`${DPV}hasDuration`] as unknown as Expanded[];
    expect(duration[0]['@type']).toEqual([`${DPV}TemporalDuration`]);
    expect(duration[0][RDF_VALUE]).toEqual([{ '@value': 'P90D', '@type': `${XSD}duration` }]);
    const endless = (await expanded(toProcessingDocument(dataset({ retentionPeriod: null }), [], BASE)))[`${DPV}hasStorageCondition`] as unknown as Expanded[];
    expect((endless[0][`${DPV}hasDuration`] as unknown as Expanded[])[0]['@type']).toEqual([`${DPV}EndlessDuration`]);
  });

  it('names organisations granted the dataset and only counts principals', async () => {
    const grants = [
      { granteeKind: 'organisation' as const, grantee: 'boras', view: 'minimised' as const },
      { granteeKind: 'principal' as const, grantee: 'analyst-1' },
      { granteeKind: 'principal' as const, grantee: 'api-key:0b6c3c2e-0000-4000-8000-000000000000' },
    ];
    const document = toProcessingDocument(dataset(), grants, BASE);
    expect(JSON.stringify(document)).not.toMatch(/analyst-1|api-key/);
    const record = await expanded(document);
    expect(ids(record[`${DPV}hasRecipient`]).filter(Boolean)).toEqual(['urn:vg-datashare:organisation:boras']);
    expect(ofType(record, `${DPV}hasRecipient`, `${VGDS}GrantedPrincipals`)?.[`${VGDS}numberOfPrincipals`]).toEqual([{ '@value': '2', '@type': `${XSD}nonNegativeInteger` }]);
    expect(ids((record[`${VGDS}hasGrant`] as unknown as Expanded[])[0][`${VGDS}view`])).toEqual([`${VGDS}MinimisedView`]);
  });

  it('lists pseudonymisation and the steps of the minimised view with their parameters', async () => {
    const record = await expanded(toProcessingDocument(dataset(), [], BASE));
    expect(ids(record[`${DPV}hasTechnicalMeasure`]).filter(Boolean)).toEqual([`${DPV}Pseudonymisation`]);
    const measure = (type: string) => ofType(record, `${DPV}hasTechnicalMeasure`, `${VGDS}${type}`)!;
    expect(ids(measure('AttributeRemoval')[`${VGDS}removedAttribute`])).toEqual([VEHICLE, SPEED]);
    expect(measure('LocationCoarsening')[`${VGDS}gridCellSize`]).toEqual([{ '@value': '250', '@type': `${XSD}integer` }]);
    expect(measure('TimeTruncation')[`${VGDS}timeResolution`]).toEqual([{ '@value': 'PT15M', '@type': `${XSD}duration` }]);
    expect(measure('NumberRounding')[`${VGDS}decimalPlaces`]).toEqual([{ '@value': '1', '@type': `${XSD}integer` }]);
    expect(measure('SmallCountSuppression')[`${VGDS}threshold`]).toEqual([{ '@value': '5', '@type': `${XSD}integer` }]);
    expect(ids(measure('SmallCountSuppression')[`${VGDS}countAttribute`])).toEqual([COUNT]);
    expect(ids(measure('LocationCoarsening')[`${VGDS}view`])).toEqual([`${VGDS}MinimisedView`]);
  });

  it('carries the KLASSA classification as levels of the vocabulary', async () => {
    const [classification] = (await expanded(toProcessingDocument(dataset(), [], BASE)))[`${DPV}hasOrganisationalMeasure`] as unknown as Expanded[];
    expect(ids(classification[`${VGDS}confidentialityLevel`])).toEqual([`${VGDS}K2`]);
    expect(ids(classification[`${VGDS}integrityLevel`])).toEqual([`${VGDS}R1`]);
    expect(ids(classification[`${VGDS}availabilityLevel`])).toEqual([`${VGDS}T1`]);
  });

  it('says of a dataset without personal data that it processes none, and nothing more about personal data', async () => {
    const profile = { category: 'none' as const, legalBasis: [], purposes: [], identifyingAttributes: [], dataCategories: [], minimisation: { removeAttributes: [] }, erasure: 'delete' as const };
    const record = await expanded(toProcessingDocument(dataset({ personalData: profile }), [{ granteeKind: 'organisation', grantee: 'boras' }], BASE));
    expect(record['@type']).toEqual([`${DPV}NonPersonalDataProcess`]);
    expect(Object.keys(record).filter((key) => key.startsWith(DPV))).toEqual([`${DPV}hasDataController`, `${DPV}hasOrganisationalMeasure`]);
  });

  it('takes an organisation default profile that holds the category alone', async () => {
    const record = await expanded(toProcessingDocument(dataset({ personalData: { category: 'personal' } as DatasetRecord['personalData'] }), [], BASE));
    expect(ids(record[`${DPV}hasPersonalData`])).toEqual([`${DPV}PersonalData`]);
    expect(record[`${DPV}hasTechnicalMeasure`] ?? []).toEqual([]);
  });
});
