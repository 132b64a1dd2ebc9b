import { Injectable } from '@nestjs/common';
import type { Quad } from '@rdfjs/types';
import { FastifyReply } from 'fastify';
import { varyOnAccept } from 'src/common/http/vary';
import { InvalidRequest } from 'src/common/problem/ngsi-ld-errors';
import { RequestContext } from 'src/jsonld/context-compiler';
import { entityToQuads } from 'src/linked-data/entities/entity-rdf.mapper';
import { EntityRdfRequest } from 'src/linked-data/entities/entity-rdf-request';
import { projectEntity } from 'src/linked-data/entities/entity-projection';
import { NS } from 'src/linked-data/entities/rdf-vocabulary';
import { RDF_PREFIXES } from 'src/linked-data/rdf/prefixes';
import { contentTypeOf } from 'src/linked-data/rdf/rdf-format';
import { serializeQuads } from 'src/linked-data/rdf/rdf-serializer';
import { NotExpressibleInRdfXml } from 'src/linked-data/rdf/rdf-xml-writer';
import { Representation } from 'src/ngsi-ld/entities/dto/entity-request-params';
import { compactOptionsOf } from 'src/ngsi-ld/entities/entity-query.mapper';
import { EntityData } from 'src/ngsi-ld/representation/entity.model';

const PREFIXES: Readonly<Record<string, string>> = { ...RDF_PREFIXES, geojson: NS.geojson };

/**
 * Renders entities the entity routes found (views applied by EntitiesService) as RDF: the
 * representation parameters applied as for JSON, mapped to the asked graph, serialised. The
 * caller's @context only expands the names in attrs/pick/omit: RDF carries full IRIs.
 */
@Injectable()
export class EntityRdfRenderer {
  /** One entity; sets Content-Type and Vary and answers the document. */
  async entity(reply: FastifyReply, rdf: EntityRdfRequest, context: RequestContext, representation: Representation, entity: EntityData): Promise<string> {
    return this.answer(reply, rdf, this.quadsOf(rdf, context, representation, [entity]));
  }

  /** A page of entities as one graph. */
  async entities(reply: FastifyReply, rdf: EntityRdfRequest, context: RequestContext, representation: Representation, entities: readonly EntityData[]): Promise<string> {
    return this.answer(reply, rdf, this.quadsOf(rdf, context, representation, entities));
  }

  private quadsOf(rdf: EntityRdfRequest, context: RequestContext, representation: Representation, entities: readonly EntityData[]): Quad[] {
    const options = compactOptionsOf(context, representation);
    return entities.flatMap((entity) => entityToQuads(projectEntity(entity, options), rdf.shape, { sysAttrs: representation.sysAttrs }));
  }

  private async answer(reply: FastifyReply, rdf: EntityRdfRequest, quads: Quad[]): Promise<string> {
    let body: string;
    try {
      body = await serializeQuads(quads, rdf.format, PREFIXES);
    } catch (error) {
      if (error instanceof NotExpressibleInRdfXml) throw new InvalidRequest(error.message, 406, 'Not Acceptable');
      throw error;
    }
    void reply.header('content-type', contentTypeOf(rdf.format));
    varyOnAccept(reply);
    return body;
  }
}
