import { Controller, Get, Req, Res } from '@nestjs/common';
import { GraphQLSchemaHost } from '@nestjs/graphql';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import { FastifyReply, FastifyRequest } from 'fastify';
import { WithoutCaller } from 'src/auth/authentication.guard';
import { ApiAnswer } from 'src/common/openapi/openapi-answers';
import { ApiProblem } from 'src/common/problem/problem.openapi';
import { ProblemError } from 'src/common/problem/problem-error';
import { InjectConfig } from 'src/config/config.module';
import { AppConfig } from 'src/config/app-config';
import { isFresh } from 'src/graphql/sdl/conditional-get';
import { schemaDocument } from 'src/graphql/sdl/schema-sdl';

/**
 * The GraphQL schema as SDL, for code generators and people. Public, like introspection, and
 * switched off with it (GRAPHQL_INTROSPECTION=false): it is the same information.
 */
@ApiTags('GraphQL')
@WithoutCaller()
@Controller('graphql')
export class SchemaSdlController {
  constructor(
    private readonly schemaHost: GraphQLSchemaHost,
    @InjectConfig() private readonly config: AppConfig,
  ) {}

  @Get('schema.graphql')
  @ApiOperation({ summary: 'The GraphQL schema in SDL (application/graphql; 404 when introspection is switched off)' })
  @ApiAnswer(200, 'The schema', { content: { 'application/graphql': { type: 'string' } } })
  @ApiAnswer(304, 'Not modified (If-None-Match)')
  @ApiProblem(404, 'Introspection is switched off on this service')
  schema(@Req() request: FastifyRequest, @Res({ passthrough: true }) reply: FastifyReply): string | undefined {
    if (!this.config.graphql.introspection) throw new ProblemError('about:blank', 404, 'Not Found', 'The schema is not published on this service (introspection is switched off)');
    const { sdl, etag } = schemaDocument(this.schemaHost.schema);
    void reply.header('etag', etag).header('cache-control', 'no-cache');
    if (isFresh(request, etag)) {
      void reply.status(304);
      return undefined;
    }
    void reply.type('application/graphql; charset=utf-8');
    return sdl;
  }
}
