import { chirpstackTopic, plainTopic } from 'src/ingest/mqtt/ingest-topics';
import { DeviceStatusRecord } from 'src/ingest/devices/device-status.repository';
import { DeviceRecord } from 'src/ingest/devices/devices.repository';

/** Where the view links to and what topics it names. */
export interface DeviceViewSettings {
  readonly baseUrl: string;
  readonly topicPrefix: string;
}

/**
 * The device resource as `/api/v1/devices` shows it: names compacted with the device's
 * @context (`compact`), the topic it publishes on, RFC 3339 UTC times, never its key.
 */
export function toDeviceView(record: DeviceRecord, compact: (iri: string) => string, settings: DeviceViewSettings): Record<string, unknown> {
  return {
    id: record.id,
    href: `${settings.baseUrl}/api/v1/devices/${record.id}`,
    deviceId: record.deviceId,
    organisation: record.organisation,
    tenant: record.tenant,
    entity: { id: record.entityId, type: compact(record.entityType) },
    dataset: record.datasetId,
    ...(record.jsonldContext ? { jsonldContext: record.jsonldContext } : {}),
    mapping: record.mapping.map((rule) => ({ ...rule, attribute: compact(rule.attribute) })),
    ...(record.chirpstack ? { chirpstack: record.chirpstack } : {}),
    topics: [
      plainTopic(settings.topicPrefix, record.organisation, record.deviceId),
      ...(record.chirpstack ? [chirpstackTopic(record.chirpstack.applicationId, record.chirpstack.devEui)] : []),
    ],
    keyIssuedAt: record.keyIssuedAt.toISOString(),
    created: record.createdAt.toISOString(),
    modified: record.modifiedAt.toISOString(),
  };
}

export function toDeviceStatusView(record: DeviceRecord, status: DeviceStatusRecord | undefined): Record<string, unknown> {
  return {
    id: record.id,
    deviceId: record.deviceId,
    ...(status?.lastSeen ? { lastSeen: status.lastSeen.toISOString() } : {}),
    accepted: status?.accepted ?? 0,
    rejected: status?.rejected ?? 0,
    ...(status?.lastErrorAt ? { lastError: { at: status.lastErrorAt.toISOString(), reason: status.lastErrorReason } } : {}),
  };
}
