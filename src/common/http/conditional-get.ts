import { createHash } from 'node:crypto';
import { IncomingHttpHeaders } from 'node:http';

/*
 * Conditional GET and content coding for answers a route builds itself (streamed downloads):
 * RFC 9110 clause 13 (If-None-Match before If-Modified-Since, weak comparison for GET) and
 * clause 12.5.3 (Accept-Encoding with q-values).
 */

/** A weak entity tag (RFC 9110 8.8.3) over the facts the representation depends on. */
export function weakEtag(facts: readonly unknown[]): string {
  return `W/"${createHash('sha256').update(JSON.stringify(facts)).digest('base64url').slice(0, 27)}"`;
}

/** Whether the client's copy is current: 304 Not Modified instead of the body. */
export function isNotModified(headers: IncomingHttpHeaders, etag: string, lastModified: Date): boolean {
  const ifNoneMatch = headers['if-none-match'];
  if (ifNoneMatch !== undefined) {
    const tags = ifNoneMatch.split(',').map((tag) => tag.trim());
    return tags.includes('*') || tags.some((tag) => opaque(tag) === opaque(etag));
  }
  const ifModifiedSince = headers['if-modified-since'];
  if (ifModifiedSince === undefined) return false;
  const since = Date.parse(ifModifiedSince);
  // HTTP dates have whole seconds; an unreadable date is ignored (RFC 9110 13.1.3).
  return !Number.isNaN(since) && Math.floor(lastModified.getTime() / 1000) * 1000 <= since;
}

/** Whether the client takes gzip: named (or `*`) in Accept-Encoding with a q above 0. */
export function acceptsGzip(header: string | string[] | undefined): boolean {
  if (header === undefined) return false;
  const codings = (Array.isArray(header) ? header.join(',') : header).split(',').map((part) => {
    const [name, ...params] = part.trim().toLowerCase().split(';');
    const q = params.map((param) => param.trim()).find((param) => param.startsWith('q='));
    return { name: name.trim(), q: q === undefined ? 1 : Number(q.slice(2)) };
  });
  const gzip = codings.find((coding) => coding.name === 'gzip' || coding.name === 'x-gzip') ?? codings.find((coding) => coding.name === '*');
  return gzip !== undefined && gzip.q > 0;
}

/** The tag without its weakness indicator: weak comparison. */
function opaque(tag: string): string {
  return tag.startsWith('W/') ? tag.slice(2) : tag;
}
