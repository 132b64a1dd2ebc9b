import { Quad } from 'n3';
import { addPublisher } from 'src/catalog/agent-dcat.mapper';
import { CatalogDataset, OrganisationCatalog } from 'src/catalog/catalog-entry';
import { mainCatalogUri, organisationCatalogUri } from 'src/catalog/catalog-uris';
import { addDataset, DatasetDcatContext, DatasetDescription } from 'src/catalog/dataset-dcat.mapper';
import { CC0, DATA_THEME_SCHEME, LANGUAGE, NS } from 'src/catalog/dcat-vocabulary';
import { QuadBuilder } from 'src/catalog/quad-builder';
import { OrganisationRecord } from 'src/governance/organisations/organisations.repository';

const { dcat, dct, foaf } = NS;

/** Adds a dataset's description to a catalog (the default), or only names it when its triples are written apart. */
export type DatasetWriter = (out: QuadBuilder, entry: CatalogDataset, context: DatasetDcatContext) => DatasetDescription;

/**
 * The main catalog: one catalog per registered organisation, each a part of it (dct:hasPart, and
 * dcat:catalog as DCAT 3 names the same relation), one level deep, all in one document. Its
 * publisher is the region (the first registered organisation of that kind), which runs the
 * platform; the organisations publish their own catalogs.
 */
export function mainCatalogQuads(base: string, catalogs: readonly OrganisationCatalog[], writeDataset: DatasetWriter = addDataset): Quad[] {
  const out = new QuadBuilder();
  const uri = mainCatalogUri(base);
  const organisations = catalogs.map((c) => c.organisation);
  describeCatalog(out, uri, base, {
    title: { sv: 'Öppna data i Västra Götaland', en: 'Open data in Västra Götaland' },
    description: {
      sv: 'Datamängder som Västra Götalands kommuner, region och bolag delar via den gemensamma IoT-plattformen: en delkatalog per organisation.',
      en: "Datasets the municipalities, the region and the companies of Västra Götaland share through the common IoT platform: one sub-catalog per organisation.",
    },
    publisher: operatorOf(organisations),
    homepage: `${base}/explore`,
    dates: datesOf(organisations, catalogs.flatMap((c) => c.datasets)),
  });
  for (const catalog of catalogs) {
    const part = addOrganisationCatalog(out, base, catalog, writeDataset);
    out.link(uri, `${dct}hasPart`, part).link(uri, `${dcat}catalog`, part);
  }
  return out.quads;
}

/** One organisation's catalog: the document it registers at Sveriges dataportal. */
export function organisationCatalogQuads(base: string, catalog: OrganisationCatalog, writeDataset: DatasetWriter = addDataset): Quad[] {
  const out = new QuadBuilder();
  addOrganisationCatalog(out, base, catalog, writeDataset);
  return out.quads;
}

/** One dataset's description, as its URL serves it in RDF. */
export function datasetDescriptionQuads(base: string, entry: CatalogDataset, organisation: OrganisationRecord): Quad[] {
  const out = new QuadBuilder();
  addDataset(out, entry, { base, organisation });
  return out.quads;
}

function addOrganisationCatalog(out: QuadBuilder, base: string, { organisation, datasets }: OrganisationCatalog, writeDataset: DatasetWriter): string {
  const uri = organisationCatalogUri(base, organisation.id);
  const nameEn = organisation.nameEn ?? organisation.nameSv;
  describeCatalog(out, uri, base, {
    title: { sv: `Öppna data från ${organisation.nameSv}`, en: `Open data from ${nameEn}` },
    description: {
      sv: `Datamängder som ${organisation.nameSv} publicerar via Västra Götalands IoT-plattform (vg-datashare).`,
      en: `Datasets ${nameEn} publishes through the Västra Götaland IoT platform (vg-datashare).`,
    },
    publisher: organisation,
    homepage: organisation.homepage ?? `${base}/explore`,
    dates: datesOf([organisation], datasets),
  });
  for (const entry of datasets) {
    const { dataset, services } = writeDataset(out, entry, { base, organisation });
    out.link(uri, `${dcat}dataset`, dataset);
    for (const service of services) out.link(uri, `${dcat}service`, service);
  }
  return uri;
}

interface CatalogHeader {
  readonly title: { sv: string; en: string };
  readonly description: { sv: string; en: string };
  readonly publisher: OrganisationRecord | undefined;
  readonly homepage: string;
  readonly dates: { issued: Date; modified: Date } | undefined;
}

/** What every catalog says of itself: titles, publisher, CC0 for the metadata, languages, homepage, dates, theme taxonomy. */
function describeCatalog(out: QuadBuilder, uri: string, base: string, header: CatalogHeader): void {
  out.type(uri, `${dcat}Catalog`);
  out.languages(uri, `${dct}title`, header.title).languages(uri, `${dct}description`, header.description);
  out.link(uri, `${dct}publisher`, header.publisher ? addPublisher(out, header.publisher) : addOperator(out, base));
  out.link(uri, `${dct}license`, CC0).type(CC0, `${dct}LicenseDocument`);
  for (const language of ['SWE', 'ENG']) out.link(uri, `${dct}language`, `${LANGUAGE}${language}`).type(`${LANGUAGE}${language}`, `${dct}LinguisticSystem`);
  out.link(uri, `${foaf}homepage`, header.homepage).type(header.homepage, `${foaf}Document`);
  out.link(uri, `${dcat}themeTaxonomy`, DATA_THEME_SCHEME).type(DATA_THEME_SCHEME, `${NS.skos}ConceptScheme`);
  out.languages(DATA_THEME_SCHEME, `${dct}title`, { sv: 'Datateman', en: 'Data theme' });
  if (header.dates) out.dateTime(uri, `${dct}issued`, header.dates.issued).dateTime(uri, `${dct}modified`, header.dates.modified);
}

/** The publisher of the main catalog: the region, else the first organisation; ids sort the choice, so it is stable. */
function operatorOf(organisations: readonly OrganisationRecord[]): OrganisationRecord | undefined {
  const sorted = [...organisations].sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  return sorted.find((o) => o.kind === 'region') ?? sorted[0];
}

/** With no organisation registered yet, the platform itself publishes the (empty) main catalog. */
function addOperator(out: QuadBuilder, base: string): string {
  const uri = `${base}/catalog#operator`;
  out.type(uri, `${foaf}Agent`).text(uri, `${foaf}name`, 'vg-datashare');
  return uri;
}

/** Issued when the first organisation registered; modified at the last change of an organisation, a dataset or its data. */
export function datesOf(organisations: readonly OrganisationRecord[], datasets: readonly CatalogDataset[]): { issued: Date; modified: Date } | undefined {
  if (organisations.length === 0) return undefined;
  const times = (dates: (Date | null)[]) => dates.filter((d): d is Date => d !== null).map((d) => d.getTime());
  const issued = Math.min(...times(organisations.map((o) => o.createdAt)));
  const modified = Math.max(
    ...times(organisations.map((o) => o.modifiedAt)),
    ...times(datasets.flatMap((d) => [d.record.modifiedAt, d.facts.lastChangedAt])),
  );
  return { issued: new Date(issued), modified: new Date(modified) };
}
