import { Injectable } from '@nestjs/common';
import { AccessContext } from 'src/common/access/access-context';
import { AlreadyExists, BadRequestData, ResourceNotFound } from 'src/common/problem/ngsi-ld-errors';
import { withScopedContexts } from 'src/jsonld/compiled-context';
import { RequestContext } from 'src/jsonld/context-compiler';
import { Json } from 'src/jsonld/value-codec';
import { Forbidden } from 'src/governance/problems';
import { PolicyDecisionPoint } from 'src/governance/policy-decision-point';
import { EntitiesRepository } from 'src/ngsi-ld/entities/entities.repository';
import { EntityWrites } from 'src/ngsi-ld/entities/entity-writes';
import { EntityPlacement, WriteAllowance } from 'src/ngsi-ld/entities/entity-placement';
import { expandName } from 'src/ngsi-ld/query/entity-filter';
import { expandPartialInstance } from 'src/ngsi-ld/representation/attribute-expander';
import { expandTemporalEntity, TemporalInstance } from 'src/ngsi-ld/representation/entity-expander';
import { EntityData } from 'src/ngsi-ld/representation/entity.model';
import { TenantDirectory } from 'src/ngsi-ld/tenants/tenant-directory';
import { advanceCurrentState } from 'src/ngsi-ld/temporal/current-state';
import { HistoryRepository } from 'src/ngsi-ld/temporal/history.repository';
import { HistoryWrites } from 'src/ngsi-ld/temporal/history-writes';
import { uuidOfInstanceId } from 'src/ngsi-ld/temporal/temporal-representation';

/**
 * Writes to the temporal representation (clauses 5.6.11 to 5.6.16). A temporal entity here is
 * an entity of the entity store together with its history: instances added through this API go
 * into the history, and advance the current state where they are newer than what it holds.
 * Changing or deleting single instances changes the history only. Same write rights as /entities.
 */
@Injectable()
export class TemporalWritesService {
  constructor(
    private readonly entities: EntitiesRepository,
    private readonly history: HistoryRepository,
    private readonly tenants: TenantDirectory,
    private readonly placement: EntityPlacement,
    private readonly policy: PolicyDecisionPoint,
  ) {}

  /** Creates the temporal entity, or adds the instances to an existing one; true when created. */
  async upsert(access: AccessContext, context: RequestContext, body: unknown, explicitDataset?: string): Promise<{ id: string; created: boolean }> {
    this.policy.assertMayWrite(access);
    const now = new Date();
    const { id, types, instances } = await withScopedContexts(() => expandTemporalEntity(context.compiled, body, now.toISOString()));
    if (id === undefined) throw new BadRequestData('A temporal entity needs an "id"');
    const allowance = this.placement.allowance(access);
    return this.entities.write(access.tenant, async (tx) => {
      const addTo = async (existing: EntityData) => {
        this.placement.assertWritable(access, allowance, existing);
        await this.addInstances(access, allowance, tx, existing, instances, now, types);
        return { id, created: false };
      };
      const existing = (await tx.lock([id], allowance.visible)).get(id);
      if (existing) return addTo(existing);
      if (types === undefined) throw new BadRequestData('A new temporal entity needs a "type"');
      const fresh = advanceCurrentState({ id, types, scopes: null, attributes: {} }, instances, now.toISOString()) ?? { id, types, scopes: null, attributes: {} };
      const { placed, refused } = await this.placement.placeNew(access, tx, [fresh], explicitDataset);
      if (refused.size > 0) throw refused.get(id)!;
      if (!(await tx.insert(placed, now, explicitDataset !== undefined, 'none')).has(id)) {
        // The id is taken: by an entity the caller cannot see (ids are unique per tenant, whoever
        // owns them), or by one created meanwhile by a concurrent request, which it may add to.
        const raced = (await tx.lock([id], allowance.visible)).get(id);
        if (raced) return addTo(raced);
        throw new AlreadyExists(`An entity with id ${id} already exists`);
      }
      await this.historyOf(tx).append(instances.map((i) => ({ entityId: id, attribute: i.attribute, datasetId: placed[0].datasetId!, instance: i.instance })), now);
      return { id, created: true };
    });
  }

  /** Adds attribute instances to an existing temporal entity (clause 5.6.12). */
  async appendAttributes(access: AccessContext, context: RequestContext, id: string, body: unknown): Promise<void> {
    const now = new Date();
    const { id: given, instances } = await withScopedContexts(() => expandTemporalEntity(context.compiled, body, now.toISOString()));
    if (given !== undefined && given !== id) throw new BadRequestData(`The payload is about ${given}, not ${id}`);
    if (instances.length === 0) throw new BadRequestData('No attribute instances to add');
    await this.modify(access, id, async (tx, entity, allowance) => this.addInstances(access, allowance, tx, entity, instances, now));
  }

  /** Changes members of one instance (clause 5.6.14); the current state is left as it is. */
  async patchInstance(access: AccessContext, context: RequestContext, id: string, name: string, instanceId: string, body: unknown): Promise<void> {
    const iri = expandName(context.compiled, name, 'attribute');
    const uuid = this.instanceUuid(instanceId, id, name);
    const now = new Date();
    await this.modify(access, id, async (tx) => {
      const history = this.historyOf(tx);
      const stored = await history.lockInstance(id, iri, uuid);
      if (!stored) throw new ResourceNotFound(`Entity ${id} has no instance ${instanceId} of ${name}`);
      const patch = expandPartialInstance(context.compiled, name, body as Json, stored.type, name, now.toISOString());
      if (patch.type !== stored.type) throw new BadRequestData(`${name} is a ${stored.type}; an instance cannot change its kind`);
      await history.replaceInstance(id, iri, uuid, { ...stored, ...patch }, now);
    });
  }

  async deleteInstance(access: AccessContext, context: RequestContext, id: string, name: string, instanceId: string): Promise<void> {
    const iri = expandName(context.compiled, name, 'attribute');
    const uuid = this.instanceUuid(instanceId, id, name);
    await this.modify(access, id, async (tx) => {
      if (!(await this.historyOf(tx).deleteInstance(id, iri, uuid))) throw new ResourceNotFound(`Entity ${id} has no instance ${instanceId} of ${name}`);
    });
  }

  /** Deletes an attribute's history (clause 5.6.13): its default instances, one datasetId's, or all. */
  async deleteAttribute(access: AccessContext, context: RequestContext, id: string, name: string, selection: { datasetId?: string; deleteAll: boolean }): Promise<void> {
    const iri = expandName(context.compiled, name, 'attribute');
    await this.modify(access, id, async (tx) => {
      const deleted = await this.historyOf(tx).deleteAttribute(id, iri, selection);
      if (deleted === 0) throw new ResourceNotFound(`Entity ${id} has no history of ${name}${selection.datasetId ? ` with datasetId ${selection.datasetId}` : ''}`);
    });
  }

  /** Deletes the temporal entity (clause 5.6.16): the entity and its whole history. */
  async delete(access: AccessContext, id: string): Promise<void> {
    await this.modify(access, id, async (tx, _entity, allowance) => {
      if (!(await tx.delete([id], allowance.writable)).has(id)) throw new Forbidden(`You may not delete entity ${id}`);
    });
  }

  /**
   * Adds instances to an existing entity: history, and the current state where they are newer.
   * New types place the entity again by its organisation's rules, as current-state writes do;
   * the instances then go to the dataset it is in after the write.
   */
  private async addInstances(
    access: AccessContext,
    allowance: WriteAllowance,
    tx: EntityWrites,
    entity: EntityData,
    instances: readonly TemporalInstance[],
    now: Date,
    types?: string[],
  ): Promise<void> {
    const allTypes = [...new Set([...entity.types, ...(types ?? [])])];
    const retyped = allTypes.length === entity.types.length ? entity : { ...entity, types: allTypes };
    let next = advanceCurrentState(retyped, instances, now.toISOString()) ?? retyped;
    if (retyped !== entity) {
      const { placed, refused } = await this.placement.placeChanged(access, tx, [{ current: entity, next }]);
      if (refused.size > 0) throw refused.get(entity.id)!;
      next = placed[0];
    }
    if (next !== entity) await tx.update([next], now, 'none');
    // An entity placed explicitly (VGDS-Dataset) keeps its dataset whatever the rules say: ask the store.
    const datasetId = retyped === entity ? entity.datasetId! : (await tx.lockHeads([entity.id], allowance.visible)).get(entity.id)!.datasetId!;
    await this.historyOf(tx).append(instances.map((i) => ({ entityId: entity.id, attribute: i.attribute, datasetId, instance: i.instance })), now);
  }

  /** Runs `change` on a locked entity the caller may write: 404 when it cannot see it, 403 when it can but may not write. */
  private async modify(
    access: AccessContext,
    id: string,
    change: (tx: EntityWrites, entity: EntityData, allowance: WriteAllowance) => Promise<void>,
  ): Promise<void> {
    const allowance = this.placement.allowance(access);
    await this.tenants.assertExists(access.tenant);
    await this.entities.write(access.tenant, async (tx) => {
      await change(tx, await this.placement.lockWritable(access, allowance, tx, id), allowance);
    });
  }

  private instanceUuid(instanceId: string, id: string, name: string): string {
    const uuid = uuidOfInstanceId(instanceId);
    if (!uuid) throw new ResourceNotFound(`Entity ${id} has no instance ${instanceId} of ${name}`);
    return uuid;
  }

  private historyOf(tx: EntityWrites): HistoryWrites {
    return this.history.writes(tx.tenant, tx.transaction);
  }
}
