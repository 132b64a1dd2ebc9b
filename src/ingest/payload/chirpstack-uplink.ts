import { FieldReader, pathReader } from 'src/ingest/payload/attribute-mapping';
import { Decoded, isObject, jsonObject, utcDateTime } from 'src/ingest/payload/decoded';

/*
 * ChirpStack v4 uplink events, as its MQTT integration publishes them with `json = true` on
 * application/{applicationId}/device/{devEui}/event/up (protobuf integration.UplinkEvent in its
 * JSON form): deduplicationId, time, deviceInfo {tenantId, applicationId, devEui, deviceName, ...},
 * devAddr, fCnt, fPort, data (base64), object (what the device profile's codec decoded; absent
 * without a codec), rxInfo [{gatewayId, rssi, snr, ...}], txInfo.
 */

/** Mapping fields that read the radio metadata instead of the decoded object: the best gateway's value. */
export const RADIO_FIELDS = ['rxInfo.rssi', 'rxInfo.snr'] as const;

export interface ChirpStackUplink {
  readonly deduplicationId?: string;
  /** UTC ISO 8601 of the uplink, when the event has it. */
  readonly observedAt?: string;
  /** Reads mapping fields: paths into `object`, and `rxInfo.rssi` / `rxInfo.snr`. */
  readonly read: FieldReader;
}

/** The uplink on a topic naming `applicationId` and `devEui`; the event must agree with its topic. */
export function decodeChirpStackUplink(payload: Buffer, applicationId: string, devEui: string): Decoded<ChirpStackUplink> {
  const json = jsonObject(payload);
  if (!json.ok) return json;
  const event = json.value;
  const info = isObject(event.deviceInfo) ? event.deviceInfo : {};
  if (info.applicationId !== undefined && info.applicationId !== applicationId) {
    return { ok: false, reason: 'deviceInfo.applicationId differs from the applicationId of the topic' };
  }
  if (typeof info.devEui === 'string' && info.devEui.toLowerCase() !== devEui) return { ok: false, reason: 'deviceInfo.devEui differs from the devEui of the topic' };
  if (event.object === undefined || event.object === null) {
    return { ok: false, reason: 'the uplink has no decoded "object": give the device profile a codec in ChirpStack' };
  }
  if (!isObject(event.object)) return { ok: false, reason: 'the uplink\'s "object" is not a JSON object' };
  let observedAt: string | undefined;
  if (event.time !== undefined && event.time !== null) {
    observedAt = typeof event.time === 'string' ? utcDateTime(event.time) : undefined;
    if (observedAt === undefined) return { ok: false, reason: 'time must be an RFC 3339 date-time' };
  }
  const deduplicationId = typeof event.deduplicationId === 'string' ? event.deduplicationId : undefined;
  return { ok: true, value: { deduplicationId, observedAt, read: uplinkReader(event.object, event.rxInfo) } };
}

function uplinkReader(object: Record<string, unknown>, rxInfo: unknown): FieldReader {
  const fromObject = pathReader(object);
  return (field) => {
    if (field === 'rxInfo.rssi') return best(rxInfo, 'rssi');
    if (field === 'rxInfo.snr') return best(rxInfo, 'snr');
    return fromObject(field);
  };
}

/** The highest value of a member over the receiving gateways (the best reception), if any reported it. */
function best(rxInfo: unknown, member: 'rssi' | 'snr'): number | undefined {
  if (!Array.isArray(rxInfo)) return undefined;
  const values = rxInfo.flatMap((gateway: unknown) => (isObject(gateway) && typeof gateway[member] === 'number' && Number.isFinite(gateway[member]) ? [gateway[member]] : []));
  return values.length > 0 ? Math.max(...values) : undefined;
}
