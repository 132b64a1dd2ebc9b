import { Injectable } from '@nestjs/common';
import { IncomingHttpHeaders } from 'node:http';
import { AppConfig } from 'src/config/app-config';
import { InjectConfig } from 'src/config/config.module';
import { AccessContext } from 'src/common/access/access-context';
import { AlreadyExists, BadRequestData, InvalidRequest, ResourceNotFound } from 'src/common/problem/ngsi-ld-errors';
import { ProblemBody, ProblemError, toProblemBody } from 'src/common/problem/problem-error';
import { withScopedContexts } from 'src/jsonld/compiled-context';
import { ContextCompiler, RequestContext } from 'src/jsonld/context-compiler';
import { isJsonObject } from 'src/jsonld/value-codec';
import { EntitiesRepository } from 'src/ngsi-ld/entities/entities.repository';
import { EntityWrites } from 'src/ngsi-ld/entities/entity-writes';
import { linkedContext, MEDIA_JSON_LD, payloadContext } from 'src/ngsi-ld/common/json-ld-request';
import {
  checkGeoAttributes,
  expandEntity,
  expandIdentifiedFragment,
  expandMergeFragment,
} from 'src/ngsi-ld/representation/entity-expander';
import { EntityData } from 'src/ngsi-ld/representation/entity.model';
import { appendAttributes, Fragment, headChanged, mergeEntity, UpdateOutcome } from 'src/ngsi-ld/representation/entity-updates';
import { isUri, shown } from 'src/ngsi-ld/representation/ngsi-ld-syntax';
import { TenantDirectory } from 'src/ngsi-ld/tenants/tenant-directory';
import { EntityPlacement, explicitDatasetOf, Placed } from 'src/ngsi-ld/entities/entity-placement';
import { Forbidden } from 'src/governance/problems';
import { PolicyDecisionPoint } from 'src/governance/policy-decision-point';
import { collapseInOrder, firstOccurrences, groupInOrder } from 'src/ngsi-ld/entity-operations/batch-order';

/** The NGSI-LD BatchOperationResult (clause 5.2.16). */
export interface BatchResult {
  readonly success: string[];
  readonly errors: { entityId: string; error: ProblemBody }[];
  /** Of `success`, the entities that did not exist before. */
  readonly created: string[];
}

/** An entity of a batch, expanded: a whole entity (create, upsert) or the fragment of one (update, merge). */
interface Expanded<T> {
  readonly id: string;
  readonly value: T;
}
type Expander<T> = (context: RequestContext, item: unknown, now: string) => Expanded<T>;
/** An entity of a batch as read, with the @context it was read with (which names its attributes in answers too). */
type Read<T> = Expanded<T> & { readonly context: RequestContext };

const wholeEntity: Expander<EntityData> = (context, item, now) => {
  const entity = expandEntity(context.compiled, item, now);
  return { id: entity.id, value: entity };
};
const fragmentOfEntity: Expander<(current: EntityData) => Fragment> = (context, item, now) => {
  const { id, fragment } = expandIdentifiedFragment(context.compiled, item, now);
  return { id, value: () => fragment };
};
/** A merge is read against the entity it goes into (partial attributes), so only checked here. */
const mergeOfEntity: Expander<(current: EntityData) => Fragment> = (context, item, now) => {
  const { id } = expandIdentifiedFragment(context.compiled, item, now);
  return { id, value: (current) => expandMergeFragment(context.compiled, item, now, current) };
};

/**
 * Batch entity operations (ETSI GS CIM 009 clauses 5.6.7 to 5.6.10, 5.6.20). Each entity is
 * checked on its own, a bad one is reported without stopping the others, and the good ones are
 * written with one statement per batch (not one per entity), in one transaction.
 */
@Injectable()
export class EntityOperationsService {
  constructor(
    private readonly repository: EntitiesRepository,
    private readonly contexts: ContextCompiler,
    private readonly tenants: TenantDirectory,
    private readonly placement: EntityPlacement,
    private readonly policy: PolicyDecisionPoint,
    @InjectConfig() private readonly config: AppConfig,
  ) {}

  /** New entities go where their organisation's dataset rules put them, or into the dataset the VGDS-Dataset header names. */
  async create(access: AccessContext, headers: IncomingHttpHeaders, body: unknown): Promise<BatchResult> {
    this.policy.assertMayWrite(access);
    const explicitDataset = explicitDatasetOf(headers);
    const now = new Date();
    const { valid, result } = await this.expandAll(headers, body, now, wholeEntity);
    // In order (clause 4.6.6): an id given again finds the entity its first occurrence created.
    const { first, repeated } = firstOccurrences(valid);
    const inserted = await this.repository.write(access.tenant, async (tx) => {
      const placement = await this.placement.placeNew(access, tx, first.map((v) => v.value), explicitDataset);
      reportRefused(result, placement);
      return tx.insert(placement.placed, now, explicitDataset !== undefined);
    });
    for (const { id } of first) {
      if (inserted.has(id)) result.success.push(id);
      else if (!result.errors.some((e) => e.entityId === id)) result.errors.push(failure(id, new AlreadyExists(`An entity with id ${id} already exists`)));
    }
    for (const id of repeated) result.errors.push(failure(id, new AlreadyExists(`An entity with id ${id} already exists (it is given more than once in this batch)`)));
    return { ...result, created: [...result.success] };
  }

  /** `replace` (the default): existing entities are replaced; `update`: their attributes are appended to. */
  async upsert(access: AccessContext, headers: IncomingHttpHeaders, body: unknown, mode: 'replace' | 'update'): Promise<BatchResult> {
    const allowance = this.placement.allowance(access);
    const explicitDataset = explicitDatasetOf(headers);
    const now = new Date();
    const expanded = await this.expandAll(headers, body, now, wholeEntity);
    const result = expanded.result;
    // An id given more than once is upserted in order (clause 4.6.6): the later replaces or appends to the earlier.
    const valid = collapseInOrder(expanded.valid, (earlier, later) =>
      mode === 'update' ? appendAttributes(earlier, { types: later.types, attributes: later.attributes }, false).entity : later,
    );
    const { written, created } = await this.repository.write(access.tenant, async (tx) => {
      // Replacing needs only where the existing entities are; appending needs their attributes too.
      const ids = valid.map((v) => v.id);
      const existing = mode === 'update' ? await tx.lock(ids, allowance.visible) : await tx.lockHeads(ids, allowance.visible);
      const fresh = valid.filter((v) => !existing.has(v.id)).map((v) => v.value);
      const changes = valid.flatMap(({ id, value }) => {
        const current = existing.get(id);
        if (!current) return [];
        const next = mode === 'update' ? appendAttributes(current as EntityData, { types: value.types, attributes: value.attributes }, false).entity : value;
        return [{ current, next }];
      });
      const placedNew = await this.placement.placeNew(access, tx, fresh, explicitDataset);
      const placedChanged = await this.placement.placeChanged(access, tx, changes);
      reportRefused(result, placedNew);
      reportRefused(result, placedChanged);
      const states = [...placedNew.placed, ...placedChanged.placed.map((e) => (explicitDataset ? { ...e, datasetId: explicitDataset } : e))];
      return tx.upsert(states, now, allowance.writable, explicitDataset !== undefined);
    });
    for (const { id } of valid) {
      if (written.has(id)) result.success.push(id);
      else if (!result.errors.some((e) => e.entityId === id)) result.errors.push(failure(id, new Forbidden(`You may not write entity ${id}`)));
    }
    return { ...result, created: [...created] };
  }

  /** Appends attributes to existing entities (`noOverwrite`: keeps the ones there); unknown ids fail. */
  async update(access: AccessContext, headers: IncomingHttpHeaders, body: unknown, noOverwrite: boolean): Promise<BatchResult> {
    return this.changeExisting(access, headers, body, fragmentOfEntity, (current, fragment) => appendAttributes(current, fragment, noOverwrite));
  }

  async merge(access: AccessContext, headers: IncomingHttpHeaders, body: unknown): Promise<BatchResult> {
    return this.changeExisting(access, headers, body, mergeOfEntity, (current, fragment, now) => mergeEntity(current, fragment, now));
  }

  async delete(access: AccessContext, body: unknown): Promise<BatchResult> {
    const allowance = this.placement.allowance(access);
    await this.tenants.assertExists(access.tenant);
    const ids = this.batch(body);
    const result: BatchResult = { success: [], errors: [], created: [] };
    const valid = ids.filter((id) => {
      if (isUri(id)) return true;
      result.errors.push(failure(typeof id === 'string' ? id : '', new BadRequestData(`${shown(id)} is not an entity id (a URI)`)));
      return false;
    }) as string[];
    const { seen, deleted } = await this.repository.write(access.tenant, async (tx) => {
      const seen = await tx.lock(valid, allowance.visible);
      return { seen, deleted: await tx.delete([...seen.keys()], allowance.writable) };
    });
    const done = new Set<string>();
    for (const id of valid) {
      // In order (clause 4.6.6): an id given again finds nothing left to delete.
      if (done.has(id) && deleted.has(id)) result.errors.push(failure(id, new ResourceNotFound(`No entity ${id}: it was deleted earlier in this batch`)));
      else if (deleted.has(id)) result.success.push(id);
      else if (seen.has(id)) result.errors.push(failure(id, new Forbidden(`You may not delete entity ${id}`)));
      else result.errors.push(failure(id, new ResourceNotFound(`No entity ${id}`)));
      done.add(id);
    }
    return result;
  }

  /**
   * Applies `change` to existing entities, the fragments of an id given more than once in order.
   * An entity whose change left attributes as they were (noOverwrite) is reported among the
   * errors, naming them, though what did change is written.
   */
  private async changeExisting(
    access: AccessContext,
    headers: IncomingHttpHeaders,
    body: unknown,
    expand: Expander<(current: EntityData) => Fragment>,
    change: (current: EntityData, fragment: Fragment, now: string) => UpdateOutcome,
  ): Promise<BatchResult> {
    const allowance = this.placement.allowance(access);
    await this.tenants.assertExists(access.tenant);
    const now = new Date();
    const { valid, result } = await this.expandAll(headers, body, now, expand);
    const fragmentsById = groupInOrder(valid.map((expanded) => ({ id: expanded.id, value: expanded })));
    await this.repository.write(access.tenant, async (tx: EntityWrites) => {
      const existing = await tx.lock([...fragmentsById.keys()], allowance.visible);
      const changes: { current: EntityData; next: EntityData }[] = [];
      const kept = new Map<string, string[]>();
      for (const [id, fragments] of fragmentsById) {
        const current = existing.get(id);
        if (!current) {
          result.errors.push(failure(id, new ResourceNotFound(`No entity ${id}`)));
          continue;
        }
        try {
          let next = current;
          let isChanged = false;
          for (const { value: fragment, context } of fragments) {
            const outcome = change(next, await withScopedContexts(() => fragment(next)), now.toISOString());
            isChanged ||= outcome.updated.length > 0 || headChanged(next, outcome.entity);
            const names = outcome.notUpdated.map((n) => context.compiled.compactIri(n.attribute, { kind: 'node' }));
            if (names.length > 0) kept.set(id, [...(kept.get(id) ?? []), ...names]);
            next = outcome.entity;
          }
          checkGeoAttributes(next.attributes);
          if (isChanged) changes.push({ current, next });
          else if (!kept.has(id)) result.success.push(id);
        } catch (error) {
          if (!(error instanceof ProblemError)) throw error;
          result.errors.push(failure(id, error));
          kept.delete(id);
        }
      }
      const placement = await this.placement.placeChanged(access, tx, changes);
      reportRefused(result, placement);
      result.success.push(...placement.placed.map((e) => e.id).filter((id) => !kept.has(id)));
      for (const [id, attributes] of kept) {
        if (placement.refused.has(id)) continue;
        result.errors.push(failure(id, new BadRequestData(`Not overwritten, as noOverwrite asks: ${attributes.join(', ')}`)));
      }
      await tx.update(placement.placed, now);
    });
    return result;
  }

  /** Expands every entity of a batch with its @context; the bad ones become errors of the result. */
  private async expandAll<T>(
    headers: IncomingHttpHeaders,
    body: unknown,
    now: Date,
    expand: Expander<T>,
  ): Promise<{ valid: Read<T>[]; result: BatchResult }> {
    const items = this.batch(body);
    const result: BatchResult = { success: [], errors: [], created: [] };
    const valid: Read<T>[] = [];
    const shared = await this.sharedContext(headers);
    for (const item of items) {
      const givenId = isJsonObject(item) && typeof item.id === 'string' ? item.id : '';
      try {
        if (shared && isJsonObject(item) && '@context' in item) {
          // As for one entity (clause 6.3.5): JSON brings its @context in the Link header only.
          throw new BadRequestData('An entity sent as application/json must not contain an @context; use a Link header or application/ld+json');
        }
        const context = shared ?? (await this.contexts.compile(payloadContext(headers, item)));
        valid.push({ ...(await withScopedContexts(() => expand(context, item, now.toISOString()))), context });
      } catch (error) {
        if (!(error instanceof ProblemError)) throw error;
        result.errors.push(failure(givenId, error));
      }
    }
    return { valid, result };
  }

  /** With application/json every entity shares the Link header's @context; with JSON-LD each brings its own. */
  private async sharedContext(headers: IncomingHttpHeaders): Promise<RequestContext | undefined> {
    const isJsonLd = (headers['content-type'] ?? '').split(';')[0].trim() === MEDIA_JSON_LD;
    if (isJsonLd) {
      if (linkedContext(headers) !== undefined) throw new BadRequestData('With application/ld+json the @context belongs in each entity, not in a Link header');
      return undefined;
    }
    return this.contexts.compile(payloadContext(headers, {}));
  }

  private batch(body: unknown): unknown[] {
    if (!Array.isArray(body)) throw new InvalidRequest('A batch must be a JSON array');
    if (body.length === 0) throw new BadRequestData('A batch must not be empty');
    if (body.length > this.config.batch.maxEntities) {
      throw new BadRequestData(`A batch holds at most ${this.config.batch.maxEntities} entities (BATCH_MAX_ENTITIES)`);
    }
    return body;
  }
}

function reportRefused(result: BatchResult, placement: Placed): void {
  for (const [id, error] of placement.refused) result.errors.push(failure(id, error));
}

function failure(entityId: string, error: ProblemError): { entityId: string; error: ProblemBody } {
  return { entityId, error: toProblemBody(error) };
}
