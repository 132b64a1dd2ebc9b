import { Body, Controller, Delete, Get, HttpCode, Param, Post, Res } from '@nestjs/common';
import { ApiOperation, ApiParam, ApiTags } from '@nestjs/swagger';
import { FastifyReply } from 'fastify';
import { Access } from 'src/common/access/access.decorator';
import { AccessContext } from 'src/common/access/access-context';
import { CombinationRulesService } from 'src/governance/combination-rules/combination-rules.service';
import { ApiGovernanceProblems, ApiJsonBody } from 'src/governance/governance.openapi';
import { ApiAnswer, ApiJsonAnswer, schemaRef } from 'src/common/openapi/openapi-answers';

@ApiTags('Datasets')
@ApiGovernanceProblems()
@Controller('api/v1/combination-rules')
export class CombinationRulesController {
  constructor(private readonly rules: CombinationRulesService) {}

  @Post()
  @ApiOperation({ summary: 'Declare the confidentiality a set of datasets has together' })
  @ApiJsonBody(schemaRef('NewCombinationRule'))
  @ApiJsonAnswer(201, 'Created; Location names it', schemaRef('CombinationRule'), { headers: ['Location'] })
  async create(@Access() access: AccessContext, @Body() body: unknown, @Res({ passthrough: true }) reply: FastifyReply) {
    const rule = await this.rules.create(access, body);
    void reply.status(201).header('location', `/api/v1/combination-rules/${rule.id}`);
    return rule;
  }

  @Get()
  @ApiOperation({ summary: 'Combination rules over datasets the caller may see' })
  @ApiJsonAnswer(200, 'The rules', schemaRef('CombinationRuleList'))
  list(@Access() access: AccessContext) {
    return this.rules.list(access);
  }

  @Get(':ruleId')
  @ApiParam({ name: 'ruleId', format: 'uuid' })
  @ApiOperation({ summary: 'One combination rule' })
  @ApiJsonAnswer(200, 'The rule', schemaRef('CombinationRule'))
  get(@Access() access: AccessContext, @Param('ruleId') id: string) {
    return this.rules.get(access, id);
  }

  @Delete(':ruleId')
  @HttpCode(204)
  @ApiParam({ name: 'ruleId', format: 'uuid' })
  @ApiOperation({ summary: 'Delete a combination rule' })
  @ApiAnswer(204, 'Deleted')
  async delete(@Access() access: AccessContext, @Param('ruleId') id: string): Promise<void> {
    await this.rules.delete(access, id);
  }
}
