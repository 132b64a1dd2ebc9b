import { createParamDecorator, ExecutionContext } from '@nestjs/common';
import { AuthenticatedRequest } from 'src/auth/authentication.guard';
import { ANONYMOUS } from 'src/auth/principal';
import { BadRequestData } from 'src/common/problem/ngsi-ld-errors';
import { parsePurpose } from 'src/governance/privacy/purposes/purpose';
import { AccessContext } from 'src/common/access/access-context';

const TENANT = /^[A-Za-z0-9][A-Za-z0-9_.:-]{0,99}$/;

/** The purpose a VGDS-Purpose header declares (a DPV term); a header that declares none is the caller's error. */
function purposeOf(header: string | string[] | undefined): string | undefined {
  if (header === undefined) return undefined;
  const purpose = typeof header === 'string' ? parsePurpose(header) : undefined;
  if (!purpose) throw new BadRequestData('VGDS-Purpose must be one DPV purpose, like dpv:ServiceProvision or https://w3id.org/dpv#ServiceProvision');
  return purpose;
}

/**
 * The caller's {@link AccessContext} for a request whose caller is known: the tenant it addresses
 * (NGSILD-Tenant) and the purpose it declares (VGDS-Purpose, else the credential's). Kept on the
 * request: the answer's VGDS-View header and read-log entries come from what it disclosed.
 */
export function accessContextOf(request: AuthenticatedRequest): AccessContext {
  // The guard runs before every handler; a handler without a snapshot is a wiring mistake, not a caller's.
  if (!request.governance) throw new Error('@Access() used on a route the authentication guard skipped');
  const header = request.headers['ngsild-tenant'];
  if (header !== undefined && (typeof header !== 'string' || !TENANT.test(header))) {
    throw new BadRequestData('NGSILD-Tenant must be 1 to 100 letters, digits, "_", ".", ":" or "-"');
  }
  const principal = request.principal ?? ANONYMOUS;
  const access = new AccessContext(header ?? AccessContext.DEFAULT_TENANT, request.governance, principal, purposeOf(request.headers['vgds-purpose']) ?? principal.purpose);
  (request as { access?: AccessContext }).access = access;
  return access;
}

/** Builds the caller's {@link AccessContext} from the request, as the authentication guard left it. */
export const Access = createParamDecorator((_: unknown, context: ExecutionContext): AccessContext => accessContextOf(context.switchToHttp().getRequest<AuthenticatedRequest>()));
