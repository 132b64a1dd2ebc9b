import { Injectable } from '@nestjs/common';
import { AccessContext } from 'src/common/access/access-context';
import { PolicyDecisionPoint } from 'src/governance/policy-decision-point';
import { createHash, randomUUID } from 'node:crypto';
import { BadRequestData, ResourceNotFound } from 'src/common/problem/ngsi-ld-errors';
import { ContextCompiler } from 'src/jsonld/context-compiler';
import { ContextDocumentLoader } from 'src/jsonld/context-document-loader';
import { bundledContext, CORE_CONTEXT_URLS } from 'src/jsonld/core-contexts';
import { HostedContextsRepository } from 'src/jsonld/hosted-contexts.repository';
import { isJsonObject, JsonObject } from 'src/jsonld/value-codec';
import { isUri, shown } from 'src/ngsi-ld/representation/ngsi-ld-syntax';

export type ContextKind = 'Hosted' | 'Cached' | 'ImplicitlyCreated';
export const CONTEXT_KINDS: readonly ContextKind[] = ['Hosted', 'Cached', 'ImplicitlyCreated'];
/** The local ids given here: a hosted context's uuid, `cached-<hash>`, `ngsi-ld-core-context-v<version>`. */
const LOCAL_ID = /^([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}|cached-[0-9a-f]{16}|ngsi-ld-core-context-v\d+(\.\d+)*)$/i;

interface ContextEntry {
  readonly url: string;
  readonly localId: string;
  readonly kind: ContextKind;
  readonly createdAt?: Date;
  readonly core: boolean;
  readonly hostedId?: string;
}

/**
 * The @contexts this broker knows (clause 5.13): those it hosts (POST), those it fetched and
 * keeps (Cached), and the bundled core contexts, which are listed as cached ones and never go.
 * Inline @contexts are compiled but not kept, so nothing is ever ImplicitlyCreated here.
 */
@Injectable()
export class JsonLdContextsService {
  constructor(
    private readonly hosted: HostedContextsRepository,
    private readonly loader: ContextDocumentLoader,
    private readonly compiler: ContextCompiler,
    private readonly policy: PolicyDecisionPoint,
  ) {}

  /** Hosts a context document after checking it is a usable @context; returns its URL. */
  async host(access: AccessContext, body: unknown): Promise<string> {
    this.policy.assertMayManageContexts(access);
    if (!isJsonObject(body) || !('@context' in body)) throw new BadRequestData('A hosted context must be a JSON object with an "@context" member');
    await this.compiler.compile(body['@context']);
    const id = randomUUID();
    await this.hosted.insert(id, body);
    return this.loader.hostedUrl(id);
  }

  async list(kind?: ContextKind): Promise<ContextEntry[]> {
    const entries = await this.entries();
    return kind ? entries.filter((entry) => entry.kind === kind) : entries;
  }

  details(entry: ContextEntry): JsonObject {
    const usage = this.loader.usage.get(entry.url);
    return {
      URL: entry.url,
      localId: entry.localId,
      kind: entry.kind,
      ...(entry.createdAt ? { createdAt: entry.createdAt.toISOString() } : {}),
      ...(usage ? { lastUsage: usage.lastUsage.toISOString(), numberOfHits: usage.hits } : { numberOfHits: 0 }),
    };
  }

  /** The document of a context, by local id or URL: a use of it. */
  async document(contextId: string): Promise<unknown> {
    const entry = await this.find(contextId);
    const document = await this.loader.document(entry.url);
    this.loader.recordUse(entry.url);
    return document;
  }

  /**
   * The context a local id or URL names. An identifier that cannot name one (neither a local id
   * of ours nor a URI) is a bad request (400); one that could but names nothing here, not found (404).
   */
  async find(contextId: string): Promise<ContextEntry> {
    if (!LOCAL_ID.test(contextId) && !isUri(contextId)) {
      throw new BadRequestData(`${shown(contextId)} is neither the local id of a @context (as listed by GET /jsonldContexts) nor a URL`);
    }
    const entry = (await this.entries()).find((e) => e.localId === contextId || e.url === contextId || e.hostedId === contextId);
    if (!entry) throw new ResourceNotFound(`No @context ${contextId} is hosted or cached here`);
    return entry;
  }

  /** Deletes a hosted context, or drops a cached one (`reload`: and fetches it anew). */
  async remove(access: AccessContext, contextId: string, reload: boolean): Promise<void> {
    this.policy.assertMayManageContexts(access);
    const entry = await this.find(contextId);
    if (entry.core) throw new BadRequestData('The NGSI-LD core contexts are built in and cannot be deleted');
    if (entry.kind === 'Hosted') {
      if (reload) throw new BadRequestData('reload applies to cached contexts, not hosted ones');
      await this.hosted.delete(entry.hostedId!);
    }
    this.loader.forget(entry.url);
    this.compiler.clear();
    if (reload) await this.loader.document(entry.url);
  }

  private async entries(): Promise<ContextEntry[]> {
    const hosted = (await this.hosted.list()).map((context) => ({
      url: this.loader.hostedUrl(context.id),
      localId: context.id,
      hostedId: context.id,
      kind: 'Hosted' as const,
      createdAt: context.createdAt,
      core: false,
    }));
    const core = Object.entries(CORE_CONTEXT_URLS).map(([version, url]) => ({
      url,
      localId: `ngsi-ld-core-context-v${version}`,
      kind: 'Cached' as const,
      core: true,
    }));
    const cached = this.loader.cached().map(({ url, fetchedAt }) => ({
      url,
      localId: `cached-${createHash('sha256').update(url).digest('hex').slice(0, 16)}`,
      kind: 'Cached' as const,
      createdAt: fetchedAt,
      core: bundledContext(url) !== undefined,
    }));
    return [...core, ...hosted, ...cached];
  }
}
