import { createParamDecorator, ExecutionContext } from '@nestjs/common';
import { FastifyRequest } from 'fastify';
import { BadRequestData } from 'src/common/problem/ngsi-ld-errors';
import { AccessContext } from 'src/common/access/access-context';

const TENANT = /^[A-Za-z0-9][A-Za-z0-9_.:-]{0,99}$/;

/** Builds the caller's {@link AccessContext} from the request. */
export const Access = createParamDecorator((_: unknown, context: ExecutionContext): AccessContext => {
  const request = context.switchToHttp().getRequest<FastifyRequest>();
  const header = request.headers['ngsild-tenant'];
  if (header === undefined) return new AccessContext(AccessContext.DEFAULT_TENANT);
  if (typeof header !== 'string' || !TENANT.test(header)) {
    throw new BadRequestData('NGSILD-Tenant must be 1 to 100 letters, digits, "_", ".", ":" or "-"');
  }
  return new AccessContext(header);
});
