import { Controller, Get, Param, Req, Res } from '@nestjs/common';
import { ApiOperation, ApiParam, ApiTags } from '@nestjs/swagger';
import { FastifyReply, FastifyRequest } from 'fastify';
import Negotiator from 'negotiator';
import { Access } from 'src/common/access/access.decorator';
import { AccessContext } from 'src/common/access/access-context';
import { ApiAnswer, JsonSchema, schemaRef } from 'src/common/openapi/openapi-answers';
import { BadRequestData } from 'src/common/problem/ngsi-ld-errors';
import { ApiProblem } from 'src/common/problem/problem.openapi';
import { ProblemError } from 'src/common/problem/problem-error';
import { ORGANISATION } from 'src/config/app-config';
import { ApiGovernanceProblems } from 'src/governance/governance.openapi';
import { JsonLdNode } from 'src/governance/privacy/processing/processing-record.mapper';
import { ProcessingRecordsService } from 'src/governance/privacy/processing/processing-records.service';
import { toTurtle } from 'src/governance/privacy/processing/processing-turtle';

/** JSON-LD first: a client that accepts anything gets the form the record is made in. */
const OFFERED = ['application/ld+json', 'application/json', 'text/turtle'];
const TURTLE = { type: 'string', description: 'Turtle (written as N-Triples, which is Turtle)' };
const representations = (schema: JsonSchema) => ({ 'application/ld+json': schema, 'application/json': schema, 'text/turtle': TURTLE });

class NotAcceptable extends ProblemError {
  constructor() {
    super('about:blank', 406, 'Not Acceptable', `None of the representations asked for is offered; Accept one of ${OFFERED.join(', ')}`);
  }
}

/** Records of processing (GDPR article 30) in W3C DPV terms, for a dataset and for an organisation. */
@ApiTags('Datasets')
@ApiGovernanceProblems()
@ApiProblem(406, 'None of the accepted representations (Accept) is offered', ['about:blank'])
@Controller('api/v1')
export class ProcessingRecordsController {
  constructor(private readonly records: ProcessingRecordsService) {}

  @Get('datasets/:datasetId/processing')
  @ApiOperation({ summary: 'The record of processing of a dataset (W3C DPV): personal data, purposes, legal basis, storage duration, recipients, measures' })
  @ApiParam({ name: 'datasetId', format: 'uuid' })
  @ApiAnswer(200, 'The record; a dataset without personal data has one that says so (dpv:NonPersonalDataProcess)', { content: representations(schemaRef('ProcessingRecord')) })
  async forDataset(@Access() access: AccessContext, @Param('datasetId') id: string, @Req() request: FastifyRequest, @Res({ passthrough: true }) reply: FastifyReply) {
    const mediaType = accepted(request);
    return render(await this.records.forDataset(access, id), mediaType, reply);
  }

  @Get('organisations/:organisation/processing')
  @ApiOperation({ summary: "An organisation's register of processing activities (GDPR art. 30): the records of its datasets with personal data that the caller may see" })
  @ApiParam({ name: 'organisation', description: 'An organisation id; one with nothing the caller may see has an empty register' })
  @ApiAnswer(200, 'The register', { content: representations(schemaRef('ProcessingRegister')) })
  async forOrganisation(@Access() access: AccessContext, @Param('organisation') organisation: string, @Req() request: FastifyRequest, @Res({ passthrough: true }) reply: FastifyReply) {
    if (!ORGANISATION.test(organisation)) throw new BadRequestData('organisation is an organisation id: lower-case letters, digits and "-"');
    const mediaType = accepted(request);
    return render(await this.records.forOrganisation(access, organisation), mediaType, reply);
  }
}

function accepted(request: FastifyRequest): string {
  const accept = request.headers.accept;
  if (!accept) return OFFERED[0];
  const chosen = new Negotiator({ headers: { accept } }).mediaType(OFFERED);
  if (!chosen) throw new NotAcceptable();
  return chosen;
}

async function render(document: JsonLdNode, mediaType: string, reply: FastifyReply): Promise<JsonLdNode | string> {
  void reply.header('vary', 'Accept');
  if (mediaType === 'text/turtle') {
    void reply.type('text/turtle; charset=utf-8');
    return toTurtle(document);
  }
  void reply.type(mediaType);
  return document;
}
