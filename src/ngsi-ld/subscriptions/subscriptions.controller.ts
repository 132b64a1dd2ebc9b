import { Body, Controller, Delete, Get, HttpCode, Param, Patch, Post, Query, Req, Res } from '@nestjs/common';
import { ApiBody, ApiOperation, ApiParam, ApiQuery, ApiTags } from '@nestjs/swagger';
import { ApiAnswer, schemaRef } from 'src/common/openapi/openapi-answers';
import { ApiProblem, PROBLEM_TYPES } from 'src/common/problem/problem.openapi';
import { FastifyReply, FastifyRequest } from 'fastify';
import { Access } from 'src/common/access/access.decorator';
import { AccessContext } from 'src/common/access/access-context';
import { BadRequestData, InvalidRequest } from 'src/common/problem/ngsi-ld-errors';
import { booleanParam, checkNgsiLdQueryNames } from 'src/common/http/query-params';
import { JsonObject } from 'src/jsonld/value-codec';
import { SubscriptionIdPipe } from 'src/ngsi-ld/common/entity-id.pipe';
import { acceptedMediaType, MEDIA_JSON, MEDIA_JSON_LD } from 'src/ngsi-ld/common/json-ld-request';
import { withContext } from 'src/ngsi-ld/common/json-ld-response';
import { addPageLinks } from 'src/ngsi-ld/common/page-links';
import { ApiNgsiLdRoutes, ApiPayload, ApiTenant, INVALID, jsonAndJsonLd } from 'src/ngsi-ld/common/ngsi-ld.openapi';
import { RequestContexts } from 'src/ngsi-ld/common/request-contexts';
import { SubscriptionsService } from 'src/ngsi-ld/subscriptions/subscriptions.service';

const MEDIA_TYPES = [MEDIA_JSON, MEDIA_JSON_LD];
const NOT_FOUND = [PROBLEM_TYPES.ngsiLd('ResourceNotFound')];
const NOT_ACCEPTABLE = [PROBLEM_TYPES.ngsiLd('InvalidRequest')];
const SUBSCRIPTION_ID = { name: 'subscriptionId', description: 'The subscription id (a URI, URL-encoded)' };
const SYS_ATTRS = { name: 'options', required: false, schema: { enum: ['sysAttrs'] }, description: 'sysAttrs: createdAt and modifiedAt' };

@ApiTags('NGSI-LD subscriptions')
@ApiTenant()
@ApiNgsiLdRoutes()
@Controller('ngsi-ld/v1/subscriptions')
export class SubscriptionsController {
  constructor(
    private readonly subscriptions: SubscriptionsService,
    private readonly contexts: RequestContexts,
  ) {}

  @Post()
  @HttpCode(201)
  @ApiOperation({
    summary: 'Create a subscription',
    description: 'Notifications go to notification.endpoint.uri: http(s):// (POST) or mqtt(s)://host[:port]/topic. Needs credentials; what each notification carries is decided when it is sent.',
  })
  @ApiPayload()
  @ApiBody({ schema: schemaRef('Subscription') })
  @ApiAnswer(201, 'Created; Location names it', { headers: ['Location'] })
  @ApiProblem(
    400,
    'Invalid subscription (BadRequestData): a bad member, a q or geoQ that does not parse, throttling or timeInterval below the broker’s bounds, (in production) an endpoint at a private address; or an unknown member (InvalidRequest)',
    INVALID,
  )
  @ApiProblem(401, 'No credentials (subscribing needs them), or credentials not valid', [PROBLEM_TYPES.unauthorized], ['WWW-Authenticate'])
  @ApiProblem(409, 'A subscription with this id exists', [PROBLEM_TYPES.ngsiLd('AlreadyExists')])
  async create(@Access() access: AccessContext, @Req() request: FastifyRequest, @Body() body: unknown, @Res({ passthrough: true }) reply: FastifyReply): Promise<void> {
    const context = await this.contexts.forPayload(request, body);
    const id = await this.subscriptions.create(access, context, body);
    void reply.header('location', `/ngsi-ld/v1/subscriptions/${encodeURIComponent(id)}`);
  }

  @Get()
  @ApiOperation({ summary: 'Subscriptions the caller owns (admins: their organisation’s)' })
  @ApiQuery({ name: 'limit', required: false, schema: { type: 'integer', minimum: 1, maximum: 1000, default: 20 } })
  @ApiQuery({ name: 'offset', required: false, schema: { type: 'integer', minimum: 0 } })
  @ApiQuery({ name: 'count', required: false, schema: { enum: ['true', 'false'] }, description: 'true: the total in NGSILD-Results-Count' })
  @ApiQuery(SYS_ATTRS)
  @ApiAnswer(200, 'A page of subscriptions, with their status; each in its own @context', {
    content: jsonAndJsonLd(schemaRef('SubscriptionList')),
    headers: ['PageLink', 'NGSILD-Results-Count'],
  })
  @ApiProblem(400, 'An unknown parameter or option (InvalidRequest), or a bad value (BadRequestData)', INVALID)
  @ApiProblem(406, 'None of the accepted representations (Accept) is offered', NOT_ACCEPTABLE)
  async list(@Access() access: AccessContext, @Query() query: Record<string, unknown>, @Req() request: FastifyRequest, @Res({ passthrough: true }) reply: FastifyReply): Promise<JsonObject[]> {
    const mediaType = acceptedMediaType(request.headers, MEDIA_TYPES);
    const { limit, offset, count, sysAttrs } = listParams(query);
    const { views, total } = await this.subscriptions.list(access, limit, offset, sysAttrs);
    if (count) void reply.header('ngsild-results-count', String(total));
    addPageLinks(reply, request, { offset, limit, hasMore: offset + views.length < total });
    void reply.header('content-type', mediaType);
    // Each subscription is in its own @context: inline for JSON-LD, else names as their owners wrote them.
    return views.map((view) => (mediaType === MEDIA_JSON_LD ? { '@context': (view.context.userContext ?? view.context.coreContextUrl) as JsonObject, ...view.body } : view.body));
  }

  @Get(':subscriptionId')
  @ApiOperation({
    summary: 'Retrieve a subscription with its delivery status',
    description: 'In notification: status (once a notification was attempted), timesSent, timesFailed, lastSuccess, lastFailure, lastFailureReason, pendingNotifications. Endpoint secrets are masked.',
  })
  @ApiParam(SUBSCRIPTION_ID)
  @ApiQuery(SYS_ATTRS)
  @ApiAnswer(200, 'The subscription, in its own @context', { content: jsonAndJsonLd(schemaRef('Subscription')), headers: ['Link'] })
  @ApiProblem(400, 'An id that is not a URI, or an unknown parameter or option (BadRequestData, InvalidRequest)', INVALID)
  @ApiProblem(404, 'No such subscription, or not the caller’s', NOT_FOUND)
  @ApiProblem(406, 'None of the accepted representations (Accept) is offered', NOT_ACCEPTABLE)
  async retrieve(
    @Access() access: AccessContext,
    @Param('subscriptionId', SubscriptionIdPipe) id: string,
    @Query() query: Record<string, unknown>,
    @Req() request: FastifyRequest,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<JsonObject> {
    const mediaType = acceptedMediaType(request.headers, MEDIA_TYPES);
    checkNgsiLdQueryNames(query, ['options']);
    const view = await this.subscriptions.retrieve(access, id, sysAttrsOption(query));
    return withContext(reply, mediaType, view.context, view.body);
  }

  @Patch(':subscriptionId')
  @HttpCode(204)
  @ApiOperation({ summary: 'Update a subscription: given members replace stored ones; notification and endpoint members are merged; null removes a member' })
  @ApiParam(SUBSCRIPTION_ID)
  @ApiPayload('application/merge-patch+json')
  @ApiBody({ schema: schemaRef('SubscriptionFragment') })
  @ApiAnswer(204, 'Updated')
  @ApiProblem(400, 'The subscription it would make is invalid (as for creation), or a masked secret for another host (BadRequestData); an unknown member (InvalidRequest)', INVALID)
  @ApiProblem(404, 'No such subscription, or not the caller’s', NOT_FOUND)
  async update(@Access() access: AccessContext, @Param('subscriptionId', SubscriptionIdPipe) id: string, @Req() request: FastifyRequest, @Body() body: unknown): Promise<void> {
    // Names in the fragment are read in the subscription's own @context; the check is for the media type.
    await this.contexts.forPayload(request, body, { mergePatch: true });
    await this.subscriptions.update(access, id, body);
  }

  @Delete(':subscriptionId')
  @HttpCode(204)
  @ApiOperation({ summary: 'Delete a subscription (and what it had pending)' })
  @ApiParam(SUBSCRIPTION_ID)
  @ApiAnswer(204, 'Deleted')
  @ApiProblem(400, 'An id that is not a URI (BadRequestData)', INVALID)
  @ApiProblem(404, 'No such subscription, or not the caller’s', NOT_FOUND)
  async delete(@Access() access: AccessContext, @Param('subscriptionId', SubscriptionIdPipe) id: string): Promise<void> {
    await this.subscriptions.delete(access, id);
  }
}

function listParams(query: Record<string, unknown>): { limit: number; offset: number; count: boolean; sysAttrs: boolean } {
  checkNgsiLdQueryNames(query, ['limit', 'offset', 'count', 'options']);
  const integer = (name: string, fallback: number, min: number, max: number): number => {
    const text = query[name] as string | undefined;
    if (text === undefined) return fallback;
    if (!/^\d+$/.test(text) || Number(text) < min || Number(text) > max) throw new BadRequestData(`${name} must be an integer from ${min} to ${max}`);
    return Number(text);
  };
  // NGSI-LD's page size default (20), not the /api/v1 one (parsePaging's 100).
  return {
    limit: integer('limit', 20, 1, 1000),
    offset: integer('offset', 0, 0, Number.MAX_SAFE_INTEGER),
    count: booleanParam(query.count, 'count'),
    sysAttrs: sysAttrsOption(query),
  };
}

function sysAttrsOption(query: Record<string, unknown>): boolean {
  const options = ((query.options as string | undefined) ?? '').split(',').filter((o) => o !== '');
  for (const option of options) if (option !== 'sysAttrs') throw new InvalidRequest(`Unknown option "${option}"; subscriptions take sysAttrs`);
  return options.includes('sysAttrs');
}
