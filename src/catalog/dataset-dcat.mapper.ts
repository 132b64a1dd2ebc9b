import { addContact, addOrganisationContact, addPublisher } from 'src/catalog/agent-dcat.mapper';
import { CatalogDataset } from 'src/catalog/catalog-entry';
import { datasetUri, downloadUrl } from 'src/catalog/catalog-uris';
import {
  ACCESS_RIGHTS,
  ACCESS_RIGHTS_LABELS,
  AVAILABILITY_STABLE,
  DATA_THEME_LABELS,
  DATA_THEME_SCHEME,
  DOWNLOAD_FORMATS,
  DownloadFormat,
  FILE_TYPE,
  FREQUENCY,
  HVD_CATEGORY_LABELS,
  HVD_LEGISLATION,
  IANA_MEDIA_TYPES,
  NS,
} from 'src/catalog/dcat-vocabulary';
import { QuadBuilder } from 'src/catalog/quad-builder';
import { OrganisationRecord } from 'src/governance/organisations/organisations.repository';
import { accessRights } from 'src/governance/policy';

const { dcat, dct, dcatap, foaf, xsd, geo, eli, vgds } = NS;

/** What a dataset's description refers to outside itself. */
export interface DatasetDcatContext {
  readonly base: string;
  readonly organisation: OrganisationRecord;
}

/** The resources a dataset's description names, so that catalogs can list its data services. */
export interface DatasetDescription {
  readonly dataset: string;
  readonly services: readonly string[];
}

/** The data services of a dataset: fragments of its URL. */
export function serviceUris(dataset: string): { ngsiLd: string; graphql: string } {
  return { ngsiLd: `${dataset}#ngsi-ld-api`, graphql: `${dataset}#graphql-api` };
}

/** What a distribution or service repeats of its dataset: licence, access rights, HVD tags. */
interface Shared {
  readonly licence: string | null;
  readonly accessRights: string;
  readonly hvdCategory: string | null;
  readonly publisher: string;
  readonly contact: string | undefined;
}

/**
 * A dataset as DCAT-AP-SE 3.0.1 describes it: what its owner wrote, the facts from its data
 * (coverage, last change, measured update rate, number of entities), and its distributions: the
 * NGSI-LD API and GraphQL (data services that need credentials unless the dataset is open), and
 * the bulk downloads, for open datasets only: a restricted dataset listed in the catalog shows
 * that it exists and how to ask for it, never a file that would hand out its data.
 */
export function addDataset(out: QuadBuilder, entry: CatalogDataset, context: DatasetDcatContext): DatasetDescription {
  const { record } = entry;
  const uri = datasetUri(context.base, record.id);
  const publisher = addPublisher(out, context.organisation);
  const contact = record.contactPoint ? addContact(out, `${uri}#contact`, record.contactPoint) : addOrganisationContact(out, context.base, context.organisation);
  const rights = accessRights({ confidentiality: record.confidentiality, open: record.open, retired: record.retiredAt !== null });
  const shared: Shared = { licence: record.licence, accessRights: `${ACCESS_RIGHTS}${rights}`, hvdCategory: record.hvdCategory, publisher, contact };

  out.type(uri, `${dcat}Dataset`);
  out.text(uri, `${dct}identifier`, record.id);
  out.languages(uri, `${dct}title`, record.title);
  out.languages(uri, `${dct}description`, record.description);
  out.link(uri, `${dct}publisher`, publisher);
  if (contact !== undefined) out.link(uri, `${dcat}contactPoint`, contact);
  out.link(uri, `${dct}accessRights`, shared.accessRights).type(shared.accessRights, `${dct}RightsStatement`).concept(shared.accessRights, ACCESS_RIGHTS_LABELS[rights]);
  addSubject(out, uri, record);
  addCoverage(out, uri, entry);
  addDates(out, uri, entry);
  addHvd(out, uri, shared.hvdCategory);
  if (record.conformsTo !== null) out.link(uri, `${dct}conformsTo`, record.conformsTo).type(record.conformsTo, `${dct}Standard`);

  const services = [addNgsiLdService(out, uri, entry, context.base, shared), addGraphqlService(out, uri, context.base, shared)];
  addApiDistribution(out, uri, 'ngsi-ld', services[0], endpointOf(entry, context.base), shared);
  addApiDistribution(out, uri, 'graphql', services[1], `${context.base}/graphql`, shared);
  if (rights === 'PUBLIC') for (const format of Object.keys(DOWNLOAD_FORMATS) as DownloadFormat[]) addDownload(out, uri, record.id, format, context.base, shared);
  return { dataset: uri, services };
}

/** Themes, keywords and the declared frequency beside the measured one. */
function addSubject(out: QuadBuilder, uri: string, record: CatalogDataset['record']): void {
  for (const theme of record.themes) {
    const iri = `${DATA_THEME_SCHEME}/${theme}`;
    out.link(uri, `${dcat}theme`, iri).concept(iri, DATA_THEME_LABELS[theme] ?? { sv: theme, en: theme });
    out.link(iri, `${NS.skos}inScheme`, DATA_THEME_SCHEME);
  }
  for (const language of ['sv', 'en'] as const) for (const keyword of record.keywords[language] ?? []) out.text(uri, `${dcat}keyword`, keyword, language);
  if (record.updateFrequency !== null) {
    const frequency = `${FREQUENCY}${record.updateFrequency}`;
    out.link(uri, `${dct}accrualPeriodicity`, frequency).type(frequency, `${dct}Frequency`);
  }
}

/**
 * Spatial coverage (a place URI the owner gave, and the bounding box of the data: where, without
 * publishing any entity's position) and temporal coverage.
 */
function addCoverage(out: QuadBuilder, uri: string, { record, facts }: CatalogDataset): void {
  if (typeof record.spatialCoverage === 'string') out.link(uri, `${dct}spatial`, record.spatialCoverage).type(record.spatialCoverage, `${dct}Location`);
  if (facts.bbox !== null) {
    const location = `${uri}#spatial`;
    out.link(uri, `${dct}spatial`, location).type(location, `${dct}Location`);
    out.typed(location, `${dcat}bbox`, facts.bbox, `${geo}wktLiteral`);
  }
  if (facts.firstObservedAt !== null && facts.lastObservedAt !== null) {
    const period = `${uri}#temporal`;
    out.link(uri, `${dct}temporal`, period).type(period, `${dct}PeriodOfTime`);
    out.dateTime(period, `${dcat}startDate`, facts.firstObservedAt).dateTime(period, `${dcat}endDate`, facts.lastObservedAt);
  }
  out.typed(uri, `${vgds}entityCount`, String(facts.entityCount), `${xsd}nonNegativeInteger`);
}

/** Issued when registered; modified at the last change of its data or of its description. */
function addDates(out: QuadBuilder, uri: string, { record, facts }: CatalogDataset): void {
  out.dateTime(uri, `${dct}issued`, record.createdAt);
  out.dateTime(uri, `${dct}modified`, latest(record.modifiedAt, facts.lastChangedAt));
  if (facts.meanChangeIntervalSeconds !== null) out.typed(uri, `${vgds}measuredUpdateInterval`, isoDuration(facts.meanChangeIntervalSeconds), `${xsd}duration`);
}

/** The HVD tags (Regulation (EU) 2023/138) on a dataset, or on its distributions and services. */
function addHvd(out: QuadBuilder, uri: string, category: string | null): void {
  if (category === null) return;
  out.link(uri, `${dcatap}applicableLegislation`, HVD_LEGISLATION).type(HVD_LEGISLATION, `${eli}LegalResource`);
  const code = category.slice(category.lastIndexOf('/') + 1);
  out.link(uri, `${dcatap}hvdCategory`, category).concept(category, HVD_CATEGORY_LABELS[code] ?? { sv: code, en: code });
}

/** Licence (when the owner gave one), access rights, publisher, contact and HVD tags of a data service or distribution. */
function addShared(out: QuadBuilder, uri: string, shared: Shared, withAgents: boolean): void {
  if (shared.licence !== null) out.link(uri, `${dct}license`, shared.licence).type(shared.licence, `${dct}LicenseDocument`);
  addHvd(out, uri, shared.hvdCategory);
  if (!withAgents) return;
  out.link(uri, `${dct}accessRights`, shared.accessRights).link(uri, `${dct}publisher`, shared.publisher);
  if (shared.contact !== undefined) out.link(uri, `${dcat}contactPoint`, shared.contact);
}

/**
 * The NGSI-LD query that returns the dataset's entities. NGSI-LD has no parameter that names one
 * of our datasets, so the query names the entity types of the dataset's rules (else its id
 * pattern); it can also return entities of those types from other datasets the caller may read.
 */
function endpointOf({ record }: CatalogDataset, base: string): string {
  const types = record.entities.flatMap((rule) => (rule.type !== undefined ? [rule.type] : []));
  if (types.length > 0) return `${base}/ngsi-ld/v1/entities?type=${encodeURIComponent([...new Set(types)].join(','))}`;
  const pattern = record.entities.find((rule) => rule.idPattern !== undefined)?.idPattern ?? '.*';
  return `${base}/ngsi-ld/v1/entities?idPattern=${encodeURIComponent(pattern)}`;
}

function addNgsiLdService(out: QuadBuilder, dataset: string, entry: CatalogDataset, base: string, shared: Shared): string {
  const uri = serviceUris(dataset).ngsiLd;
  out.type(uri, `${dcat}DataService`);
  out.languages(uri, `${dct}title`, { sv: `NGSI-LD-API: ${entry.record.title.sv}`, en: `NGSI-LD API: ${entry.record.title.en ?? entry.record.title.sv}` });
  out.languages(uri, `${dct}description`, {
    sv: 'ETSI NGSI-LD (GS CIM 009): aktuellt läge, historik (temporal) och prenumerationer på datasetets entiteter.',
    en: "ETSI NGSI-LD (GS CIM 009): current state, history (temporal) and subscriptions for the dataset's entities.",
  });
  out.resource(uri, `${dcat}endpointURL`, endpointOf(entry, base));
  out.resource(uri, `${dcat}endpointDescription`, `${base}/openapi.json`);
  return finishService(out, uri, dataset, base, shared);
}

function addGraphqlService(out: QuadBuilder, dataset: string, base: string, shared: Shared): string {
  const uri = serviceUris(dataset).graphql;
  out.type(uri, `${dcat}DataService`);
  out.languages(uri, `${dct}title`, { sv: 'GraphQL-API', en: 'GraphQL API' });
  out.languages(uri, `${dct}description`, {
    sv: 'GraphQL över datamodellerna: entiteter, historik och prenumerationer; schemat som SDL.',
    en: 'GraphQL over the data models: entities, history and subscriptions; the schema as SDL.',
  });
  out.resource(uri, `${dcat}endpointURL`, `${base}/graphql`);
  out.resource(uri, `${dcat}endpointDescription`, `${base}/graphql/schema.graphql`);
  return finishService(out, uri, dataset, base, shared);
}

function finishService(out: QuadBuilder, uri: string, dataset: string, base: string, shared: Shared): string {
  out.link(uri, `${dcat}servesDataset`, dataset);
  out.link(uri, `${foaf}page`, `${base}/docs`).type(`${base}/docs`, `${foaf}Document`);
  addShared(out, uri, shared, true);
  return uri;
}

function addApiDistribution(out: QuadBuilder, dataset: string, name: string, service: string, accessUrl: string, shared: Shared): void {
  const uri = `${dataset}#distribution-${name}`;
  out.link(dataset, `${dcat}distribution`, uri).type(uri, `${dcat}Distribution`);
  out.languages(uri, `${dct}title`, name === 'graphql' ? { sv: 'GraphQL-API', en: 'GraphQL API' } : { sv: 'NGSI-LD-API', en: 'NGSI-LD API' });
  out.resource(uri, `${dcat}accessURL`, accessUrl);
  out.link(uri, `${dcat}accessService`, service);
  const [fileType, mediaType] = name === 'graphql' ? ['JSON', 'application/json'] : ['JSON_LD', 'application/ld+json'];
  addFormat(out, uri, fileType, mediaType);
  addShared(out, uri, shared, false);
}

function addDownload(out: QuadBuilder, dataset: string, id: string, format: DownloadFormat, base: string, shared: Shared): void {
  const { fileType, mediaType, file, title } = DOWNLOAD_FORMATS[format];
  const uri = `${dataset}#distribution-${format}`;
  const url = downloadUrl(base, id, file);
  out.link(dataset, `${dcat}distribution`, uri).type(uri, `${dcat}Distribution`);
  out.languages(uri, `${dct}title`, title);
  out.resource(uri, `${dcat}accessURL`, url).resource(uri, `${dcat}downloadURL`, url);
  addFormat(out, uri, fileType, mediaType);
  addShared(out, uri, shared, false);
}

function addFormat(out: QuadBuilder, uri: string, fileType: string, mediaType: string): void {
  out.link(uri, `${dct}format`, `${FILE_TYPE}${fileType}`).type(`${FILE_TYPE}${fileType}`, `${dct}MediaTypeOrExtent`);
  out.link(uri, `${dcat}mediaType`, `${IANA_MEDIA_TYPES}${mediaType}`).type(`${IANA_MEDIA_TYPES}${mediaType}`, `${dct}MediaType`);
  out.link(uri, `${dcatap}availability`, AVAILABILITY_STABLE).concept(AVAILABILITY_STABLE, { sv: 'Stabil', en: 'Stable' });
}

function latest(a: Date, b: Date | null): Date {
  return b !== null && b > a ? b : a;
}

/** Seconds as an xsd:duration (days, hours, minutes, whole seconds): P1DT2H, PT15M, PT0S. */
export function isoDuration(seconds: number): string {
  let rest = Math.max(0, Math.round(seconds));
  const days = Math.floor(rest / 86400);
  rest -= days * 86400;
  const parts: [number, string][] = [[Math.floor(rest / 3600), 'H'], [Math.floor((rest % 3600) / 60), 'M'], [rest % 60, 'S']];
  const time = parts.filter(([value]) => value > 0).map(([value, unit]) => `${value}${unit}`).join('');
  if (days === 0) return `PT${time || '0S'}`;
  return `P${days}D${time ? `T${time}` : ''}`;
}
