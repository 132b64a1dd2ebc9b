import { Injectable } from '@nestjs/common';
import { Principal } from 'src/auth/principal';
import { GovernanceSnapshot } from 'src/governance/governance-snapshot';
import { GovernanceState } from 'src/governance/governance-state';
import { canWrite } from 'src/governance/policy';
import { EntitiesRepository } from 'src/ngsi-ld/entities/entities.repository';
import { EntityWrites } from 'src/ngsi-ld/entities/entity-writes';
import { TemporalInstance } from 'src/ngsi-ld/representation/entity-expander';
import { EntityData } from 'src/ngsi-ld/representation/entity.model';
import { advanceCurrentState } from 'src/ngsi-ld/temporal/current-state';
import { HistoryRepository } from 'src/ngsi-ld/temporal/history.repository';
import { IngestingDevice, Measurement, MeasurementOutcome } from 'src/ingest/measurement';
import { ModelConformance } from 'src/models/model-conformance';

/** What one entity of a batch receives: its instances, and the indexes of the measurements they came from. */
interface EntityDelivery {
  readonly device: IngestingDevice;
  readonly instances: TemporalInstance[];
  readonly measurements: number[];
}

/**
 * Writes device measurements through the same write path as HTTP: one transaction per tenant per
 * batch, the same entity locks, write rights decided by the policy rules for the device acting as
 * a principal scoped to its one dataset, and history in the same transaction. Each value becomes
 * an instance of its attribute's history; the current state takes the newest value (a delayed
 * message fills in history without turning the current value back).
 */
@Injectable()
export class IngestWriter {
  constructor(
    private readonly entities: EntitiesRepository,
    private readonly history: HistoryRepository,
    private readonly governance: GovernanceState,
    private readonly conformance: ModelConformance,
  ) {}

  /** Outcomes in the order of `batch`. Throws only when the database fails: then nothing of the batch was stored. */
  async write(batch: readonly Measurement[]): Promise<MeasurementOutcome[]> {
    const outcomes: MeasurementOutcome[] = batch.map(() => ({ accepted: true }));
    const snapshot = await this.governance.current();
    const byTenant = new Map<string, number[]>();
    batch.forEach((measurement, index) => {
      const refusal = this.refusal(measurement.device, snapshot) ?? this.nonConformance(measurement, snapshot);
      if (refusal) outcomes[index] = { accepted: false, reason: refusal };
      else byTenant.set(measurement.device.tenant, [...(byTenant.get(measurement.device.tenant) ?? []), index]);
    });
    for (const [tenant, indexes] of byTenant) {
      await this.entities.write(tenant, (tx) => this.writeTenant(tx, batch, indexes, outcomes));
    }
    return outcomes;
  }

  /** Why the device may not write at all (its dataset gone, retired, or not its organisation's to write), else undefined. */
  private refusal(device: IngestingDevice, snapshot: GovernanceSnapshot): string | undefined {
    const dataset = snapshot.datasets.get(device.datasetId);
    if (!dataset) return `Dataset ${device.datasetId} no longer exists`;
    if (dataset.retired) return `Dataset ${device.datasetId} is retired`;
    if (!canWrite(devicePrincipal(device), dataset)) return `The device's organisation may not write dataset ${device.datasetId}`;
    return undefined;
  }

  /** Why the measurement's values violate the data model of the device's dataset (if it declares one), else undefined. */
  private nonConformance({ device, attributes }: Measurement, snapshot: GovernanceSnapshot): string | undefined {
    const written = Object.fromEntries([...attributes].map(([iri, measured]) => [iri, [{ type: 'Property', value: measured.value }]]));
    const violation = this.conformance.violationOf(snapshot.datasets, device.datasetId, { id: device.entityId, types: [device.entityType], attributes: written });
    return violation && `Entity ${device.entityId} ${violation}`;
  }

  private async writeTenant(tx: EntityWrites, batch: readonly Measurement[], indexes: readonly number[], outcomes: MeasurementOutcome[]): Promise<void> {
    const now = new Date();
    const deliveries = deliveriesOf(batch, indexes, now.toISOString(), outcomes);
    const datasets = [...new Set(indexes.map((i) => batch[i].device.datasetId))];
    const existing = await tx.lock([...deliveries.keys()], datasets);
    const written = new Set<string>();
    const updates: EntityData[] = [];
    const fresh: EntityData[] = [];
    for (const [id, delivery] of deliveries) {
      const current = existing.get(id);
      if (current && current.datasetId !== delivery.device.datasetId) {
        refuse(outcomes, delivery.measurements, `Entity ${id} belongs to another dataset than the device's`);
        continue;
      }
      const base: EntityData = current ?? { id, types: [delivery.device.entityType], scopes: null, attributes: {}, datasetId: delivery.device.datasetId };
      const next = advanceCurrentState(base, delivery.instances, now.toISOString());
      if (current) written.add(id);
      if (current && next) updates.push(next);
      if (!current) fresh.push(next ?? base);
    }
    // An entity that exists in a dataset the device cannot see is not inserted (ON CONFLICT DO NOTHING).
    const inserted = await tx.insert(fresh, now, true, 'none');
    for (const { id } of fresh) {
      if (inserted.has(id)) written.add(id);
      else refuse(outcomes, deliveries.get(id)!.measurements, `Entity ${id} belongs to another dataset than the device's`);
    }
    await tx.update(updates, now, 'none');
    await this.history.writes(tx.tenant, tx.transaction).append(
      [...written].flatMap((id) => {
        const delivery = deliveries.get(id)!;
        return delivery.instances.map((i) => ({ entityId: id, attribute: i.attribute, datasetId: delivery.device.datasetId, instance: i.instance }));
      }),
      now,
    );
  }
}

/** The device as a principal: its organisation's writer, scoped to its one dataset, never a reader. */
export function devicePrincipal(device: IngestingDevice): Principal {
  return {
    kind: 'api-key',
    subject: `device:${device.id}`,
    organisation: device.organisation,
    roles: new Set(['writer']),
    mfa: false,
    apiKey: { keyId: `device:${device.id}`, canRead: false, canWrite: true, datasets: new Set([device.datasetId]) },
  };
}

/**
 * The measurements of a tenant grouped by target entity, each value an instance of its attribute.
 * Devices of different datasets aiming at one entity in one batch: the first one's dataset holds,
 * the others are refused (their entity is not in their dataset).
 */
function deliveriesOf(batch: readonly Measurement[], indexes: readonly number[], now: string, outcomes: MeasurementOutcome[]): Map<string, EntityDelivery> {
  const deliveries = new Map<string, EntityDelivery>();
  for (const index of indexes) {
    const { device, observedAt, attributes } = batch[index];
    const delivery = deliveries.get(device.entityId) ?? { device, instances: [], measurements: [] };
    if (delivery.device.datasetId !== device.datasetId) {
      refuse(outcomes, [index], `Entity ${device.entityId} belongs to another dataset than the device's`);
      continue;
    }
    deliveries.set(device.entityId, delivery);
    delivery.measurements.push(index);
    for (const [attribute, measured] of attributes) {
      const instance = { type: 'Property' as const, value: measured.value, observedAt, createdAt: now, modifiedAt: now, ...(measured.unitCode ? { unitCode: measured.unitCode } : {}) };
      delivery.instances.push({ attribute, instance });
    }
  }
  return deliveries;
}

function refuse(outcomes: MeasurementOutcome[], measurements: readonly number[], reason: string): void {
  for (const index of measurements) outcomes[index] = { accepted: false, reason };
}
