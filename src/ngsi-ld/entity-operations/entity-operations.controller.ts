import { Body, Controller, HttpCode, Post, Query, Req, Res } from '@nestjs/common';
import { ApiBody, ApiOperation, ApiQuery, ApiTags } from '@nestjs/swagger';
import { ApiAnswer, ApiAnswersByDefault, schemaRef } from 'src/common/openapi/openapi-answers';
import { ApiProblem, bodyProblems, PROBLEM_TYPES } from 'src/common/problem/problem.openapi';
import { FastifyReply, FastifyRequest } from 'fastify';
import { AppConfig } from 'src/config/app-config';
import { InjectConfig } from 'src/config/config.module';
import { AccessContext } from 'src/common/access/access-context';
import { BadRequestData } from 'src/common/problem/ngsi-ld-errors';
import { Access } from 'src/common/access/access.decorator';
import { JsonObject } from 'src/jsonld/value-codec';
import { acceptedMediaType } from 'src/ngsi-ld/common/json-ld-request';
import { RequestContexts } from 'src/ngsi-ld/common/request-contexts';
import {
  ApiDatasetHeader,
  ApiNgsiLdRoutes,
  ApiPagingParams,
  ApiPayload,
  ApiQueryRefused,
  ApiQueryRepresentationParams,
  ApiTenant,
  ApiWrite,
  ApiWriteAccess,
  INVALID,
} from 'src/ngsi-ld/common/ngsi-ld.openapi';
import { parseQueryBody, parseWriteOptions, QueryParams } from 'src/ngsi-ld/entities/dto/entity-request-params';
import { EntitiesService } from 'src/ngsi-ld/entities/entities.service';
import { answerQuery, READ_MEDIA_TYPES } from 'src/ngsi-ld/entities/query-answer';
import { addPageLinks } from 'src/ngsi-ld/common/page-links';
import { BatchResult, EntityOperationsService } from 'src/ngsi-ld/entity-operations/entity-operations.service';

const ENTITY_BATCH = { schema: { type: 'array', items: schemaRef('NewEntity'), minItems: 1 } };
const BATCH_RESULT = { content: { 'application/json': schemaRef('BatchOperationResult') } };
const CREATED_IDS = { content: { 'application/json': schemaRef('EntityIdList') } };
const NOT_A_BATCH = 'Not a non-empty array, more entities than BATCH_MAX_ENTITIES, or an unknown option';

/** Batch operations (clause 6.14 to 6.18, 6.31) and the query in a body (6.23). */
@ApiTags('NGSI-LD entity operations')
@ApiNgsiLdRoutes()
@Controller('ngsi-ld/v1/entityOperations')
export class EntityOperationsController {
  constructor(
    private readonly operations: EntityOperationsService,
    private readonly entities: EntitiesService,
    private readonly contexts: RequestContexts,
    @InjectConfig() private readonly config: AppConfig,
  ) {}

  @Post('create')
  @ApiOperation({ summary: 'Create entities' })
  @ApiWrite()
  @ApiDatasetHeader()
  @ApiBody(ENTITY_BATCH)
  @ApiAnswer(201, 'All created: their ids', CREATED_IDS)
  @ApiAnswer(207, 'Some failed (BatchOperationResult)', BATCH_RESULT)
  @ApiProblem(400, NOT_A_BATCH, INVALID)
  async create(@Access() access: AccessContext, @Query() query: QueryParams, @Req() request: FastifyRequest, @Body() body: unknown, @Res({ passthrough: true }) reply: FastifyReply) {
    parseWriteOptions(query, []);
    const result = await this.operations.create(access, request.headers, body);
    return answer(reply, result, result.errors.length === 0 ? { status: 201, body: result.created } : undefined);
  }

  @Post('upsert')
  @ApiOperation({ summary: 'Create or replace entities (options=update: append to existing ones instead)' })
  @ApiQuery({ name: 'options', required: false, schema: { enum: ['replace', 'update'] }, description: 'replace (default) or update' })
  @ApiWrite()
  @ApiDatasetHeader()
  @ApiBody(ENTITY_BATCH)
  @ApiAnswer(201, 'Done; the ids of the entities created', CREATED_IDS)
  @ApiAnswer(204, 'Done; none was new')
  @ApiAnswer(207, 'Some failed (BatchOperationResult)', BATCH_RESULT)
  @ApiProblem(400, NOT_A_BATCH, INVALID)
  async upsert(@Access() access: AccessContext, @Query() query: QueryParams, @Req() request: FastifyRequest, @Body() body: unknown, @Res({ passthrough: true }) reply: FastifyReply) {
    const options = parseWriteOptions(query, ['replace', 'update']);
    if (options.size > 1) throw new BadRequestData('options=replace and options=update exclude each other');
    const result = await this.operations.upsert(access, request.headers, body, options.has('update') ? 'update' : 'replace');
    const done = result.created.length > 0 ? { status: 201, body: result.created } : { status: 204 };
    return answer(reply, result, result.errors.length === 0 ? done : undefined);
  }

  @Post('update')
  @ApiOperation({ summary: 'Append attributes to existing entities (options=noOverwrite keeps existing ones, and reports them in a 207)' })
  @ApiQuery({ name: 'options', required: false, schema: { enum: ['noOverwrite'] }, description: 'noOverwrite' })
  @ApiWrite()
  @ApiBody(ENTITY_BATCH)
  @ApiAnswer(204, 'All updated')
  @ApiAnswer(207, 'Some failed, or kept attributes with noOverwrite (BatchOperationResult)', BATCH_RESULT)
  @ApiProblem(400, NOT_A_BATCH, INVALID)
  async update(@Access() access: AccessContext, @Query() query: QueryParams, @Req() request: FastifyRequest, @Body() body: unknown, @Res({ passthrough: true }) reply: FastifyReply) {
    const options = parseWriteOptions(query, ['noOverwrite']);
    return answer(reply, await this.operations.update(access, request.headers, body, options.has('noOverwrite')));
  }

  @Post('merge')
  @ApiOperation({ summary: 'Merge into existing entities ("urn:ngsi-ld:null" deletes)' })
  @ApiWrite()
  @ApiBody(ENTITY_BATCH)
  @ApiAnswer(204, 'All merged')
  @ApiAnswer(207, 'Some failed (BatchOperationResult)', BATCH_RESULT)
  @ApiProblem(400, NOT_A_BATCH, INVALID)
  async merge(@Access() access: AccessContext, @Query() query: QueryParams, @Req() request: FastifyRequest, @Body() body: unknown, @Res({ passthrough: true }) reply: FastifyReply) {
    parseWriteOptions(query, []);
    return answer(reply, await this.operations.merge(access, request.headers, body));
  }

  @Post('delete')
  @ApiWriteAccess()
  @ApiOperation({ summary: 'Delete entities by id' })
  @ApiTenant()
  @ApiBody({ schema: { ...schemaRef('EntityIdList'), minItems: 1 } })
  @ApiAnswer(204, 'All deleted')
  @ApiAnswer(207, 'Some failed (BatchOperationResult)', BATCH_RESULT)
  @ApiProblem(400, 'Not a non-empty array of strings, too many, or a body that is not JSON', INVALID)
  @ApiAnswersByDefault(...bodyProblems([PROBLEM_TYPES.ngsiLd('InvalidRequest')]))
  async delete(@Access() access: AccessContext, @Query() query: QueryParams, @Body() body: unknown, @Res({ passthrough: true }) reply: FastifyReply) {
    parseWriteOptions(query, []);
    return answer(reply, await this.operations.delete(access, body));
  }

  @Post('query')
  @HttpCode(200)
  @ApiOperation({ summary: 'Query entities, the query in the body (type "Query")' })
  @ApiPayload()
  @ApiPagingParams()
  @ApiQueryRepresentationParams()
  @ApiBody({ schema: schemaRef('Query') })
  @ApiAnswer(200, 'A page of matching entities; Link rel="next" / rel="prev" name the neighbouring pages (POST the same body there)', {
    content: { 'application/json': schemaRef('EntityList'), 'application/ld+json': schemaRef('EntityList'), 'application/geo+json': schemaRef('FeatureCollection') },
    headers: ['Link', 'NGSILD-Results-Count', 'VGDS-View'],
  })
  @ApiProblem(406, 'None of the accepted representations (Accept) is offered', [PROBLEM_TYPES.ngsiLd('InvalidRequest')])
  @ApiQueryRefused()
  async query(
    @Access() access: AccessContext,
    @Query() query: QueryParams,
    @Req() request: FastifyRequest,
    @Body() body: unknown,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<JsonObject | JsonObject[]> {
    const mediaType = acceptedMediaType(request.headers, READ_MEDIA_TYPES);
    const params = parseQueryBody(body, query, this.config);
    const context = await this.contexts.forPayload(request, body);
    const result = await this.entities.query(access, context, params);
    const answer = answerQuery(reply, mediaType, context, params, result);
    // The neighbouring pages are this request, the same body POSTed with another offset.
    addPageLinks(reply, request, { offset: params.offset, limit: params.limit, hasMore: result.hasMore });
    return answer;
  }
}

/** 207 with the BatchOperationResult when anything failed, else what went well. */
function answer(reply: FastifyReply, result: BatchResult, done: { status: number; body?: unknown } = { status: 204 }) {
  if (result.errors.length > 0) {
    void reply.status(207);
    return { success: result.success, errors: result.errors };
  }
  void reply.status(done.status);
  return done.body;
}
