import { Body, Controller, Delete, Get, HttpCode, Param, Post, Query, Req, Res } from '@nestjs/common';
import { ApiBody, ApiOperation, ApiParam, ApiQuery, ApiResponse, ApiTags } from '@nestjs/swagger';
import { FastifyReply, FastifyRequest } from 'fastify';
import { Access } from 'src/common/access/access.decorator';
import { booleanParam, checkNgsiLdQueryNames } from 'src/common/http/query-params';
import { AccessContext } from 'src/common/access/access-context';
import { BadRequestData } from 'src/common/problem/ngsi-ld-errors';
import { acceptedMediaType, MEDIA_JSON, MEDIA_JSON_LD } from 'src/ngsi-ld/common/json-ld-request';
import { ApiProblem } from 'src/ngsi-ld/common/ngsi-ld.openapi';
import { QueryParams } from 'src/ngsi-ld/entities/dto/entity-request-params';
import { CONTEXT_KINDS, ContextKind, JsonLdContextsService } from 'src/ngsi-ld/contexts/jsonld-contexts.service';

/** Serving and managing @contexts (clauses 6.29, 6.30). Contexts belong to the broker, not to a tenant. */
@ApiTags('NGSI-LD @contexts')
@Controller('ngsi-ld/v1/jsonldContexts')
export class JsonLdContextsController {
  constructor(private readonly contexts: JsonLdContextsService) {}

  @Post()
  @ApiOperation({ summary: 'Host a @context; it is then served at the URL in Location' })
  @ApiBody({ schema: { type: 'object', required: ['@context'], properties: { '@context': {} } } })
  @ApiResponse({ status: 201, description: 'Hosted' })
  @ApiProblem(400, 'Not a usable @context')
  @ApiProblem(401, 'Anonymous: hosting needs credentials')
  @ApiProblem(403, 'Only writers and admins host @contexts', 'urn:vg-datashare:problem:forbidden')
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
  @ApiQuery({ name: 'details', type: String, required: false })
  @ApiQuery({ name: 'kind', type: String, required: false, description: 'Hosted, Cached or ImplicitlyCreated' })
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
  @ApiParam({ name: 'contextId', description: 'Local id, or the URL-encoded URL' })
  @ApiQuery({ name: 'details', type: String, required: false })
  @ApiResponse({ status: 200, description: 'The context document' })
  @ApiProblem(400, 'Neither a local id nor a URL')
  @ApiProblem(404, 'Not hosted or cached here')
  async get(@Param('contextId') contextId: string, @Query() query: QueryParams, @Req() request: FastifyRequest, @Res({ passthrough: true }) reply: FastifyReply) {
    checkNgsiLdQueryNames(query, ['details']);
    if (booleanParam(query.details, 'details')) return this.contexts.details(await this.contexts.find(contextId));
    void reply.header('content-type', acceptedMediaType(request.headers, [MEDIA_JSON_LD, MEDIA_JSON]));
    return this.contexts.document(contextId);
  }

  @Delete(':contextId')
  @HttpCode(204)
  @ApiOperation({ summary: 'Delete a hosted @context, or drop a cached one (reload=true: fetch it again)' })
  @ApiParam({ name: 'contextId', description: 'Local id, or the URL-encoded URL' })
  @ApiQuery({ name: 'reload', type: String, required: false })
  @ApiResponse({ status: 204, description: 'Deleted' })
  @ApiProblem(400, 'Neither a local id nor a URL; a core context; or reload=true for a hosted context')
  @ApiProblem(404, 'Not hosted or cached here')
  @ApiProblem(503, 'reload=true and the context cannot be fetched')
  async remove(@Access() access: AccessContext, @Param('contextId') contextId: string, @Query() query: QueryParams): Promise<void> {
    checkNgsiLdQueryNames(query, ['reload']);
    await this.contexts.remove(access, contextId, booleanParam(query.reload, 'reload'));
  }
}
