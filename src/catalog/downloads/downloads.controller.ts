import { Controller, Get, Logger, Param, Query, Req, Res } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { FastifyReply, FastifyRequest } from 'fastify';
import { Access } from 'src/common/access/access.decorator';
import { AccessContext } from 'src/common/access/access-context';
import { acceptsGzip, isNotModified } from 'src/common/http/conditional-get';
import { checkQueryNames } from 'src/common/http/query-params';
import { gzipped, primedStream } from 'src/common/http/streamed-body';
import { linkedContext } from 'src/ngsi-ld/common/json-ld-request';
import { cacheControl, contentDisposition, headerText } from 'src/catalog/downloads/download-headers';
import { ApiDownload, ApiHistoryPeriod } from 'src/catalog/downloads/downloads.openapi';
import { CurrentFormat, Download, DownloadsService } from 'src/catalog/downloads/downloads.service';
import { parseHistoryPeriod } from 'src/catalog/downloads/history-period';

/** What a download's answer varies by, besides the URL: the caller, its tenant, purpose and @context, and gzip. */
const VARY = 'Accept-Encoding, Authorization, X-API-Key, NGSILD-Tenant, VGDS-Purpose, Link';
const logger = new Logger('Downloads');

/**
 * Bulk downloads of a dataset: the distributions the DCAT catalog links to. Open datasets for
 * anyone; others as the policy decision point allows, through the caller's view.
 */
@ApiTags('Downloads')
@Controller('api/v1/datasets/:datasetId/download')
export class DownloadsController {
  constructor(private readonly downloads: DownloadsService) {}

  @Get('current.csv')
  @ApiDownload('The current state as CSV: id, type, one column per attribute (unit in brackets), longitude, latitude, location (WKT), observedAt', 'text/csv', { type: 'string' })
  currentCsv(@Access() access: AccessContext, @Param('datasetId') id: string, @Query() query: Record<string, unknown>, @Req() request: FastifyRequest, @Res() reply: FastifyReply) {
    return this.current(access, id, 'current.csv', query, request, reply);
  }

  @Get('current.geojson')
  @ApiDownload('The current state as a GeoJSON FeatureCollection (properties in the simplified representation, geometry from location)', 'application/geo+json', { $ref: '#/components/schemas/FeatureCollection' })
  currentGeoJson(@Access() access: AccessContext, @Param('datasetId') id: string, @Query() query: Record<string, unknown>, @Req() request: FastifyRequest, @Res() reply: FastifyReply) {
    return this.current(access, id, 'current.geojson', query, request, reply);
  }

  @Get('current.jsonld')
  @ApiDownload('The current state as NGSI-LD entities (normalized, each with its @context) in one JSON array', 'application/ld+json', { $ref: '#/components/schemas/EntityList' })
  currentJsonLd(@Access() access: AccessContext, @Param('datasetId') id: string, @Query() query: Record<string, unknown>, @Req() request: FastifyRequest, @Res() reply: FastifyReply) {
    return this.current(access, id, 'current.jsonld', query, request, reply);
  }

  @Get('history.csv')
  @ApiDownload('The history of a period as CSV, one row per attribute instance: entityId, attribute, observedAt, value, unitCode, datasetId (NGSI-LD\'s)', 'text/csv', { type: 'string' })
  @ApiHistoryPeriod()
  async history(@Access() access: AccessContext, @Param('datasetId') id: string, @Query() query: Record<string, unknown>, @Req() request: FastifyRequest, @Res() reply: FastifyReply) {
    checkQueryNames(query, ['from', 'to']);
    const period = parseHistoryPeriod(query.from, query.to);
    return send(request, reply, await this.downloads.history(access, id, period));
  }

  private async current(access: AccessContext, id: string, format: CurrentFormat, query: Record<string, unknown>, request: FastifyRequest, reply: FastifyReply) {
    checkQueryNames(query, []);
    return send(request, reply, await this.downloads.current(access, id, format, linkedContext(request.headers)));
  }
}

/**
 * 304 when the client's copy is current; else the body streamed, gzip-compressed when the client
 * takes it (HEAD: the headers alone, nothing read). Returns nothing: a reply is a thenable that
 * settles when the response ends, and Nest awaiting it would answer a failure in mid-stream a
 * second time, as a problem.
 */
async function send(request: FastifyRequest, reply: FastifyReply, download: Download): Promise<void> {
  const validators = { etag: download.etag, 'last-modified': download.lastModified.toUTCString(), 'cache-control': cacheControl(download.isPublic), vary: VARY };
  if (isNotModified(request.headers, download.etag, download.lastModified)) {
    void reply.status(304).headers(validators).send();
    return;
  }
  const headers = {
    ...validators,
    'content-type': download.mediaType,
    'content-disposition': contentDisposition(download.filename),
    'vgds-attribution': headerText(download.attribution),
    'vgds-view': download.view,
    ...(download.licence ? { link: `<${download.licence}>; rel="license"` } : {}),
  };
  if (request.method === 'HEAD') {
    void reply.headers(headers).send();
    return;
  }
  const body = await primedStream(download.chunks(), (error) => {
    logger.error({ msg: 'download failed in mid-stream; the connection is closed', path: request.url, err: error });
    reply.raw.destroy();
  });
  void reply.headers(headers);
  if (acceptsGzip(request.headers['accept-encoding'])) void reply.header('content-encoding', 'gzip').send(gzipped(body));
  else void reply.send(body);
}
