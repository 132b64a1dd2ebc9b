import { isDateTime } from 'src/ngsi-ld/representation/ngsi-ld-syntax';

/** A payload read, or the reason it cannot be used (reported in the device's status). */
export type Decoded<T> = { readonly ok: true; readonly value: T } | { readonly ok: false; readonly reason: string };

/** Largest payload read; sensor readings are a few hundred bytes, ChirpStack events a few kilobytes. */
export const MAX_PAYLOAD_BYTES = 256 * 1024;

/**
 * An ISO 8601 date-time with a time zone (what NGSI-LD calls a DateTime; no 30 February), as UTC
 * ISO 8601 with milliseconds, or undefined when it is not one.
 */
export function utcDateTime(text: string): string | undefined {
  return isDateTime(text) ? new Date(Date.parse(text)).toISOString() : undefined;
}

/** The payload as a JSON object, or why not. */
export function jsonObject(payload: Buffer): Decoded<Record<string, unknown>> {
  if (payload.length > MAX_PAYLOAD_BYTES) return { ok: false, reason: `the payload is larger than ${MAX_PAYLOAD_BYTES} bytes` };
  let parsed: unknown;
  try {
    parsed = JSON.parse(payload.toString('utf8'));
  } catch {
    return { ok: false, reason: 'the payload is not JSON' };
  }
  if (!isObject(parsed)) return { ok: false, reason: 'the payload is not a JSON object' };
  return { ok: true, value: parsed };
}

export function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
