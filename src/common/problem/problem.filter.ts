import { ArgumentsHost, Catch, ExceptionFilter, Logger } from '@nestjs/common';
import { FastifyReply, FastifyRequest } from 'fastify';
import { toProblem } from 'src/common/problem/problem-mapping';
import { toProblemBody } from 'src/common/problem/problem-error';

export const PROBLEM_CONTENT_TYPE = 'application/problem+json';

/** Renders every error as RFC 9457 problem details; internals of 5xx stay in the log. */
@Catch()
export class ProblemFilter implements ExceptionFilter {
  private readonly logger = new Logger('ProblemFilter');

  catch(exception: unknown, host: ArgumentsHost): void {
    const http = host.switchToHttp();
    sendProblem(exception, http.getRequest<FastifyRequest>(), http.getResponse<FastifyReply>(), this.logger);
  }
}

export function sendProblem(exception: unknown, request: FastifyRequest, reply: FastifyReply, logger: Logger): void {
  const path = request.url.split('?')[0];
  const { problem, unexpected } = toProblem(exception, path);
  if (unexpected) {
    logger.error({ msg: 'unexpected error', errorId: problem.extensions.errorId, method: request.method, path, err: exception });
  }
  if (reply.sent) return;
  // RFC 9110: a 401 names the schemes that would work.
  if (problem.status === 401) void reply.header('www-authenticate', 'Bearer realm="vg-datashare", ApiKey realm="vg-datashare"');
  void reply.headers(problem.headers);
  void reply.status(problem.status).header('content-type', PROBLEM_CONTENT_TYPE).send(toProblemBody(problem));
}
