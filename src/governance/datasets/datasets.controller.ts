import { Body, Controller, Delete, Get, HttpCode, Optional, Param, Patch, Post, Query, Req, Res } from '@nestjs/common';
import { ApiOperation, ApiParam, ApiQuery, ApiTags } from '@nestjs/swagger';
import { FastifyReply, FastifyRequest } from 'fastify';
import Negotiator from 'negotiator';
import { Access } from 'src/common/access/access.decorator';
import { BadRequestData } from 'src/common/problem/ngsi-ld-errors';
import { ApiProblem, PROBLEM_TYPES } from 'src/common/problem/problem.openapi';
import { ORGANISATION } from 'src/config/app-config';
import { AccessContext } from 'src/common/access/access-context';
import { booleanParam, checkQueryNames, parsePaging } from 'src/common/http/query-params';
import { DatasetsService } from 'src/governance/datasets/datasets.service';
import { ApiGovernanceProblems, ApiJsonBody, ApiPaging } from 'src/governance/governance.openapi';
import { ApiAnswer, ApiJsonAnswer, schemaRef } from 'src/common/openapi/openapi-answers';
import { DatasetDescriber } from 'src/governance/datasets/dataset-describer';
import { contentTypeOf, RDF_MEDIA_TYPES, RdfFormat } from 'src/linked-data/rdf/rdf-format';

/** The RDF formats of a dataset's URL: its DCAT description (src/catalog/). */
const RDF_FORMATS: readonly RdfFormat[] = ['turtle', 'n-triples', 'n-quads', 'rdf-xml', 'json-ld'];

/** Datasets for data owners (DIGG REST profile: kebab-case paths, camelCase JSON, RFC 3339 UTC, problem details). */
const NOT_REGISTERED = [PROBLEM_TYPES.organisationNotRegistered];

@ApiTags('Datasets')
@ApiGovernanceProblems()
@Controller('api/v1/datasets')
export class DatasetsController {
  constructor(
    private readonly datasets: DatasetsService,
    @Optional() private readonly describer?: DatasetDescriber,
  ) {}

  @Post()
  @ApiOperation({ summary: 'Create a dataset (admins of the publishing organisation; tokens with MFA)' })
  @ApiJsonBody(schemaRef('NewDataset'))
  @ApiJsonAnswer(201, 'Created; Location names it', schemaRef('Dataset'), { headers: ['Location'] })
  @ApiProblem(409, 'An open or listed dataset of an organisation the registry does not know (register it first)', NOT_REGISTERED)
  async create(@Access() access: AccessContext, @Body() body: unknown, @Res({ passthrough: true }) reply: FastifyReply) {
    const dataset = await this.datasets.create(access, body);
    void reply.status(201).header('location', `/api/v1/datasets/${dataset.id as string}`);
    return dataset;
  }

  @Get()
  @ApiOperation({ summary: 'Datasets the caller may see: open ones for everyone, more with credentials' })
  @ApiQuery({ name: 'organisation', required: false, description: 'Only the datasets of this organisation' })
  @ApiQuery({ name: 'includeRetired', required: false, schema: { enum: ['true', 'false'] }, description: 'true: retired datasets too' })
  @ApiPaging()
  @ApiJsonAnswer(200, 'A page of datasets; X-Total-Count tells how many match', schemaRef('DatasetList'), { headers: ['X-Total-Count'] })
  async list(@Access() access: AccessContext, @Query() query: Record<string, unknown>, @Res({ passthrough: true }) reply: FastifyReply) {
    checkQueryNames(query, ['organisation', 'includeRetired', 'limit', 'offset']);
    if (query.organisation !== undefined && !ORGANISATION.test(query.organisation as string)) {
      throw new BadRequestData('organisation is an organisation id: lower-case letters, digits and "-"');
    }
    const { datasets, total } = await this.datasets.list(access, {
      organisation: query.organisation as string | undefined,
      includeRetired: booleanParam(query.includeRetired, 'includeRetired'),
      ...parsePaging(query),
    });
    void reply.header('x-total-count', String(total));
    return datasets;
  }

  @Get(':datasetId')
  @ApiOperation({ summary: 'One dataset: JSON, or its DCAT-AP-SE description in RDF (Turtle, N-Triples, N-Quads, RDF/XML, JSON-LD) by Accept' })
  @ApiParam({ name: 'datasetId', format: 'uuid' })
  @ApiAnswer(200, 'The dataset; in RDF, the same description the catalog gives of it', {
    content: { 'application/json': schemaRef('Dataset'), ...Object.fromEntries(RDF_FORMATS.map((f) => [RDF_MEDIA_TYPES[f], f === 'json-ld' ? { type: 'object' } : { type: 'string' }])) },
  })
  async get(@Access() access: AccessContext, @Param('datasetId') id: string, @Req() request: FastifyRequest, @Res({ passthrough: true }) reply: FastifyReply) {
    void reply.header('vary', 'Accept');
    const format = this.rdfFormatOf(request.headers.accept);
    if (format === undefined) return this.datasets.get(access, id);
    const description = await this.describer!.describe(access, id, format);
    void reply.type(contentTypeOf(format));
    return description;
  }

  @Patch(':datasetId')
  @ApiOperation({ summary: 'Change a dataset: any field but organisation; null clears an optional field; status retires or reactivates' })
  @ApiParam({ name: 'datasetId', format: 'uuid' })
  @ApiJsonBody(schemaRef('DatasetChange'))
  @ApiJsonAnswer(200, 'The dataset as changed', schemaRef('Dataset'))
  @ApiProblem(409, 'Made open or listed while its organisation is not in the registry (register it first)', NOT_REGISTERED)
  update(@Access() access: AccessContext, @Param('datasetId') id: string, @Body() body: unknown) {
    return this.datasets.update(access, id, body);
  }

  @Delete(':datasetId')
  @HttpCode(204)
  @ApiOperation({ summary: 'Retire a dataset: it claims no new entities; the ones it holds stay, visible to its organisation only' })
  @ApiParam({ name: 'datasetId', format: 'uuid' })
  @ApiAnswer(204, 'Retired')
  async retire(@Access() access: AccessContext, @Param('datasetId') id: string): Promise<void> {
    await this.datasets.retire(access, id);
  }

  /** An RDF format when Accept prefers one to JSON (and the catalog is there to describe the dataset); JSON otherwise, as before. */
  private rdfFormatOf(accept: string | undefined): RdfFormat | undefined {
    if (accept === undefined || this.describer === undefined) return undefined;
    const chosen = new Negotiator({ headers: { accept } }).mediaType(['application/json', ...RDF_FORMATS.map((f) => RDF_MEDIA_TYPES[f])]);
    return RDF_FORMATS.find((f) => RDF_MEDIA_TYPES[f] === chosen);
  }
}
