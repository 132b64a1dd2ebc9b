import { Logger } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { FastifyAdapter, NestFastifyApplication } from '@nestjs/platform-fastify';
import { DocumentBuilder, SwaggerModule } from '@nestjs/swagger';
import { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { AppModule } from 'src/app.module';
import { AppConfig } from 'src/config/app-config';
import { installGracefulClose } from 'src/common/http/graceful-close';
import { clientErrorAnswer } from 'src/common/http/client-error-answer';
import { installInputHygiene } from 'src/common/http/input-hygiene';
import { headersBeforeRouting, installSecurityHeaders } from 'src/common/http/security-headers';
import { createPinoLogger, JsonLogger } from 'src/common/logging/json-logger';
import { ProblemFilter, sendProblem } from 'src/common/problem/problem.filter';
import { SERVICE_INFO } from 'src/health/service-info';

/** Headers a browser client (a web digital twin, a portal) may read from answers. */
const EXPOSED_HEADERS = ['Link', 'Location', 'NGSILD-Results-Count', 'NGSILD-Tenant', 'WWW-Authenticate', 'X-Total-Count'];
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

function setUpOpenApi(app: NestFastifyApplication): void {
  const document = SwaggerModule.createDocument(
    app,
    new DocumentBuilder()
      .setOpenAPIVersion('3.1.0')
      .setTitle('vg-datashare')
      .setDescription(
        `${SERVICE_INFO.description}\n\nNGSI-LD (ETSI GS CIM 009) under /ngsi-ld/v1; datasets, grants, API keys and the audit log under /api/v1; errors are RFC 9457 problem details. Without credentials a caller is anonymous and sees open data only.`,
      )
      .setVersion(SERVICE_INFO.version)
      .addBearerAuth({ type: 'http', scheme: 'bearer', bearerFormat: 'JWT', description: 'An OIDC access token from the configured issuer' }, 'bearer')
      .addApiKey({ type: 'apiKey', in: 'header', name: 'X-API-Key', description: 'An API key issued under /api/v1/api-keys' }, 'api-key')
      .addSecurityRequirements('bearer')
      .addSecurityRequirements('api-key')
      .addSecurityRequirements({})
      .build(),
  );
  SwaggerModule.setup('docs', app, document, { jsonDocumentUrl: 'openapi.json', raw: ['json'] });
}
