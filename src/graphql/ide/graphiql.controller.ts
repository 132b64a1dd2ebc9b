import { Controller, Get, Param, Req, Res } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import { FastifyReply, FastifyRequest } from 'fastify';
import { WithoutCaller } from 'src/auth/authentication.guard';
import { ApiAnswer } from 'src/common/openapi/openapi-answers';
import { ApiProblem } from 'src/common/problem/problem.openapi';
import { ProblemError } from 'src/common/problem/problem-error';
import { ideAsset } from 'src/graphql/ide/graphiql-assets';
import { isFresh } from 'src/graphql/sdl/conditional-get';

/**
 * The files of the GraphQL IDE (GraphiQL, React and the start script), which the page at
 * GET /graphql loads. Public and without a caller: they are the same for everybody.
 */
@ApiTags('GraphQL')
@WithoutCaller()
@Controller('graphql/ide')
export class GraphiqlController {
  @Get(':asset')
  @ApiOperation({ summary: 'A file of the GraphQL IDE (the page itself is GET /graphql with Accept: text/html)' })
  @ApiAnswer(200, 'The file; its URL in the page carries its version, so it may be kept for a year', {
    content: { 'text/javascript': { type: 'string' }, 'text/css': { type: 'string' } },
  })
  @ApiAnswer(304, 'Not modified (If-None-Match)')
  @ApiProblem(404, 'No such file')
  asset(@Param('asset') name: string, @Req() request: FastifyRequest, @Res({ passthrough: true }) reply: FastifyReply): Buffer | undefined {
    const asset = ideAsset(name);
    if (!asset) throw new ProblemError('about:blank', 404, 'Not Found', `The IDE has no file ${name}`);
    const etag = `"${asset.version}"`;
    void reply.header('etag', etag).header('cache-control', 'public, max-age=31536000, immutable');
    if (isFresh(request, etag)) {
      void reply.status(304);
      return undefined;
    }
    void reply.type(asset.contentType);
    return asset.body;
  }
}
