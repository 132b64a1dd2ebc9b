import type { Quad, Term } from '@rdfjs/types';

const RDF = 'http://www.w3.org/1999/02/22-rdf-syntax-ns#';
const XSD_STRING = 'http://www.w3.org/2001/XMLSchema#string';
const RDF_LANG_STRING = `${RDF}langString`;
/** The longest ending of an IRI that is an XML NCName: the local part of a property element. */
const LOCAL_NAME = /[\p{L}_][\p{L}\p{N}_.\-\u00B7]*$/u;
/** Characters XML 1.0 cannot carry at all, not even escaped. */
const NOT_XML = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;

/** A predicate RDF/XML cannot write: its IRI does not end in an XML name. */
export class NotExpressibleInRdfXml extends Error {
  constructor(readonly iri: string) {
    super(`The property ${iri} cannot be written in RDF/XML: its IRI does not end in an XML name; ask for Turtle or N-Triples`);
  }
}

/**
 * RDF/XML (W3C RDF 1.1 XML Syntax) written one triple at a time, so that a large graph streams.
 * Every subject is an `rdf:Description`, its triples property elements; consecutive triples of a
 * subject share one description (a subject seen again simply gets another, which RDF/XML allows).
 * Named graphs are not expressible and are merged into the default graph. Characters XML cannot
 * carry (control characters, lone surrogates) become U+FFFD: the only change the writer makes.
 */
export class RdfXmlWriter {
  private readonly prefixOf = new Map<string, string>();
  private readonly blankIds = new Map<string, string>();
  /** Element name and namespace declaration per predicate: a graph has few predicates and many triples. */
  private readonly elements = new Map<string, { name: string; declaration: string }>();
  private openSubject: string | undefined;

  constructor(prefixes: Readonly<Record<string, string>>) {
    for (const [prefix, namespace] of Object.entries(prefixes)) if (prefix !== 'rdf' && prefix !== 'xml') this.prefixOf.set(namespace, prefix);
    this.prefixOf.set(RDF, 'rdf');
  }

  start(): string {
    const declarations = [...this.prefixOf].map(([namespace, prefix]) => `\n    xmlns:${prefix}="${attribute(namespace)}"`).join('');
    return `<?xml version="1.0" encoding="utf-8"?>\n<rdf:RDF${declarations}>\n`;
  }

  write(quad: Quad): string {
    const subject = this.nodeAttribute(quad.subject, 'rdf:about');
    const opening = subject === this.openSubject ? '' : `${this.closeSubject()}  <rdf:Description ${subject}>\n`;
    this.openSubject = subject;
    return `${opening}    ${this.propertyElement(quad.predicate.value, quad.object)}\n`;
  }

  end(): string {
    return `${this.closeSubject()}</rdf:RDF>\n`;
  }

  private closeSubject(): string {
    if (this.openSubject === undefined) return '';
    this.openSubject = undefined;
    return '  </rdf:Description>\n';
  }

  private propertyElement(predicate: string, object: Term): string {
    let element = this.elements.get(predicate);
    if (element === undefined) this.elements.set(predicate, (element = this.elementOf(predicate)));
    const { name, declaration } = element;
    if (object.termType === 'Literal') {
      const datatype = object.datatype.value;
      const tag = object.language
        ? ` xml:lang="${attribute(object.language)}"`
        : datatype === XSD_STRING || datatype === RDF_LANG_STRING
          ? ''
          : ` rdf:datatype="${attribute(datatype)}"`;
      return `<${name}${declaration}${tag}>${text(object.value)}</${name}>`;
    }
    return `<${name}${declaration} ${this.nodeAttribute(object, 'rdf:resource')}/>`;
  }

  private elementOf(predicate: string): { name: string; declaration: string } {
    const local = LOCAL_NAME.exec(predicate)?.[0];
    const namespace = local === undefined ? '' : predicate.slice(0, predicate.length - local.length);
    if (local === undefined || namespace === '') throw new NotExpressibleInRdfXml(predicate);
    const known = this.prefixOf.get(namespace);
    // An unknown namespace is declared on the element itself, so nothing has to be known up front.
    return known ? { name: `${known}:${local}`, declaration: '' } : { name: `p:${local}`, declaration: ` xmlns:p="${attribute(namespace)}"` };
  }

  private nodeAttribute(term: Term, iriAttribute: string): string {
    if (term.termType === 'BlankNode') return `rdf:nodeID="${this.blankId(term.value)}"`;
    if (term.termType === 'NamedNode') return `${iriAttribute}="${attribute(term.value)}"`;
    throw new Error(`RDF/XML cannot write a ${term.termType} as a node`);
  }

  /** Blank-node labels renamed to XML names (b0, b1, ...), the same label always the same name. */
  private blankId(label: string): string {
    let id = this.blankIds.get(label);
    if (id === undefined) this.blankIds.set(label, (id = `b${this.blankIds.size}`));
    return id;
  }
}

/** Whether a string needs no escaping at all, the common case, tested once instead of replaced five times. */
const PLAIN = /^[^&<>"\r\n\t\u0000-\u0008\u000B\u000C\u000E-\u001F\uD800-\uDFFF\uFFFE\uFFFF]*$/;

function text(value: string): string {
  if (PLAIN.test(value)) return value;
  return value.replace(NOT_XML, '\uFFFD').replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/\r/g, '&#13;');
}

function attribute(value: string): string {
  if (PLAIN.test(value)) return value;
  return text(value).replace(/"/g, '&quot;').replace(/\n/g, '&#10;').replace(/\t/g, '&#9;');
}
