import { Body, Controller, Delete, Get, HttpCode, Param, Patch, Post, Put, Query, Req, Res } from '@nestjs/common';
import { ApiBody, ApiOperation, ApiParam, ApiQuery, ApiResponse, ApiTags } from '@nestjs/swagger';
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
import { ApiDatasetHeader, ApiProblem, ApiReadHeaders, ApiTenant, ApiWrite, ApiWriteAccess, ENTITY_SCHEMA } from 'src/ngsi-ld/common/ngsi-ld.openapi';
import { parseEntityQuery, parseRetrieveParams, parseWriteOptions, QueryParams } from 'src/ngsi-ld/entities/dto/entity-request-params';
import { EntityUpdatesService } from 'src/ngsi-ld/entities/entity-updates.service';
import { EntitiesService } from 'src/ngsi-ld/entities/entities.service';
import { answerEntity, answerQuery, READ_MEDIA_TYPES } from 'src/ngsi-ld/entities/query-answer';
import { addPageLinks } from 'src/ngsi-ld/common/page-links';

@ApiTags('NGSI-LD entities')
@Controller('ngsi-ld/v1/entities')
export class EntitiesController {
  constructor(
    private readonly entities: EntitiesService,
    private readonly updates: EntityUpdatesService,
    private readonly contexts: RequestContexts,
    @InjectConfig() private readonly config: AppConfig,
  ) {}

  @Post()
  @HttpCode(201)
  @ApiOperation({ summary: 'Create an entity', description: '@context inline (application/ld+json) or in a Link header (application/json)' })
  @ApiWrite()
  @ApiDatasetHeader()
  @ApiBody({ schema: ENTITY_SCHEMA })
  @ApiResponse({ status: 201, description: 'Created; Location names the new entity' })
  @ApiProblem(400, 'Invalid entity or @context')
  @ApiProblem(409, 'AlreadyExists')
  @ApiProblem(415, 'Content-Type other than application/json or application/ld+json')
  @ApiProblem(503, 'LdContextNotAvailable: a remote @context could not be fetched')
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
  @ApiQuery({ name: 'type', type: String, required: false, description: 'Entity types, comma separated (any of them)' })
  @ApiQuery({ name: 'id', type: String, required: false, description: 'Entity ids, comma separated' })
  @ApiQuery({ name: 'idPattern', type: String, required: false, description: 'POSIX regular expression on entity ids' })
  @ApiQuery({ name: 'attrs', type: String, required: false, description: 'Attributes to match (any) and return' })
  @ApiQuery({ name: 'limit', type: String, required: false, description: 'Page size (default 20, see QUERY_MAX_LIMIT)' })
  @ApiQuery({ name: 'offset', type: String, required: false })
  @ApiQuery({ name: 'count', type: String, required: false, description: 'true: total in NGSILD-Results-Count' })
  @ApiQuery({ name: 'options', type: String, required: false, description: 'keyValues, concise, sysAttrs' })
  @ApiQuery({ name: 'format', type: String, required: false, description: 'normalized, keyValues (simplified), concise' })
  @ApiResponse({
    status: 200,
    description: 'Matching entities; Link rel="next" / rel="prev" name the neighbouring pages',
    schema: { type: 'array', items: ENTITY_SCHEMA },
  })
  @ApiProblem(400, 'Invalid query')
  @ApiProblem(403, 'TooManyResults: limit above the maximum')
  async query(
    @Access() access: AccessContext,
    @Query() query: QueryParams,
    @Req() request: FastifyRequest,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<JsonObject | JsonObject[]> {
    const mediaType = acceptedMediaType(request.headers, READ_MEDIA_TYPES);
    const params = parseEntityQuery(query, this.config);
    const context = await this.contexts.forRead(request);
    const result = await this.entities.query(access, context, params);
    const body = answerQuery(reply, mediaType, context, params, result);
    addPageLinks(reply, request, { offset: params.offset, limit: params.limit, hasMore: result.hasMore });
    return body;
  }

  @Get(':entityId')
  @ApiOperation({ summary: 'Retrieve an entity' })
  @ApiReadHeaders()
  @ApiParam({ name: 'entityId', description: 'The entity id (a URI, URL-encoded)' })
  @ApiQuery({ name: 'attrs', type: String, required: false, description: 'Attributes to return, comma separated' })
  @ApiQuery({ name: 'options', type: String, required: false, description: 'keyValues, concise, sysAttrs' })
  @ApiQuery({ name: 'format', type: String, required: false, description: 'normalized, keyValues (simplified), concise' })
  @ApiResponse({ status: 200, description: 'The entity', schema: ENTITY_SCHEMA })
  @ApiProblem(400, 'Invalid id or parameters')
  @ApiProblem(404, 'ResourceNotFound')
  @ApiProblem(406, 'No acceptable representation')
  async retrieve(
    @Access() access: AccessContext,
    @Param('entityId', EntityIdPipe) id: string,
    @Query() query: QueryParams,
    @Req() request: FastifyRequest,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<JsonObject> {
    const mediaType = acceptedMediaType(request.headers, READ_MEDIA_TYPES);
    const representation = parseRetrieveParams(query);
    const context = await this.contexts.forRead(request);
    return answerEntity(reply, mediaType, context, representation, await this.entities.retrieve(access, context, id, representation));
  }

  @Put(':entityId')
  @HttpCode(204)
  @ApiOperation({ summary: 'Replace an entity: new types and attributes under the same id' })
  @ApiWrite()
  @ApiParam({ name: 'entityId', description: 'The entity id (a URI, URL-encoded)' })
  @ApiBody({ schema: ENTITY_SCHEMA })
  @ApiResponse({ status: 204, description: 'Replaced' })
  @ApiProblem(400, 'Invalid entity, or an id other than the one in the path')
  @ApiProblem(404, 'ResourceNotFound')
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
  @ApiParam({ name: 'entityId', description: 'The entity id (a URI, URL-encoded)' })
  @ApiBody({ schema: { type: 'object', description: 'An entity fragment (also as application/merge-patch+json)' } })
  @ApiResponse({ status: 204, description: 'Merged' })
  @ApiProblem(400, 'Invalid fragment')
  @ApiProblem(404, 'ResourceNotFound')
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
  @ApiParam({ name: 'entityId', description: 'The entity id (a URI, URL-encoded)' })
  @ApiResponse({ status: 204, description: 'Deleted' })
  @ApiProblem(400, 'Invalid id')
  @ApiProblem(404, 'ResourceNotFound')
  async delete(@Access() access: AccessContext, @Param('entityId', EntityIdPipe) id: string): Promise<void> {
    await this.entities.delete(access, id);
  }
}
