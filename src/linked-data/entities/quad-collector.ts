import type { BlankNode, NamedNode, Quad, Quad_Graph, Quad_Object, Quad_Subject } from '@rdfjs/types';
import { DataFactory } from 'n3';
import { RDF_FIRST, RDF_NIL, RDF_REST } from 'src/linked-data/entities/rdf-vocabulary';

/** Makes a fresh blank node; shared across entities when they go into one document. */
export type BlankNodeFactory = () => BlankNode;

/**
 * Where the mappers put their quads. Blank nodes come from n3's factory by default, whose labels
 * are unique in the process, so that entities mapped one by one can be streamed into one document
 * without their blank nodes merging.
 */
export class QuadCollector {
  /** By subject, in the order subjects first appear: writers group a subject's triples only when they are adjacent. */
  private readonly bySubject = new Map<string, Quad[]>();
  private readonly labelled = new Map<string, BlankNode>();

  constructor(
    private readonly graph: Quad_Graph = DataFactory.defaultGraph(),
    private readonly newBlank: BlankNodeFactory = () => DataFactory.blankNode(),
  ) {}

  add(subject: Quad_Subject, predicate: NamedNode, object: Quad_Object): void {
    const key = `${subject.termType}:${subject.value}`;
    const quad = DataFactory.quad(subject, predicate, object, this.graph);
    const group = this.bySubject.get(key);
    if (group) group.push(quad);
    else this.bySubject.set(key, [quad]);
  }

  /** Every quad added, each subject's together. */
  get quads(): Quad[] {
    return [...this.bySubject.values()].flat();
  }

  blank(): BlankNode {
    return this.newBlank();
  }

  /** The blank node a document calls `_:label`, the same one each time it is named. */
  labelledBlank(label: string): BlankNode {
    let node = this.labelled.get(label);
    if (!node) {
      node = this.newBlank();
      this.labelled.set(label, node);
    }
    return node;
  }

  /** An rdf:List of the items; rdf:nil when there are none. */
  list(items: readonly Quad_Object[]): Quad_Object {
    if (items.length === 0) return RDF_NIL;
    const head = this.blank();
    let node: BlankNode = head;
    items.forEach((item, i) => {
      this.add(node, RDF_FIRST, item);
      const next = i === items.length - 1 ? RDF_NIL : this.blank();
      this.add(node, RDF_REST, next);
      if (next.termType === 'BlankNode') node = next;
    });
    return head;
  }
}
