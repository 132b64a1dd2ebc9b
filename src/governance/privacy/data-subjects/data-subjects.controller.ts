import { Controller, Delete, Get, Param, Res } from '@nestjs/common';
import { ApiOperation, ApiParam, ApiTags } from '@nestjs/swagger';
import { FastifyReply } from 'fastify';
import { Readable } from 'node:stream';
import { Access } from 'src/common/access/access.decorator';
import { AccessContext } from 'src/common/access/access-context';
import { ApiAnswer, ApiJsonAnswer } from 'src/common/openapi/openapi-answers';
import { ContextCompiler } from 'src/jsonld/context-compiler';
import { CORE_CONTEXT_URLS } from 'src/jsonld/core-contexts';
import { ApiGovernanceProblems } from 'src/governance/governance.openapi';
import { exportDocument } from 'src/governance/privacy/data-subjects/data-subject-export.mapper';
import { DataSubjectsService, ErasureReceipt } from 'src/governance/privacy/data-subjects/data-subjects.service';
import { ERASURE_RECEIPT_SCHEMA, SUBJECT_EXPORT_SCHEMA } from 'src/governance/privacy/data-subjects/data-subjects.openapi';

/** The export names attributes by the core context only: it is read by people and archived, not merged into an application's terms. */
const EXPORT_CONTEXT = CORE_CONTEXT_URLS['1.8'];
const WHO =
  'For administrators (a token with MFA) of the organisations holding the data, and platform admins; only the datasets they administer whose personal-data profile names a subjectAttribute are searched. ' +
  'Audited once per organisation concerned, naming the subject by its SHA-256 only.';

@ApiTags('Data subjects')
@ApiGovernanceProblems()
@ApiParam({ name: 'subjectId', description: 'The id the subject attribute holds (a Relationship object, a Property value) or the entity id ("@id" profiles); 1 to 2048 characters' })
@Controller('api/v1/data-subjects')
export class DataSubjectsController {
  constructor(
    private readonly subjects: DataSubjectsService,
    private readonly contexts: ContextCompiler,
  ) {}

  @Get(':subjectId')
  @ApiOperation({ summary: 'Everything held about a data subject, with its whole history (GDPR Art. 15; streamed JSON-LD)', description: WHO })
  @ApiAnswer(200, 'The export (streamed)', { content: { 'application/ld+json': SUBJECT_EXPORT_SCHEMA }, headers: ['Cache-Control'] })
  async export(@Access() access: AccessContext, @Param('subjectId') subjectId: string, @Res({ passthrough: true }) reply: FastifyReply): Promise<Readable> {
    const { compiled, coreContextUrl } = await this.contexts.compile(EXPORT_CONTEXT);
    const exported = await this.subjects.export(access, subjectId);
    void reply.type('application/ld+json').header('cache-control', 'no-store');
    return Readable.from(exportDocument(compiled, coreContextUrl, exported));
  }

  @Delete(':subjectId')
  @ApiOperation({
    summary: "Erase a data subject's data (GDPR Art. 17), irreversibly",
    description:
      `${WHO} Per dataset rule: delete removes the entities with their history, change records and pending notifications (subscribers get a deletion notice holding only id and type); ` +
      'anonymise removes the subject and identifying attributes from the entities, their history, change records and pending notifications.',
  })
  @ApiJsonAnswer(200, 'Erased: the receipt', ERASURE_RECEIPT_SCHEMA, { headers: ['Cache-Control'] })
  erase(@Access() access: AccessContext, @Param('subjectId') subjectId: string, @Res({ passthrough: true }) reply: FastifyReply): Promise<ErasureReceipt> {
    void reply.header('cache-control', 'no-store');
    return this.subjects.erase(access, subjectId);
  }
}
