import { Controller, Get, Res } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import { ApiAnswer, ApiJsonAnswer, schemaRef } from 'src/common/openapi/openapi-answers';
import { FastifyReply } from 'fastify';
import { WithoutCaller } from 'src/auth/authentication.guard';
import { Database } from 'src/database/database';
import { SERVICE_INFO } from 'src/health/service-info';

interface HealthReport {
  status: 'pass' | 'fail';
  version: string;
  checks: Record<string, { componentType: string; status: 'pass' | 'fail'; observedValue?: number; observedUnit?: string; output?: string; time: string }[]>;
}

@ApiTags('Operations')
@WithoutCaller()
@Controller()
export class HealthController {
  constructor(private readonly database: Database) {}

  @Get('health')
  @ApiOperation({ summary: 'Health of the service and its database (application/health+json)' })
  @ApiAnswer(200, 'pass', { content: { 'application/health+json': schemaRef('Health') } })
  @ApiAnswer(503, 'fail: the database does not answer', { content: { 'application/health+json': schemaRef('Health') } })
  async health(@Res({ passthrough: true }) reply: FastifyReply): Promise<HealthReport> {
    const started = performance.now();
    let status: 'pass' | 'fail' = 'pass';
    let output: string | undefined;
    try {
      const { postgis } = await this.database.check();
      output = `PostgreSQL with PostGIS ${postgis}${this.database.embedded ? ' (embedded)' : ''}`;
    } catch {
      status = 'fail';
      output = 'the database does not answer';
    }
    void reply.status(status === 'pass' ? 200 : 503).header('content-type', 'application/health+json');
    return {
      status,
      version: SERVICE_INFO.version,
      checks: {
        'database:responseTime': [
          {
            componentType: 'datastore',
            status,
            observedValue: Math.round((performance.now() - started) * 10) / 10,
            observedUnit: 'ms',
            output,
            time: new Date().toISOString(),
          },
        ],
      },
    };
  }

  @Get()
  @ApiOperation({ summary: 'Where to go from here' })
  @ApiJsonAnswer(200, 'Links to the documentation, the health check and the APIs', schemaRef('ServiceIndex'))
  root() {
    return {
      name: SERVICE_INFO.name,
      links: { apiInfo: '/api-info', health: '/health', documentation: '/docs', openapi: '/openapi.json', ngsiLd: '/ngsi-ld/v1' },
    };
  }

  @Get('api-info')
  @ApiOperation({ summary: 'About this API (DIGG REST API profile)' })
  @ApiJsonAnswer(200, 'Name, version, release date, status and where the documentation is', schemaRef('ApiInfo'))
  apiInfo() {
    return {
      apiName: SERVICE_INFO.name,
      apiVersion: SERVICE_INFO.version,
      apiReleased: SERVICE_INFO.released,
      apiDocumentation: '/docs',
      apiSpecification: '/openapi.json',
      apiStatus: 'active',
      description: SERVICE_INFO.description,
    };
  }
}
