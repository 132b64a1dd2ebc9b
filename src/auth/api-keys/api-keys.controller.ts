import { Body, Controller, Delete, Get, HttpCode, Param, Post, Query, Res } from '@nestjs/common';
import { ApiOperation, ApiParam, ApiQuery, ApiTags } from '@nestjs/swagger';
import { FastifyReply } from 'fastify';
import { Access } from 'src/common/access/access.decorator';
import { AccessContext } from 'src/common/access/access-context';
import { checkQueryNames } from 'src/common/http/query-params';
import { ApiKeysService } from 'src/auth/api-keys/api-keys.service';
import { ApiGovernanceProblems, ApiJsonBody } from 'src/governance/governance.openapi';
import { ApiAnswer, ApiJsonAnswer, schemaRef } from 'src/common/openapi/openapi-answers';

@ApiTags('API keys')
@ApiGovernanceProblems()
@Controller('api/v1/api-keys')
export class ApiKeysController {
  constructor(private readonly keys: ApiKeysService) {}

  @Post()
  @ApiOperation({ summary: 'Issue an API key for a machine (organisation admins); the key is in the answer, once' })
  @ApiJsonBody(schemaRef('NewApiKey'))
  @ApiJsonAnswer(201, 'Issued: `key` is shown this once and stored only as a hash; Location names it', schemaRef('IssuedApiKey'), { headers: ['Location', 'Cache-Control'] })
  async create(@Access() access: AccessContext, @Body() body: unknown, @Res({ passthrough: true }) reply: FastifyReply) {
    const key = await this.keys.create(access, body);
    void reply.status(201).header('location', `/api/v1/api-keys/${key.id}`).header('cache-control', 'no-store');
    return key;
  }

  @Get()
  @ApiOperation({ summary: "The keys of an organisation (its admins); never their secrets" })
  @ApiQuery({ name: 'organisation', required: false, description: "The caller's organisation by default" })
  @ApiJsonAnswer(200, 'The keys', schemaRef('ApiKeyList'))
  list(@Access() access: AccessContext, @Query() query: Record<string, unknown>) {
    checkQueryNames(query, ['organisation']);
    return this.keys.list(access, query.organisation as string | undefined);
  }

  @Get(':keyId')
  @ApiParam({ name: 'keyId', format: 'uuid' })
  @ApiOperation({ summary: 'One key' })
  @ApiJsonAnswer(200, 'The key, without its secret', schemaRef('ApiKey'))
  get(@Access() access: AccessContext, @Param('keyId') id: string) {
    return this.keys.get(access, id);
  }

  @Delete(':keyId')
  @HttpCode(204)
  @ApiParam({ name: 'keyId', format: 'uuid' })
  @ApiOperation({ summary: 'Revoke a key; it stops working with the next request' })
  @ApiAnswer(204, 'Revoked')
  async revoke(@Access() access: AccessContext, @Param('keyId') id: string): Promise<void> {
    await this.keys.revoke(access, id);
  }
}
