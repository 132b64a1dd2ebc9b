import { Body, Controller, Delete, Get, HttpCode, Param, Patch, Post, Query, Req, Res } from '@nestjs/common';
import { ApiBody, ApiOperation, ApiParam, ApiQuery, ApiResponse, ApiTags } from '@nestjs/swagger';
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
import { ApiProblem, ApiTenant } from 'src/ngsi-ld/common/ngsi-ld.openapi';
import { RequestContexts } from 'src/ngsi-ld/common/request-contexts';
import { SUBSCRIPTION_EXAMPLE, SUBSCRIPTION_SCHEMA } from 'src/ngsi-ld/subscriptions/subscriptions.openapi';
import { SubscriptionsService } from 'src/ngsi-ld/subscriptions/subscriptions.service';

const MEDIA_TYPES = [MEDIA_JSON, MEDIA_JSON_LD];

@ApiTags('NGSI-LD subscriptions')
@ApiTenant()
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
  @ApiBody({ schema: SUBSCRIPTION_SCHEMA, examples: { bathingWater: { value: SUBSCRIPTION_EXAMPLE } } })
  @ApiResponse({ status: 201, description: 'Created; Location names it' })
  @ApiProblem(400, 'Invalid subscription, throttling or timeInterval below the broker’s bounds, or (in production) an endpoint at a private address')
  @ApiProblem(401, 'No credentials')
  @ApiProblem(409, 'AlreadyExists')
  async create(@Access() access: AccessContext, @Req() request: FastifyRequest, @Body() body: unknown, @Res({ passthrough: true }) reply: FastifyReply): Promise<void> {
    const context = await this.contexts.forPayload(request, body);
    const id = await this.subscriptions.create(access, context, body);
    void reply.header('location', `/ngsi-ld/v1/subscriptions/${encodeURIComponent(id)}`);
  }

  @Get()
  @ApiOperation({ summary: 'Subscriptions the caller owns (admins: their organisation’s)' })
  @ApiQuery({ name: 'limit', required: false })
  @ApiQuery({ name: 'offset', required: false })
  @ApiQuery({ name: 'count', required: false, description: 'true: total in NGSILD-Results-Count' })
  @ApiQuery({ name: 'options', required: false, description: 'sysAttrs' })
  @ApiResponse({ status: 200, description: 'A page of subscriptions, with their status; Link rel="next" / rel="prev" name the neighbouring pages' })
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
  @ApiParam({ name: 'subscriptionId' })
  @ApiQuery({ name: 'options', required: false, description: 'sysAttrs' })
  @ApiProblem(404, 'No such subscription, or not the caller’s')
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
  @ApiParam({ name: 'subscriptionId' })
  @ApiProblem(400, 'The subscription it would make is invalid (as for creation); or a masked secret for another host')
  @ApiProblem(404, 'No such subscription, or not the caller’s')
  async update(@Access() access: AccessContext, @Param('subscriptionId', SubscriptionIdPipe) id: string, @Req() request: FastifyRequest, @Body() body: unknown): Promise<void> {
    // Names in the fragment are read in the subscription's own @context; the check is for the media type.
    await this.contexts.forPayload(request, body, { mergePatch: true });
    await this.subscriptions.update(access, id, body);
  }

  @Delete(':subscriptionId')
  @HttpCode(204)
  @ApiOperation({ summary: 'Delete a subscription (and what it had pending)' })
  @ApiParam({ name: 'subscriptionId' })
  @ApiProblem(404, 'No such subscription, or not the caller’s')
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
