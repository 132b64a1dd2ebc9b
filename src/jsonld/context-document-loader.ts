import { Injectable, Logger } from '@nestjs/common';
import { LRUCache } from 'lru-cache';
import { contextCache } from 'src/jsonld/context-cache';
import { AppConfig } from 'src/config/app-config';
import { InjectConfig } from 'src/config/config.module';
import { BadRequestData, LdContextNotAvailable } from 'src/common/problem/ngsi-ld-errors';
import { bundledContext } from 'src/jsonld/core-contexts';
import { HostedContextsRepository } from 'src/jsonld/hosted-contexts.repository';
import { RemoteDocument } from 'src/jsonld/jsonld-internals';
import { ModelRegistry } from 'src/models/model-registry';

/** The path under which hosted @contexts are served. */
export const HOSTED_CONTEXTS_PATH = '/ngsi-ld/v1/jsonldContexts/';

export interface ContextUsage {
  hits: number;
  lastUsage: Date;
}

const MAX_REDIRECTS = 3;
const REDIRECT_STATUSES = new Set([301, 302, 303, 307, 308]);

/**
 * Loads the JSON-LD documents a @context refers to. Bundled contexts come from disk, the data
 * models' contexts from the model registry; any other URL
 * is fetched, but only from the configured hosts (a URL a caller names is an SSRF surface), with a
 * timeout, a size limit, no credentials in the URL, every redirect hop checked, and a cache.
 */
@Injectable()
export class ContextDocumentLoader {
  private readonly logger = new Logger(ContextDocumentLoader.name);
  private readonly cache: LRUCache<string, { document: unknown; fetchedAt: Date }>;
  private readonly hostedCache = new Map<string, unknown>();
  private readonly inFlight = new Map<string, Promise<unknown>>();
  /** How often each context was used since start (this process), by {@link recordUse}. */
  readonly usage = new Map<string, ContextUsage>();
  readonly hostedPrefix: string;

  constructor(
    @InjectConfig() private readonly config: AppConfig,
    private readonly hosted: HostedContextsRepository,
    private readonly models: ModelRegistry,
  ) {
    this.cache = contextCache(config);
    this.hostedPrefix = `${config.http.publicBaseUrl}${HOSTED_CONTEXTS_PATH}`;
  }

  /** The loader in the shape `jsonld` calls it. */
  readonly load = async (url: string): Promise<RemoteDocument> => ({
    contextUrl: null,
    documentUrl: url,
    document: await this.document(url),
  });

  /** The document at `url`, from the bundle, the hosted contexts, the cache, or fetched. */
  document(url: string): Promise<unknown> {
    const bundled = bundledContext(url);
    if (bundled !== undefined) return Promise.resolve(bundled);
    // The Smart Data Models' published contexts (raw.githubusercontent.com, ...) are answered from
    // the model registry, so that writes naming them work without internet access. Its terms are the
    // registered models' types and attributes: a subset of the published context, which also
    // defines terms of models not registered here (write those by IRI or host a context).
    const modelContext = this.models.contextDocument(url);
    if (modelContext !== undefined) return Promise.resolve(modelContext);
    if (url.startsWith(this.hostedPrefix)) return this.hostedDocument(url);
    const cached = this.cache.get(url);
    if (cached) return Promise.resolve(cached.document);
    let pending = this.inFlight.get(url);
    if (!pending) {
      pending = this.fetchDocument(url).finally(() => this.inFlight.delete(url));
      this.inFlight.set(url, pending);
    }
    return pending;
  }

  /**
   * Counts one use of a context (a request that used it, or a client that fetched it here):
   * numberOfHits of clause 5.13.3. Loading is not a use: one load serves many requests. Bounded,
   * so that odd URLs callers send cannot fill memory.
   */
  recordUse(url: string): void {
    const used = this.usage.get(url);
    if (!used && this.usage.size >= 2 * this.config.jsonld.cacheEntries) {
      this.usage.delete(this.usage.keys().next().value!);
    }
    this.usage.set(url, { hits: (used?.hits ?? 0) + 1, lastUsage: new Date() });
  }

  /** The URL a hosted context is known by. */
  hostedUrl(id: string): string {
    return `${this.hostedPrefix}${encodeURIComponent(id)}`;
  }

  /** Forgets a cached document, so the next use loads it again. */
  forget(url: string): boolean {
    this.hostedCache.delete(url);
    return this.cache.delete(url);
  }

  /** The remote documents held now, with when each was fetched. */
  cached(): { url: string; fetchedAt: Date }[] {
    return [...this.cache.entries()].map(([url, entry]) => ({ url, fetchedAt: entry.fetchedAt }));
  }

  private async hostedDocument(url: string): Promise<unknown> {
    const known = this.hostedCache.get(url);
    if (known !== undefined) return known;
    const found = await this.hosted.find(decodeURIComponent(url.slice(this.hostedPrefix.length)));
    if (!found) throw new LdContextNotAvailable(`@context ${url}: no context is hosted there`);
    this.hostedCache.set(url, found.document);
    return found.document;
  }

  isHostAllowed(hostname: string): boolean {
    const host = hostname.replace(/^\[|\]$/g, '').toLowerCase();
    return this.config.jsonld.allowedContextHosts.some((allowed) =>
      allowed.startsWith('*.') ? host.endsWith(allowed.slice(1)) : host === allowed,
    );
  }

  private async fetchDocument(url: string): Promise<unknown> {
    let target = this.parse(url);
    for (let hop = 0; hop <= MAX_REDIRECTS; hop++) {
      this.assertFetchable(target, url, hop === 0);
      const response = await this.request(target, url);
      if (REDIRECT_STATUSES.has(response.status)) {
        await response.body?.cancel();
        const location = response.headers.get('location');
        if (!location) throw new LdContextNotAvailable(`@context ${url}: redirect without a Location`);
        target = new URL(location, target);
        continue;
      }
      if (!response.ok) {
        await response.body?.cancel();
        throw new LdContextNotAvailable(`@context ${url} could not be retrieved: HTTP ${response.status}`);
      }
      const text = await this.readLimited(response, url);
      let document: unknown;
      try {
        document = JSON.parse(text);
      } catch {
        throw new BadRequestData(`@context ${url} is not a JSON document`);
      }
      this.cache.set(url, { document, fetchedAt: new Date() });
      return document;
    }
    throw new LdContextNotAvailable(`@context ${url}: more than ${MAX_REDIRECTS} redirects`);
  }

  private parse(url: string): URL {
    try {
      return new URL(url);
    } catch {
      throw new BadRequestData(`@context reference is not an absolute URL: ${url}`);
    }
  }

  /**
   * A URL the caller named that this service will not fetch is the caller's error (400, saying
   * what would be fetched); the same found on a redirect is the context's host's (503).
   */
  private assertFetchable(target: URL, original: string, namedByCaller: boolean): void {
    const refuse = (reason: string) =>
      namedByCaller ? new BadRequestData(`@context ${original}: ${reason}`) : new LdContextNotAvailable(`@context ${original} redirects to ${target.href}: ${reason}`);
    if (target.protocol !== 'http:' && target.protocol !== 'https:') {
      throw refuse('only http and https URLs are fetched');
    }
    if (target.username || target.password) {
      throw refuse('URLs with credentials are not fetched');
    }
    if (!this.isHostAllowed(target.hostname)) {
      throw refuse(
        `host ${target.hostname} is not among the hosts contexts are fetched from: ${this.config.jsonld.allowedContextHosts.join(', ')} ` +
          '(CONTEXT_ALLOWED_HOSTS; or host the context here, POST /ngsi-ld/v1/jsonldContexts)',
      );
    }
  }

  private async request(target: URL, original: string): Promise<Response> {
    try {
      return await fetch(target, {
        redirect: 'manual',
        signal: AbortSignal.timeout(this.config.jsonld.fetchTimeoutMs),
        headers: { accept: 'application/ld+json, application/json;q=0.9, */*;q=0.1' },
      });
    } catch (error) {
      this.logger.warn({ msg: 'context fetch failed', url: original, error: String(error) });
      const reason =
        error instanceof Error && error.name === 'TimeoutError'
          ? `no answer within ${this.config.jsonld.fetchTimeoutMs} ms`
          : 'the host could not be reached';
      throw new LdContextNotAvailable(`@context ${original} could not be retrieved: ${reason}`);
    }
  }

  private async readLimited(response: Response, original: string): Promise<string> {
    const limit = this.config.jsonld.maxContextBytes;
    const tooLarge = () => new BadRequestData(`@context ${original} is larger than ${limit} bytes`);
    if (Number(response.headers.get('content-length') ?? 0) > limit) {
      await response.body?.cancel();
      throw tooLarge();
    }
    if (!response.body) return '';
    const chunks: Uint8Array[] = [];
    let size = 0;
    try {
      for await (const chunk of response.body) {
        size += chunk.byteLength;
        if (size > limit) throw tooLarge();
        chunks.push(chunk);
      }
    } catch (error) {
      if (error instanceof BadRequestData) throw error;
      throw new LdContextNotAvailable(`@context ${original}: the transfer failed (${String(error)})`);
    }
    return Buffer.concat(chunks).toString('utf8');
  }
}
