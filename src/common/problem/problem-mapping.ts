import { HttpException } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { BadRequestData, InternalError, InvalidRequest, ResourceNotFound } from 'src/common/problem/ngsi-ld-errors';
import { ProblemError } from 'src/common/problem/problem-error';
import { DatabaseUnavailable, isDatabaseUnavailable } from 'src/database/database-errors';

const NGSI_LD_PATH = /^\/ngsi-ld\//;

/** Errors from outside our code (Fastify's parsers, Nest's router) as problems of the right family. */
export function toProblem(error: unknown, path: string): { problem: ProblemError; unexpected: boolean } {
  if (error instanceof ProblemError) return { problem: error, unexpected: false };
  if (isDatabaseUnavailable(error)) return { problem: new DatabaseUnavailable(), unexpected: false };
  const status = statusOf(error);
  if (status !== undefined && status < 500) {
    const detail = detailOf(error, status);
    if (!NGSI_LD_PATH.test(path)) return { problem: new ProblemError('about:blank', status, httpTitle(status), detail), unexpected: false };
    if (status === 404 && hasEmptySegment(path)) {
      // No route matched because an id or name is missing (`/entities//attrs`, `DELETE /subscriptions/`).
      return { problem: new BadRequestData(`The path ${path} has an empty segment where an id or name belongs`), unexpected: false };
    }
    if (status === 404) return { problem: new ResourceNotFound(detail), unexpected: false };
    return { problem: new InvalidRequest(detail, status, status === 400 ? undefined : httpTitle(status)), unexpected: false };
  }
  const errorId = randomUUID();
  return {
    problem: new InternalError(`An internal error occurred; quote ${errorId} when reporting it`, { errorId }),
    unexpected: true,
  };
}

function hasEmptySegment(path: string): boolean {
  return path.includes('//') || path.endsWith('/');
}

function statusOf(error: unknown): number | undefined {
  if (error instanceof HttpException) return error.getStatus();
  const statusCode = (error as { statusCode?: unknown } | null)?.statusCode;
  return typeof statusCode === 'number' && statusCode >= 400 && statusCode < 600 ? statusCode : undefined;
}

function detailOf(error: unknown, status: number): string {
  const code = (error as { code?: unknown }).code;
  switch (code) {
    case 'FST_ERR_CTP_INVALID_JSON_BODY':
    case 'FST_ERR_CTP_EMPTY_JSON_BODY':
      return `The body is not valid JSON: ${(error as Error).message}`;
    case 'FST_ERR_CTP_BODY_TOO_LARGE':
      return 'The body is larger than this service accepts (BODY_LIMIT_BYTES)';
    case 'FST_ERR_CTP_INVALID_MEDIA_TYPE':
      return `Unsupported Content-Type: ${(error as Error).message}`;
    default:
      if (error instanceof SyntaxError) return `The body is not valid JSON: ${error.message}`;
      return error instanceof Error && error.message ? error.message : httpTitle(status);
  }
}

const TITLES: Readonly<Record<number, string>> = {
  400: 'Bad Request',
  401: 'Unauthorized',
  403: 'Forbidden',
  404: 'Not Found',
  405: 'Method Not Allowed',
  406: 'Not Acceptable',
  409: 'Conflict',
  411: 'Length Required',
  413: 'Content Too Large',
  414: 'URI Too Long',
  415: 'Unsupported Media Type',
  422: 'Unprocessable Content',
  429: 'Too Many Requests',
  431: 'Request Header Fields Too Large',
};

export function httpTitle(status: number): string {
  return TITLES[status] ?? 'Error';
}
