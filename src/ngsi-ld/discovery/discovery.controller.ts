import { Controller, Get, Param, Query, Req, Res } from '@nestjs/common';
import { ApiOperation, ApiParam, ApiQuery, ApiTags } from '@nestjs/swagger';
import { ApiAnswer, schemaRef } from 'src/common/openapi/openapi-answers';
import { ApiProblem, PROBLEM_TYPES } from 'src/common/problem/problem.openapi';
import { FastifyReply, FastifyRequest } from 'fastify';
import { AccessContext } from 'src/common/access/access-context';
import { Access } from 'src/common/access/access.decorator';
import { booleanParam, checkNgsiLdQueryNames } from 'src/common/http/query-params';
import { JsonObject } from 'src/jsonld/value-codec';
import { acceptedMediaType, MEDIA_JSON, MEDIA_JSON_LD } from 'src/ngsi-ld/common/json-ld-request';
import { RequestContexts } from 'src/ngsi-ld/common/request-contexts';
import { withContext } from 'src/ngsi-ld/common/json-ld-response';
import { ApiNgsiLdRoutes, ApiReadHeaders, jsonAndJsonLd } from 'src/ngsi-ld/common/ngsi-ld.openapi';
import { QueryParams } from 'src/ngsi-ld/entities/dto/entity-request-params';
import { DiscoveryService } from 'src/ngsi-ld/discovery/discovery.service';

const MEDIA_TYPES = [MEDIA_JSON, MEDIA_JSON_LD];
const DETAILS = { name: 'details', required: false, schema: { enum: ['true', 'false'] }, description: 'true: the details of each' };
const NOT_FOUND = [PROBLEM_TYPES.ngsiLd('ResourceNotFound'), PROBLEM_TYPES.ngsiLd('NonexistentTenant')];
const either = (list: string, details: string) => ({ oneOf: [schemaRef(list), schemaRef(details)] });

/** Which entity types and attributes exist (clauses 6.25 to 6.28). */
@ApiTags('NGSI-LD discovery')
@ApiNgsiLdRoutes()
@Controller('ngsi-ld/v1')
export class DiscoveryController {
  constructor(
    private readonly discovery: DiscoveryService,
    private readonly contexts: RequestContexts,
  ) {}

  @Get('types')
  @ApiOperation({ summary: 'Entity types (EntityTypeList; details=true: EntityType per type)' })
  @ApiReadHeaders()
  @ApiQuery(DETAILS)
  @ApiAnswer(200, 'The types the caller may see: an EntityTypeList, or with details=true an EntityType per type', {
    content: jsonAndJsonLd(either('EntityTypeList', 'EntityTypeDetailList')),
    headers: ['Link'],
  })
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
  @ApiAnswer(200, 'EntityTypeInfo', { content: jsonAndJsonLd(schemaRef('EntityTypeInfo')), headers: ['Link'] })
  @ApiProblem(404, 'No entity the caller may see has this type; or a tenant nothing was written to', NOT_FOUND)
  async type(@Access() access: AccessContext, @Param('type') type: string, @Query() query: QueryParams, @Req() request: FastifyRequest, @Res({ passthrough: true }) reply: FastifyReply) {
    const mediaType = acceptedMediaType(request.headers, MEDIA_TYPES);
    detailsOf(query, false);
    const context = await this.contexts.forRead(request);
    return withContext(reply, mediaType, context, await this.discovery.type(access, context, type));
  }

  @Get('attributes')
  @ApiOperation({ summary: 'Attributes (AttributeList; details=true: Attribute per attribute)' })
  @ApiReadHeaders()
  @ApiQuery(DETAILS)
  @ApiAnswer(200, 'The attributes the caller may see: an AttributeList, or with details=true an Attribute per attribute', {
    content: jsonAndJsonLd(either('AttributeList', 'AttributeDetailList')),
    headers: ['Link'],
  })
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
  @ApiAnswer(200, 'Attribute', { content: jsonAndJsonLd(schemaRef('Attribute')), headers: ['Link'] })
  @ApiProblem(404, 'No entity the caller may see has this attribute; or a tenant nothing was written to', NOT_FOUND)
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
