import { Body, Controller, Delete, Get, HttpCode, Param, Post, Res } from '@nestjs/common';
import { ApiOperation, ApiParam, ApiTags } from '@nestjs/swagger';
import { FastifyReply } from 'fastify';
import { Access } from 'src/common/access/access.decorator';
import { AccessContext } from 'src/common/access/access-context';
import { CombinationRulesService } from 'src/governance/combination-rules/combination-rules.service';
import { ApiGovernanceProblems, ApiJsonBody, ApiJsonResponse } from 'src/governance/governance.openapi';

@ApiTags('Datasets')
@ApiGovernanceProblems()
@Controller('api/v1/combination-rules')
export class CombinationRulesController {
  constructor(private readonly rules: CombinationRulesService) {}

  @Post()
  @ApiOperation({ summary: 'Declare the confidentiality a set of datasets has together' })
  @ApiJsonBody(
    { required: ['name', 'datasets', 'confidentiality'], properties: { name: { type: 'string' }, datasets: { type: 'array', items: { type: 'string', format: 'uuid' }, minItems: 2 }, confidentiality: { type: 'integer', minimum: 0, maximum: 3 } } },
    { name: 'People counters with positions', datasets: ['2d7f…', '9a1c…'], confidentiality: 3 },
  )
  @ApiJsonResponse(201, 'Created')
  async create(@Access() access: AccessContext, @Body() body: unknown, @Res({ passthrough: true }) reply: FastifyReply) {
    const rule = await this.rules.create(access, body);
    void reply.status(201).header('location', `/api/v1/combination-rules/${rule.id}`);
    return rule;
  }

  @Get()
  @ApiOperation({ summary: 'Combination rules over datasets the caller may see' })
  list(@Access() access: AccessContext) {
    return this.rules.list(access);
  }

  @Get(':ruleId')
  @ApiParam({ name: 'ruleId', format: 'uuid' })
  @ApiOperation({ summary: 'One combination rule' })
  get(@Access() access: AccessContext, @Param('ruleId') id: string) {
    return this.rules.get(access, id);
  }

  @Delete(':ruleId')
  @HttpCode(204)
  @ApiParam({ name: 'ruleId', format: 'uuid' })
  @ApiOperation({ summary: 'Delete a combination rule' })
  async delete(@Access() access: AccessContext, @Param('ruleId') id: string): Promise<void> {
    await this.rules.delete(access, id);
  }
}
