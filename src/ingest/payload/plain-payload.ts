import { Decoded, jsonObject, utcDateTime } from 'src/ingest/payload/decoded';

/** A plain JSON key-value message: `{"temperature": 12.5, "observedAt": "...", "deviceKey": "..."}`. */
export interface PlainPayload {
  /** The members to map (without `observedAt` and `deviceKey`). */
  readonly fields: Record<string, unknown>;
  /** UTC ISO 8601, when the payload says when it observed. */
  readonly observedAt?: string;
  readonly deviceKey?: string;
}

export function decodePlainPayload(payload: Buffer): Decoded<PlainPayload> {
  const json = jsonObject(payload);
  if (!json.ok) return json;
  const { observedAt, deviceKey, ...fields } = json.value;
  if (deviceKey !== undefined && typeof deviceKey !== 'string') return { ok: false, reason: 'deviceKey must be a string' };
  if (observedAt === undefined) return { ok: true, value: { fields, deviceKey } };
  const time = typeof observedAt === 'string' ? utcDateTime(observedAt) : undefined;
  if (time === undefined) return { ok: false, reason: 'observedAt must be an ISO 8601 date-time with a time zone, like 2026-11-24T10:00:00Z' };
  return { ok: true, value: { fields, observedAt: time, deviceKey } };
}
