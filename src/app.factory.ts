import { installBatchLimit } from 'src/graphql/limits/batch-limit';
import { GRAPHQL_PATH } from 'src/graphql/graphql.module';
import { Logger } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { FastifyAdapter, NestFastifyApplication } from '@nestjs/platform-fastify';
import { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { AppModule } from 'src/app.module';
import { setUpOpenApi } from 'src/app.openapi';
import { AppConfig } from 'src/config/app-config';
import { installGracefulClose } from 'src/common/http/graceful-close';
import { clientErrorAnswer } from 'src/common/http/client-error-answer';
import { installInputHygiene } from 'src/common/http/input-hygiene';
import { headersBeforeRouting, installSecurityHeaders } from 'src/common/http/security-headers';
import { createPinoLogger, JsonLogger } from 'src/common/logging/json-logger';
import { ProblemFilter, sendProblem } from 'src/common/problem/problem.filter';

/** Headers a browser client (a web digital twin, a portal) may read from answers. */
const EXPOSED_HEADERS = ['Content-Disposition', 'ETag', 'Link', 'Location', 'NGSILD-Results-Count', 'NGSILD-Tenant', 'VGDS-Attribution', 'VGDS-View', 'WWW-Authenticate', 'X-Total-Count'];
/** Entity ids are URIs of up to 2048 characters, longer once percent-encoded in a path. */
const MAX_PATH_PARAMETER = 8192;

/** Builds the application exactly as `main.ts` runs it; tests use the same function. */
export async function createApp(config: AppConfig): Promise<NestFastifyApplication> {
  const pino = createPinoLogger(config.logLevel);
  const httpLogger = new Logger('Http');
  const unroutedHeaders = headersBeforeRouting(config.security);
  const adapter = new FastifyAdapter({
    loggerInstance: pino,
    bodyLimit: config.http.bodyLimitBytes,
    routerOptions: { ignoreTrailingSlash: true, maxParamLength: MAX_PATH_PARAMETER },
    // Errors met before any route runs (a malformed URL, a broken request line) are problems too.
    frameworkErrors: (error: Error, request: FastifyRequest, reply: FastifyReply) => sendProblem(error, request, reply.headers(unroutedHeaders), httpLogger),
    clientErrorHandler: clientErrorAnswer(unroutedHeaders),
    trustProxy: config.security.trustProxy as boolean | string[],
  });
  const app = await NestFactory.create<NestFastifyApplication>(AppModule.forRoot(config), adapter, {
    logger: new JsonLogger(pino),
    abortOnError: false,
    bodyParser: false,
  });
  try {
    configureApp(app, config);
    await app.init();
  } catch (error) {
    await app.close(); // stops the embedded database cleanly
    throw error;
  }
  return app;
}

export function configureApp(app: NestFastifyApplication, config: AppConfig): void {
  const fastify = app.getHttpAdapter().getInstance() as unknown as FastifyInstance;
  installInputHygiene(fastify, config.http.bodyLimitBytes);
  installGracefulClose(fastify);
  installSecurityHeaders(fastify, config.security);
  // Before GraphQLModule adds its route: hooks apply to the routes added after them.
  installBatchLimit(fastify, GRAPHQL_PATH, config.graphql.maxBatch);
  // Every error, Fastify's own (bad JSON, size, media type) included, leaves as problem details.
  app.useGlobalFilters(new ProblemFilter());
  app.enableCors({
    origin: '*',
    methods: ['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE'],
    exposedHeaders: EXPOSED_HEADERS,
  });
  // process.exit(0) once closed: exit status 0, and the last log lines are written before the process ends.
  app.enableShutdownHooks([], { useProcessExit: true });
  setUpOpenApi(app);
}
