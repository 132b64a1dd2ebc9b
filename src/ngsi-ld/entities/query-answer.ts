import { FastifyReply } from 'fastify';
import { RequestContext } from 'src/jsonld/context-compiler';
import { JsonObject } from 'src/jsonld/value-codec';
import { MEDIA_GEO_JSON, MEDIA_JSON, MEDIA_JSON_LD } from 'src/ngsi-ld/common/json-ld-request';
import { withContext } from 'src/ngsi-ld/common/json-ld-response';
import { Representation } from 'src/ngsi-ld/entities/dto/entity-request-params';
import { QueryResult } from 'src/ngsi-ld/entities/entities.service';
import { geometryNameOf } from 'src/ngsi-ld/entities/entity-query.mapper';
import { toFeature, toFeatureCollection } from 'src/ngsi-ld/representation/geojson-representation';

/** The representations entities can be read in. */
export const READ_MEDIA_TYPES = [MEDIA_JSON, MEDIA_JSON_LD, MEDIA_GEO_JSON];

/** Answers a query: the total in NGSILD-Results-Count, the entities as JSON(-LD) or a GeoJSON FeatureCollection. */
export function answerQuery(
  reply: FastifyReply,
  mediaType: string,
  context: RequestContext,
  representation: Representation,
  result: QueryResult,
): JsonObject | JsonObject[] {
  if (result.count !== undefined) void reply.header('NGSILD-Results-Count', String(result.count));
  if (mediaType === MEDIA_GEO_JSON) {
    return withContext(reply, mediaType, context, toFeatureCollection(result.entities, geometryNameOf(context.compiled, representation)));
  }
  return withContext(reply, mediaType, context, result.entities);
}

/** Answers with one entity, as JSON(-LD) or a GeoJSON Feature. */
export function answerEntity(
  reply: FastifyReply,
  mediaType: string,
  context: RequestContext,
  representation: Representation,
  entity: JsonObject,
): JsonObject {
  if (mediaType === MEDIA_GEO_JSON) {
    return withContext(reply, mediaType, context, toFeature(entity, geometryNameOf(context.compiled, representation)));
  }
  return withContext(reply, mediaType, context, entity);
}
