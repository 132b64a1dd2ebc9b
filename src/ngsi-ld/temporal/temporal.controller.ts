import { Body, Controller, Delete, Get, HttpCode, Param, Patch, Post, Query, Req, Res } from '@nestjs/common';
import { ApiBody, ApiOperation, ApiParam, ApiQuery, ApiTags } from '@nestjs/swagger';
import { ApiAnswer, schemaRef } from 'src/common/openapi/openapi-answers';
import { ApiProblem, PROBLEM_TYPES } from 'src/common/problem/problem.openapi';
import { FastifyReply, FastifyRequest } from 'fastify';
import { AppConfig } from 'src/config/app-config';
import { InjectConfig } from 'src/config/config.module';
import { AccessContext } from 'src/common/access/access-context';
import { Access } from 'src/common/access/access.decorator';
import { JsonObject } from 'src/jsonld/value-codec';
import { EntityIdPipe } from 'src/ngsi-ld/common/entity-id.pipe';
import { acceptedMediaType, MEDIA_JSON, MEDIA_JSON_LD } from 'src/ngsi-ld/common/json-ld-request';
import { withContext } from 'src/ngsi-ld/common/json-ld-response';
import {
  ApiDatasetHeader,
  ApiEntityFilterParams,
  ApiNgsiLdRoutes,
  ApiPagingParams,
  ApiPayload,
  ApiQueryRefused,
  ApiQueryRepresentationParams,
  ApiReadHeaders,
  ApiRepresentationParams,
  ApiTenant,
  ApiWrite,
  ApiWriteAccess,
  INVALID,
  jsonAndJsonLd,
} from 'src/ngsi-ld/common/ngsi-ld.openapi';
import { RequestContexts } from 'src/ngsi-ld/common/request-contexts';
import { parseAttributeDeletion, parseWriteOptions, QueryParams } from 'src/ngsi-ld/entities/dto/entity-request-params';
import { explicitDatasetOf } from 'src/ngsi-ld/entities/entity-placement';
import { parseTemporalQuery, parseTemporalQueryBody, parseTemporalRetrieve } from 'src/ngsi-ld/temporal/dto/temporal-request-params';
import { addPageLinks } from 'src/ngsi-ld/common/page-links';
import { contentRange } from 'src/ngsi-ld/temporal/temporal-paging';
import { TemporalAnswer, TemporalQueryService } from 'src/ngsi-ld/temporal/temporal-query.service';
import { TemporalWritesService } from 'src/ngsi-ld/temporal/temporal-writes.service';
import { TemporalQueryParams } from 'src/ngsi-ld/temporal/temporal.openapi';

const MEDIA_TYPES = [MEDIA_JSON, MEDIA_JSON_LD];
const ENTITY_ID = { name: 'entityId', description: 'The entity id (a URI, URL-encoded)' };
const ATTRIBUTE_ID = { name: 'attrId', description: 'The attribute name (a term of the @context, or an IRI, URL-encoded)' };
const INSTANCE_ID = { name: 'instanceId', description: 'The instanceId of one instance (urn:ngsi-ld:<uuid>, URL-encoded)' };
const NOT_FOUND = [PROBLEM_TYPES.ngsiLd('ResourceNotFound')];
const TEMPORAL_FORMATS = ['temporalValues', 'aggregatedValues'];
const PARTIAL = 'Partial: not all instances of the time range fitted (TEMPORAL_MAX_INSTANCES_PER_ATTRIBUTE, _PER_RESPONSE); Content-Range says which range came, ask for the rest with timeAt moved';

/** The temporal representation of entities (clauses 6.18 to 6.24 of GS CIM 009 v1.9.1). */
@ApiTags('NGSI-LD temporal')
@ApiNgsiLdRoutes()
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
  @ApiEntityFilterParams()
  @ApiRepresentationParams(TEMPORAL_FORMATS, TEMPORAL_FORMATS)
  @TemporalQueryParams(true)
  @ApiPagingParams()
  @ApiAnswer(200, 'A page of temporal entities', { content: jsonAndJsonLd(schemaRef('TemporalEntityList')), headers: ['Link', 'NGSILD-Results-Count', 'VGDS-View'] })
  @ApiAnswer(206, PARTIAL, { content: jsonAndJsonLd(schemaRef('TemporalEntityList')), headers: ['Content-Range', 'Link', 'NGSILD-Results-Count', 'VGDS-View'] })
  @ApiQueryRefused()
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
  @ApiQueryRepresentationParams(TEMPORAL_FORMATS, TEMPORAL_FORMATS)
  @TemporalQueryParams(false)
  @ApiPagingParams()
  @ApiBody({ schema: schemaRef('TemporalQuery') })
  @ApiAnswer(200, 'A page of temporal entities', { content: jsonAndJsonLd(schemaRef('TemporalEntityList')), headers: ['Link', 'NGSILD-Results-Count', 'VGDS-View'] })
  @ApiAnswer(206, PARTIAL, { content: jsonAndJsonLd(schemaRef('TemporalEntityList')), headers: ['Content-Range', 'Link', 'NGSILD-Results-Count', 'VGDS-View'] })
  @ApiProblem(406, 'None of the accepted representations (Accept) is offered', [PROBLEM_TYPES.ngsiLd('InvalidRequest')])
  @ApiQueryRefused()
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
  @ApiRepresentationParams(TEMPORAL_FORMATS, TEMPORAL_FORMATS)
  @TemporalQueryParams(true)
  @ApiAnswer(200, 'The temporal entity', { content: jsonAndJsonLd(schemaRef('TemporalEntity')), headers: ['Link', 'VGDS-View'] })
  @ApiAnswer(206, PARTIAL, { content: jsonAndJsonLd(schemaRef('TemporalEntity')), headers: ['Content-Range', 'Link', 'VGDS-View'] })
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
  @ApiBody({ schema: schemaRef('NewTemporalEntity') })
  @ApiAnswer(201, 'Created; Location names it', { headers: ['Location'] })
  @ApiAnswer(204, 'Instances added to an existing entity')
  @ApiProblem(409, 'The id is taken by an entity the caller cannot see (ids are unique per tenant)', [PROBLEM_TYPES.ngsiLd('AlreadyExists')])
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
  @ApiBody({ schema: { ...schemaRef('TemporalEntity'), description: 'Attributes, each an instance or a list of instances' } })
  @ApiAnswer(204, 'Added')
  @ApiProblem(404, 'No such entity, or not visible to the caller', NOT_FOUND)
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
  @ApiAnswer(204, 'Changed')
  @ApiProblem(404, 'No such entity, attribute or instance', NOT_FOUND)
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
  @ApiAnswer(204, 'Deleted')
  @ApiProblem(400, 'An id that is not a URI, or an unknown parameter (BadRequestData, InvalidRequest)', INVALID)
  @ApiProblem(404, 'No such entity, attribute or instance', NOT_FOUND)
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
  @ApiQuery({ name: 'datasetId', required: false, schema: { type: 'string' }, description: 'The history of the instance with this datasetId (a URI)' })
  @ApiQuery({ name: 'deleteAll', required: false, schema: { enum: ['true', 'false'] }, description: 'true: the history of every instance' })
  @ApiAnswer(204, 'Deleted')
  @ApiProblem(400, 'datasetId not a URI, datasetId with deleteAll=true, or an unknown parameter (BadRequestData, InvalidRequest)', INVALID)
  @ApiProblem(404, 'No such entity or attribute', NOT_FOUND)
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
  @ApiAnswer(204, 'Deleted')
  @ApiProblem(400, 'An id that is not a URI (BadRequestData)', INVALID)
  @ApiProblem(404, 'No such entity, or not visible to the caller', NOT_FOUND)
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
