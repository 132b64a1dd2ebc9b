import { NestFactory } from '@nestjs/core';
import { FastifyAdapter, NestFastifyApplication } from '@nestjs/platform-fastify';
import { DocumentBuilder, SwaggerModule } from '@nestjs/swagger';
import { FastifyInstance } from 'fastify';
import { AppModule } from 'src/app.module';
import { AppConfig } from 'src/config/app-config';
import { createPinoLogger, JsonLogger } from 'src/common/logging/json-logger';
import { ProblemFilter } from 'src/common/problem/problem.filter';
import { SERVICE_INFO } from 'src/health/service-info';

/** Headers a browser client (a web digital twin, a portal) may read from answers. */
const EXPOSED_HEADERS = ['Link', 'Location', 'NGSILD-Results-Count', 'NGSILD-Tenant'];

/** Builds the application exactly as `main.ts` runs it; tests use the same function. */
export async function createApp(config: AppConfig): Promise<NestFastifyApplication> {
  const pino = createPinoLogger(config.logLevel);
  const adapter = new FastifyAdapter({
    loggerInstance: pino,
    bodyLimit: config.http.bodyLimitBytes,
    routerOptions: { ignoreTrailingSlash: true },
  });
  const app = await NestFactory.create<NestFastifyApplication>(AppModule.forRoot(config), adapter, {
    logger: new JsonLogger(pino),
    abortOnError: false,
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
  // JSON-LD is JSON: parsed by Fastify's own JSON parser, which refuses prototype poisoning.
  fastify.addContentTypeParser(
    ['application/ld+json'],
    { parseAs: 'string', bodyLimit: config.http.bodyLimitBytes },
    fastify.getDefaultJsonParser('error', 'error'),
  );
  // Every error, Fastify's own (bad JSON, size, media type) included, leaves as problem details.
  app.useGlobalFilters(new ProblemFilter());
  app.enableCors({ origin: '*', exposedHeaders: EXPOSED_HEADERS });
  app.enableShutdownHooks();
  setUpOpenApi(app);
}

function setUpOpenApi(app: NestFastifyApplication): void {
  const document = SwaggerModule.createDocument(
    app,
    new DocumentBuilder()
      .setOpenAPIVersion('3.1.0')
      .setTitle('vg-datashare')
      .setDescription(
        `${SERVICE_INFO.description}\n\nNGSI-LD (ETSI GS CIM 009) under /ngsi-ld/v1; errors are RFC 9457 problem details.`,
      )
      .setVersion(SERVICE_INFO.version)
      .build(),
  );
  SwaggerModule.setup('docs', app, document, { jsonDocumentUrl: 'openapi.json', raw: ['json'] });
}
