import { CanActivate, ExecutionContext, Injectable, SetMetadata } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { FastifyRequest } from 'fastify';
import { ANONYMOUS, Principal } from 'src/auth/principal';
import { parseApiKey, secretMatches } from 'src/auth/api-keys/api-key-secret';
import { apiKeyPrincipal, KeyRefused, keyRefusal } from 'src/auth/api-keys/api-key-principal';
import { presentedCredential } from 'src/auth/presented-credential';
import { AuthenticationFailures } from 'src/auth/throttling/authentication-failures';
import { InvalidToken, TokenVerifier } from 'src/auth/token-verifier';
import { GovernanceSnapshot } from 'src/governance/governance-snapshot';
import { GovernanceState } from 'src/governance/governance-state';
import { Unauthorized } from 'src/governance/problems';

/** Routes that answer without knowing the caller (health checks must work when governance cannot load). */
export const WITHOUT_CALLER = 'vgds:without-caller';
export const WithoutCaller = () => SetMetadata(WITHOUT_CALLER, true);

/** What the guard leaves on the request for the `@Access()` decorator. */
export interface AuthenticatedRequest extends FastifyRequest {
  principal?: Principal;
  governance?: GovernanceSnapshot;
}

/**
 * Decides who the caller is, once per request, before any handler runs: a bearer token, an API
 * key (`X-API-Key` or `Authorization: ApiKey ...`), or nobody (anonymous). Credentials that are
 * present but wrong are refused with 401 and audited (429, audited per burst, past the limits of
 * AuthenticationFailures), never downgraded to anonymous.
 */
@Injectable()
export class AuthenticationGuard implements CanActivate {
  constructor(
    private readonly reflector: Reflector,
    private readonly tokens: TokenVerifier,
    private readonly governance: GovernanceState,
    private readonly failures: AuthenticationFailures,
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    if (this.reflector.getAllAndOverride<boolean>(WITHOUT_CALLER, [context.getHandler(), context.getClass()])) return true;
    await this.identify(context.switchToHttp().getRequest<AuthenticatedRequest>());
    return true;
  }

  /** Leaves the caller and the current governance snapshot on the request (doors outside Nest's handlers, such as GraphQL, call this themselves). */
  async identify(request: AuthenticatedRequest): Promise<void> {
    const snapshot = await this.governance.current();
    request.governance = snapshot;
    try {
      request.principal = await this.authenticate(request, snapshot);
    } catch (error) {
      if (!(error instanceof Unauthorized)) throw error;
      throw await this.failures.refuse(request, error);
    }
  }

  private async authenticate(request: FastifyRequest, snapshot: GovernanceSnapshot): Promise<Principal> {
    const credential = presentedCredential(request.headers, request.raw.rawHeaders);
    switch (credential.kind) {
      case 'none':
        return ANONYMOUS;
      case 'api-key':
        return this.apiKeyPrincipal(credential.key, snapshot);
      case 'bearer':
        try {
          return await this.tokens.verify(credential.token);
        } catch (error) {
          if (error instanceof InvalidToken) throw new Unauthorized(error.message);
          throw error;
        }
    }
  }

  private apiKeyPrincipal(presented: string, snapshot: GovernanceSnapshot): Principal {
    const parsed = parseApiKey(presented.trim());
    const key = parsed && snapshot.apiKeys.get(parsed.keyId);
    if (!parsed || !key) throw new Unauthorized('The API key is not valid');
    const known = { id: key.id, organisation: key.organisation };
    if (!secretMatches(parsed.secret, key.secretHash)) throw new KeyRefused('The API key is not valid', known);
    const refusal = keyRefusal(key);
    if (refusal) throw new KeyRefused(refusal, known);
    return apiKeyPrincipal(key);
  }
}
