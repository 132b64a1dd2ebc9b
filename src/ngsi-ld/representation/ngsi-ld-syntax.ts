/** Checks of the NGSI-LD data types that are plain strings on the wire. */

const URI = /^[A-Za-z][A-Za-z0-9+.-]*:[^\s<>"{}|\\^`]+$/;
const DATE_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{1,9})?(Z|[+-]\d{2}:\d{2})$/;
const FORBIDDEN_NAME_CHARACTERS = /[\s<>"'=;()\\]/;
const LANGUAGE_TAG = /^([A-Za-z]{1,8}(-[A-Za-z0-9]{1,8})*|@none)$/;
export const MAX_URI_LENGTH = 2048;

/** An absolute URI (RFC 3986), as NGSI-LD requires for entity ids, relationship targets, dataset ids. */
export function isUri(value: unknown): value is string {
  return typeof value === 'string' && value.length <= MAX_URI_LENGTH && URI.test(value);
}

/** An ISO 8601 date-time with a time zone, which is what NGSI-LD's DateTime is; no 30 February. */
export function isDateTime(value: unknown): value is string {
  if (typeof value !== 'string' || !DATE_TIME.test(value)) return false;
  const [year, month, day, hour, minute, second] = value.split(/[-T:.Z+]/).map(Number);
  const date = new Date(Date.UTC(year, month - 1, day, hour, minute, second));
  return (
    date.getUTCFullYear() === year &&
    date.getUTCMonth() === month - 1 &&
    date.getUTCDate() === day &&
    date.getUTCHours() === hour &&
    date.getUTCMinutes() === minute
  );
}

/** A value for an error message: quoted, and cut short when long. */
export function shown(value: unknown): string {
  const text = typeof value === 'string' ? `"${value}"` : JSON.stringify(value) ?? String(value);
  return text.length > 80 ? `${text.slice(0, 77)}...` : text;
}

/** An attribute or type name as NGSI-LD allows it (clause 4.6.2: no whitespace or `<>"'=;()`). */
export function isValidName(value: string): boolean {
  return value.length > 0 && value.length <= MAX_URI_LENGTH && !FORBIDDEN_NAME_CHARACTERS.test(value);
}

export function isLanguageTag(value: string): boolean {
  return LANGUAGE_TAG.test(value);
}
