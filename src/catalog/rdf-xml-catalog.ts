import type { Quad } from 'n3';
import { CatalogDataset, OrganisationCatalog } from 'src/catalog/catalog-entry';
import { DatasetWriter, datasetDescriptionQuads, mainCatalogQuads, organisationCatalogQuads } from 'src/catalog/catalog-dcat.mapper';
import { datasetUri } from 'src/catalog/catalog-uris';
import { serviceUris } from 'src/catalog/dataset-dcat.mapper';
import { tripleKey } from 'src/catalog/quad-builder';
import { OrganisationRecord } from 'src/governance/organisations/organisations.repository';
import { RdfXmlWriter } from 'src/linked-data/rdf/rdf-xml-writer';

/** One dataset's part of a catalog in RDF/XML: its own resources written, the resources it shares with others kept as triples. */
interface Fragment {
  readonly fingerprint: string;
  readonly xml: string;
  /** By tripleKey, made once per fragment. */
  readonly shared: ReadonlyMap<string, Quad>;
}

const DOCUMENT_END = '</rdf:RDF>\n';

/**
 * The catalogs in RDF/XML (what harvesters fetch), assembled from per-dataset fragments that are
 * kept between builds: describing and writing ~100 triples for each of 1,000 datasets is most of
 * the cost of a catalog, and a change (a dataset edited, new data in a few) touches few of them.
 * A fragment holds what only its dataset's description says (the dataset, its distributions, data
 * services, downloads and own contact point: resources under its URL); what datasets share
 * (publishers, contact points of organisations, licences, concepts) is written once per document
 * with the catalogs. The graph is the one the whole-graph mapper gives.
 */
export class RdfXmlCatalog {
  private fragments = new Map<string, Fragment>();

  constructor(private readonly prefixes: Readonly<Record<string, string>>) {}

  /** The main catalog (`organisation` undefined) or one organisation's, as an RDF/XML document. */
  write(base: string, catalogs: readonly OrganisationCatalog[], whole: boolean): string {
    const used = new Map<string, Fragment>();
    const parts: string[] = [];
    const shared = new Map<string, Quad>();
    const writeDataset: DatasetWriter = (_out, entry, context) => {
      const fragment = this.fragmentOf(base, entry, context.organisation);
      used.set(entry.record.id, fragment);
      parts.push(fragment.xml);
      for (const [key, triple] of fragment.shared) shared.set(key, triple);
      const uri = datasetUri(base, entry.record.id);
      return { dataset: uri, services: Object.values(serviceUris(uri)) };
    };
    const catalogQuads = whole ? mainCatalogQuads(base, catalogs, writeDataset) : organisationCatalogQuads(base, catalogs[0], writeDataset);
    for (const triple of catalogQuads) shared.set(tripleKey(triple.subject.value, triple.predicate.value, triple.object), triple);
    // The main catalog names every listed dataset: fragments it did not use belong to datasets no longer listed.
    if (whole) this.fragments = used;
    else for (const [id, fragment] of used) this.fragments.set(id, fragment);
    const writer = new RdfXmlWriter(this.prefixes);
    return `${writer.start()}${this.body([...shared.values()])}${parts.join('')}${DOCUMENT_END}`;
  }

  private fragmentOf(base: string, entry: CatalogDataset, organisation: OrganisationRecord): Fragment {
    const fingerprint = `${entry.record.modifiedAt.getTime()} ${organisation.modifiedAt.getTime()} ${JSON.stringify(entry.facts)}`;
    const kept = this.fragments.get(entry.record.id);
    if (kept?.fingerprint === fingerprint) return kept;
    const uri = datasetUri(base, entry.record.id);
    const [fragment, path] = [`${uri}#`, `${uri}/`];
    const own = (subject: string) => subject === uri || subject.startsWith(fragment) || subject.startsWith(path);
    const mine: Quad[] = [];
    const shared = new Map<string, Quad>();
    for (const triple of datasetDescriptionQuads(base, entry, organisation)) {
      if (own(triple.subject.value)) mine.push(triple);
      else shared.set(tripleKey(triple.subject.value, triple.predicate.value, triple.object), triple);
    }
    return { fingerprint, xml: this.body(mine), shared };
  }

  /** Property elements of the triples, one rdf:Description per subject, without the document around them. */
  private body(quads: readonly Quad[]): string {
    const bySubject = new Map<string, Quad[]>();
    for (const triple of quads) {
      const group = bySubject.get(triple.subject.value);
      if (group) group.push(triple);
      else bySubject.set(triple.subject.value, [triple]);
    }
    const writer = new RdfXmlWriter(this.prefixes);
    const parts: string[] = [];
    for (const group of bySubject.values()) for (const triple of group) parts.push(writer.write(triple));
    return parts.join('') + writer.end().slice(0, -DOCUMENT_END.length);
  }
}
