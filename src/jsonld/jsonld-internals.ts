/*
 * Typed access to the parts of the `jsonld` library this service builds its fast path on.
 * Contexts are processed by `jsonld` itself (once per distinct context, then cached), so every
 * term definition follows JSON-LD 1.1 exactly; only the per-request walk over entities is ours.
 */

/** A term definition as `jsonld` stores it in an active context. */
export interface TermDefinition {
  readonly '@id': string | null;
  readonly reverse: boolean;
  readonly protected?: boolean;
  readonly _prefix?: boolean;
  readonly '@type'?: string;
  readonly '@container'?: readonly string[];
  readonly '@language'?: string | null;
  readonly '@direction'?: string | null;
  readonly '@context'?: unknown;
  readonly '@index'?: string;
  readonly '@nest'?: string;
}

/** An active context as produced by `jsonld`'s context processing. */
export interface ActiveContext {
  readonly mappings: Map<string, TermDefinition>;
  readonly '@vocab'?: string;
  readonly '@base'?: string | null;
  readonly '@language'?: string;
  readonly previousContext?: ActiveContext;
}

export interface RemoteDocument {
  contextUrl: string | null;
  documentUrl: string;
  document: unknown;
}

export type DocumentLoader = (url: string) => Promise<RemoteDocument>;

interface ContextModule {
  process(args: {
    activeCtx: ActiveContext;
    localCtx: unknown;
    options: object;
    propagate?: boolean;
    overrideProtected?: boolean;
  }): Promise<ActiveContext>;
  getInitialContext(options: { processingMode: string }): ActiveContext;
  expandIri(
    activeCtx: ActiveContext,
    value: string,
    relativeTo: { vocab?: boolean; base?: string | boolean },
    options: object,
  ): string | null;
}

type ContextResolverClass = new (args: { sharedCache: Map<string, unknown> }) => object;

// eslint-disable-next-line @typescript-eslint/no-require-imports
const contextModule = require('jsonld/lib/context') as ContextModule;
// eslint-disable-next-line @typescript-eslint/no-require-imports
const ContextResolver = require('jsonld/lib/ContextResolver') as ContextResolverClass;

const PROCESSING_MODE = 'json-ld-1.1';

function processingOptions(documentLoader: DocumentLoader): object {
  // A resolver of our own per call keeps jsonld's process-wide cache out of the way: remote
  // documents are cached (with expiry and reload) by our document loader instead.
  return {
    processingMode: PROCESSING_MODE,
    documentLoader,
    base: '',
    contextResolver: new ContextResolver({ sharedCache: new Map() }),
  };
}

export function initialContext(): ActiveContext {
  return contextModule.getInitialContext({ processingMode: PROCESSING_MODE });
}

/** Runs the JSON-LD 1.1 context processing algorithm. */
export function processContext(
  activeCtx: ActiveContext,
  localCtx: unknown,
  documentLoader: DocumentLoader,
  flags: { propagate?: boolean; overrideProtected?: boolean } = {},
): Promise<ActiveContext> {
  return contextModule.process({ activeCtx, localCtx, options: processingOptions(documentLoader), ...flags });
}

/** JSON-LD IRI expansion, vocabulary-relative or document-relative. */
export function expandIri(activeCtx: ActiveContext, value: string, vocab: boolean): string | null {
  return contextModule.expandIri(activeCtx, value, vocab ? { vocab: true } : { base: true }, {});
}
