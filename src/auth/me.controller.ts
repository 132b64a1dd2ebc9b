import { Controller, Get } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import { ApiJsonAnswer, schemaRef } from 'src/common/openapi/openapi-answers';
import { ApiCallerProblems } from 'src/common/problem/problem.openapi';
import { Access } from 'src/common/access/access.decorator';
import { AccessContext } from 'src/common/access/access-context';
import { PolicyDecisionPoint } from 'src/governance/policy-decision-point';

/** Who the service thinks the caller is, and what that allows: the first thing to check when access surprises. */
@ApiTags('API keys')
@ApiCallerProblems()
@Controller('api/v1/me')
export class MeController {
  constructor(private readonly policy: PolicyDecisionPoint) {}

  @Get()
  @ApiOperation({ summary: 'The caller as authenticated: kind, subject, organisation, roles, MFA, readable and writable datasets' })
  @ApiJsonAnswer(200, 'The caller', schemaRef('Caller'))
  me(@Access() access: AccessContext) {
    const { principal } = access;
    return {
      kind: principal.kind,
      subject: principal.subject,
      ...(principal.organisation ? { organisation: principal.organisation } : {}),
      roles: [...principal.roles],
      mfa: principal.mfa,
      ...(principal.apiKey ? { apiKey: { id: principal.apiKey.keyId, read: principal.apiKey.canRead, write: principal.apiKey.canWrite, datasets: principal.apiKey.datasets ? [...principal.apiKey.datasets] : undefined } } : {}),
      readableDatasets: this.policy.readable(access).datasets,
      writableDatasets: this.policy.writable(access),
    };
  }
}
