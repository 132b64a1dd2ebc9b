import { Injectable } from '@nestjs/common';
import { IncomingHttpHeaders } from 'node:http';
import { AccessContext } from 'src/common/access/access-context';
import { BadRequestData, ResourceNotFound } from 'src/common/problem/ngsi-ld-errors';
import { ProblemError } from 'src/common/problem/problem-error';
import { canWrite } from 'src/governance/policy';
import { PolicyDecisionPoint } from 'src/governance/policy-decision-point';
import { Forbidden } from 'src/governance/problems';
import { DatasetAllowance } from 'src/ngsi-ld/entities/entities.repository';
import { EntityHead, EntityWrites, Placement } from 'src/ngsi-ld/entities/entity-writes';
import { AuditLog } from 'src/governance/audit/audit-log.service';
import { DatasetPolicyFacts } from 'src/governance/governance-snapshot';
import { EntityData } from 'src/ngsi-ld/representation/entity.model';
import { ModelConformance } from 'src/models/model-conformance';

/** The header that places new entities in a dataset of the caller's choice, overriding the dataset rules. */
export const DATASET_HEADER = 'vgds-dataset';
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** What one write may touch, decided once per request by the policy decision point. */
export interface WriteAllowance {
  /** Datasets whose entities the caller may change or delete. */
  readonly writable: DatasetAllowance;
  /** Datasets whose entities the caller may at least see: a change to one of those it may not write is 403, to others 404. */
  readonly visible: DatasetAllowance;
}

export interface Placed {
  readonly placed: EntityData[];
  readonly refused: Map<string, ProblemError>;
}

export function explicitDatasetOf(headers: IncomingHttpHeaders): string | undefined {
  const value = headers[DATASET_HEADER];
  if (value === undefined) return undefined;
  if (typeof value !== 'string' || !UUID.test(value.trim())) throw new BadRequestData('VGDS-Dataset must be one dataset id (a UUID)');
  return value.trim().toLowerCase();
}

/**
 * Decides, for every write, which dataset each entity lands in and whether the caller may write
 * it there: the write side of the policy decision point, applied inside the write transaction.
 */
@Injectable()
export class EntityPlacement {
  constructor(
    private readonly policy: PolicyDecisionPoint,
    private readonly audit: AuditLog,
    private readonly conformance: ModelConformance,
  ) {}

  /** Refuses callers who may write nothing (401 anonymous, 403 others); else what they may touch. */
  allowance(access: AccessContext): WriteAllowance {
    this.policy.assertMayWrite(access);
    const writable = this.policy.writable(access);
    return { writable, visible: [...new Set([...writable, ...this.policy.readable(access).datasets])] };
  }

  /** The entity, locked for a change: 404 when the caller cannot see it, 403 when it sees but may not write it. */
  async lockWritable(access: AccessContext, allowance: WriteAllowance, tx: EntityWrites, id: string): Promise<EntityData> {
    const entity = (await tx.lock([id], allowance.visible)).get(id);
    if (!entity) throw new ResourceNotFound(`No entity ${id}`);
    this.assertWritable(access, allowance, entity);
    return entity;
  }

  /** 403 unless the entity's dataset is one the caller may write. */
  assertWritable(access: AccessContext, allowance: WriteAllowance, entity: EntityHead): void {
    if (!allowance.writable.includes(entity.datasetId!)) throw notWritable(access, entity);
  }

  /** New entities: into the explicit dataset, or where the caller's organisation's rules put them. */
  async placeNew(access: AccessContext, tx: EntityWrites, entities: readonly EntityData[], explicitDataset?: string): Promise<Placed> {
    const refused = new Map<string, ProblemError>();
    if (explicitDataset !== undefined) {
      const dataset = access.governance.datasets.get(explicitDataset);
      if (!dataset || dataset.retired || !canWrite(access.principal, dataset)) {
        throw new Forbidden(`Dataset ${explicitDataset} does not exist, is retired, or you may not write into it`);
      }
      return this.conforming(access, { placed: entities.map((e) => ({ ...e, datasetId: dataset.id })), refused });
    }
    const organisation = access.principal.organisation;
    if (organisation === undefined || !this.policy.mayWriteNewEntities(access)) {
      return { placed: [], refused: new Map(entities.map((e) => [e.id, new Forbidden('You may not create entities')])) };
    }
    if (entities.length === 0) return { placed: [], refused };
    const placements = await this.place(access, tx, organisation, entities);
    const placed: EntityData[] = [];
    for (const entity of entities) {
      const placement = placements.get(entity.id)!;
      if (canWrite(access.principal, { id: placement.datasetId, organisation: placement.organisation })) {
        placed.push({ ...entity, datasetId: placement.datasetId });
      } else {
        refused.set(entity.id, new Forbidden(this.cannotPlace(access, entity.id, placement.datasetId), organisation));
      }
    }
    return this.conforming(access, { placed, refused });
  }

  /** New entities placed in a dataset that declares a data model must conform to it; the others are refused (400). */
  private conforming(access: AccessContext, { placed, refused }: Placed): Placed {
    const conforming = placed.filter((entity) => {
      const refusal = this.conformance.refuseNew(access.governance.datasets, entity.datasetId, entity);
      if (refusal) refused.set(entity.id, refusal);
      return !refusal;
    });
    return { placed: conforming, refused };
  }

  /** Places entities by their organisation's rules, auditing the default dataset if that created it. */
  private async place(access: AccessContext, tx: EntityWrites, organisation: string, entities: readonly EntityData[]): Promise<Map<string, Placement>> {
    const { byEntity, createdDefault } = await tx.place(organisation, entities);
    if (createdDefault) await this.audit.recordDefaultDataset(tx.transaction, access.principal, organisation, createdDefault);
    return byEntity;
  }

  private cannotPlace(access: AccessContext, entityId: string, datasetId: string): string {
    const where = describePlacement(access.governance.datasets.get(datasetId), datasetId);
    return `Entity ${entityId} belongs in ${where}, which you may not write: add a rule for it to a dataset you may write, or name one in VGDS-Dataset`;
  }

  /**
   * New states of existing entities: refused unless their dataset is writable; an entity whose
   * types changed (and that was not placed explicitly) is placed again by its organisation's rules.
   */
  async placeChanged(access: AccessContext, tx: EntityWrites, changes: readonly { current: EntityHead; next: EntityData }[]): Promise<Placed> {
    const refused = new Map<string, ProblemError>();
    const writable = new Set(this.policy.writable(access));
    const allowed = changes.filter(({ current }) => {
      if (writable.has(current.datasetId!)) return true;
      refused.set(current.id, notWritable(access, current));
      return false;
    });
    const moved = allowed.filter(({ current, next }) => !sameTypes(current.types, next.types));
    const byOrganisation = new Map<string, EntityData[]>();
    for (const { current, next } of moved) {
      const organisation = access.governance.datasets.get(current.datasetId!)!.organisation;
      byOrganisation.set(organisation, [...(byOrganisation.get(organisation) ?? []), next]);
    }
    const placements = new Map<string, { datasetId: string; organisation: string }>();
    for (const [organisation, entities] of byOrganisation) {
      for (const [id, placement] of await this.place(access, tx, organisation, entities)) placements.set(id, placement);
    }
    const placed: EntityData[] = [];
    for (const { current, next } of allowed) {
      const placement = placements.get(current.id);
      // Entities placed explicitly keep their dataset; `place` only matters for rule-placed ones (checked in SQL by `update`).
      if (placement && !canWrite(access.principal, { id: placement.datasetId, organisation: placement.organisation })) {
        refused.set(current.id, new Forbidden(`With these types entity ${current.id} would move to dataset ${placement.datasetId}, which you may not write`));
        continue;
      }
      const datasetId = placement?.datasetId ?? current.datasetId;
      const refusal = this.conformanceOfChange(access, current, { ...next, datasetId });
      if (refusal) {
        refused.set(current.id, refusal);
        continue;
      }
      placed.push({ ...next, datasetId });
    }
    return { placed, refused };
  }

  /**
   * A change into a dataset with a data model: the attributes it wrote must conform. A whole
   * replacement (the current state not read) or a move into another dataset is checked as a new entity.
   */
  private conformanceOfChange(access: AccessContext, current: EntityHead | EntityData, next: EntityData): ProblemError | undefined {
    const datasets = access.governance.datasets;
    if (!('attributes' in current) || current.datasetId !== next.datasetId) return this.conformance.refuseNew(datasets, next.datasetId, next);
    return this.conformance.refuseChange(datasets, next.datasetId, current, next);
  }
}

/** The refusal of a change to an entity in a dataset the caller may not write, filed for the dataset's organisation. */
function notWritable(access: AccessContext, entity: EntityHead): Forbidden {
  const owner = access.governance.datasets.get(entity.datasetId!)?.organisation;
  return new Forbidden(`Entity ${entity.id} is in dataset ${entity.datasetId}, which you may not write`, owner);
}

/** Says why an entity cannot go where the rules put it, and what would help. */
function describePlacement(dataset: DatasetPolicyFacts | undefined, datasetId: string): string {
  if (!dataset || dataset.isDefault) return `its organisation's default dataset ${datasetId} (no dataset rule claims it)`;
  return `dataset ${datasetId}`;
}

function sameTypes(a: readonly string[], b: readonly string[]): boolean {
  return a.length === b.length && a.every((type) => b.includes(type));
}
