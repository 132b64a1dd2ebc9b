import { ApolloDriver, ApolloDriverConfig } from '@nestjs/apollo';
import { Module } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { GraphQLModule } from '@nestjs/graphql';
import { FastifyAdapter, NestFastifyApplication } from '@nestjs/platform-fastify';
import { FastifyInstance } from 'fastify';
import { AppConfig } from 'src/config/app-config';
import { ConfigModule } from 'src/config/config.module';
import { installInputHygiene } from 'src/common/http/input-hygiene';
import { installSecurityHeaders } from 'src/common/http/security-headers';
import { ProblemFilter } from 'src/common/problem/problem.filter';
import { GraphiqlController } from 'src/graphql/ide/graphiql.controller';
import { graphiqlLandingPagePlugin } from 'src/graphql/ide/graphiql-page';
import { installBatchLimit } from 'src/graphql/limits/batch-limit';
import { apolloLimitOptions } from 'src/graphql/limits/graphql-limits';
import { LIMITS_TEST_SDL } from 'src/graphql/limits/testing/limits-test-schema';
import { SchemaSdlController } from 'src/graphql/sdl/schema-sdl.controller';

/**
 * The GraphQL limits, IDE and SDL route on the service's HTTP stack (input hygiene, security
 * headers, problem filter) around the limits' test schema, until the service's own GraphQL
 * module (src/graphql/graphql.module.ts) takes them. `resolved` counts resolver calls.
 */
export async function startGraphqlLimitsApp(config: AppConfig): Promise<{ app: NestFastifyApplication; resolved: () => number }> {
  let resolved = 0;
  const limits = apolloLimitOptions(config.graphql);
  @Module({
    imports: [
      ConfigModule.forRoot(config),
      GraphQLModule.forRoot<ApolloDriverConfig>({
        driver: ApolloDriver,
        typeDefs: LIMITS_TEST_SDL,
        resolvers: { Query: { hello: () => (resolved++, 'hej'), entities: () => (resolved++, { edges: [], pageInfo: { hasNextPage: false } }) } },
        graphiql: false,
        ...limits,
        plugins: [...limits.plugins, graphiqlLandingPagePlugin('/graphql')],
      }),
    ],
    controllers: [GraphiqlController, SchemaSdlController],
  })
  class GraphqlLimitsTestModule {}

  const app = await NestFactory.create<NestFastifyApplication>(GraphqlLimitsTestModule, new FastifyAdapter(), { logger: false, bodyParser: false });
  const fastify = app.getHttpAdapter().getInstance() as unknown as FastifyInstance;
  installInputHygiene(fastify, config.http.bodyLimitBytes);
  installSecurityHeaders(fastify, config.security);
  installBatchLimit(fastify, '/graphql', config.graphql.maxBatch);
  app.useGlobalFilters(new ProblemFilter());
  await app.init();
  await fastify.ready();
  return { app, resolved: () => resolved };
}
