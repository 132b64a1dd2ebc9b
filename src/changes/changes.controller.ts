import { ApiPurpose } from 'src/ngsi-ld/common/ngsi-ld.openapi';
import { Controller, Get, Query, Req, Res } from '@nestjs/common';
import { ApiHeader, ApiOperation, ApiQuery, ApiTags } from '@nestjs/swagger';
import { ApiAnswer } from 'src/common/openapi/openapi-answers';
import { ApiCallerProblems, ApiProblem, PROBLEM_TYPES } from 'src/common/problem/problem.openapi';
import { FastifyReply, FastifyRequest } from 'fastify';
import { Access } from 'src/common/access/access.decorator';
import { AccessContext } from 'src/common/access/access-context';
import { checkQueryNames } from 'src/common/http/query-params';
import { BadRequestData } from 'src/common/problem/ngsi-ld-errors';
import { ContextCompiler } from 'src/jsonld/context-compiler';
import { withScopedContexts } from 'src/jsonld/compiled-context';
import { linkedContext } from 'src/ngsi-ld/common/json-ld-request';
import { ChangeStreams, StreamClosing, StreamRefused } from 'src/changes/change-stream.service';
import { changeEvent } from 'src/changes/change-event.mapper';

const HEARTBEAT_MS = 15_000;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** The change feed of datasets as Server-Sent Events: the simplest way for a web digital twin to follow a dataset. */
@ApiTags('Change feed')
@ApiCallerProblems()
@Controller('api/v1/changes')
export class ChangesController {
  constructor(
    private readonly streams: ChangeStreams,
    private readonly contexts: ContextCompiler,
  ) {}

  @Get()
  @ApiOperation({
    summary: 'Follow the changes of datasets (text/event-stream)',
    description:
      'One event per committed change of an entity (create, update, delete), in commit order per entity. ' +
      'Reconnect with Last-Event-ID (EventSource does) to resume after the last event received; without it the stream starts now.',
  })
  @ApiQuery({ name: 'dataset', required: true, description: 'Dataset id; comma-separated for several' })
  @ApiQuery({ name: 'lastEventId', required: false, description: 'Like the Last-Event-ID header, for clients that cannot set headers' })
  @ApiHeader({ name: 'Last-Event-ID', required: false })
  @ApiHeader({ name: 'Link', required: false, description: 'The @context to compact entities with (default: the core context)' })
  @ApiAnswer(
    200,
    'Server-Sent Events: `change` (id: its position; data: a ChangeEvent, see components.schemas), `truncated` (data: firstAvailable, detail: what is past retention), ' +
      '`reset` (data: lastPosition, detail: a Last-Event-ID ahead of the feed), `error` (data: status 403 when access was withdrawn or a combination rule refuses, 503 when the feed is away, and detail; then the stream ends), and `: keep-alive` comments',
    { content: { 'text/event-stream': { type: 'string', description: 'A stream of events (text/event-stream; charset=utf-8)' } } },
  )
  @ApiProblem(400, 'dataset missing or not dataset ids (UUIDs), or an unknown parameter', [PROBLEM_TYPES.ngsiLd('BadRequestData')])
  @ApiProblem(
    403,
    'combination-refused: a combination rule forbids the caller to read these datasets together (as in a query); purpose-required: a dataset holds personal data and no purpose it allows was declared (VGDS-Purpose)',
    [PROBLEM_TYPES.combinationRefused, PROBLEM_TYPES.purposeRequired],
  )
  @ApiPurpose()
  @ApiProblem(404, 'A dataset that does not exist or that the caller may not read', [PROBLEM_TYPES.ngsiLd('ResourceNotFound')])
  @ApiProblem(
    503,
    'LdContextNotAvailable: the @context in the Link header cannot be fetched; or the database cannot be reached at the moment: try again after Retry-After',
    [PROBLEM_TYPES.ngsiLd('LdContextNotAvailable'), PROBLEM_TYPES.databaseUnavailable],
    ['Retry-After'],
  )
  async follow(
    @Access() access: AccessContext,
    @Query() query: Record<string, unknown>,
    @Req() request: FastifyRequest,
    @Res() reply: FastifyReply,
  ): Promise<void> {
    checkQueryNames(query, ['dataset', 'lastEventId']);
    const datasets = [query.dataset].flat().filter((v) => v !== undefined).flatMap((v) => String(v).split(',')).map((v) => v.trim());
    for (const id of datasets) if (!UUID.test(id)) throw new BadRequestData(`dataset must hold dataset ids (UUIDs), not "${id}"`);
    const header = request.headers['last-event-id'];
    const lastEventId = typeof header === 'string' && header !== '' ? header : (query.lastEventId as string | undefined);
    const context = await this.contexts.compile(linkedContext(request.headers));
    const stream = await this.streams.open(access, [...new Set(datasets)], lastEventId);

    reply.hijack();
    const raw = reply.raw;
    raw.writeHead(200, {
      'content-type': 'text/event-stream; charset=utf-8',
      'cache-control': 'no-cache, no-transform',
      // The connection ends with the stream (EventSource reconnects with a new request): an ended stream
      // does not leave an idle connection behind that a shutdown would have to wait for.
      connection: 'close',
      'x-accel-buffering': 'no',
    });
    let open = true;
    request.raw.on('close', () => (open = false));
    const send = async (text: string): Promise<void> => {
      if (!raw.write(text)) await new Promise((resolve) => raw.once('drain', resolve));
    };
    // Tells EventSource how long to wait before reconnecting, and that the stream is live.
    await send(`retry: 2000\n: following ${datasets.length} dataset(s) after position ${stream.from}\n\n`);
    if (stream.aheadOfFeed !== undefined) {
      const detail = `Last-Event-ID ${stream.aheadOfFeed} is ahead of this feed (last position ${stream.from}): not one of its ids; following from now`;
      await send(`event: reset\ndata: ${JSON.stringify({ lastPosition: stream.from, detail })}\n\n`);
    }
    if (stream.truncatedTo !== undefined) {
      await send(`event: truncated\ndata: ${JSON.stringify({ firstAvailable: stream.truncatedTo, detail: 'Changes before this position are past retention' })}\n\n`);
    }
    let position = stream.from;
    let lastWrite = Date.now();
    while (open) {
      try {
        const { changes, through } = await stream.next(position, HEARTBEAT_MS);
        for (const change of changes) {
          const data = await withScopedContexts(() => changeEvent(context, change));
          await send(`id: ${change.position}\nevent: change\ndata: ${JSON.stringify(data)}\n\n`);
          position = change.position;
        }
        position = through ?? position;
        if (changes.length > 0) lastWrite = Date.now();
        else if (Date.now() - lastWrite >= HEARTBEAT_MS) {
          await send(': keep-alive\n\n');
          lastWrite = Date.now();
        }
      } catch (error) {
        const detail = error instanceof StreamRefused || error instanceof StreamClosing ? error.message : 'The change feed is not available; reconnect to resume';
        if (open) await send(`event: error\ndata: ${JSON.stringify({ status: error instanceof StreamRefused ? 403 : 503, detail })}\n\n`).catch(() => undefined);
        break;
      }
    }
    raw.end();
  }
}
