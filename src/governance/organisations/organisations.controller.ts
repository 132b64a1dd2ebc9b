import { Body, Controller, Get, Param, Patch, Post, Query, Res } from '@nestjs/common';
import { ApiOperation, ApiParam, ApiTags } from '@nestjs/swagger';
import { FastifyReply } from 'fastify';
import { Access } from 'src/common/access/access.decorator';
import { AccessContext } from 'src/common/access/access-context';
import { checkQueryNames, parsePaging } from 'src/common/http/query-params';
import { ApiJsonAnswer, schemaRef } from 'src/common/openapi/openapi-answers';
import { ApiProblem, PROBLEM_TYPES } from 'src/common/problem/problem.openapi';
import { ApiGovernanceProblems, ApiJsonBody, ApiPaging } from 'src/governance/governance.openapi';
import { OrganisationsService } from 'src/governance/organisations/organisations.service';

const ALREADY_EXISTS = [PROBLEM_TYPES.ngsiLd('AlreadyExists')];

/** The registry of member organisations: public to read, kept by platform administrators. */
@ApiTags('Organisations')
@ApiGovernanceProblems()
@Controller('api/v1/organisations')
export class OrganisationsController {
  constructor(private readonly organisations: OrganisationsService) {}

  @Post()
  @ApiOperation({ summary: 'Register an organisation (platform administrators; tokens with MFA)' })
  @ApiJsonBody(schemaRef('NewOrganisation'))
  @ApiJsonAnswer(201, 'Registered; Location names it', schemaRef('Organisation'), { headers: ['Location'] })
  @ApiProblem(409, 'The id or the organisation number is registered already', ALREADY_EXISTS)
  async create(@Access() access: AccessContext, @Body() body: unknown, @Res({ passthrough: true }) reply: FastifyReply) {
    const organisation = await this.organisations.create(access, body);
    void reply.status(201).header('location', `/api/v1/organisations/${organisation.id as string}`);
    return organisation;
  }

  @Get()
  @ApiOperation({ summary: 'The registered organisations, for everyone (they are public facts), by id' })
  @ApiPaging()
  @ApiJsonAnswer(200, 'A page of organisations; X-Total-Count tells how many there are', schemaRef('OrganisationList'), { headers: ['X-Total-Count'] })
  async list(@Access() access: AccessContext, @Query() query: Record<string, unknown>, @Res({ passthrough: true }) reply: FastifyReply) {
    checkQueryNames(query, ['limit', 'offset']);
    const { organisations, total } = await this.organisations.list(access, parsePaging(query));
    void reply.header('x-total-count', String(total));
    return organisations;
  }

  @Get(':organisationId')
  @ApiOperation({ summary: 'One organisation' })
  @ApiParam({ name: 'organisationId', example: 'goteborg' })
  @ApiJsonAnswer(200, 'The organisation', schemaRef('Organisation'))
  get(@Access() access: AccessContext, @Param('organisationId') id: string) {
    return this.organisations.get(access, id);
  }

  @Patch(':organisationId')
  @ApiOperation({ summary: "Change an organisation (platform administrators); its own admins may change contactPoint only; null clears an optional field" })
  @ApiParam({ name: 'organisationId', example: 'goteborg' })
  @ApiJsonBody(schemaRef('OrganisationChange'))
  @ApiJsonAnswer(200, 'The organisation as changed', schemaRef('Organisation'))
  @ApiProblem(409, 'The organisation number is registered for another organisation', ALREADY_EXISTS)
  update(@Access() access: AccessContext, @Param('organisationId') id: string, @Body() body: unknown) {
    return this.organisations.update(access, id, body);
  }
}
