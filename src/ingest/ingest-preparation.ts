import { deviceKeyMatches } from 'src/ingest/devices/device-key';
import { DeviceStatusDelta } from 'src/ingest/devices/device-status.repository';
import { IngestDeviceRecord } from 'src/ingest/devices/devices.repository';
import { Measurement } from 'src/ingest/measurement';
import { DeviceAddress } from 'src/ingest/mqtt/ingest-topics';
import { FieldReader, mapFields, pathReader } from 'src/ingest/payload/attribute-mapping';
import { decodeChirpStackUplink } from 'src/ingest/payload/chirpstack-uplink';
import { Decoded } from 'src/ingest/payload/decoded';
import { decodePlainPayload } from 'src/ingest/payload/plain-payload';

/** The MQTT v5 user property a plain JSON message may carry its device key in. */
export const DEVICE_KEY_PROPERTY = 'vgds-device-key';

/** One message as it came off the broker. */
export interface ReceivedMessage {
  readonly topic: string;
  readonly payload: Buffer;
  /** The `vgds-device-key` user property (MQTT 5), when present. */
  readonly deviceKey?: string;
  readonly receivedAt: Date;
}

/** A message turned into a measurement of its device, or refused (with the device, when it is known). */
export type Prepared =
  | { readonly ok: true; readonly device: IngestDeviceRecord; readonly measurement: Measurement }
  | { readonly ok: false; readonly device?: IngestDeviceRecord; readonly reason: string };

/** The key to find a message's device by in the devices a batch looked up. */
export function deviceLookupKey(address: DeviceAddress): string {
  return address.kind === 'plain' ? `plain ${address.organisation}/${address.deviceId}` : `chirpstack ${address.devEui}`;
}

/**
 * Checks, decodes and maps one message. Plain JSON must prove the device with its key; a
 * ChirpStack uplink is trusted by its topic (only the ChirpStack integration may publish under
 * application/#), but only for devices registered under the application the topic names.
 */
export function prepareMessage(message: ReceivedMessage, address: DeviceAddress, device: IngestDeviceRecord | undefined): Prepared {
  if (address.kind === 'plain') {
    if (!device) return { ok: false, reason: `no device ${address.deviceId} in organisation ${address.organisation}` };
    const decoded = decodePlainPayload(message.payload);
    if (!decoded.ok) return { ok: false, device, reason: decoded.reason };
    const keys = [message.deviceKey, decoded.value.deviceKey].filter((key): key is string => key !== undefined);
    if (keys.length === 0) return { ok: false, device, reason: `no device key (MQTT user property ${DEVICE_KEY_PROPERTY}, or member deviceKey)` };
    if (!keys.every((key) => deviceKeyMatches(key, device.id, device.keyHash))) return { ok: false, device, reason: 'wrong device key' };
    return measure(device, message, { ok: true, value: { read: pathReader(decoded.value.fields), observedAt: decoded.value.observedAt } });
  }
  if (!device) return { ok: false, reason: `no device with DevEUI ${address.devEui}` };
  if (device.chirpstack?.applicationId !== address.applicationId) {
    return { ok: false, device, reason: `the device is not registered under ChirpStack application ${address.applicationId}` };
  }
  return measure(device, message, decodeChirpStackUplink(message.payload, address.applicationId, address.devEui));
}

function measure(device: IngestDeviceRecord, message: ReceivedMessage, decoded: Decoded<{ read: FieldReader; observedAt?: string }>): Prepared {
  if (!decoded.ok) return { ok: false, device, reason: decoded.reason };
  const mapped = mapFields(decoded.value.read, device.mapping);
  if (!mapped.ok) return { ok: false, device, reason: mapped.reason };
  const measurement: Measurement = {
    device: {
      id: device.id,
      organisation: device.organisation,
      tenant: device.tenant,
      datasetId: device.datasetId,
      entityId: device.entityId,
      entityType: device.entityType,
    },
    observedAt: decoded.value.observedAt ?? message.receivedAt.toISOString(),
    attributes: mapped.attributes,
  };
  return { ok: true, device, measurement };
}

/** What happened to one message of a batch, for its device's status. */
export interface MessageResult {
  readonly deviceId: string;
  readonly receivedAt: Date;
  readonly rejection?: string;
}

/** One status change per device for a whole batch: counts added, the latest sighting and error. */
export function statusDeltas(results: readonly MessageResult[]): DeviceStatusDelta[] {
  const byDevice = new Map<string, { accepted: number; rejected: number; lastSeen: string | null; lastError: { at: string; reason: string } | null }>();
  for (const result of results) {
    const delta = byDevice.get(result.deviceId) ?? { accepted: 0, rejected: 0, lastSeen: null, lastError: null };
    const at = result.receivedAt.toISOString();
    if (result.rejection === undefined) {
      delta.accepted++;
      if (delta.lastSeen === null || at >= delta.lastSeen) delta.lastSeen = at;
    } else {
      delta.rejected++;
      if (delta.lastError === null || at >= delta.lastError.at) delta.lastError = { at, reason: result.rejection };
    }
    byDevice.set(result.deviceId, delta);
  }
  return [...byDevice].map(([deviceId, delta]) => ({ deviceId, ...delta }));
}
