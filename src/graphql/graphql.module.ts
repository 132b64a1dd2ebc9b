import { ApolloDriver, ApolloDriverConfig } from '@nestjs/apollo';
import { Module } from '@nestjs/common';
import { ModuleRef } from '@nestjs/core';
import { GraphQLModule, GraphQLSchemaHost } from '@nestjs/graphql';
import { AuthModule } from 'src/auth/auth.module';
import { GraphqlSockets, GraphqlSocketsModule } from 'src/graphql/subscriptions/graphql-sockets';
import { ChangesModule } from 'src/changes/changes.module';
import { ChangeFollowers } from 'src/changes/change-followers.service';
import { AppConfig } from 'src/config/app-config';
import { APP_CONFIG } from 'src/config/config.module';
import { GovernanceModule } from 'src/governance/governance.module';
import { DatasetsService } from 'src/governance/datasets/datasets.service';
import { ContextCompiler } from 'src/jsonld/context-compiler';
import { ModelRegistry } from 'src/models/model-registry';
import { NgsiLdModule } from 'src/ngsi-ld/ngsi-ld.module';
import { EntitiesService } from 'src/ngsi-ld/entities/entities.service';
import { TemporalSeriesService } from 'src/ngsi-ld/temporal/temporal-series.service';
import { AuthenticationGuard } from 'src/auth/authentication.guard';
import { GraphqlContextFactory } from 'src/graphql/graphql-context.factory';
import { formatGraphqlError } from 'src/graphql/graphql-errors';
import { entityResolvers } from 'src/graphql/resolvers/entity.resolvers';
import { queryResolvers } from 'src/graphql/resolvers/query.resolvers';
import { GraphqlServices } from 'src/graphql/resolvers/graphql-loaders';
import { schemaSdl } from 'src/graphql/schema/model-sdl';
import { compileModelContexts } from 'src/graphql/mapping/model-context';
import { DateTimeScalar, GeoJsonScalar, JsonScalar } from 'src/graphql/schema/scalars';
import { apolloLimitOptions } from 'src/graphql/limits/graphql-limits';
import { graphiqlLandingPagePlugin } from 'src/graphql/ide/graphiql-page';
import { GraphiqlController } from 'src/graphql/ide/graphiql.controller';
import { graphqlWsOptions } from 'src/graphql/subscriptions/graphql-ws.options';
import { subscriptionResolvers } from 'src/graphql/subscriptions/subscription.resolvers';
import { SchemaSdlController } from 'src/graphql/sdl/schema-sdl.controller';

export const GRAPHQL_PATH = '/graphql';

/**
 * GraphQL at /graphql: a schema generated at start-up from the data-model registry, resolvers that
 * read through the same services as NGSI-LD with the caller's AccessContext.
 */
@Module({
  imports: [
    GraphQLModule.forRootAsync<ApolloDriverConfig>({
      driver: ApolloDriver,
      imports: [NgsiLdModule, GovernanceModule, AuthModule, ChangesModule, GraphqlSocketsModule],
      inject: [APP_CONFIG, ModelRegistry, EntitiesService, TemporalSeriesService, DatasetsService, ContextCompiler, AuthenticationGuard, ChangeFollowers, ModuleRef, GraphqlSockets],
      useFactory: async (
        config: AppConfig,
        registry: ModelRegistry,
        entities: EntitiesService,
        series: TemporalSeriesService,
        datasets: DatasetsService,
        contexts: ContextCompiler,
        guard: AuthenticationGuard,
        followers: ChangeFollowers,
        moduleRef: ModuleRef,
        sockets: GraphqlSockets,
      ): Promise<ApolloDriverConfig> => {
        const modelContexts = await compileModelContexts(contexts, registry.all());
        const services: GraphqlServices = { entities, series, datasets, contexts: modelContexts, config };
        const contextFactory = new GraphqlContextFactory(guard, services);
        const limits = apolloLimitOptions(config.graphql);
        return {
          ...limits,
          plugins: [...limits.plugins, graphiqlLandingPagePlugin(GRAPHQL_PATH)],
          path: GRAPHQL_PATH,
          typeDefs: schemaSdl(registry.all()),
          resolvers: [
            { JSON: JsonScalar, DateTime: DateTimeScalar, GeoJSON: GeoJsonScalar },
            entityResolvers(registry, modelContexts),
            queryResolvers(services, registry),
            subscriptionResolvers(followers, modelContexts, registry),
          ] as ApolloDriverConfig['resolvers'],
          context: (request: unknown) => contextFactory.forHttp(request),
          formatError: formatGraphqlError,
          // Apollo's Fastify drain closes the server when it stops: only after the other doors had
          // their say at shutdown (the SSE streams' last event telling clients to reconnect).
          stopOnApplicationShutdown: true,
          // The schema host is filled once the module has built the schema: looked up when an operation starts.
          subscriptions: { 'graphql-ws': graphqlWsOptions(contextFactory, config.graphql, () => moduleRef.get(GraphQLSchemaHost, { strict: false }).schema, GRAPHQL_PATH, sockets) },
          // The IDE is our own offline GraphiQL (the landing page plugin), not Nest's from a CDN.
          graphiql: false,
          playground: false,
          includeStacktraceInErrorResponses: false,
        };
      },
    }),
  ],
  controllers: [GraphiqlController, SchemaSdlController],
})
export class GraphqlModule {}
