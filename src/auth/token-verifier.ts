import { parsePurpose } from 'src/governance/privacy/purposes/purpose';
import { Injectable } from '@nestjs/common';
import { createLocalJWKSet, createRemoteJWKSet, errors, JWTPayload, jwtVerify, JWTVerifyGetKey } from 'jose';
import { AppConfig, ORGANISATION } from 'src/config/app-config';
import { InjectConfig } from 'src/config/config.module';
import { isRole, Principal, Role } from 'src/auth/principal';

export class InvalidToken extends Error {}

/**
 * Verifies OIDC / OAuth2 bearer tokens (JWTs) with `jose`: signature against the issuer's keys
 * (a JWKS URL, fetched and cached, re-fetched on an unknown key id; or static keys), issuer,
 * audience, expiry and not-before with a small clock tolerance, and an allow-list of asymmetric
 * algorithms (so `none` and HMAC tricks are refused before any key is looked at).
 */
@Injectable()
export class TokenVerifier {
  private readonly keys?: JWTVerifyGetKey;

  constructor(@InjectConfig() private readonly config: AppConfig) {
    const { jwksUrl, publicKeys } = config.auth;
    if (jwksUrl) this.keys = createRemoteJWKSet(new URL(jwksUrl), { timeoutDuration: 5_000, cooldownDuration: 30_000 });
    else if (publicKeys) this.keys = createLocalJWKSet(publicKeys as Parameters<typeof createLocalJWKSet>[0]);
  }

  async verify(token: string): Promise<Principal> {
    const { issuer, audience, algorithms, clockToleranceSeconds } = this.config.auth;
    if (!this.keys || !issuer || !audience) throw new InvalidToken('This service accepts no bearer tokens (AUTH_ISSUER is not configured)');
    let payload: JWTPayload;
    try {
      ({ payload } = await jwtVerify(token, this.keys, {
        issuer,
        audience,
        algorithms: [...algorithms],
        clockTolerance: clockToleranceSeconds,
        requiredClaims: ['sub', 'exp'],
      }));
    } catch (error) {
      throw new InvalidToken(reasonOf(error));
    }
    return principalOfClaims(payload, this.config.auth);
  }
}

/** Thrown for claims that verify but cannot name a caller safely. */
export class UnusableClaims extends InvalidToken {}

/**
 * Maps verified claims to a principal: organisation and roles from the configured claims, MFA
 * from amr/acr. Subjects share a namespace with principal grants, so a token may not take the
 * `api-key:` form API keys use; organisations are ids like the ones datasets and keys use.
 */
export function principalOfClaims(payload: JWTPayload, auth: AppConfig['auth']): Principal {
  if (typeof payload.sub !== 'string' || payload.sub.trim() === '' || payload.sub.length > 255) {
    throw new UnusableClaims('The token has no usable "sub" claim');
  }
  if (payload.sub.startsWith('api-key:')) throw new UnusableClaims('Token subjects may not take the form of API key principals (api-key:...)');
  const organisation = claimAt(payload, auth.organisationClaim);
  const roleValues = claimAt(payload, auth.rolesClaim);
  const roles = new Set<Role>();
  for (const value of Array.isArray(roleValues) ? roleValues : typeof roleValues === 'string' ? roleValues.split(' ') : []) {
    if (typeof value === 'string' && isRole(value)) roles.add(value);
  }
  const amr = Array.isArray(payload.amr) ? payload.amr : [];
  const mfa = amr.some((method) => typeof method === 'string' && auth.mfaAmr.includes(method)) ||
    (typeof payload.acr === 'string' && auth.mfaAcr.includes(payload.acr));
  const organisationValue = Array.isArray(organisation) && organisation.length === 1 ? organisation[0] : organisation;
  if (organisationValue !== undefined && (typeof organisationValue !== 'string' || !ORGANISATION.test(organisationValue))) {
    throw new UnusableClaims(`The "${auth.organisationClaim}" claim must be one organisation id (lower-case letters, digits and "-")`);
  }
  const purposeValue = claimAt(payload, auth.purposeClaim);
  const purpose = typeof purposeValue === 'string' ? parsePurpose(purposeValue) : undefined;
  if (purposeValue !== undefined && purpose === undefined) {
    throw new UnusableClaims(`The "${auth.purposeClaim}" claim must be one DPV purpose, like dpv:ServiceProvision`);
  }
  return {
    kind: 'user',
    subject: payload.sub,
    organisation: organisationValue,
    roles,
    mfa,
    ...(purpose ? { purpose } : {}),
  };
}

/** A claim by dotted path (`realm_access.roles`); a claim whose own name has the dots wins. */
function claimAt(payload: JWTPayload, path: string): unknown {
  if (path in payload) return payload[path];
  let value: unknown = payload;
  for (const part of path.split('.')) {
    if (value === null || typeof value !== 'object') return undefined;
    value = (value as Record<string, unknown>)[part];
  }
  return value;
}

function reasonOf(error: unknown): string {
  if (error instanceof errors.JWTExpired) return 'The token has expired';
  if (error instanceof errors.JWTClaimValidationFailed) return `The token's "${error.claim}" claim is not accepted here`;
  if (error instanceof errors.JOSEAlgNotAllowed) return 'The token is signed with an algorithm this service does not accept';
  if (error instanceof errors.JWSSignatureVerificationFailed) return 'The token signature does not verify';
  if (error instanceof errors.JWKSNoMatchingKey) return 'The token is signed with a key the issuer does not publish';
  if (error instanceof errors.JWKSTimeout) return 'The identity provider did not answer in time; try again';
  if (error instanceof errors.JOSEError) return `The token is not valid: ${error.message}`;
  return 'The token is not valid';
}
