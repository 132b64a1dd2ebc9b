import { applyDecorators } from '@nestjs/common';
import { ApiOperation, ApiParam, ApiQuery, ApiResponse } from '@nestjs/swagger';
import { answer, JsonSchema } from 'src/common/openapi/openapi-answers';
import { callerProblems, problemAnswer, PROBLEM_TYPES } from 'src/common/problem/problem.openapi';
import { MAX_PERIOD_DAYS } from 'src/catalog/downloads/history-period';

const text = { schema: { type: 'string' } };

/** The headers of a download (and, the validators, of its 304). */
const DOWNLOAD_HEADERS = {
  ETag: { description: 'A weak tag of this representation (data, rules, view, format, period): send it back in If-None-Match', ...text },
  'Last-Modified': { description: 'When the dataset or one of its entities last changed', ...text },
  'Cache-Control': { description: '`public, max-age=300` for open data read anonymously, `private, no-cache` otherwise', ...text },
  'Content-Disposition': { description: '`attachment; filename="<dataset>-current.csv"` and the like', ...text },
  'Content-Encoding': { description: '`gzip` when Accept-Encoding allows it', ...text },
  Link: { description: 'The dataset\'s licence: `<url>; rel="license"`', ...text },
  'VGDS-Attribution': { description: 'Whom to credit: the publisher\'s registered name and id; an RFC 8187 ext-value (`UTF-8\'\'...`) when not plain ASCII', ...text },
  'VGDS-View': { description: 'full, or minimised when the dataset is shown through its minimised view', ...text },
};

/**
 * A download route: 200 with its media type (streamed; a failure after the first bytes ends the
 * connection early), 304, and the problems of any read.
 */
export const ApiDownload = (summary: string, mediaType: string, schema: JsonSchema) =>
  applyDecorators(
    ApiOperation({ summary, description: 'Open datasets for anyone; others as the access rules and views of any read allow. Streamed, gzip on request, conditional GET.' }),
    ApiParam({ name: 'datasetId', format: 'uuid' }),
    ApiResponse({ ...answer(200, 'The file, streamed', { content: { [mediaType]: schema } }), headers: DOWNLOAD_HEADERS }),
    ApiResponse({ ...answer(304, 'Not modified: the copy the client holds (If-None-Match, If-Modified-Since) is current'), headers: pick('ETag', 'Last-Modified', 'Cache-Control') }),
    ApiResponse(problemAnswer(400, 'A bad parameter (an unknown one, a bad period, a bad NGSILD-Tenant, VGDS-Purpose or Link header)', [PROBLEM_TYPES.ngsiLd('BadRequestData')])),
    ApiResponse(problemAnswer(403, 'The caller sees the dataset but may not read its data; or personal data without a purpose the dataset allows', [PROBLEM_TYPES.forbidden, PROBLEM_TYPES.purposeRequired])),
    ApiResponse(problemAnswer(404, 'No such dataset, or not visible to the caller; or no such tenant', [PROBLEM_TYPES.ngsiLd('ResourceNotFound'), PROBLEM_TYPES.ngsiLd('NonexistentTenant')])),
    ...callerProblems().map((problem) => ApiResponse(problem)),
  );

/** from and to of a history download. */
export const ApiHistoryPeriod = () =>
  applyDecorators(
    ApiQuery({ name: 'from', required: true, schema: { type: 'string', format: 'date-time' }, description: 'Start of the period (inclusive), RFC 3339' }),
    ApiQuery({ name: 'to', required: true, schema: { type: 'string', format: 'date-time' }, description: `End of the period (exclusive), RFC 3339; at most ${MAX_PERIOD_DAYS} days after from` }),
  );

function pick(...names: (keyof typeof DOWNLOAD_HEADERS)[]) {
  return Object.fromEntries(names.map((name) => [name, DOWNLOAD_HEADERS[name]]));
}
