import { Injectable } from '@nestjs/common';
import { LRUCache } from 'lru-cache';
import { contextCache } from 'src/jsonld/context-cache';
import { AppConfig, CoreContextVersion } from 'src/config/app-config';
import { InjectConfig } from 'src/config/config.module';
import { BadRequestData } from 'src/common/problem/ngsi-ld-errors';
import { ProblemError } from 'src/common/problem/problem-error';
import { CompiledContext } from 'src/jsonld/compiled-context';
import { ContextDocumentLoader } from 'src/jsonld/context-document-loader';
import { CORE_CONTEXT_URLS, coreContextVersion } from 'src/jsonld/core-contexts';
import { initialContext, processContext } from 'src/jsonld/jsonld-internals';

/** The @context of one request, compiled, with what it was given as (to be echoed in answers). */
export interface RequestContext {
  readonly compiled: CompiledContext;
  /** The caller's @context as received (URL, object or array), `undefined` when none was given. */
  readonly userContext: unknown;
  readonly coreVersion: CoreContextVersion;
  readonly coreContextUrl: string;
}

/**
 * Turns a request's @context into a {@link CompiledContext}: the caller's contexts followed by the
 * NGSI-LD core context (last, so that its protected terms prevail), processed by `jsonld` once per
 * distinct value and cached.
 */
@Injectable()
export class ContextCompiler {
  private readonly cache: LRUCache<string, Promise<CompiledContext>>;
  private readonly coreScopedTerms = new Map<CoreContextVersion, Promise<Set<string>>>();

  constructor(
    @InjectConfig() private readonly config: AppConfig,
    private readonly loader: ContextDocumentLoader,
  ) {
    this.cache = contextCache(config);
  }

  get defaultCoreVersion(): CoreContextVersion {
    return this.config.jsonld.defaultCoreContext;
  }

  async compile(userContext: unknown): Promise<RequestContext> {
    const entries = contextEntries(userContext);
    let coreVersion = this.defaultCoreVersion;
    const userEntries = entries.filter((entry) => {
      const version = typeof entry === 'string' ? coreContextVersion(entry, this.defaultCoreVersion) : undefined;
      if (version) coreVersion = version;
      return version === undefined;
    });
    const key = `${coreVersion}|${JSON.stringify(userEntries)}`;
    let compiled = this.cache.get(key);
    if (!compiled) {
      compiled = this.process(userEntries, coreVersion);
      this.cache.set(key, compiled);
      compiled.catch(() => this.cache.delete(key));
    }
    const result = { compiled: await compiled, userContext, coreVersion, coreContextUrl: CORE_CONTEXT_URLS[coreVersion] };
    // Each compile is one use of the contexts named by URL, whether or not it was compiled before.
    const named = userEntries.filter((entry): entry is string => typeof entry === 'string');
    for (const url of [...named, result.coreContextUrl]) this.loader.recordUse(url);
    return result;
  }

  /** Drops every compiled context, so that reloaded remote documents take effect. */
  clear(): void {
    this.cache.clear();
  }

  private async process(userEntries: unknown[], coreVersion: CoreContextVersion): Promise<CompiledContext> {
    const localContext = [...userEntries, CORE_CONTEXT_URLS[coreVersion]];
    let active;
    try {
      active = await processContext(initialContext(), localContext, this.loader.load);
    } catch (error) {
      throw asProblem(error);
    }
    const compiled = new CompiledContext(active, this.loader.load);
    if (userEntries.length > 0) {
      const allowed = await this.scopedTermsOfCore(coreVersion);
      const offending = compiled.scopedTerms().filter((term) => !allowed.has(term));
      if (offending.length > 0) {
        throw new BadRequestData(
          `@context defines scoped contexts (${offending.join(', ')}), which NGSI-LD does not allow in ` +
            'user contexts (ETSI GS CIM 009, clause 5.5.7)',
        );
      }
    }
    return compiled;
  }

  private scopedTermsOfCore(version: CoreContextVersion): Promise<Set<string>> {
    let terms = this.coreScopedTerms.get(version);
    if (!terms) {
      terms = this.process([], version).then((core) => new Set(core.scopedTerms()));
      this.coreScopedTerms.set(version, terms);
    }
    return terms;
  }
}

function contextEntries(userContext: unknown): unknown[] {
  if (userContext === undefined) return [];
  const entries = Array.isArray(userContext) ? userContext : [userContext];
  for (const entry of entries) {
    const isObject = typeof entry === 'object' && entry !== null && !Array.isArray(entry);
    if (typeof entry !== 'string' && !isObject) {
      throw new BadRequestData('@context must be a URL, an object, or an array of URLs and objects');
    }
  }
  return entries;
}

/** Finds our own problem inside jsonld's error wrapping, else reports the context as invalid. */
function asProblem(error: unknown): ProblemError {
  for (let cause: unknown = error; cause; cause = (cause as { details?: { cause?: unknown } }).details?.cause) {
    if (cause instanceof ProblemError) return cause;
  }
  const message = error instanceof Error ? error.message : String(error);
  return new BadRequestData(`Invalid @context: ${message}`);
}
