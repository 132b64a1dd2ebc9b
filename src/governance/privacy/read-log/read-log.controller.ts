import { Controller, Get, Param, Query, Res } from '@nestjs/common';
import { ApiOperation, ApiParam, ApiQuery, ApiTags } from '@nestjs/swagger';
import { FastifyReply } from 'fastify';
import { z } from 'zod';
import { Access } from 'src/common/access/access.decorator';
import { AccessContext } from 'src/common/access/access-context';
import { checkQueryNames, parseQuery } from 'src/common/http/query-params';
import { ApiJsonAnswer, schemaRef } from 'src/common/openapi/openapi-answers';
import { ApiGovernanceProblems, ApiPaging } from 'src/governance/governance.openapi';
import { ReadLog } from 'src/governance/privacy/read-log/read-log.service';

const instant = z.iso.datetime({ offset: true, message: 'an RFC 3339 date-time, like 2026-12-01T00:00:00Z' });
const filterSchema = z.object({
  from: instant.optional(),
  to: instant.optional(),
  principal: z.string().min(1).max(255).optional(),
  purpose: z.string().regex(/^dpv:[A-Za-z][A-Za-z0-9-]*$/, 'a DPV purpose, like dpv:ServiceProvision').optional(),
});
const listSchema = filterSchema.extend({
  limit: z.coerce.number().int().min(1).max(1000).default(100),
  offset: z.coerce.number().int().min(0).max(1_000_000).default(0),
});

const FILTERS = ['from', 'to', 'principal', 'purpose'];

@ApiTags('Personal data')
@ApiGovernanceProblems()
@ApiParam({ name: 'datasetId', format: 'uuid' })
@ApiQuery({ name: 'from', required: false, schema: { type: 'string', format: 'date-time' }, description: 'Reads at or after this instant' })
@ApiQuery({ name: 'to', required: false, schema: { type: 'string', format: 'date-time' }, description: 'Reads before this instant' })
@ApiQuery({ name: 'principal', required: false, description: 'Only the reads of this principal (token sub, or api-key:<id>)' })
@ApiQuery({ name: 'purpose', required: false, description: 'Only the reads for this purpose, like dpv:ServiceProvision' })
@Controller('api/v1/datasets/:datasetId/reads')
export class ReadLogController {
  constructor(private readonly readLog: ReadLog) {}

  @Get()
  @ApiOperation({ summary: "Who read the dataset's personal data, when, for which purpose (admins of its organisation)" })
  @ApiPaging()
  @ApiJsonAnswer(200, 'Reads, newest first: one entry per caller, purpose, read path, view and second; X-Total-Count counts them all', schemaRef('ReadLogEntryList'), {
    headers: ['X-Total-Count'],
  })
  async list(@Access() access: AccessContext, @Param('datasetId') datasetId: string, @Query() query: Record<string, unknown>, @Res({ passthrough: true }) reply: FastifyReply) {
    checkQueryNames(query, [...FILTERS, 'limit', 'offset']);
    const { entries, total } = await this.readLog.find(access, { datasetId, ...parseQuery(listSchema, query) });
    void reply.header('x-total-count', String(total));
    return entries.map((entry) => ({ ...entry, at: entry.at.toISOString() }));
  }

  @Get('daily')
  @ApiOperation({ summary: 'The reads of the dataset summarised per day (UTC), newest first (admins of its organisation)' })
  @ApiJsonAnswer(200, 'Per day: requests, entities or instances read, distinct principals, purposes', schemaRef('ReadLogDayList'))
  daily(@Access() access: AccessContext, @Param('datasetId') datasetId: string, @Query() query: Record<string, unknown>) {
    checkQueryNames(query, FILTERS);
    return this.readLog.days(access, { datasetId, ...parseQuery(filterSchema, query) });
  }
}
