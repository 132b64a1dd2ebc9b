import { Controller, Get, Query } from '@nestjs/common';
import { ApiOperation, ApiQuery, ApiTags } from '@nestjs/swagger';
import { z } from 'zod';
import { Access } from 'src/common/access/access.decorator';
import { AccessContext } from 'src/common/access/access-context';
import { checkQueryNames, parseQuery } from 'src/common/http/query-params';
import { ORGANISATION } from 'src/config/app-config';
import { AuditLog } from 'src/governance/audit/audit-log.service';
import { ApiGovernanceProblems } from 'src/governance/governance.openapi';
import { ApiJsonAnswer, schemaRef } from 'src/common/openapi/openapi-answers';

const querySchema = z.object({
  organisation: z.string().regex(ORGANISATION, 'an organisation id: lower-case letters, digits and "-"').optional(),
  event: z.string().optional(),
  after: z.string().regex(/^\d{1,18}$/, 'the seq of the last record you have, a whole number of at most 18 digits').optional(),
  limit: z.coerce.number().int().min(1).max(1000).default(100),
});

@ApiTags('Audit')
@ApiGovernanceProblems()
@Controller('api/v1/audit-log')
export class AuditLogController {
  constructor(private readonly audit: AuditLog) {}

  @Get()
  @ApiOperation({ summary: 'Audit records in order (platform admins: all; organisation admins: their organisation)' })
  @ApiQuery({ name: 'organisation', required: false })
  @ApiQuery({ name: 'event', required: false, description: 'like dataset.classification-changed, grant.created, authentication.failed' })
  @ApiQuery({ name: 'after', required: false, schema: { type: 'string', pattern: '^\\d{1,18}$' }, description: 'Records after this seq (paging)' })
  @ApiQuery({ name: 'limit', required: false, schema: { type: 'integer', minimum: 1, maximum: 1000, default: 100 } })
  @ApiJsonAnswer(200, 'The records, in order', schemaRef('AuditRecordList'))
  read(@Access() access: AccessContext, @Query() query: Record<string, unknown>) {
    checkQueryNames(query, ['organisation', 'event', 'after', 'limit']);
    const { after, ...rest } = parseQuery(querySchema, query);
    return this.audit.read(access, { ...rest, afterSeq: after });
  }

  @Get('verification')
  @ApiOperation({
    summary: 'Verify the hash chain of the whole log and its head (platform admins)',
    description:
      'Walks every record in order, then holds the newest against the head record, which names the newest record appended: ' +
      'a changed, removed or reordered record breaks the chain (firstBrokenSeq); removed newest records, a rewound head ' +
      'or one whose signature (AUDIT_SIGNING_KEY) does not verify give valid: false with the reason.',
  })
  @ApiJsonAnswer(200, 'valid, or why not: the first record that breaks the chain, or what the head shows', schemaRef('AuditVerification'))
  verify(@Access() access: AccessContext) {
    return this.audit.verify(access);
  }
}
