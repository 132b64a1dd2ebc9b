import { parse as parseContentType } from 'content-type';
import LinkHeader from 'http-link-header';
import Negotiator from 'negotiator';
import { IncomingHttpHeaders } from 'node:http';
import { BadRequestData, InvalidRequest } from 'src/common/problem/ngsi-ld-errors';
import { isJsonObject } from 'src/jsonld/value-codec';

export const JSON_LD_CONTEXT_REL = 'http://www.w3.org/ns/json-ld#context';
export const MEDIA_JSON = 'application/json';
export const MEDIA_JSON_LD = 'application/ld+json';
export const MEDIA_GEO_JSON = 'application/geo+json';
export const MEDIA_MERGE_PATCH = 'application/merge-patch+json';

/**
 * The @context of a request whose body is an NGSI-LD payload (clause 6.3.5): in the body for
 * `application/ld+json` (and then no Link header), in a Link header or none for `application/json`.
 */
export function payloadContext(headers: IncomingHttpHeaders, body: unknown, options: { mergePatch?: boolean } = {}): unknown {
  const given = contentMediaType(headers);
  // A JSON merge patch (RFC 7396) is JSON as far as the @context goes.
  const mediaType = options.mergePatch && given === MEDIA_MERGE_PATCH ? MEDIA_JSON : given;
  const hasBodyContext = isJsonObject(body) && '@context' in body;
  if (mediaType === MEDIA_JSON_LD) {
    if (linkedContext(headers) !== undefined) {
      throw new BadRequestData('With Content-Type application/ld+json the @context belongs in the body, not in a Link header');
    }
    if (!hasBodyContext) throw new BadRequestData('A body sent as application/ld+json must contain an @context');
    return (body as { '@context': unknown })['@context'];
  }
  if (mediaType === MEDIA_JSON) {
    if (hasBodyContext) {
      throw new BadRequestData('A body sent as application/json must not contain an @context; use a Link header or application/ld+json');
    }
    return linkedContext(headers);
  }
  const accepted = options.mergePatch ? 'application/json, application/ld+json or application/merge-patch+json' : 'application/json or application/ld+json';
  throw new InvalidRequest(`Content-Type must be ${accepted}, not ${given || 'missing'}`, 415, 'Unsupported Media Type');
}

function contentMediaType(headers: IncomingHttpHeaders): string {
  const header = headers['content-type'];
  if (!header) return '';
  try {
    return parseContentType(header).type;
  } catch {
    throw new InvalidRequest(`Content-Type is malformed: ${header}`, 415, 'Unsupported Media Type');
  }
}

/** The @context URL of a Link header with rel="http://www.w3.org/ns/json-ld#context", if any. */
export function linkedContext(headers: IncomingHttpHeaders): string | undefined {
  const header = headers.link;
  if (!header) return undefined;
  let links;
  try {
    links = LinkHeader.parse(Array.isArray(header) ? header.join(', ') : header).rel(JSON_LD_CONTEXT_REL);
  } catch {
    throw new BadRequestData(`The Link header is malformed: ${String(header)}`);
  }
  if (links.length > 1) throw new BadRequestData('Only one JSON-LD @context Link header is allowed');
  return links[0]?.uri;
}

/** The representation a GET asks for (clause 6.3.6); 406 when none of ours is acceptable. */
export function acceptedMediaType(headers: IncomingHttpHeaders, offered: readonly string[]): string {
  const accept = headers.accept;
  if (!accept) return offered[0];
  const chosen = new Negotiator({ headers: { accept } }).mediaType([...offered]);
  if (!chosen) {
    throw new InvalidRequest(`None of the representations asked for is offered; Accept one of ${offered.join(', ')}`, 406, 'Not Acceptable');
  }
  return chosen;
}
