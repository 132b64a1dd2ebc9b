import { Body, Controller, Delete, Get, HttpCode, Param, Post, Query, Res } from '@nestjs/common';
import { ApiOperation, ApiParam, ApiQuery, ApiTags } from '@nestjs/swagger';
import { FastifyReply } from 'fastify';
import { Access } from 'src/common/access/access.decorator';
import { AccessContext } from 'src/common/access/access-context';
import { booleanParam, checkQueryNames } from 'src/common/http/query-params';
import { ApiGovernanceProblems, ApiJsonBody } from 'src/governance/governance.openapi';
import { ApiAnswer, ApiJsonAnswer, schemaRef } from 'src/common/openapi/openapi-answers';
import { GrantsService } from 'src/governance/grants/grants.service';

@ApiTags('Datasets')
@ApiGovernanceProblems()
@ApiParam({ name: 'datasetId', format: 'uuid' })
@Controller('api/v1/datasets/:datasetId/grants')
export class GrantsController {
  constructor(private readonly grants: GrantsService) {}

  @Post()
  @ApiOperation({ summary: 'Grant read access to an organisation or a principal (admins of the dataset organisation)' })
  @ApiJsonBody(schemaRef('NewGrant'))
  @ApiJsonAnswer(201, 'Granted; Location names the grant', schemaRef('Grant'), { headers: ['Location'] })
  @ApiJsonAnswer(200, 'The same grant was active already: that grant', schemaRef('Grant'), { headers: ['Location'] })
  async create(@Access() access: AccessContext, @Param('datasetId') datasetId: string, @Body() body: unknown, @Res({ passthrough: true }) reply: FastifyReply) {
    const { grant, created } = await this.grants.create(access, datasetId, body);
    void reply.status(created ? 201 : 200).header('location', `/api/v1/datasets/${datasetId}/grants/${grant.id}`);
    return grant;
  }

  @Get()
  @ApiOperation({ summary: 'Grants of a dataset' })
  @ApiQuery({ name: 'includeRevoked', required: false, schema: { enum: ['true', 'false'] }, description: 'true: revoked grants too' })
  @ApiJsonAnswer(200, 'The grants', schemaRef('GrantList'))
  list(@Access() access: AccessContext, @Param('datasetId') datasetId: string, @Query() query: Record<string, unknown>) {
    checkQueryNames(query, ['includeRevoked']);
    return this.grants.list(access, datasetId, booleanParam(query.includeRevoked, 'includeRevoked'));
  }

  @Get(':grantId')
  @ApiOperation({ summary: 'One grant' })
  @ApiParam({ name: 'grantId', format: 'uuid' })
  @ApiJsonAnswer(200, 'The grant', schemaRef('Grant'))
  get(@Access() access: AccessContext, @Param('datasetId') datasetId: string, @Param('grantId') id: string) {
    return this.grants.get(access, datasetId, id);
  }

  @Delete(':grantId')
  @HttpCode(204)
  @ApiOperation({ summary: 'Revoke a grant; it applies from the next request on' })
  @ApiParam({ name: 'grantId', format: 'uuid' })
  @ApiAnswer(204, 'Revoked')
  async revoke(@Access() access: AccessContext, @Param('datasetId') datasetId: string, @Param('grantId') id: string): Promise<void> {
    await this.grants.revoke(access, datasetId, id);
  }
}
