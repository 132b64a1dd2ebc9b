import { NestFastifyApplication } from '@nestjs/platform-fastify';
import { DocumentBuilder, SwaggerModule } from '@nestjs/swagger';
import { CHANGE_SCHEMAS } from 'src/changes/changes.openapi';
import { SchemaComponents } from 'src/common/openapi/openapi-answers';
import { PROBLEM_SCHEMAS, problemAnswer } from 'src/common/problem/problem.openapi';
import { GRAPHQL_PATHS } from 'src/graphql/graphql.openapi';
import { DATASET_SCHEMAS } from 'src/governance/datasets/datasets.openapi';
import { ORGANISATION_SCHEMAS } from 'src/governance/organisations/organisations.openapi';
import { GOVERNANCE_SCHEMAS } from 'src/governance/governance.openapi';
import { RETENTION_SCHEMAS } from 'src/governance/privacy/retention/retention.openapi';
import { PROCESSING_SCHEMAS } from 'src/governance/privacy/processing/processing.openapi';
import { OPERATIONS_SCHEMAS } from 'src/health/health.openapi';
import { SERVICE_INFO } from 'src/health/service-info';
import { DEVICE_SCHEMAS } from 'src/ingest/devices/devices.openapi';
import { NGSI_LD_SCHEMAS } from 'src/ngsi-ld/common/ngsi-ld-schemas.openapi';
import { CONTEXT_SCHEMAS } from 'src/ngsi-ld/contexts/jsonld-contexts.openapi';
import { DISCOVERY_SCHEMAS } from 'src/ngsi-ld/discovery/discovery.openapi';
import { SUBSCRIPTION_SCHEMAS } from 'src/ngsi-ld/subscriptions/subscriptions.openapi';
import { TEMPORAL_SCHEMAS } from 'src/ngsi-ld/temporal/temporal.openapi';

/** The named schemas of every area, which the routes' decorators refer to. */
const SCHEMAS: SchemaComponents = {
  ...PROBLEM_SCHEMAS,
  ...NGSI_LD_SCHEMAS,
  ...TEMPORAL_SCHEMAS,
  ...SUBSCRIPTION_SCHEMAS,
  ...DISCOVERY_SCHEMAS,
  ...CONTEXT_SCHEMAS,
  ...CHANGE_SCHEMAS,
  ...DATASET_SCHEMAS,
  ...ORGANISATION_SCHEMAS,
  ...GOVERNANCE_SCHEMAS,
  ...RETENTION_SCHEMAS,
  ...PROCESSING_SCHEMAS,
  ...DEVICE_SCHEMAS,
  ...OPERATIONS_SCHEMAS,
};

/**
 * The OpenAPI 3.1 description, from the routes' decorators, served at /openapi.json and drawn by
 * Swagger UI at /docs. e2e tests hold every answer they see against it (test/support/contract).
 */
export function setUpOpenApi(app: NestFastifyApplication): void {
  const config = new DocumentBuilder()
    .setOpenAPIVersion('3.1.0')
    .setTitle('vg-datashare')
    .setDescription(
      `${SERVICE_INFO.description}\n\nNGSI-LD (ETSI GS CIM 009) under /ngsi-ld/v1; datasets, grants, API keys and the audit log under /api/v1; errors are RFC 9457 problem details. ` +
        'Without credentials a caller is anonymous and sees open data only. While the database cannot be reached every route that needs it answers 503 with Retry-After.',
    )
    .setVersion(SERVICE_INFO.version)
    .addBearerAuth({ type: 'http', scheme: 'bearer', bearerFormat: 'JWT', description: 'An OIDC access token from the configured issuer' }, 'bearer')
    .addApiKey({ type: 'apiKey', in: 'header', name: 'X-API-Key', description: 'An API key issued under /api/v1/api-keys' }, 'api-key')
    .addSecurityRequirements('bearer')
    .addSecurityRequirements('api-key')
    .addSecurityRequirements({})
    // Every route checks the text of its path and query before anything else.
    .addGlobalResponse(problemAnswer(400, 'The path or query holds text that is not well-formed (a NUL, a lone surrogate)', ['about:blank', 'https://uri.etsi.org/ngsi-ld/errors/InvalidRequest']))
    .build();
  const document = SwaggerModule.createDocument(app, config);
  document.paths = { ...document.paths, ...(GRAPHQL_PATHS as typeof document.paths) };
  document.components = { ...document.components, schemas: { ...document.components?.schemas, ...SCHEMAS } };
  SwaggerModule.setup('docs', app, document, { jsonDocumentUrl: 'openapi.json', raw: ['json'] });
}
