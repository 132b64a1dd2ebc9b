import { FastifyReply } from 'fastify';
import { JsonObject } from 'src/jsonld/value-codec';
import { RequestContext } from 'src/jsonld/context-compiler';
import { JSON_LD_CONTEXT_REL, MEDIA_GEO_JSON, MEDIA_JSON_LD } from 'src/ngsi-ld/common/json-ld-request';

/** The @context an answer refers to: the one the caller named, else the core context. */
function answerContext(context: RequestContext): unknown {
  return context.userContext ?? context.coreContextUrl;
}

/**
 * Adds the @context to an answer the NGSI-LD way (clause 6.3.6): inside each body object for
 * `application/ld+json`, as a Link header for `application/json`, and for `application/geo+json`
 * as a member of the Feature or FeatureCollection (not of each Feature of a collection), and in a
 * Link header as well.
 */
export function withContext<T extends JsonObject | JsonObject[]>(
  reply: FastifyReply,
  mediaType: string,
  context: RequestContext,
  body: T,
): T {
  const value = answerContext(context);
  void reply.header('content-type', mediaType);
  if (mediaType === MEDIA_JSON_LD) {
    const add = (item: JsonObject): JsonObject => ({ '@context': value as JsonObject, ...item });
    return (Array.isArray(body) ? body.map(add) : add(body)) as T;
  }
  const url = typeof value === 'string' ? value : context.coreContextUrl;
  void reply.header('link', `<${url}>; rel="${JSON_LD_CONTEXT_REL}"; type="${MEDIA_JSON_LD}"`);
  if (mediaType === MEDIA_GEO_JSON && !Array.isArray(body)) return { ...body, '@context': value as JsonObject };
  return body;
}
