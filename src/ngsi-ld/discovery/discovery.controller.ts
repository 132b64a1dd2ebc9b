import { Controller, Get, Param, Query, Req, Res } from '@nestjs/common';
import { ApiOperation, ApiParam, ApiQuery, ApiResponse, ApiTags } from '@nestjs/swagger';
import { FastifyReply, FastifyRequest } from 'fastify';
import { AccessContext } from 'src/common/access/access-context';
import { Access } from 'src/common/access/access.decorator';
import { booleanParam, checkNgsiLdQueryNames } from 'src/common/http/query-params';
import { JsonObject } from 'src/jsonld/value-codec';
import { acceptedMediaType, MEDIA_JSON, MEDIA_JSON_LD } from 'src/ngsi-ld/common/json-ld-request';
import { RequestContexts } from 'src/ngsi-ld/common/request-contexts';
import { withContext } from 'src/ngsi-ld/common/json-ld-response';
import { ApiProblem, ApiReadHeaders } from 'src/ngsi-ld/common/ngsi-ld.openapi';
import { QueryParams } from 'src/ngsi-ld/entities/dto/entity-request-params';
import { DiscoveryService } from 'src/ngsi-ld/discovery/discovery.service';

const MEDIA_TYPES = [MEDIA_JSON, MEDIA_JSON_LD];

/** Which entity types and attributes exist (clauses 6.25 to 6.28). */
@ApiTags('NGSI-LD discovery')
@Controller('ngsi-ld/v1')
export class DiscoveryController {
  constructor(
    private readonly discovery: DiscoveryService,
    private readonly contexts: RequestContexts,
  ) {}

  @Get('types')
  @ApiOperation({ summary: 'Entity types (EntityTypeList; details=true: EntityType per type)' })
  @ApiReadHeaders()
  @ApiQuery({ name: 'details', type: String, required: false })
  @ApiResponse({ status: 200, description: 'The types' })
  async types(@Access() access: AccessContext, @Query() query: QueryParams, @Req() request: FastifyRequest, @Res({ passthrough: true }) reply: FastifyReply) {
    const mediaType = acceptedMediaType(request.headers, MEDIA_TYPES);
    const details = detailsOf(query);
    const context = await this.contexts.forRead(request);
    return withContext(reply, mediaType, context, await this.discovery.types(access, context, details));
  }

  @Get('types/:type')
  @ApiOperation({ summary: 'One entity type (EntityTypeInfo: entity count, attributes and their kinds)' })
  @ApiReadHeaders()
  @ApiParam({ name: 'type', description: 'A type name of the @context, or an IRI (URL-encoded)' })
  @ApiResponse({ status: 200, description: 'EntityTypeInfo' })
  @ApiProblem(404, 'No entity has this type')
  async type(@Access() access: AccessContext, @Param('type') type: string, @Query() query: QueryParams, @Req() request: FastifyRequest, @Res({ passthrough: true }) reply: FastifyReply) {
    const mediaType = acceptedMediaType(request.headers, MEDIA_TYPES);
    detailsOf(query, false);
    const context = await this.contexts.forRead(request);
    return withContext(reply, mediaType, context, await this.discovery.type(access, context, type));
  }

  @Get('attributes')
  @ApiOperation({ summary: 'Attributes (AttributeList; details=true: Attribute per attribute)' })
  @ApiReadHeaders()
  @ApiQuery({ name: 'details', type: String, required: false })
  @ApiResponse({ status: 200, description: 'The attributes' })
  async attributes(@Access() access: AccessContext, @Query() query: QueryParams, @Req() request: FastifyRequest, @Res({ passthrough: true }) reply: FastifyReply) {
    const mediaType = acceptedMediaType(request.headers, MEDIA_TYPES);
    const details = detailsOf(query);
    const context = await this.contexts.forRead(request);
    return withContext(reply, mediaType, context, await this.discovery.attributes(access, context, details));
  }

  @Get('attributes/:attrId')
  @ApiOperation({ summary: 'One attribute (Attribute: instance count, kinds, entity types)' })
  @ApiReadHeaders()
  @ApiParam({ name: 'attrId', description: 'An attribute name of the @context, or an IRI (URL-encoded)' })
  @ApiResponse({ status: 200, description: 'Attribute' })
  @ApiProblem(404, 'No entity has this attribute')
  async attribute(@Access() access: AccessContext, @Param('attrId') name: string, @Query() query: QueryParams, @Req() request: FastifyRequest, @Res({ passthrough: true }) reply: FastifyReply): Promise<JsonObject> {
    const mediaType = acceptedMediaType(request.headers, MEDIA_TYPES);
    detailsOf(query, false);
    const context = await this.contexts.forRead(request);
    return withContext(reply, mediaType, context, await this.discovery.attributeInfo(access, context, name));
  }
}

function detailsOf(query: QueryParams, allowed = true): boolean {
  checkNgsiLdQueryNames(query, allowed ? ['details'] : []);
  return booleanParam(query.details, 'details');
}
