import { Quad } from 'n3';
import { CatalogDataset, NO_FACTS } from 'src/catalog/catalog-entry';
import { mainCatalogQuads, organisationCatalogQuads } from 'src/catalog/catalog-dcat.mapper';
import { datasetDescriptionQuads } from 'src/catalog/catalog-dcat.mapper';
import { isoDuration } from 'src/catalog/dataset-dcat.mapper';
import { DatasetRecord } from 'src/governance/datasets/datasets.repository';
import { OrganisationRecord } from 'src/governance/organisations/organisations.repository';

const BASE = 'https://data.example.se';
const DCAT = 'http://www.w3.org/ns/dcat#';
const DCT = 'http://purl.org/dc/terms/';
const R5R = 'http://data.europa.eu/r5r/';
const RDF_TYPE = 'http://www.w3.org/1999/02/22-rdf-syntax-ns#type';

const organisation = (over: Partial<OrganisationRecord> = {}): OrganisationRecord => ({
  id: 'boras',
  nameSv: 'Borås stad',
  nameEn: 'City of Borås',
  organisationNumber: '2120001561',
  kind: 'municipality',
  homepage: 'https://www.boras.se/',
  contactName: 'Öppna data',
  contactEmail: 'oppnadata@boras.se',
  contactPhone: '+46 33-35 70 00',
  createdAt: new Date('2026-01-01T00:00:00Z'),
  modifiedAt: new Date('2026-01-02T00:00:00Z'),
  ...over,
});

const dataset = (over: Partial<DatasetRecord> = {}): DatasetRecord => ({
  id: '6f1d2c7a-3b7e-4a8e-9a43-2a1b9c0d1e2f',
  organisation: 'boras',
  title: { sv: 'Badtemperaturer', en: 'Bathing water temperatures' },
  description: { sv: 'Vattentemperatur vid badplatser', en: 'Water temperature at bathing sites' },
  keywords: { sv: ['bad'], en: ['bathing'] },
  themes: ['ENVI'],
  licence: 'http://creativecommons.org/licenses/by/4.0/',
  contactPoint: null,
  updateFrequency: 'HOURLY',
  spatialCoverage: null,
  hvdCategory: null,
  confidentiality: 0,
  integrity: 1,
  availability: 1,
  open: true,
  listedInCatalog: false,
  personalData: { category: 'none', legalBasis: [], purposes: [], identifyingAttributes: [], dataCategories: [], minimisation: { removeAttributes: [] }, erasure: 'delete' },
  retentionPeriod: null,
  retentionIncludesCurrentValues: false,
  jsonldContext: null,
  conformsTo: 'https://smart-data-models.github.io/dataModel.Environment/WaterQualityObserved/schema.json',
  isDefault: false,
  retiredAt: null,
  createdAt: new Date('2026-02-01T00:00:00Z'),
  modifiedAt: new Date('2026-02-02T00:00:00Z'),
  entities: [{ type: 'https://smartdatamodels.org/dataModel.Environment/WaterQualityObserved' }],
  ...over,
});

const entry = (over: Partial<DatasetRecord> = {}, facts = NO_FACTS): CatalogDataset => ({ record: dataset(over), facts });

const objects = (quads: Quad[], subject: string, predicate: string) => quads.filter((q) => q.subject.value === subject && q.predicate.value === predicate).map((q) => q.object.value);
const datasetUri = `${BASE}/api/v1/datasets/6f1d2c7a-3b7e-4a8e-9a43-2a1b9c0d1e2f`;

describe('the DCAT description of a dataset', () => {
  it('names the dataset by its URL, its UUID as dct:identifier, and its publisher by the dataportal URI', () => {
    const quads = datasetDescriptionQuads(BASE, entry(), organisation());
    expect(objects(quads, datasetUri, RDF_TYPE)).toEqual([`${DCAT}Dataset`]);
    expect(objects(quads, datasetUri, `${DCT}identifier`)).toEqual(['6f1d2c7a-3b7e-4a8e-9a43-2a1b9c0d1e2f']);
    expect(objects(quads, datasetUri, `${DCT}publisher`)).toEqual(['http://dataportal.se/organisation/SE2120001561']);
    expect(objects(quads, 'http://dataportal.se/organisation/SE2120001561', `${DCT}type`)).toEqual(['http://purl.org/adms/publishertype/LocalAuthority']);
    expect(objects(quads, 'http://dataportal.se/organisation/SE2120001561', `${DCT}identifier`)).toEqual(['212000-1561']);
    expect(objects(quads, datasetUri, `${DCAT}contactPoint`)).toEqual([`${BASE}/api/v1/organisations/boras#contact`]);
    expect(objects(quads, datasetUri, `${DCT}accessRights`)).toEqual(['http://publications.europa.eu/resource/authority/access-right/PUBLIC']);
  });

  it('gives an open dataset the APIs and the three downloads, and no blank nodes', () => {
    const quads = datasetDescriptionQuads(BASE, entry(), organisation());
    expect(objects(quads, datasetUri, `${DCAT}distribution`).sort()).toEqual(
      ['csv', 'geojson', 'graphql', 'jsonld', 'ngsi-ld'].map((name) => `${datasetUri}#distribution-${name}`),
    );
    expect(objects(quads, `${datasetUri}#distribution-csv`, `${DCAT}downloadURL`)).toEqual([`${BASE}/api/v1/datasets/6f1d2c7a-3b7e-4a8e-9a43-2a1b9c0d1e2f/download/current.csv`]);
    expect(objects(quads, `${datasetUri}#distribution-csv`, `${DCT}format`)).toEqual(['http://publications.europa.eu/resource/authority/file-type/CSV']);
    expect(objects(quads, `${datasetUri}#ngsi-ld-api`, `${DCAT}endpointURL`)).toEqual([
      `${BASE}/ngsi-ld/v1/entities?type=https%3A%2F%2Fsmartdatamodels.org%2FdataModel.Environment%2FWaterQualityObserved`,
    ]);
    expect(objects(quads, `${datasetUri}#ngsi-ld-api`, `${DCAT}endpointDescription`)).toEqual([`${BASE}/openapi.json`]);
    expect(quads.some((q) => q.subject.termType === 'BlankNode' || q.object.termType === 'BlankNode')).toBe(false);
  });

  it('lists a restricted dataset with its APIs but without downloads, as RESTRICTED or NON_PUBLIC', () => {
    const k1 = datasetDescriptionQuads(BASE, entry({ open: false, confidentiality: 1 }), organisation());
    expect(objects(k1, datasetUri, `${DCT}accessRights`)).toEqual(['http://publications.europa.eu/resource/authority/access-right/RESTRICTED']);
    expect(objects(k1, datasetUri, `${DCAT}distribution`).sort()).toEqual([`${datasetUri}#distribution-graphql`, `${datasetUri}#distribution-ngsi-ld`]);
    expect(k1.some((q) => q.predicate.value === `${DCAT}downloadURL`)).toBe(false);
    const k2 = datasetDescriptionQuads(BASE, entry({ open: false, confidentiality: 2 }), organisation());
    expect(objects(k2, datasetUri, `${DCT}accessRights`)).toEqual(['http://publications.europa.eu/resource/authority/access-right/NON_PUBLIC']);
  });

  it('tags an HVD dataset, its data services and its distributions', () => {
    const quads = datasetDescriptionQuads(BASE, entry({ hvdCategory: 'http://data.europa.eu/bna/c_dd313021' }), organisation());
    const tagged = [datasetUri, `${datasetUri}#ngsi-ld-api`, `${datasetUri}#graphql-api`, ...['csv', 'geojson', 'jsonld', 'ngsi-ld', 'graphql'].map((n) => `${datasetUri}#distribution-${n}`)];
    for (const subject of tagged) {
      expect(objects(quads, subject, `${R5R}hvdCategory`)).toEqual(['http://data.europa.eu/bna/c_dd313021']);
      expect(objects(quads, subject, `${R5R}applicableLegislation`)).toEqual(['http://data.europa.eu/eli/reg_impl/2023/138/oj']);
    }
    expect(objects(quads, 'http://data.europa.eu/bna/c_dd313021', 'http://www.w3.org/2004/02/skos/core#prefLabel')).toEqual(['Jordobservation och miljö', 'Earth observation and environment']);
  });

  it('states the facts from the data: bounding box, period, last change, measured update interval, own contact point', () => {
    const facts = {
      entityCount: 3,
      bbox: 'POLYGON((12 57,13 57,13 58,12 58,12 57))',
      firstObservedAt: new Date('2026-03-01T00:00:00Z'),
      lastObservedAt: new Date('2026-03-02T00:00:00Z'),
      lastChangedAt: new Date('2026-03-02T00:00:00Z'),
      meanChangeIntervalSeconds: 900,
    };
    const quads = datasetDescriptionQuads(BASE, entry({ contactPoint: { name: 'Miljö', email: 'miljo@boras.se' } }, facts), organisation());
    expect(objects(quads, `${datasetUri}#spatial`, `${DCAT}bbox`)).toEqual([facts.bbox]);
    expect(objects(quads, `${datasetUri}#temporal`, `${DCAT}startDate`)).toEqual(['2026-03-01T00:00:00.000Z']);
    expect(objects(quads, datasetUri, `${DCT}modified`)).toEqual(['2026-03-02T00:00:00.000Z']);
    expect(objects(quads, datasetUri, 'https://w3id.org/vg-datashare/vocab#measuredUpdateInterval')).toEqual(['PT15M']);
    expect(objects(quads, datasetUri, `${DCAT}contactPoint`)).toEqual([`${datasetUri}#contact`]);
    expect(objects(quads, `${datasetUri}#contact`, 'http://www.w3.org/2006/vcard/ns#hasEmail')).toEqual(['mailto:miljo@boras.se']);
  });
});

describe('catalogs', () => {
  it('makes each organisation a part of the main catalog, licensed CC0', () => {
    const quads = mainCatalogQuads(BASE, [
      { organisation: organisation(), datasets: [entry()] },
      { organisation: organisation({ id: 'vgregion', kind: 'region', organisationNumber: '2321000131' }), datasets: [] },
    ]);
    expect(objects(quads, `${BASE}/catalog`, `${DCT}hasPart`)).toEqual([`${BASE}/catalog/boras`, `${BASE}/catalog/vgregion`]);
    expect(objects(quads, `${BASE}/catalog`, `${DCT}license`)).toEqual(['http://creativecommons.org/publicdomain/zero/1.0/']);
    expect(objects(quads, `${BASE}/catalog`, `${DCT}publisher`)).toEqual(['http://dataportal.se/organisation/SE2321000131']);
    expect(objects(quads, `${BASE}/catalog/boras`, `${DCAT}dataset`)).toEqual([datasetUri]);
  });

  it('writes what many datasets share (publisher, licence, themes) once', () => {
    const quads = organisationCatalogQuads(BASE, { organisation: organisation(), datasets: [entry(), entry({ id: '0b5f9d4e-8f2a-4c1b-9e3d-7a6b5c4d3e2f' })] });
    const keys = quads.map((q) => `${q.subject.value} ${q.predicate.value} ${q.object.value}`);
    expect(new Set(keys).size).toBe(keys.length);
  });
});

describe('isoDuration', () => {
  it.each([
    [0, 'PT0S'],
    [59.6, 'PT1M'],
    [900, 'PT15M'],
    [3725, 'PT1H2M5S'],
    [86400, 'P1D'],
    [93600, 'P1DT2H'],
  ])('%s s is %s', (seconds, expected) => {
    expect(isoDuration(seconds)).toBe(expected);
  });
});
