/** Checks of the NGSI-LD data types that are plain strings on the wire. */

/** An absolute URI or IRI: a scheme, then no blanks or characters RFC 3987 excludes. */
export const URI = /^[A-Za-z][A-Za-z0-9+.-]*:[^\s<>"{}|\\^`]+$/;
const DATE_TIME = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2}):(\d{2})(?:\.(\d{1,9}))?(?:Z|([+-])(\d{2}):(\d{2}))$/;
/** PostgreSQL's timestamptz takes time zones up to ±15:59; real ones reach ±14:00. */
const MAX_ZONE_HOURS = 15;
const FORBIDDEN_NAME_CHARACTERS = /[\s<>"'=;()\\]/;
const LANGUAGE_TAG = /^([A-Za-z]{1,8}(-[A-Za-z0-9]{1,8})*|@none)$/;
export const MAX_URI_LENGTH = 2048;
/**
 * The longest attribute IRI stored. History is indexed by tenant, entity id (up to 2048 characters)
 * and attribute together, and a B-tree entry holds at most 2704 bytes.
 */
export const MAX_ATTRIBUTE_IRI_LENGTH = 512;

/** An absolute URI (RFC 3986), as NGSI-LD requires for entity ids, relationship targets, dataset ids. */
export function isUri(value: unknown): value is string {
  return typeof value === 'string' && value.length <= MAX_URI_LENGTH && URI.test(value);
}

/** An ISO 8601 date-time with a time zone, which is what NGSI-LD's DateTime is; no 30 February. */
export function isDateTime(value: unknown): value is string {
  return utcInstantOf(value) !== undefined;
}

/**
 * The instant an RFC 3339 date-time names, in UTC (`2026-03-01T00:00:00.000Z`, with microseconds
 * when it has them: Date would drop them); undefined for anything that is not one. Only days that
 * exist, hours 00–23 (no 24:00, no leap second), zones up to ±15:59, and instants from year 1 to
 * 9999 in UTC: what PostgreSQL stores and what reads back as the same text, so that a date-time
 * accepted here never fails in the database.
 */
export function utcInstantOf(value: unknown): string | undefined {
  const parts = typeof value === 'string' ? DATE_TIME.exec(value) : null;
  if (!parts) return undefined;
  const [year, month, day, hour, minute, second] = parts.slice(1, 7).map(Number);
  if (month < 1 || month > 12 || day < 1 || day > daysInMonth(year, month) || hour > 23 || minute > 59 || second > 59) return undefined;
  let zoneMinutes = 0;
  if (parts[8] !== undefined) {
    const [zoneHours, zoneRest] = [Number(parts[9]), Number(parts[10])];
    if (zoneHours > MAX_ZONE_HOURS || zoneRest > 59) return undefined;
    zoneMinutes = (parts[8] === '-' ? -1 : 1) * (zoneHours * 60 + zoneRest);
  }
  const instant = new Date(0);
  instant.setUTCFullYear(year, month - 1, day); // Date.UTC would read years below 100 as 19xx
  instant.setUTCHours(hour, minute - zoneMinutes, second, 0);
  if (instant.getUTCFullYear() < 1 || instant.getUTCFullYear() > 9999) return undefined;
  const micros = (parts[7] ?? '').slice(0, 6).padEnd(6, '0');
  return `${instant.toISOString().slice(0, 19)}.${micros.endsWith('000') ? micros.slice(0, 3) : micros}Z`;
}

function daysInMonth(year: number, month: number): number {
  const leap = year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0);
  return month === 2 ? (leap ? 29 : 28) : [4, 6, 9, 11].includes(month) ? 30 : 31;
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
