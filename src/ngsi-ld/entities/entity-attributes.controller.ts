import { Body, Controller, Delete, HttpCode, Param, Patch, Post, Put, Query, Req, Res } from '@nestjs/common';
import { ApiBody, ApiOperation, ApiParam, ApiQuery, ApiTags } from '@nestjs/swagger';
import { ApiAnswer, schemaRef } from 'src/common/openapi/openapi-answers';
import { ApiProblem, PROBLEM_TYPES } from 'src/common/problem/problem.openapi';
import { FastifyReply, FastifyRequest } from 'fastify';
import { AccessContext } from 'src/common/access/access-context';
import { Access } from 'src/common/access/access.decorator';
import { JsonObject } from 'src/jsonld/value-codec';
import { EntityIdPipe } from 'src/ngsi-ld/common/entity-id.pipe';
import { RequestContexts } from 'src/ngsi-ld/common/request-contexts';
import { ApiContextLink, ApiNgsiLdRoutes, ApiTenant, ApiWrite, ApiWriteAccess, INVALID } from 'src/ngsi-ld/common/ngsi-ld.openapi';
import { parseAttributeDeletion, parseWriteOptions, QueryParams } from 'src/ngsi-ld/entities/dto/entity-request-params';
import { EntityUpdatesService, updateResultStatus } from 'src/ngsi-ld/entities/entity-updates.service';

const ENTITY_ID = { name: 'entityId', description: 'The entity id (a URI, URL-encoded)' };
const ATTRIBUTE_ID = { name: 'attrId', description: 'The attribute name (a term of the @context, or an IRI, URL-encoded)' };
const NOT_FOUND = [PROBLEM_TYPES.ngsiLd('ResourceNotFound')];
const UPDATE_RESULT = { 'application/json': schemaRef('UpdateResult') };

@ApiTags('NGSI-LD entities')
@ApiNgsiLdRoutes()
@Controller('ngsi-ld/v1/entities/:entityId/attrs')
export class EntityAttributesController {
  constructor(
    private readonly updates: EntityUpdatesService,
    private readonly contexts: RequestContexts,
  ) {}

  @Post()
  @ApiOperation({ summary: 'Append attributes (existing ones are overwritten unless options=noOverwrite); type and scope given are added' })
  @ApiParam(ENTITY_ID)
  @ApiQuery({ name: 'options', required: false, schema: { enum: ['noOverwrite'] }, description: 'noOverwrite: keep existing attributes (reported in a 207)' })
  @ApiWrite()
  @ApiBody({ schema: schemaRef('EntityFragment') })
  @ApiAnswer(204, 'All attributes appended')
  @ApiAnswer(207, 'Some were not (UpdateResult)', { content: UPDATE_RESULT })
  @ApiProblem(404, 'No such entity, or not visible to the caller', NOT_FOUND)
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
  @ApiBody({ schema: schemaRef('EntityFragment') })
  @ApiAnswer(204, 'All attributes updated')
  @ApiAnswer(207, 'Some were not (UpdateResult)', { content: UPDATE_RESULT })
  @ApiProblem(404, 'No such entity, or not visible to the caller', NOT_FOUND)
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
  @ApiAnswer(204, 'Updated')
  @ApiProblem(400, 'Invalid members, or scope named as the attribute (BadRequestData), or a body that is not JSON (InvalidRequest)', INVALID)
  @ApiProblem(404, 'No such entity, attribute or instance', NOT_FOUND)
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
  @ApiAnswer(204, 'Replaced')
  @ApiProblem(404, 'No such entity or attribute', NOT_FOUND)
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
  @ApiQuery({ name: 'datasetId', required: false, schema: { type: 'string' }, description: 'The instance with this datasetId (a URI)' })
  @ApiQuery({ name: 'deleteAll', required: false, schema: { enum: ['true', 'false'] }, description: 'true: every instance' })
  @ApiContextLink()
  @ApiTenant()
  @ApiAnswer(204, 'Deleted')
  @ApiProblem(400, 'datasetId not a URI, datasetId with deleteAll=true, or an unknown parameter (BadRequestData, InvalidRequest)', INVALID)
  @ApiProblem(404, 'No such entity, attribute or instance', NOT_FOUND)
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
