import { Injectable } from '@nestjs/common';
import stableStringify from 'fast-json-stable-stringify';
import { randomUUID } from 'node:crypto';
import { z } from 'zod';
import { AccessContext } from 'src/common/access/access-context';
import { parseBody } from 'src/common/http/parse-body';
import { BadRequestData, ResourceNotFound } from 'src/common/problem/ngsi-ld-errors';
import { Sql } from 'src/database/sql';
import { AuditLog } from 'src/governance/audit/audit-log.service';
import { canWrite, isPlatformAdmin } from 'src/governance/policy';
import { PolicyDecisionPoint } from 'src/governance/policy-decision-point';
import { Forbidden } from 'src/governance/problems';
import { issueDeviceKey } from 'src/ingest/devices/device-key';
import { DeviceNames } from 'src/ingest/devices/device-names.service';
import { toDeviceStatusView } from 'src/ingest/devices/device.mapper';
import { DeviceChange, deviceChangeSchema, NewDevice, newDeviceSchema } from 'src/ingest/devices/device.schema';
import { DeviceStatusRepository } from 'src/ingest/devices/device-status.repository';
import { DeviceContent, DeviceRecord, DevicesRepository } from 'src/ingest/devices/devices.repository';

export interface DeviceList {
  readonly devices: Record<string, unknown>[];
  readonly total: number;
}

type DeviceInput = Omit<NewDevice, 'organisation'>;

/**
 * The device registry. Devices belong to an organisation: its members (and platform admins) see
 * them; whoever may write into a device's dataset creates, changes and deletes it, since the
 * device then writes there on its own. Every change is audited with it, in one transaction.
 */
@Injectable()
export class DevicesService {
  constructor(
    private readonly repository: DevicesRepository,
    private readonly statuses: DeviceStatusRepository,
    private readonly sql: Sql,
    private readonly names: DeviceNames,
    private readonly policy: PolicyDecisionPoint,
    private readonly audit: AuditLog,
  ) {}

  /** A new device, with its key: shown in this answer only. */
  async create(access: AccessContext, body: unknown): Promise<Record<string, unknown>> {
    this.policy.assertAuthenticated(access);
    const request = parseBody(newDeviceSchema, body);
    const organisation = request.organisation ?? access.principal.organisation;
    if (organisation === undefined) throw new BadRequestData('Name the organisation the device belongs to (organisation)');
    this.assertMayWriteInto(access, request.dataset, organisation);
    const content = await this.contentOf(request);
    const id = randomUUID();
    const { key, keyHash } = issueDeviceKey(id);
    await this.sql.transaction(async (tx) => {
      await this.repository.insert(tx, { id, organisation, keyHash, createdBy: access.principal.subject }, content);
      await this.audit.recordIn(tx, access.principal, {
        event: 'device.created',
        target: id,
        organisation,
        details: { deviceId: content.deviceId, dataset: content.datasetId, entity: content.entityId, devEui: content.chirpstack?.devEui ?? null },
      });
    });
    return { ...(await this.names.view((await this.repository.findById(id))!)), key };
  }

  async list(access: AccessContext, query: { organisation?: string; limit: number; offset: number }): Promise<DeviceList> {
    this.policy.assertAuthenticated(access);
    const { devices, total } = await this.repository.list({ organisations: this.listable(access, query.organisation), limit: query.limit, offset: query.offset });
    return { devices: await Promise.all(devices.map((d) => this.names.view(d))), total };
  }

  async get(access: AccessContext, id: string): Promise<Record<string, unknown>> {
    return this.names.view(await this.findVisible(access, id));
  }

  async update(access: AccessContext, id: string, body: unknown): Promise<Record<string, unknown>> {
    this.assertMayChange(access, await this.findVisible(access, id));
    const change = parseBody(deviceChangeSchema, body);
    await this.sql.transaction(async (tx) => {
      const current = await this.repository.lock(tx, id);
      if (!current) throw new ResourceNotFound(`No device ${id}`);
      this.assertMayChange(access, current);
      if (change.dataset !== undefined && change.dataset !== current.datasetId) this.assertMayWriteInto(access, change.dataset, current.organisation);
      const next = await this.contentOf(merged(current, change));
      await this.repository.update(tx, id, next);
      const changed = (Object.keys(next) as (keyof DeviceContent)[]).filter((k) => stableStringify(next[k]) !== stableStringify(current[k]));
      if (changed.length > 0) {
        await this.audit.recordIn(tx, access.principal, { event: 'device.updated', target: id, organisation: current.organisation, details: { changed } });
      }
    });
    return this.names.view((await this.repository.findById(id))!);
  }

  async delete(access: AccessContext, id: string): Promise<void> {
    await this.findVisible(access, id);
    await this.sql.transaction(async (tx) => {
      const current = await this.repository.lock(tx, id);
      if (!current) return;
      this.assertMayChange(access, current);
      await this.repository.delete(tx, id);
      await this.audit.recordIn(tx, access.principal, { event: 'device.deleted', target: id, organisation: current.organisation, details: { deviceId: current.deviceId } });
    });
  }

  /** A new key for the device; the old one stops working with the next batch. */
  async rotateKey(access: AccessContext, id: string): Promise<Record<string, unknown>> {
    await this.findVisible(access, id);
    const { key, keyHash } = issueDeviceKey(id);
    await this.sql.transaction(async (tx) => {
      const current = await this.repository.lock(tx, id);
      if (!current) throw new ResourceNotFound(`No device ${id}`);
      this.assertMayChange(access, current);
      await this.repository.replaceKey(tx, id, keyHash);
      await this.audit.recordIn(tx, access.principal, { event: 'device.key-rotated', target: id, organisation: current.organisation, details: { deviceId: current.deviceId } });
    });
    return { ...(await this.names.view((await this.repository.findById(id))!)), key };
  }

  /** What ingestion saw of the device: for its own organisation only. */
  async status(access: AccessContext, id: string): Promise<Record<string, unknown>> {
    const device = await this.findVisible(access, id);
    if (access.principal.organisation !== device.organisation) throw new ResourceNotFound(`No device ${id}`);
    return toDeviceStatusView(device, await this.statuses.find(id));
  }

  /** The organisations whose devices a list shows (undefined: all): the caller's own, or any for platform admins. */
  private listable(access: AccessContext, asked: string | undefined): string[] | undefined {
    if (isPlatformAdmin(access.principal)) return asked === undefined ? undefined : [asked];
    const own = access.principal.organisation;
    return own !== undefined && (asked === undefined || asked === own) ? [own] : [];
  }

  /** A device the caller may know of: its organisation's members and platform admins; others get 404. */
  private async findVisible(access: AccessContext, id: string): Promise<DeviceRecord> {
    this.policy.assertAuthenticated(access);
    const record = z.uuid().safeParse(id).success ? await this.repository.findById(id) : undefined;
    if (!record || !this.policy.isMemberOf(access, record.organisation)) throw new ResourceNotFound(`No device ${id}`);
    return record;
  }

  /** Changing a device is writing into its dataset by other means: the same right. */
  private assertMayChange(access: AccessContext, device: DeviceRecord): void {
    if (!canWrite(access.principal, { id: device.datasetId, organisation: device.organisation })) {
      throw new Forbidden(`You may not change devices that write into dataset ${device.datasetId}`, device.organisation);
    }
  }

  /** The dataset a device is to write into: one of its organisation's, active, that the caller may write. */
  private assertMayWriteInto(access: AccessContext, datasetId: string, organisation: string): void {
    const dataset = access.governance.datasets.get(datasetId);
    if (!dataset || !this.policy.visibleDatasets(access).includes(datasetId)) throw new BadRequestData(`No dataset ${datasetId}`);
    if (dataset.organisation !== organisation) throw new BadRequestData(`Dataset ${datasetId} belongs to ${dataset.organisation}, not to the device's organisation ${organisation}`);
    if (dataset.retired) throw new BadRequestData(`Dataset ${datasetId} is retired: it takes no new data`);
    if (!canWrite(access.principal, dataset)) throw new Forbidden(`You may not write into dataset ${datasetId}, so you may not connect devices to it`, organisation);
  }

  private async contentOf(input: DeviceInput): Promise<DeviceContent> {
    const jsonldContext = input.jsonldContext ?? null;
    const { entityType, mapping } = await this.names.expand({ entityType: input.entity.type, mapping: input.mapping, jsonldContext });
    return {
      deviceId: input.deviceId,
      tenant: input.tenant,
      entityId: input.entity.id,
      entityType,
      datasetId: input.dataset,
      jsonldContext,
      mapping,
      chirpstack: input.chirpstack ?? null,
    };
  }
}

/** The current device with a change applied, as a new-device request (stored IRIs expand to themselves). */
function merged(current: DeviceRecord, change: DeviceChange): DeviceInput {
  return {
    deviceId: change.deviceId ?? current.deviceId,
    tenant: change.tenant ?? current.tenant,
    entity: change.entity ?? { id: current.entityId, type: current.entityType },
    dataset: change.dataset ?? current.datasetId,
    jsonldContext: change.jsonldContext === undefined ? (current.jsonldContext ?? undefined) : (change.jsonldContext ?? undefined),
    mapping: change.mapping ?? current.mapping,
    chirpstack: change.chirpstack === undefined ? (current.chirpstack ?? undefined) : (change.chirpstack ?? undefined),
  };
}
