import { Body, Controller, Delete, HttpCode, Param, Patch, Post, Put, Query, Req, Res } from '@nestjs/common';
import { ApiBody, ApiOperation, ApiParam, ApiQuery, ApiResponse, ApiTags } from '@nestjs/swagger';
import { FastifyReply, FastifyRequest } from 'fastify';
import { AccessContext } from 'src/common/access/access-context';
import { Access } from 'src/common/access/access.decorator';
import { JsonObject } from 'src/jsonld/value-codec';
import { EntityIdPipe } from 'src/ngsi-ld/common/entity-id.pipe';
import { RequestContexts } from 'src/ngsi-ld/common/request-contexts';
import { ApiContextLink, ApiProblem, ApiTenant, ApiWrite, ApiWriteAccess, UPDATE_RESULT_SCHEMA } from 'src/ngsi-ld/common/ngsi-ld.openapi';
import { parseAttributeDeletion, parseWriteOptions, QueryParams } from 'src/ngsi-ld/entities/dto/entity-request-params';
import { EntityUpdatesService, updateResultStatus } from 'src/ngsi-ld/entities/entity-updates.service';

const ENTITY_ID = { name: 'entityId', description: 'The entity id (a URI, URL-encoded)' };
const ATTRIBUTE_ID = { name: 'attrId', description: 'The attribute name (a term of the @context, or an IRI, URL-encoded)' };

@ApiTags('NGSI-LD entities')
@Controller('ngsi-ld/v1/entities/:entityId/attrs')
export class EntityAttributesController {
  constructor(
    private readonly updates: EntityUpdatesService,
    private readonly contexts: RequestContexts,
  ) {}

  @Post()
  @ApiOperation({ summary: 'Append attributes (existing ones are overwritten unless options=noOverwrite); type and scope given are added' })
  @ApiParam(ENTITY_ID)
  @ApiQuery({ name: 'options', type: String, required: false, description: 'noOverwrite' })
  @ApiWrite()
  @ApiBody({ schema: { type: 'object', description: 'An entity fragment: attributes, optionally type and scope' } })
  @ApiResponse({ status: 204, description: 'All attributes appended' })
  @ApiResponse({ status: 207, description: 'Some were not (UpdateResult)', schema: UPDATE_RESULT_SCHEMA })
  @ApiProblem(400, 'Invalid fragment')
  @ApiProblem(404, 'ResourceNotFound')
  async append(
    @Access() access: AccessContext,
    @Param('entityId', EntityIdPipe) id: string,
    @Query() query: QueryParams,
    @Req() request: FastifyRequest,
    @Body() body: unknown,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<JsonObject | undefined> {
    const options = parseWriteOptions(query, ['noOverwrite']);
    const context = await this.contexts.forPayload(request, body);
    const { status, body: result } = updateResultStatus(
      await this.updates.appendAttributes(access, context, id, body, options.has('noOverwrite')),
    );
    void reply.status(status);
    return result;
  }

  @Patch()
  @ApiOperation({ summary: 'Update attributes that exist (the others are reported); "urn:ngsi-ld:null" deletes; type given is added, scope replaced' })
  @ApiParam(ENTITY_ID)
  @ApiWrite()
  @ApiBody({ schema: { type: 'object', description: 'An entity fragment' } })
  @ApiResponse({ status: 204, description: 'All attributes updated' })
  @ApiResponse({ status: 207, description: 'Some were not (UpdateResult)', schema: UPDATE_RESULT_SCHEMA })
  @ApiProblem(400, 'Invalid fragment')
  @ApiProblem(404, 'ResourceNotFound')
  async update(
    @Access() access: AccessContext,
    @Param('entityId', EntityIdPipe) id: string,
    @Query() query: QueryParams,
    @Req() request: FastifyRequest,
    @Body() body: unknown,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<JsonObject | undefined> {
    parseWriteOptions(query, []);
    const context = await this.contexts.forPayload(request, body);
    const { status, body: result } = updateResultStatus(await this.updates.updateAttributes(access, context, id, body));
    void reply.status(status);
    return result;
  }

  @Patch(':attrId')
  @HttpCode(204)
  @ApiOperation({ summary: 'Partial attribute update: the members given change, the rest stay; "urn:ngsi-ld:null" deletes a sub-attribute, or the instance as its value' })
  @ApiParam(ENTITY_ID)
  @ApiParam(ATTRIBUTE_ID)
  @ApiWrite()
  @ApiBody({ schema: { type: 'object', description: 'Members of one attribute instance (value, observedAt, datasetId...)' } })
  @ApiResponse({ status: 204, description: 'Updated' })
  @ApiProblem(400, 'Invalid members, or scope named as the attribute')
  @ApiProblem(404, 'No such entity, attribute or instance')
  async updateAttribute(
    @Access() access: AccessContext,
    @Param('entityId', EntityIdPipe) id: string,
    @Param('attrId') name: string,
    @Query() query: QueryParams,
    @Req() request: FastifyRequest,
    @Body() body: unknown,
  ): Promise<void> {
    parseWriteOptions(query, []);
    const context = await this.contexts.forPayload(request, body);
    await this.updates.updateAttribute(access, context, id, name, withoutContext(body));
  }

  @Put(':attrId')
  @HttpCode(204)
  @ApiOperation({ summary: 'Replace an attribute' })
  @ApiParam(ENTITY_ID)
  @ApiParam(ATTRIBUTE_ID)
  @ApiWrite()
  @ApiBody({ schema: { type: 'object', description: 'The attribute (one instance, or an array of instances)' } })
  @ApiResponse({ status: 204, description: 'Replaced' })
  @ApiProblem(404, 'No such entity or attribute')
  async replaceAttribute(
    @Access() access: AccessContext,
    @Param('entityId', EntityIdPipe) id: string,
    @Param('attrId') name: string,
    @Query() query: QueryParams,
    @Req() request: FastifyRequest,
    @Body() body: unknown,
  ): Promise<void> {
    parseWriteOptions(query, []);
    const context = await this.contexts.forPayload(request, body);
    await this.updates.replaceAttribute(access, context, id, name, withoutContext(body));
  }

  @Delete(':attrId')
  @ApiWriteAccess()
  @HttpCode(204)
  @ApiOperation({ summary: 'Delete an attribute (the default instance, one datasetId, or all)' })
  @ApiParam(ENTITY_ID)
  @ApiParam(ATTRIBUTE_ID)
  @ApiQuery({ name: 'datasetId', type: String, required: false })
  @ApiQuery({ name: 'deleteAll', type: String, required: false, description: 'true: every instance' })
  @ApiContextLink()
  @ApiTenant()
  @ApiResponse({ status: 204, description: 'Deleted' })
  @ApiProblem(404, 'No such entity, attribute or instance')
  async deleteAttribute(
    @Access() access: AccessContext,
    @Param('entityId', EntityIdPipe) id: string,
    @Param('attrId') name: string,
    @Query() query: QueryParams,
    @Req() request: FastifyRequest,
  ): Promise<void> {
    const selection = parseAttributeDeletion(query);
    const context = await this.contexts.forRead(request);
    await this.updates.deleteAttribute(access, context, id, name, selection);
  }
}

/** A replaced attribute sent as application/ld+json carries the @context beside its members. */
function withoutContext(body: unknown): unknown {
  if (typeof body !== 'object' || body === null || Array.isArray(body) || !('@context' in body)) return body;
  const { '@context': _context, ...attribute } = body as Record<string, unknown>;
  return attribute;
}
