import { Controller, Get, HttpCode, Post, Query } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import { Access } from 'src/common/access/access.decorator';
import { AccessContext } from 'src/common/access/access-context';
import { checkQueryNames } from 'src/common/http/query-params';
import { ApiJsonAnswer, schemaRef } from 'src/common/openapi/openapi-answers';
import { ApiProblem } from 'src/common/problem/problem.openapi';
import { ApiGovernanceProblems } from 'src/governance/governance.openapi';
import { RETENTION_RUN_UNDER_WAY } from 'src/governance/privacy/retention/retention.errors';
import { RetentionService } from 'src/governance/privacy/retention/retention.service';

@ApiTags('Retention')
@ApiGovernanceProblems()
@Controller('api/v1/retention')
export class RetentionController {
  constructor(private readonly retention: RetentionService) {}

  @Get()
  @ApiOperation({ summary: 'When retention runs next, and what the last run deleted (organisation admins: of their datasets; platform admins: all)' })
  @ApiJsonAnswer(200, 'The schedule and the last run', schemaRef('RetentionStatus'))
  status(@Access() access: AccessContext, @Query() query: Record<string, unknown>) {
    checkQueryNames(query, []);
    return this.retention.status(access);
  }

  @Post('runs')
  @HttpCode(200)
  @ApiOperation({
    summary: 'Run retention now (organisation admins: their datasets; platform admins: all)',
    description:
      'Deletes what is past each dataset\'s retention period: history (whole month partitions where every row in one is due), changes and their pending ' +
      'notifications, and with retentionIncludesCurrentValues the entities not modified since; and read-log rows older than READ_LOG_RETENTION_DAYS. ' +
      'Recorded in the audit log (event retention.run).',
  })
  @ApiJsonAnswer(200, 'Done: what the run deleted', schemaRef('RetentionReceipt'))
  @ApiProblem(409, 'Another retention run is under way (here or on another replica); nothing was done', [RETENTION_RUN_UNDER_WAY])
  run(@Access() access: AccessContext, @Query() query: Record<string, unknown>) {
    checkQueryNames(query, []);
    return this.retention.run(access);
  }
}
