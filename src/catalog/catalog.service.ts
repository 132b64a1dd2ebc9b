import { Injectable, Logger, OnApplicationBootstrap } from '@nestjs/common';
import type { Quad } from '@rdfjs/types';
import { createHash } from 'node:crypto';
import { promisify } from 'node:util';
import { gzip } from 'node:zlib';
import { AccessContext } from 'src/common/access/access-context';
import { ProblemError } from 'src/common/problem/problem-error';
import { ResourceNotFound } from 'src/common/problem/ngsi-ld-errors';
import { AppConfig, ORGANISATION } from 'src/config/app-config';
import { InjectConfig } from 'src/config/config.module';
import { CatalogDataset, NO_FACTS, OrganisationCatalog } from 'src/catalog/catalog-entry';
import { FactsCache } from 'src/catalog/facts-cache';
import { datasetDescriptionQuads, datesOf, mainCatalogQuads, organisationCatalogQuads } from 'src/catalog/catalog-dcat.mapper';
import { CatalogRepository, CatalogVersion } from 'src/catalog/catalog.repository';
import { NS } from 'src/catalog/dcat-vocabulary';
import { RdfXmlCatalog } from 'src/catalog/rdf-xml-catalog';
import { DatasetDescriber } from 'src/governance/datasets/dataset-describer';
import { DatasetsService } from 'src/governance/datasets/datasets.service';
import { RDF_PREFIXES } from 'src/linked-data/rdf/prefixes';
import { contentTypeOf, RdfFormat } from 'src/linked-data/rdf/rdf-format';
import { serializeQuads } from 'src/linked-data/rdf/rdf-serializer';

/** The formats the catalog is offered in; the first answers a missing Accept and `*\/*` (harvesters want RDF/XML). */
export const CATALOG_FORMATS: readonly RdfFormat[] = ['rdf-xml', 'turtle', 'n-triples', 'json-ld'];

const PREFIXES = { ...RDF_PREFIXES, eli: NS.eli, vgds: NS.vgds };

/**
 * Facts from the data (coverage, last change, update rate) change with every write, and a
 * harvester fetches once a day: a document is rebuilt for new writes at most this often. Changes
 * of datasets, grants and organisations rebuild it at once, so that nothing stays listed after
 * its owner withdrew it.
 */
const FACTS_MAX_AGE_MS = 60_000;
/** Documents kept: the main catalog and the organisations' catalogs harvested lately, per format, up to this many bytes. */
const MAX_CACHED_BYTES = 64 * 1024 * 1024;
/**
 * JSON-LD is compacted by the general processor (jsonld.js), whose time grows much faster than the
 * graph (measured: 25 datasets 0.8 s, 50 datasets 2 s, 200 datasets 12 s, 1,000 not within
 * minutes), and blocks the process meanwhile: larger catalogs are offered in the other formats.
 */

/** A serialised catalog, ready to send: the bytes, gzipped once, and what conditional requests compare. */
export interface CatalogDocument {
  readonly body: Buffer;
  /** Compressed when a client first asks for gzip, once. */
  readonly gzipped: () => Promise<Buffer>;
  readonly contentType: string;
  readonly etag: string;
  readonly lastModified: Date;
}

interface Cached {
  readonly document: CatalogDocument;
  readonly structure: string;
  readonly changes: string;
  readonly builtAt: number;
}

/**
 * The DCAT-AP-SE catalogs: the main one and one per registered organisation. They are the same
 * document for every caller (only open and listed datasets, nothing that depends on credentials),
 * so they take no AccessContext and are cached whole, keyed by what they depend on.
 */
@Injectable()
export class CatalogService implements DatasetDescriber, OnApplicationBootstrap {
  private readonly logger = new Logger('Catalog');
  private readonly cache = new Map<string, Cached>();
  private readonly building = new Map<string, Promise<Cached>>();
  private readonly rdfXml = new RdfXmlCatalog(PREFIXES);
  private readonly facts = new FactsCache((ids) => this.repository.facts(ids), FACTS_MAX_AGE_MS);

  constructor(
    private readonly repository: CatalogRepository,
    private readonly datasets: DatasetsService,
    @InjectConfig() private readonly config: AppConfig,
  ) {}

  /** Builds the main catalog in RDF/XML in the background, so that the first harvest after a start finds it made. */
  onApplicationBootstrap(): void {
    this.catalog(undefined, 'rdf-xml').catch((error: unknown) => this.logger.warn(`The catalog could not be built in advance: ${(error as Error).message}`));
  }

  /** The main catalog (`organisation` undefined) or one registered organisation's; 404 for others. */
  async catalog(organisation: string | undefined, format: RdfFormat): Promise<CatalogDocument> {
    if (organisation !== undefined && !ORGANISATION.test(organisation)) throw notRegistered(organisation);
    const version = await this.repository.version();
    const key = `${organisation ?? ''} ${format}`;
    const cached = this.cache.get(key);
    if (cached && isCurrent(cached, version)) return cached.document;
    let pending = this.building.get(key);
    if (!pending) {
      pending = this.build(organisation, format, version).finally(() => this.building.delete(key));
      this.building.set(key, pending);
    }
    return (await pending).document;
  }

  /**
   * One dataset's DCAT description, for its URL in an RDF format: what the catalog says of it, to
   * whoever may see the dataset at all (the same rule as its JSON; others get 404).
   */
  async describe(access: AccessContext, id: string, format: RdfFormat): Promise<string> {
    const record = await this.datasets.findVisible(access, id);
    const [organisation] = await this.repository.organisations(record.organisation);
    if (!organisation) {
      throw new ProblemError('about:blank', 406, 'Not Acceptable', `The RDF description names the dataset's publisher, and organisation ${record.organisation} is not registered; application/json is offered`);
    }
    const facts = await this.repository.facts([record.id]);
    const entry: CatalogDataset = { record, facts: facts.get(record.id) ?? NO_FACTS };
    return serializeQuads(datasetDescriptionQuads(this.config.http.publicBaseUrl, entry, organisation), format, PREFIXES);
  }

  private async build(organisation: string | undefined, format: RdfFormat, version: CatalogVersion): Promise<Cached> {
    const catalogs = await this.catalogsOf(organisation, version);
    const base = this.config.http.publicBaseUrl;
    const body = Buffer.from(format === 'rdf-xml' ? this.rdfXml.write(base, catalogs, organisation === undefined) : await this.serialize(base, catalogs, organisation, format), 'utf8');
    const structure = `${version.governance}/${version.organisations}`;
    const tag = createHash('sha256').update(`${structure}/${version.changes}/${organisation ?? ''}/${format}`).digest('base64url').slice(0, 27);
    const dates = datesOf(catalogs.map((c) => c.organisation), catalogs.flatMap((c) => c.datasets));
    const document: CatalogDocument = {
      body,
      gzipped: lazily(() => gzipAsync(body)),
      contentType: contentTypeOf(format),
      // Weak: the gzipped and the plain bytes are the same representation.
      etag: `W/"${tag}"`,
      lastModified: dates?.modified ?? new Date(0),
    };
    const cached: Cached = { document, structure, changes: version.changes, builtAt: Date.now() };
    this.remember(`${organisation ?? ''} ${format}`, cached);
    return cached;
  }

  private serialize(base: string, catalogs: OrganisationCatalog[], organisation: string | undefined, format: RdfFormat): Promise<string> {
    const quads: Quad[] = organisation === undefined ? mainCatalogQuads(base, catalogs) : organisationCatalogQuads(base, catalogs[0]);
    return serializeQuads(quads, format, PREFIXES);
  }

  /** The registered organisations (one, or all with something listed) and their listed datasets. */
  private async catalogsOf(organisation: string | undefined, version: CatalogVersion): Promise<OrganisationCatalog[]> {
    const [organisations, records] = await Promise.all([this.repository.organisations(organisation), this.repository.listedDatasets(organisation)]);
    if (organisation !== undefined && organisations.length === 0) throw notRegistered(organisation);
    const facts = await this.facts.of(records.map((r) => r.id), version.changes);
    const byOrganisation = new Map<string, CatalogDataset[]>();
    for (const record of records) {
      const entry: CatalogDataset = { record, facts: facts.get(record.id) ?? NO_FACTS };
      const list = byOrganisation.get(entry.record.organisation);
      if (list) list.push(entry);
      else byOrganisation.set(entry.record.organisation, [entry]);
    }
    return organisations
      .map((o) => ({ organisation: o, datasets: byOrganisation.get(o.id) ?? [] }))
      .filter((catalog) => organisation !== undefined || catalog.datasets.length > 0);
  }

  /** Keeps the document, forgetting the least recently built ones beyond MAX_CACHED_BYTES. */
  private remember(key: string, cached: Cached): void {
    this.cache.delete(key);
    this.cache.set(key, cached);
    let bytes = [...this.cache.values()].reduce((total, c) => total + c.document.body.length, 0);
    for (const [oldest, entry] of this.cache) {
      if (bytes <= MAX_CACHED_BYTES || oldest === key) break;
      this.cache.delete(oldest);
      bytes -= entry.document.body.length;
    }
  }
}

const gzipAsync = promisify(gzip);

function lazily<T>(make: () => Promise<T>): () => Promise<T> {
  let made: Promise<T> | undefined;
  return () => (made ??= make());
}

function isCurrent(cached: Cached, version: CatalogVersion): boolean {
  if (cached.structure !== `${version.governance}/${version.organisations}`) return false;
  return cached.changes === version.changes || Date.now() - cached.builtAt < FACTS_MAX_AGE_MS;
}

function notRegistered(organisation: string): ResourceNotFound {
  return new ResourceNotFound(`No catalog for ${organisation}: no such organisation is registered`);
}
