import { DataFactory, Quad, Term } from 'n3';
import { Labels, NS } from 'src/catalog/dcat-vocabulary';

const { namedNode, literal, quad } = DataFactory;

/**
 * Collects the triples of a DCAT description without repeats: the same licence, theme or
 * publisher is named by many datasets of one catalog, and its type and labels are written once.
 */
export class QuadBuilder {
  readonly quads: Quad[] = [];
  private readonly seen = new Set<string>();

  add(subject: string, predicate: string, object: Term): this {
    const key = tripleKey(subject, predicate, object);
    if (this.seen.has(key)) return this;
    this.seen.add(key);
    this.quads.push(quad(namedNode(subject), namedNode(predicate), object as Quad['object']));
    return this;
  }

  link(subject: string, predicate: string, object: string): this {
    return this.add(subject, predicate, namedNode(object));
  }

  type(subject: string, ...classes: string[]): this {
    for (const type of classes) this.link(subject, `${NS.rdf}type`, type);
    return this;
  }

  /** A plain literal, or one tagged with a language. */
  text(subject: string, predicate: string, value: string, language?: string): this {
    return this.add(subject, predicate, literal(value, language));
  }

  /** A literal of an XSD (or other) datatype. */
  typed(subject: string, predicate: string, value: string, datatype: string): this {
    return this.add(subject, predicate, literal(value, namedNode(datatype)));
  }

  dateTime(subject: string, predicate: string, value: Date): this {
    return this.typed(subject, predicate, value.toISOString(), `${NS.xsd}dateTime`);
  }

  /** Swedish text, and English when there is some. */
  languages(subject: string, predicate: string, value: { sv: string; en?: string | null }): this {
    this.text(subject, predicate, value.sv, 'sv');
    if (value.en) this.text(subject, predicate, value.en, 'en');
    return this;
  }

  /** A SKOS concept with its labels: the SEMIC shapes require a prefLabel on every skos:Concept of the graph. */
  concept(iri: string, labels: Labels): this {
    return this.type(iri, `${NS.skos}Concept`).languages(iri, `${NS.skos}prefLabel`, labels);
  }

  /** A link to a web resource (an endpoint, a download, a mailbox), typed as the HVD shapes check it. */
  resource(subject: string, predicate: string, iri: string): this {
    return this.link(subject, predicate, iri).type(iri, `${NS.rdfs}Resource`);
  }
}

/** What tells triples apart. n3's terms carry their whole N-Triples-like form in `id` (its literals parse language and datatype out of it on every read). */
export function tripleKey(subject: string, predicate: string, object: Term): string {
  return `${subject} ${predicate} ${(object as Term & { id: string }).id}`;
}
