import {
  ActiveContext,
  DocumentLoader,
  expandIri,
  processContext,
  TermDefinition,
} from 'src/jsonld/jsonld-internals';

/**
 * Thrown by the synchronous walk when it needs a scoped context that has not been processed yet.
 * {@link withScopedContexts} loads it and runs the walk again; scoped contexts are rare (the
 * NGSI-LD core context has one) so the common path never leaves synchronous code.
 */
export class MissingScopedContext extends Error {
  constructor(readonly load: () => Promise<unknown>) {
    super('scoped context not yet processed');
  }
}

/** Runs `walk`, processing any scoped context it asks for and retrying, a bounded number of times. */
export async function withScopedContexts<T>(walk: () => T): Promise<T> {
  for (let attempt = 0; ; attempt++) {
    try {
      return walk();
    } catch (error) {
      if (!(error instanceof MissingScopedContext) || attempt >= 32) throw error;
      await error.load();
    }
  }
}

/** What a value looks like, for choosing between terms that share an IRI (JSON-LD term selection). */
export type ValueShape =
  | { kind: 'node' }
  | { kind: 'any' }
  | { kind: 'id' }
  | { kind: 'literal'; datatype?: string; language?: string }
  | { kind: 'list' }
  | { kind: 'languageMap' };

const ANY: ValueShape = { kind: 'any' };
const MAX_CACHED_TERMS = 10_000;

interface Candidate {
  readonly term: string;
  readonly definition: TermDefinition;
}

/**
 * An active JSON-LD context compiled into term maps. Built once per distinct request context and
 * cached, it answers the per-request questions (expand this key, compact this IRI) from maps.
 */
export class CompiledContext {
  private readonly expansions = new Map<string, string | null>();
  private readonly compactions = new Map<string, string>();
  private readonly scopes = new Map<string, CompiledContext>();
  private inverse?: Map<string, Candidate[]>;

  constructor(
    readonly active: ActiveContext,
    private readonly loader: DocumentLoader,
  ) {}

  definition(term: string): TermDefinition | undefined {
    return this.active.mappings.get(term);
  }

  get vocab(): string | undefined {
    return this.active['@vocab'];
  }

  /** Vocabulary-relative IRI expansion (keys, types, `@vocab` values); `null` when it does not expand. */
  expandTerm(term: string): string | null {
    const known = this.expansions.get(term);
    if (known !== undefined || this.expansions.has(term)) return known ?? null;
    const iri = expandIri(this.active, term, true);
    if (this.expansions.size < MAX_CACHED_TERMS) this.expansions.set(term, iri);
    return iri;
  }

  /** Document-relative IRI expansion, for values coerced to `@id`. */
  expandReference(value: string): string {
    return expandIri(this.active, value, false) ?? value;
  }

  /**
   * Compacts an IRI to a term, else to a vocabulary-relative name, else leaves it whole: NGSI-LD
   * (clause 5.5.7) renders fully qualified names where no term matches, so no compact IRIs.
   */
  compactIri(iri: string, shape: ValueShape = ANY): string {
    const key = `${shapeKey(shape)}\u0000${iri}`;
    const known = this.compactions.get(key);
    if (known !== undefined) return known;
    const compacted = this.selectTerm(iri, shape) ?? this.vocabRelative(iri) ?? iri;
    if (this.compactions.size < MAX_CACHED_TERMS) this.compactions.set(key, compacted);
    return compacted;
  }

  /** The context for the value of `term`: its property-scoped context, else this one reverted. */
  propertyScope(term: string): CompiledContext {
    const scoped = this.definition(term)?.['@context'];
    if (scoped === undefined) return this.reverted();
    return this.scoped(`p:${term}`, () =>
      processContext(this.active.previousContext ?? this.active, scoped, this.loader, {
        overrideProtected: true,
      }),
    );
  }

  /** The context inside a node typed `term`: its type-scoped context (not propagated), else this. */
  typeScope(term: string): CompiledContext {
    const scoped = this.definition(term)?.['@context'];
    if (scoped === undefined) return this;
    return this.scoped(`t:${term}`, () => processContext(this.active, scoped, this.loader, { propagate: false }));
  }

  /** Terms carrying a scoped context; NGSI-LD forbids them in user contexts (clause 5.5.7). */
  scopedTerms(): string[] {
    return [...this.active.mappings].filter(([, d]) => d['@context'] !== undefined).map(([t]) => t);
  }

  /** The shortest term aliasing a keyword (`id` for `@id`), or the keyword itself. */
  keywordAlias(keyword: string): string {
    return this.selectTerm(keyword, ANY) ?? keyword;
  }

  private reverted(): CompiledContext {
    const previous = this.active.previousContext;
    if (!previous) return this;
    return this.scoped('revert', () => Promise.resolve(previous));
  }

  private scoped(key: string, process: () => Promise<ActiveContext>): CompiledContext {
    const known = this.scopes.get(key);
    if (known) return known;
    throw new MissingScopedContext(async () => {
      this.scopes.set(key, new CompiledContext(await process(), this.loader));
    });
  }

  private vocabRelative(iri: string): string | undefined {
    const vocab = this.vocab;
    if (!vocab || !iri.startsWith(vocab) || iri.length === vocab.length) return undefined;
    const suffix = iri.slice(vocab.length);
    if (this.active.mappings.has(suffix)) return undefined;
    return this.expandTerm(suffix) === iri ? suffix : undefined;
  }

  private selectTerm(iri: string, shape: ValueShape): string | undefined {
    let best: { term: string; rank: number } | undefined;
    for (const { term, definition } of this.candidates(iri)) {
      const rank = termRank(definition, shape);
      if (rank !== undefined && (best === undefined || rank < best.rank)) best = { term, rank };
      if (rank === 0) break;
    }
    return best?.term;
  }

  private candidates(iri: string): Candidate[] {
    if (!this.inverse) {
      const inverse = new Map<string, Candidate[]>();
      const terms = [...this.active.mappings.keys()].sort((a, b) => a.length - b.length || (a < b ? -1 : 1));
      for (const term of terms) {
        const definition = this.active.mappings.get(term)!;
        const id = definition['@id'];
        if (id === null || definition.reverse) continue;
        const list = inverse.get(id) ?? [];
        list.push({ term, definition });
        inverse.set(id, list);
      }
      this.inverse = inverse;
    }
    return this.inverse.get(iri) ?? [];
  }
}

function shapeKey(shape: ValueShape): string {
  switch (shape.kind) {
    case 'literal':
      return `literal|${shape.datatype ?? ''}|${shape.language ?? ''}`;
    default:
      return shape.kind;
  }
}

/**
 * How well a term fits a value, lower is better, `undefined` when it cannot hold it. A simplified
 * JSON-LD term selection: containers and type or language coercion must suit the value.
 */
function termRank(definition: TermDefinition, shape: ValueShape): number | undefined {
  const containers = (definition['@container'] ?? []).filter((c) => c !== '@set');
  const container = containers[0];
  const typeMapping = definition['@type'];
  const language = definition['@language'];
  switch (shape.kind) {
    case 'any':
      return container === undefined ? 0 : 1;
    case 'node':
      if (container !== undefined) return undefined;
      if (typeMapping === '@id') return 0;
      if (typeMapping === undefined && language === undefined) return 1;
      return 2;
    case 'id':
      if (container !== undefined) return undefined;
      if (typeMapping === '@id' || typeMapping === '@vocab') return 0;
      return typeMapping === undefined ? 1 : undefined;
    case 'list':
      return container === '@list' ? 0 : undefined;
    case 'languageMap':
      return container === '@language' ? 0 : undefined;
    case 'literal':
      if (container !== undefined) return undefined;
      if (shape.datatype !== undefined) {
        if (typeMapping === shape.datatype) return 0;
        return typeMapping === undefined ? 1 : undefined;
      }
      if (typeMapping !== undefined) return undefined;
      if (shape.language !== undefined) return language === shape.language ? 0 : language === undefined ? 1 : undefined;
      return language === undefined || language === null ? 0 : undefined;
  }
}
