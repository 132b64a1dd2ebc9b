import { Controller, Get, Param, Req, Res } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { FastifyReply, FastifyRequest } from 'fastify';
import { WithoutCaller } from 'src/auth/authentication.guard';
import { ProblemError } from 'src/common/problem/problem-error';
import { ApiCatalogAnswers, ApiOrganisationParam } from 'src/catalog/catalog.openapi';
import { CATALOG_FORMATS, CatalogDocument, CatalogService } from 'src/catalog/catalog.service';
import { ApiProblem } from 'src/common/problem/problem.openapi';
import { acceptsGzip, isNotModified } from 'src/common/http/conditional-get';
import { RDF_MEDIA_TYPES, rdfFormatFor } from 'src/linked-data/rdf/rdf-format';

/**
 * The DCAT-AP-SE catalogs Sveriges dataportal and other portals harvest: public, the same for
 * every caller (credentials are not even read, so an expired key in a harvester's configuration
 * does not break the harvest), RDF/XML unless Accept asks for another RDF syntax. CORS is open
 * for every route (app.factory.ts).
 */
@ApiTags('Catalog')
@WithoutCaller()
@Controller('catalog')
export class CatalogController {
  constructor(private readonly catalogs: CatalogService) {}

  @Get()
  @ApiCatalogAnswers(CATALOG_FORMATS, 'The main catalog: one sub-catalog per organisation (dct:hasPart), with their datasets')
  async main(@Req() request: FastifyRequest, @Res({ passthrough: true }) reply: FastifyReply): Promise<Buffer | undefined> {
    return send(request, reply, await this.catalogs.catalog(undefined, formatOf(request)));
  }

  @Get(':organisation')
  @ApiCatalogAnswers(CATALOG_FORMATS, "One organisation's catalog: the URL it registers at Sveriges dataportal")
  @ApiOrganisationParam()
  @ApiProblem(404, 'No such organisation is registered', ['https://uri.etsi.org/ngsi-ld/errors/ResourceNotFound'])
  async organisation(@Param('organisation') organisation: string, @Req() request: FastifyRequest, @Res({ passthrough: true }) reply: FastifyReply): Promise<Buffer | undefined> {
    return send(request, reply, await this.catalogs.catalog(organisation, formatOf(request)));
  }
}

function formatOf(request: FastifyRequest) {
  const format = rdfFormatFor(request.headers.accept, CATALOG_FORMATS);
  if (format === undefined) {
    const offered = CATALOG_FORMATS.map((f) => RDF_MEDIA_TYPES[f]).join(', ');
    throw new ProblemError('about:blank', 406, 'Not Acceptable', `None of the representations asked for is offered; Accept one of ${offered}`);
  }
  return format;
}

/** The document, or 304 when the client's copy is current; gzipped for clients that take it. */
async function send(request: FastifyRequest, reply: FastifyReply, document: CatalogDocument): Promise<Buffer | undefined> {
  void reply
    .header('etag', document.etag)
    .header('last-modified', document.lastModified.toUTCString())
    .header('cache-control', 'no-cache')
    .header('vary', 'Accept, Accept-Encoding');
  if (isNotModified(request.headers, document.etag, document.lastModified)) {
    void reply.status(304);
    return undefined;
  }
  void reply.type(document.contentType);
  if (!acceptsGzip(request.headers['accept-encoding'])) return document.body;
  void reply.header('content-encoding', 'gzip');
  return document.gzipped();
}
