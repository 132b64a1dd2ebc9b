import { Injectable } from '@nestjs/common';
import { AccessContext } from 'src/common/access/access-context';
import { BadRequestData, ResourceNotFound } from 'src/common/problem/ngsi-ld-errors';
import { withScopedContexts } from 'src/jsonld/compiled-context';
import { RequestContext } from 'src/jsonld/context-compiler';
import { isJsonObject, Json, JsonObject } from 'src/jsonld/value-codec';
import { EntitiesRepository } from 'src/ngsi-ld/entities/entities.repository';
import { expandName } from 'src/ngsi-ld/query/entity-filter';
import { expandAttribute, expandPartialInstance } from 'src/ngsi-ld/representation/attribute-expander';
import { checkGeoAttributes, expandEntity, expandFragment, expandMergeFragment } from 'src/ngsi-ld/representation/entity-expander';
import { EntityData } from 'src/ngsi-ld/representation/entity.model';
import { SCOPE } from 'src/ngsi-ld/representation/ngsi-ld-vocabulary';
import {
  appendAttributes,
  deleteAttribute,
  headChanged,
  mergeEntity,
  replaceAttribute,
  replaceEntity,
  UpdateOutcome,
  updateAttributePartially,
  updateAttributes,
} from 'src/ngsi-ld/representation/entity-updates';
import { TenantDirectory } from 'src/ngsi-ld/tenants/tenant-directory';
import { EntityPlacement } from 'src/ngsi-ld/entities/entity-placement';

/** The NGSI-LD UpdateResult (clause 5.2.18), with attribute names in the caller's terms. */
export interface UpdateResult {
  readonly updated: string[];
  readonly notUpdated: { attributeName: string; reason: string }[];
}

/** Changes to one entity (ETSI GS CIM 009 clause 5.6): each a read-modify-write under a row lock. */
@Injectable()
export class EntityUpdatesService {
  constructor(
    private readonly repository: EntitiesRepository,
    private readonly tenants: TenantDirectory,
    private readonly placement: EntityPlacement,
  ) {}

  async appendAttributes(access: AccessContext, context: RequestContext, id: string, body: unknown, noOverwrite: boolean): Promise<UpdateResult> {
    return this.applyFragment(access, context, id, body, (entity, fragment) => appendAttributes(entity, fragment, noOverwrite));
  }

  async updateAttributes(access: AccessContext, context: RequestContext, id: string, body: unknown): Promise<UpdateResult> {
    return this.applyFragment(access, context, id, body, (entity, fragment) => updateAttributes(entity, fragment));
  }

  async mergeEntity(access: AccessContext, context: RequestContext, id: string, body: unknown): Promise<void> {
    const now = new Date();
    await this.modify(access, id, now, async (entity) => {
      const fragment = await withScopedContexts(() => expandMergeFragment(context.compiled, body, now.toISOString(), entity));
      const merged = mergeEntity(entity, fragment, now.toISOString()).entity;
      checkGeoAttributes(merged.attributes);
      return merged;
    });
  }

  async replaceEntity(access: AccessContext, context: RequestContext, id: string, body: unknown): Promise<void> {
    const now = new Date();
    const payload = isJsonObject(body) && !('id' in body) && !('@id' in body) ? { ...body, id } : body;
    const replacement = await withScopedContexts(() => expandEntity(context.compiled, payload, now.toISOString()));
    if (replacement.id !== id) throw new BadRequestData(`The payload is about ${replacement.id}, not ${id}`);
    await this.modify(access, id, now, (entity) => replaceEntity(entity, replacement));
  }

  async updateAttribute(access: AccessContext, context: RequestContext, id: string, name: string, body: unknown): Promise<void> {
    const iri = attributeToChange(context, name);
    const now = new Date();
    await this.modify(access, id, now, (entity) => {
      const kind = entity.attributes[iri]?.[0]?.type;
      if (!kind) throw new ResourceNotFound(`Entity ${id} has no attribute ${name}`);
      const patch = expandPartialInstance(context.compiled, name, body as Json, kind, name, now.toISOString());
      const changed = updateAttributePartially(entity, iri, patch, now.toISOString());
      if (changed === 'no-attribute' || changed === 'no-instance') {
        throw new ResourceNotFound(`Entity ${id} has no instance of ${name} with datasetId ${patch.datasetId ?? '(none)'}`);
      }
      checkGeoAttributes(changed.attributes);
      return changed;
    });
  }

  async replaceAttribute(access: AccessContext, context: RequestContext, id: string, name: string, body: unknown): Promise<void> {
    const iri = attributeToChange(context, name);
    const now = new Date();
    const instances = await withScopedContexts(() => expandAttribute(context.compiled, name, body as Json, name, now.toISOString()));
    await this.modify(access, id, now, (entity) => {
      const changed = replaceAttribute(entity, iri, instances);
      if (!changed) throw new ResourceNotFound(`Entity ${id} has no attribute ${name}`);
      checkGeoAttributes(changed.attributes);
      return changed;
    });
  }

  async deleteAttribute(
    access: AccessContext,
    context: RequestContext,
    id: string,
    name: string,
    selection: { datasetId?: string; deleteAll: boolean },
  ): Promise<void> {
    const iri = expandName(context.compiled, name, 'attribute');
    await this.modify(access, id, new Date(), (entity) => {
      const changed = deleteAttribute(entity, iri, selection);
      if (!changed) throw new ResourceNotFound(`Entity ${id} has no ${name}${selection.datasetId ? ` with datasetId ${selection.datasetId}` : ''}`);
      return changed;
    });
  }

  private async applyFragment(
    access: AccessContext,
    context: RequestContext,
    id: string,
    body: unknown,
    change: (entity: EntityData, fragment: ReturnType<typeof expandFragment>, now: string) => UpdateOutcome,
  ): Promise<UpdateResult> {
    const now = new Date();
    const fragment = await withScopedContexts(() => expandFragment(context.compiled, body, now.toISOString(), id));
    let outcome: UpdateOutcome | undefined;
    await this.modify(access, id, now, (entity) => {
      outcome = change(entity, fragment, now.toISOString());
      checkGeoAttributes(outcome.entity.attributes);
      return outcome.updated.length > 0 || headChanged(entity, outcome.entity) ? outcome.entity : undefined;
    });
    const name = (iri: string) => context.compiled.compactIri(iri, { kind: 'node' });
    return {
      updated: outcome!.updated.map(name),
      notUpdated: outcome!.notUpdated.map((n) => ({ attributeName: name(n.attribute), reason: n.reason })),
    };
  }

  /**
   * Reads the entity under a lock, applies `change`, stores the result (unless `change` returns
   * nothing). Entities the caller cannot see are absent (404); seen but not writable, 403.
   */
  private async modify(
    access: AccessContext,
    id: string,
    now: Date,
    change: (entity: EntityData) => EntityData | undefined | Promise<EntityData | undefined>,
  ): Promise<void> {
    const allowance = this.placement.allowance(access);
    await this.tenants.assertExists(access.tenant);
    await this.repository.write(access.tenant, async (tx) => {
      const entity = await this.placement.lockWritable(access, allowance, tx, id);
      const changed = await change(entity);
      if (!changed) return;
      const { placed, refused } = await this.placement.placeChanged(access, tx, [{ current: entity, next: changed }]);
      if (refused.size > 0) throw refused.get(id)!;
      await tx.update(placed, now);
    });
  }
}

/** The IRI of an attribute named in a path; scope is an entity member, not an attribute (clause 5.6.4.4). */
function attributeToChange(context: RequestContext, name: string): string {
  const iri = expandName(context.compiled, name, 'attribute');
  if (iri === SCOPE) throw new BadRequestData('scope is not an attribute: change it with PATCH /entities/{id} or POST /entities/{id}/attrs');
  return iri;
}

/** 204 when every attribute was updated, else 207 with the UpdateResult (clause 6.5.3). */
export function updateResultStatus(result: UpdateResult): { status: 204 | 207; body?: JsonObject } {
  return result.notUpdated.length === 0 ? { status: 204 } : { status: 207, body: result as unknown as JsonObject };
}
