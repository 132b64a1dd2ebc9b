import { Body, Controller, Delete, Get, HttpCode, Param, Patch, Post, Query, Req, Res } from '@nestjs/common';
import { ApiBody, ApiOperation, ApiParam, ApiProduces, ApiQuery, ApiResponse, ApiTags } from '@nestjs/swagger';
import { FastifyReply, FastifyRequest } from 'fastify';
import { AppConfig } from 'src/config/app-config';
import { InjectConfig } from 'src/config/config.module';
import { AccessContext } from 'src/common/access/access-context';
import { Access } from 'src/common/access/access.decorator';
import { JsonObject } from 'src/jsonld/value-codec';
import { EntityIdPipe } from 'src/ngsi-ld/common/entity-id.pipe';
import { acceptedMediaType, MEDIA_JSON, MEDIA_JSON_LD } from 'src/ngsi-ld/common/json-ld-request';
import { withContext } from 'src/ngsi-ld/common/json-ld-response';
import { ApiDatasetHeader, ApiPayload, ApiProblem, ApiReadHeaders, ApiTenant, ApiWrite, ApiWriteAccess } from 'src/ngsi-ld/common/ngsi-ld.openapi';
import { RequestContexts } from 'src/ngsi-ld/common/request-contexts';
import { parseAttributeDeletion, parseWriteOptions, QueryParams } from 'src/ngsi-ld/entities/dto/entity-request-params';
import { explicitDatasetOf } from 'src/ngsi-ld/entities/entity-placement';
import { parseTemporalQuery, parseTemporalQueryBody, parseTemporalRetrieve } from 'src/ngsi-ld/temporal/dto/temporal-request-params';
import { addPageLinks } from 'src/ngsi-ld/common/page-links';
import { contentRange } from 'src/ngsi-ld/temporal/temporal-paging';
import { TemporalAnswer, TemporalQueryService } from 'src/ngsi-ld/temporal/temporal-query.service';
import { TemporalWritesService } from 'src/ngsi-ld/temporal/temporal-writes.service';
import { TEMPORAL_ENTITY_SCHEMA, TEMPORAL_QUERY_BODY, TemporalQueryParams } from 'src/ngsi-ld/temporal/temporal.openapi';

const MEDIA_TYPES = [MEDIA_JSON, MEDIA_JSON_LD];
const ENTITY_ID = { name: 'entityId', description: 'The entity id (a URI, URL-encoded)' };
const ATTRIBUTE_ID = { name: 'attrId', description: 'The attribute name (a term of the @context, or an IRI, URL-encoded)' };
const INSTANCE_ID = { name: 'instanceId', description: 'The instanceId of one instance (urn:ngsi-ld:<uuid>, URL-encoded)' };

/** The temporal representation of entities (clauses 6.18 to 6.24 of GS CIM 009 v1.9.1). */
@ApiTags('NGSI-LD temporal')
@Controller('ngsi-ld/v1')
export class TemporalController {
  constructor(
    private readonly queries: TemporalQueryService,
    private readonly writes: TemporalWritesService,
    private readonly contexts: RequestContexts,
    @InjectConfig() private readonly config: AppConfig,
  ) {}

  @Get('temporal/entities')
  @ApiOperation({ summary: 'Query the history of entities', description: 'The entity query of /entities, plus timerel, timeAt, endTimeAt, timeproperty, lastN and the temporal formats' })
  @ApiReadHeaders()
  @TemporalQueryParams(true)
  @ApiResponse({
    status: 200,
    description: 'Temporal entities',
    schema: { type: 'array', items: TEMPORAL_ENTITY_SCHEMA },
    headers: { Link: { description: 'rel="next" and rel="prev": the next and previous page of entities (besides the @context for application/json)', schema: { type: 'string' } } },
  })
  @ApiResponse({ status: 206, description: 'Partial: the histories of the time range in Content-Range' })
  @ApiProblem(400, 'Invalid query')
  async query(@Access() access: AccessContext, @Query() query: QueryParams, @Req() request: FastifyRequest, @Res({ passthrough: true }) reply: FastifyReply) {
    const mediaType = acceptedMediaType(request.headers, MEDIA_TYPES);
    const params = parseTemporalQuery(query, this.config);
    const context = await this.contexts.forRead(request);
    const result = await this.queries.query(access, context, params);
    const body = answer(reply, mediaType, context, result, params.time.lastN);
    if (result.page) addPageLinks(reply, request, result.page);
    return body;
  }

  @Post('temporal/entityOperations/query')
  @HttpCode(200)
  @ApiOperation({ summary: 'Query the history of entities, the query in the body (type "Query" with temporalQ)' })
  @ApiPayload()
  @ApiProduces(...MEDIA_TYPES)
  @TemporalQueryParams(false)
  @ApiBody({ schema: TEMPORAL_QUERY_BODY })
  @ApiResponse({ status: 200, description: 'Temporal entities', schema: { type: 'array', items: TEMPORAL_ENTITY_SCHEMA } })
  @ApiResponse({ status: 206, description: 'Partial: the histories of the time range in Content-Range' })
  @ApiProblem(400, 'Invalid query')
  async queryInBody(@Access() access: AccessContext, @Query() query: QueryParams, @Req() request: FastifyRequest, @Body() body: unknown, @Res({ passthrough: true }) reply: FastifyReply) {
    const mediaType = acceptedMediaType(request.headers, MEDIA_TYPES);
    const params = parseTemporalQueryBody(body, query, this.config);
    const context = await this.contexts.forPayload(request, body);
    return answer(reply, mediaType, context, await this.queries.query(access, context, params), params.time.lastN);
  }

  @Get('temporal/entities/:entityId')
  @ApiOperation({ summary: 'Retrieve the history of an entity' })
  @ApiReadHeaders()
  @ApiParam(ENTITY_ID)
  @TemporalQueryParams(false)
  @ApiResponse({ status: 200, description: 'The temporal entity', schema: TEMPORAL_ENTITY_SCHEMA })
  @ApiResponse({ status: 206, description: 'Partial: the history of the time range in Content-Range' })
  @ApiProblem(404, 'ResourceNotFound')
  async retrieve(
    @Access() access: AccessContext,
    @Param('entityId', EntityIdPipe) id: string,
    @Query() query: QueryParams,
    @Req() request: FastifyRequest,
    @Res({ passthrough: true }) reply: FastifyReply,
  ) {
    const mediaType = acceptedMediaType(request.headers, MEDIA_TYPES);
    const params = parseTemporalRetrieve(query);
    const context = await this.contexts.forRead(request);
    return answer(reply, mediaType, context, await this.queries.retrieve(access, context, id, params), params.time.lastN);
  }

  @Post('temporal/entities')
  @ApiOperation({
    summary: 'Create a temporal entity, or add instances to one',
    description: 'Each attribute a list of instances. Instances the history holds already (same content at the same instant, or their instanceId) are not added again',
  })
  @ApiWrite()
  @ApiDatasetHeader()
  @ApiBody({ schema: TEMPORAL_ENTITY_SCHEMA })
  @ApiResponse({ status: 201, description: 'Created; Location names it' })
  @ApiResponse({ status: 204, description: 'Instances added to an existing entity' })
  @ApiProblem(400, 'Invalid temporal entity')
  async upsert(@Access() access: AccessContext, @Query() query: QueryParams, @Req() request: FastifyRequest, @Body() body: unknown, @Res({ passthrough: true }) reply: FastifyReply) {
    parseWriteOptions(query, []);
    const context = await this.contexts.forPayload(request, body);
    const { id, created } = await this.writes.upsert(access, context, body, explicitDatasetOf(request.headers));
    if (!created) return void reply.status(204);
    void reply.status(201).header('location', `/ngsi-ld/v1/temporal/entities/${encodeURIComponent(id)}`);
  }

  @Post('temporal/entities/:entityId/attrs')
  @HttpCode(204)
  @ApiOperation({ summary: 'Add attribute instances to a temporal entity', description: 'Instances the history holds already are not added again' })
  @ApiParam(ENTITY_ID)
  @ApiWrite()
  @ApiBody({ schema: { type: 'object', description: 'Attributes, each a list of instances' } })
  @ApiResponse({ status: 204, description: 'Added' })
  @ApiProblem(404, 'ResourceNotFound')
  async append(@Access() access: AccessContext, @Param('entityId', EntityIdPipe) id: string, @Query() query: QueryParams, @Req() request: FastifyRequest, @Body() body: unknown) {
    parseWriteOptions(query, []);
    const context = await this.contexts.forPayload(request, body);
    await this.writes.appendAttributes(access, context, id, body);
  }

  @Patch('temporal/entities/:entityId/attrs/:attrId/:instanceId')
  @HttpCode(204)
  @ApiOperation({ summary: 'Change one instance of an attribute\'s history' })
  @ApiParam(ENTITY_ID)
  @ApiParam(ATTRIBUTE_ID)
  @ApiParam(INSTANCE_ID)
  @ApiWrite()
  @ApiBody({ schema: { type: 'object', description: 'The members to change, e.g. {"value": 12.5}' } })
  @ApiResponse({ status: 204, description: 'Changed' })
  @ApiProblem(404, 'ResourceNotFound')
  async patchInstance(
    @Access() access: AccessContext,
    @Param('entityId', EntityIdPipe) id: string,
    @Param('attrId') attrId: string,
    @Param('instanceId') instanceId: string,
    @Query() query: QueryParams,
    @Req() request: FastifyRequest,
    @Body() body: unknown,
  ) {
    parseWriteOptions(query, []);
    const context = await this.contexts.forPayload(request, body);
    await this.writes.patchInstance(access, context, id, attrId, instanceId, body);
  }

  @Delete('temporal/entities/:entityId/attrs/:attrId/:instanceId')
  @HttpCode(204)
  @ApiOperation({ summary: 'Delete one instance of an attribute\'s history' })
  @ApiTenant()
  @ApiWriteAccess()
  @ApiParam(ENTITY_ID)
  @ApiParam(ATTRIBUTE_ID)
  @ApiParam(INSTANCE_ID)
  @ApiResponse({ status: 204, description: 'Deleted' })
  @ApiProblem(404, 'ResourceNotFound')
  async deleteInstance(
    @Access() access: AccessContext,
    @Param('entityId', EntityIdPipe) id: string,
    @Param('attrId') attrId: string,
    @Param('instanceId') instanceId: string,
    @Query() query: QueryParams,
    @Req() request: FastifyRequest,
  ) {
    parseWriteOptions(query, []);
    const context = await this.contexts.forRead(request);
    await this.writes.deleteInstance(access, context, id, attrId, instanceId);
  }

  @Delete('temporal/entities/:entityId/attrs/:attrId')
  @HttpCode(204)
  @ApiOperation({ summary: 'Delete an attribute\'s history' })
  @ApiTenant()
  @ApiWriteAccess()
  @ApiParam(ENTITY_ID)
  @ApiParam(ATTRIBUTE_ID)
  @ApiQuery({ name: 'datasetId', type: String, required: false })
  @ApiQuery({ name: 'deleteAll', type: String, required: false })
  @ApiResponse({ status: 204, description: 'Deleted' })
  @ApiProblem(404, 'ResourceNotFound')
  async deleteAttribute(
    @Access() access: AccessContext,
    @Param('entityId', EntityIdPipe) id: string,
    @Param('attrId') attrId: string,
    @Query() query: QueryParams,
    @Req() request: FastifyRequest,
  ) {
    const selection = parseAttributeDeletion(query);
    const context = await this.contexts.forRead(request);
    await this.writes.deleteAttribute(access, context, id, attrId, selection);
  }

  @Delete('temporal/entities/:entityId')
  @HttpCode(204)
  @ApiOperation({ summary: 'Delete a temporal entity: the entity and its whole history' })
  @ApiTenant()
  @ApiWriteAccess()
  @ApiParam(ENTITY_ID)
  @ApiResponse({ status: 204, description: 'Deleted' })
  @ApiProblem(404, 'ResourceNotFound')
  async delete(@Access() access: AccessContext, @Param('entityId', EntityIdPipe) id: string) {
    await this.writes.delete(access, id);
  }
}

/** 200, or 206 with Content-Range when the histories did not fit; the total in NGSILD-Results-Count when asked. */
function answer<T extends JsonObject | JsonObject[]>(reply: FastifyReply, mediaType: string, context: Parameters<typeof withContext>[2], result: TemporalAnswer<T>, lastN?: number): T {
  if (result.count !== undefined) void reply.header('NGSILD-Results-Count', String(result.count));
  if (result.range) void reply.status(206).header('content-range', contentRange(result.range, lastN));
  return withContext(reply, mediaType, context, result.body);
}
