import { Body, Controller, Delete, Get, HttpCode, Param, Patch, Post, Put, Query, Req, Res } from '@nestjs/common';
import { ApiBody, ApiOperation, ApiParam, ApiTags } from '@nestjs/swagger';
import { ApiAnswer, schemaRef } from 'src/common/openapi/openapi-answers';
import { ApiProblem, PROBLEM_TYPES } from 'src/common/problem/problem.openapi';
import { FastifyReply, FastifyRequest } from 'fastify';
import { AppConfig } from 'src/config/app-config';
import { InjectConfig } from 'src/config/config.module';
import { AccessContext } from 'src/common/access/access-context';
import { explicitDatasetOf } from 'src/ngsi-ld/entities/entity-placement';
import { Access } from 'src/common/access/access.decorator';
import { JsonObject } from 'src/jsonld/value-codec';
import { EntityIdPipe } from 'src/ngsi-ld/common/entity-id.pipe';
import { acceptedMediaType } from 'src/ngsi-ld/common/json-ld-request';
import { RequestContexts } from 'src/ngsi-ld/common/request-contexts';
import {
  ApiDatasetHeader,
  ApiEntityFilterParams,
  ApiNgsiLdRoutes,
  ApiPagingParams,
  ApiQueryRefused,
  ApiReadHeaders,
  ApiRepresentationParams,
  ApiTenant,
  ApiWrite,
  ApiWriteAccess,
  INVALID,
  NEW_ENTITY,
} from 'src/ngsi-ld/common/ngsi-ld.openapi';
import { parseEntityQuery, parseRetrieveParams, parseWriteOptions, QueryParams } from 'src/ngsi-ld/entities/dto/entity-request-params';
import { EntityUpdatesService } from 'src/ngsi-ld/entities/entity-updates.service';
import { EntitiesService } from 'src/ngsi-ld/entities/entities.service';
import { answerEntity, answerQuery, READ_MEDIA_TYPES } from 'src/ngsi-ld/entities/query-answer';
import { addPageLinks } from 'src/ngsi-ld/common/page-links';
import { varyOnAccept } from 'src/common/http/vary';
import { assertRdfRepresentation, ENTITY_RDF_MEDIA_TYPES, entityRdfRequestOf } from 'src/linked-data/entities/entity-rdf-request';
import { EntityRdfRenderer } from 'src/linked-data/entities/entity-rdf.renderer';
import { ApiRdfShapeParam, ENTITY_RDF_CONTENT } from 'src/linked-data/entities/entity-rdf.openapi';

const ENTITY_ID = { name: 'entityId', description: 'The entity id (a URI, URL-encoded)' };
const NOT_FOUND = [PROBLEM_TYPES.ngsiLd('ResourceNotFound')];
/** JSON, JSON-LD and GeoJSON first (the answer to any type or no Accept), then the RDF serialisations. */
const ENTITY_MEDIA_TYPES = [...READ_MEDIA_TYPES, ...ENTITY_RDF_MEDIA_TYPES];

@ApiTags('NGSI-LD entities')
@ApiNgsiLdRoutes()
@Controller('ngsi-ld/v1/entities')
export class EntitiesController {
  constructor(
    private readonly entities: EntitiesService,
    private readonly updates: EntityUpdatesService,
    private readonly contexts: RequestContexts,
    private readonly rdf: EntityRdfRenderer,
    @InjectConfig() private readonly config: AppConfig,
  ) {}

  @Post()
  @HttpCode(201)
  @ApiOperation({ summary: 'Create an entity', description: '@context inline (application/ld+json) or in a Link header (application/json)' })
  @ApiWrite()
  @ApiDatasetHeader()
  @ApiBody({ schema: NEW_ENTITY })
  @ApiAnswer(201, 'Created; Location names the new entity', { headers: ['Location'] })
  @ApiProblem(409, 'An entity with this id exists', [PROBLEM_TYPES.ngsiLd('AlreadyExists')])
  async create(
    @Access() access: AccessContext,
    @Req() request: FastifyRequest,
    @Body() body: unknown,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<void> {
    const context = await this.contexts.forPayload(request, body);
    const id = await this.entities.create(access, context, body, explicitDatasetOf(request.headers));
    void reply.header('location', `/ngsi-ld/v1/entities/${encodeURIComponent(id)}`);
  }

  @Get()
  @ApiOperation({ summary: 'Query entities', description: 'At least one of type, id, idPattern, attrs (or local=true)' })
  @ApiReadHeaders()
  @ApiEntityFilterParams()
  @ApiRepresentationParams()
  @ApiPagingParams()
  @ApiRdfShapeParam()
  @ApiAnswer(200, 'A page of matching entities; in an RDF format, one graph of them all', {
    content: {
      'application/json': schemaRef('EntityList'),
      'application/ld+json': schemaRef('EntityList'),
      'application/geo+json': schemaRef('FeatureCollection'),
      ...ENTITY_RDF_CONTENT,
    },
    headers: ['Link', 'NGSILD-Results-Count', 'VGDS-View'],
  })
  @ApiQueryRefused()
  async query(
    @Access() access: AccessContext,
    @Query() query: QueryParams,
    @Req() request: FastifyRequest,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<JsonObject | JsonObject[] | string> {
    const mediaType = acceptedMediaType(request.headers, ENTITY_MEDIA_TYPES);
    const { rdf, params: rest } = entityRdfRequestOf(mediaType, query);
    const params = parseEntityQuery(rest, this.config);
    if (rdf) assertRdfRepresentation(params);
    const context = await this.contexts.forRead(request);
    varyOnAccept(reply);
    if (rdf) {
      const found = await this.entities.find(access, context, params);
      if (found.count !== undefined) void reply.header('NGSILD-Results-Count', String(found.count));
      addPageLinks(reply, request, { offset: params.offset, limit: params.limit, hasMore: found.hasMore });
      return this.rdf.entities(reply, rdf, context, params, found.entities);
    }
    const result = await this.entities.query(access, context, params);
    const body = answerQuery(reply, mediaType, context, params, result);
    addPageLinks(reply, request, { offset: params.offset, limit: params.limit, hasMore: result.hasMore });
    return body;
  }

  @Get(':entityId')
  @ApiOperation({ summary: 'Retrieve an entity' })
  @ApiReadHeaders()
  @ApiParam(ENTITY_ID)
  @ApiRepresentationParams()
  @ApiRdfShapeParam()
  @ApiAnswer(200, 'The entity; in an RDF format, its graph (see shape)', {
    content: {
      'application/json': schemaRef('Entity'),
      'application/ld+json': schemaRef('Entity'),
      'application/geo+json': schemaRef('Feature'),
      ...ENTITY_RDF_CONTENT,
    },
    headers: ['Link', 'VGDS-View'],
  })
  @ApiProblem(400, 'An id that is not a URI, or invalid parameters (BadRequestData, InvalidRequest)', INVALID)
  async retrieve(
    @Access() access: AccessContext,
    @Param('entityId', EntityIdPipe) id: string,
    @Query() query: QueryParams,
    @Req() request: FastifyRequest,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<JsonObject | string> {
    const mediaType = acceptedMediaType(request.headers, ENTITY_MEDIA_TYPES);
    const { rdf, params } = entityRdfRequestOf(mediaType, query);
    const representation = parseRetrieveParams(params);
    if (rdf) assertRdfRepresentation(representation);
    const context = await this.contexts.forRead(request);
    varyOnAccept(reply);
    if (rdf) return this.rdf.entity(reply, rdf, context, representation, await this.entities.retrieveData(access, context, id, representation));
    return answerEntity(reply, mediaType, context, representation, await this.entities.retrieve(access, context, id, representation));
  }

  @Put(':entityId')
  @HttpCode(204)
  @ApiOperation({ summary: 'Replace an entity: new types and attributes under the same id' })
  @ApiWrite()
  @ApiParam(ENTITY_ID)
  @ApiBody({ schema: schemaRef('Entity') })
  @ApiAnswer(204, 'Replaced')
  @ApiProblem(400, 'An invalid entity, or an id other than the one in the path', INVALID)
  @ApiProblem(404, 'No such entity, or not visible to the caller', NOT_FOUND)
  async replace(
    @Access() access: AccessContext,
    @Param('entityId', EntityIdPipe) id: string,
    @Query() query: QueryParams,
    @Req() request: FastifyRequest,
    @Body() body: unknown,
  ): Promise<void> {
    parseWriteOptions(query, []);
    const context = await this.contexts.forPayload(request, body);
    await this.updates.replaceEntity(access, context, id, body);
  }

  @Patch(':entityId')
  @HttpCode(204)
  @ApiOperation({
    summary: 'Merge into an entity',
    description: 'New attributes are added, existing ones merged member by member; "urn:ngsi-ld:null" deletes',
  })
  @ApiWrite('application/merge-patch+json')
  @ApiParam(ENTITY_ID)
  @ApiBody({ schema: schemaRef('EntityFragment'), description: 'An entity fragment (also as application/merge-patch+json)' })
  @ApiAnswer(204, 'Merged')
  @ApiProblem(404, 'No such entity, or not visible to the caller', NOT_FOUND)
  async merge(
    @Access() access: AccessContext,
    @Param('entityId', EntityIdPipe) id: string,
    @Query() query: QueryParams,
    @Req() request: FastifyRequest,
    @Body() body: unknown,
  ): Promise<void> {
    parseWriteOptions(query, []);
    const context = await this.contexts.forPayload(request, body, { mergePatch: true });
    await this.updates.mergeEntity(access, context, id, body);
  }

  @Delete(':entityId')
  @ApiWriteAccess()
  @HttpCode(204)
  @ApiOperation({ summary: 'Delete an entity' })
  @ApiTenant()
  @ApiParam(ENTITY_ID)
  @ApiAnswer(204, 'Deleted')
  @ApiProblem(400, 'An id that is not a URI, or a body (InvalidRequest, BadRequestData)', INVALID)
  @ApiProblem(404, 'No such entity, or not visible to the caller', NOT_FOUND)
  async delete(@Access() access: AccessContext, @Param('entityId', EntityIdPipe) id: string): Promise<void> {
    await this.entities.delete(access, id);
  }
}
