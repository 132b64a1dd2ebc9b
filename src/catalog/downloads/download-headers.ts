/*
 * Header values of a download that do not depend on HTTP machinery: file names, attribution,
 * caching. Kept pure so that they are tested without a server.
 */

const MAX_SLUG = 60;

/** A file name stem from a title: ASCII letters and digits joined by "-" ("Badplatser i Göteborg" -> "badplatser-i-goteborg"). */
export function slugOf(title: string, fallback: string): string {
  const slug = title
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .replace(/ø/gi, 'o')
    .replace(/æ/gi, 'ae')
    .replace(/ß/g, 'ss')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .slice(0, MAX_SLUG)
    .replace(/^-+|-+$/g, '');
  return slug || fallback;
}

/** `attachment; filename="..."`; the name is made of slug characters, so it needs no escaping. */
export function contentDisposition(filename: string): string {
  return `attachment; filename="${filename}"`;
}

/**
 * A header value in UTF-8 text: as it is when it is printable ASCII, else as an RFC 8187
 * ext-value (`UTF-8''G%C3%B6teborgs%20Stad`), since HTTP header values are not UTF-8.
 */
export function headerText(text: string): string {
  if (/^[\x20-\x7e]*$/.test(text)) return text;
  return `UTF-8''${encodeURIComponent(text).replace(/['()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`)}`;
}

/**
 * Open data answered to an anonymous caller may be kept by shared caches for a few minutes;
 * anything else is the caller's own (a view, a grant) and is revalidated each time.
 */
export function cacheControl(isPublic: boolean): string {
  return isPublic ? 'public, max-age=300' : 'private, no-cache';
}

/** The date part of an RFC 3339 instant, for file names ("2026-11-01T00:00:00Z" -> "20261101"). */
export function compactDate(instant: string): string {
  return instant.slice(0, 10).replace(/-/g, '');
}
