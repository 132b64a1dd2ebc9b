import { Body, Controller, Delete, Get, HttpCode, Param, Post, Query, Req, Res } from '@nestjs/common';
import { ApiBody, ApiOperation, ApiParam, ApiQuery, ApiTags } from '@nestjs/swagger';
import { ApiAnswer, ApiAnswersByDefault, arrayOf, schemaRef } from 'src/common/openapi/openapi-answers';
import { ApiProblem, bodyProblems, PROBLEM_TYPES } from 'src/common/problem/problem.openapi';
import { FastifyReply, FastifyRequest } from 'fastify';
import { Access } from 'src/common/access/access.decorator';
import { booleanParam, checkNgsiLdQueryNames } from 'src/common/http/query-params';
import { AccessContext } from 'src/common/access/access-context';
import { BadRequestData } from 'src/common/problem/ngsi-ld-errors';
import { acceptedMediaType, MEDIA_JSON, MEDIA_JSON_LD } from 'src/ngsi-ld/common/json-ld-request';
import { ApiNgsiLdRoutes, INVALID } from 'src/ngsi-ld/common/ngsi-ld.openapi';
import { QueryParams } from 'src/ngsi-ld/entities/dto/entity-request-params';
import { CONTEXT_KINDS, ContextKind, JsonLdContextsService } from 'src/ngsi-ld/contexts/jsonld-contexts.service';

/** Serving and managing @contexts (clauses 6.29, 6.30). Contexts belong to the broker, not to a tenant. */
const DETAILS = { name: 'details', required: false, schema: { enum: ['true', 'false'] }, description: 'true: LdContextInformation instead of the URL or document' };
const NOT_FOUND = [PROBLEM_TYPES.ngsiLd('ResourceNotFound')];
const CONTEXT_ID = { name: 'contextId', description: 'Local id, or the URL-encoded URL' };

@ApiTags('NGSI-LD @contexts')
@ApiNgsiLdRoutes()
@Controller('ngsi-ld/v1/jsonldContexts')
export class JsonLdContextsController {
  constructor(private readonly contexts: JsonLdContextsService) {}

  @Post()
  @ApiOperation({ summary: 'Host a @context; it is then served at the URL in Location' })
  @ApiBody({ schema: schemaRef('JsonLdContextDocument') })
  @ApiAnswer(201, 'Hosted; Location is its URL', { headers: ['Location'] })
  @ApiProblem(400, 'Not a usable @context, not sent as application/json or application/ld+json (BadRequestData), or not JSON (InvalidRequest)', INVALID)
  @ApiProblem(401, 'Anonymous: hosting needs credentials; or credentials not valid', [PROBLEM_TYPES.unauthorized], ['WWW-Authenticate'])
  @ApiProblem(403, 'Only writers and admins host @contexts', [PROBLEM_TYPES.forbidden])
  @ApiProblem(
    503,
    'LdContextNotAvailable: a context it imports cannot be fetched now; or the database cannot be reached at the moment (nothing was changed): try again after Retry-After',
    [PROBLEM_TYPES.ngsiLd('LdContextNotAvailable'), PROBLEM_TYPES.databaseUnavailable],
    ['Retry-After'],
  )
  @ApiAnswersByDefault(...bodyProblems([PROBLEM_TYPES.ngsiLd('InvalidRequest')]))
  async host(@Access() access: AccessContext, @Query() query: QueryParams, @Req() request: FastifyRequest, @Body() body: unknown, @Res({ passthrough: true }) reply: FastifyReply): Promise<void> {
    checkNgsiLdQueryNames(query, []);
    const type = (request.headers['content-type'] ?? '').split(';')[0].trim();
    if (type !== MEDIA_JSON && type !== MEDIA_JSON_LD) {
      throw new BadRequestData('A @context is sent as application/json or application/ld+json');
    }
    void reply.status(201).header('location', await this.contexts.host(access, body));
  }

  @Get()
  @ApiOperation({ summary: 'The @contexts hosted and cached here (their URLs; details=true: LdContextInformation, numberOfHits: requests that used it and times it was served)' })
  @ApiQuery(DETAILS)
  @ApiQuery({ name: 'kind', required: false, schema: { enum: ['Hosted', 'Cached', 'ImplicitlyCreated'] } })
  @ApiAnswer(200, 'Their URLs, or with details=true their LdContextInformation', {
    content: { 'application/json': { anyOf: [{ type: 'array', items: { type: 'string', format: 'uri' } }, arrayOf('LdContextInformation')] } },
  })
  @ApiProblem(400, 'An unknown parameter (InvalidRequest), or a bad value (BadRequestData)', INVALID)
  async list(@Query() query: QueryParams) {
    checkNgsiLdQueryNames(query, ['details', 'kind']);
    const details = booleanParam(query.details, 'details');
    const { kind } = query as Record<string, string | undefined>;
    if (kind !== undefined && !CONTEXT_KINDS.includes(kind as ContextKind)) {
      throw new BadRequestData(`kind must be one of ${CONTEXT_KINDS.join(', ')}`);
    }
    const entries = await this.contexts.list(kind as ContextKind | undefined);
    return details ? entries.map((entry) => this.contexts.details(entry)) : entries.map((entry) => entry.url);
  }

  @Get(':contextId')
  @ApiOperation({ summary: 'A @context by local id or URL (details=true: LdContextInformation)' })
  @ApiParam(CONTEXT_ID)
  @ApiQuery(DETAILS)
  @ApiAnswer(200, 'The context document, or with details=true its LdContextInformation (application/json)', {
    content: { 'application/ld+json': schemaRef('JsonLdContextDocument'), 'application/json': { oneOf: [schemaRef('JsonLdContextDocument'), schemaRef('LdContextInformation')] } },
  })
  @ApiProblem(400, 'Neither a local id nor a URL, or an unknown parameter (BadRequestData, InvalidRequest)', INVALID)
  @ApiProblem(404, 'Not hosted or cached here', NOT_FOUND)
  @ApiProblem(406, 'None of the accepted representations (Accept) is offered', [PROBLEM_TYPES.ngsiLd('InvalidRequest')])
  async get(@Param('contextId') contextId: string, @Query() query: QueryParams, @Req() request: FastifyRequest, @Res({ passthrough: true }) reply: FastifyReply) {
    checkNgsiLdQueryNames(query, ['details']);
    if (booleanParam(query.details, 'details')) return this.contexts.details(await this.contexts.find(contextId));
    void reply.header('content-type', acceptedMediaType(request.headers, [MEDIA_JSON_LD, MEDIA_JSON]));
    return this.contexts.document(contextId);
  }

  @Delete(':contextId')
  @HttpCode(204)
  @ApiOperation({ summary: 'Delete a hosted @context, or drop a cached one (reload=true: fetch it again)' })
  @ApiParam(CONTEXT_ID)
  @ApiQuery({ name: 'reload', required: false, schema: { enum: ['true', 'false'] }, description: 'true: fetch a cached context again' })
  @ApiAnswer(204, 'Deleted')
  @ApiProblem(400, 'Neither a local id nor a URL; a core context; reload=true for a hosted context; or an unknown parameter', INVALID)
  @ApiProblem(401, 'Anonymous: needs credentials; or credentials not valid', [PROBLEM_TYPES.unauthorized], ['WWW-Authenticate'])
  @ApiProblem(403, 'Only writers and admins manage @contexts', [PROBLEM_TYPES.forbidden])
  @ApiProblem(404, 'Not hosted or cached here', NOT_FOUND)
  @ApiProblem(
    503,
    'reload=true and the context cannot be fetched (LdContextNotAvailable); or the database cannot be reached at the moment: try again after Retry-After',
    [PROBLEM_TYPES.ngsiLd('LdContextNotAvailable'), PROBLEM_TYPES.databaseUnavailable],
    ['Retry-After'],
  )
  async remove(@Access() access: AccessContext, @Param('contextId') contextId: string, @Query() query: QueryParams): Promise<void> {
    checkNgsiLdQueryNames(query, ['reload']);
    await this.contexts.remove(access, contextId, booleanParam(query.reload, 'reload'));
  }
}
