import { exportJWK, generateKeyPair, JWK, SignJWT } from 'jose';
import { createServer, Server } from 'node:http';
import { AddressInfo } from 'node:net';

/** A caller's identity as a real OIDC provider would put it in an access token. */
export interface TokenClaims {
  readonly sub: string;
  readonly organisation?: string;
  readonly roles?: string[];
  /** Authentication methods (RFC 8176): ['pwd'] for a password, ['pwd', 'otp'] or ['mfa'] with a second factor. */
  readonly amr?: string[];
  /** The purpose of the caller's reads (a DPV term), in the claim AUTH_PURPOSE_CLAIM names. */
  readonly purpose?: string;
  readonly expiresIn?: string;
  readonly audience?: string;
}

export interface IdentityProvider {
  readonly issuer: string;
  readonly audience: string;
  readonly jwksUrl: string;
  /** Environment for the service: AUTH_ISSUER, AUTH_AUDIENCE, AUTH_JWKS_URL. */
  readonly env: Record<string, string>;
  token(claims: TokenClaims): Promise<string>;
  /** The Authorization header carrying a token with these claims. */
  bearer(claims: TokenClaims): Promise<{ authorization: string }>;
  /** A token signed by a key the provider does not publish. */
  forgedToken(claims: TokenClaims): Promise<string>;
  close(): Promise<void>;
}

/**
 * A local OIDC provider for the tests: an ES256 key pair, its public half served as a JWKS over
 * HTTP (as Keycloak publishes /protocol/openid-connect/certs), and tokens signed with the private half.
 */
export async function startIdentityProvider(): Promise<IdentityProvider> {
  const { publicKey, privateKey } = await generateKeyPair('ES256');
  const forger = await generateKeyPair('ES256');
  const jwk: JWK = { ...(await exportJWK(publicKey)), kid: 'test-key-1', alg: 'ES256', use: 'sig' };
  const server: Server = createServer((request, response) => {
    if (request.url !== '/certs') {
      response.writeHead(404).end();
      return;
    }
    response.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ keys: [jwk] }));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const issuer = `${base}/realms/vgr`;
  const audience = 'vg-datashare';
  const sign = (key: typeof privateKey, claims: TokenClaims) =>
    new SignJWT({
      ...(claims.organisation ? { organisation: claims.organisation } : {}),
      ...(claims.purpose ? { purpose: claims.purpose } : {}),
      roles: claims.roles ?? [],
      amr: claims.amr ?? ['pwd'],
    })
      .setProtectedHeader({ alg: 'ES256', kid: 'test-key-1' })
      .setSubject(claims.sub)
      .setIssuer(issuer)
      .setAudience(claims.audience ?? audience)
      .setIssuedAt()
      .setExpirationTime(claims.expiresIn ?? '5m')
      .sign(key);
  return {
    issuer,
    audience,
    jwksUrl: `${base}/certs`,
    env: { AUTH_ISSUER: issuer, AUTH_AUDIENCE: audience, AUTH_JWKS_URL: `${base}/certs` },
    token: (claims) => sign(privateKey, claims),
    bearer: async (claims) => ({ authorization: `Bearer ${await sign(privateKey, claims)}` }),
    forgedToken: (claims) => sign(forger.privateKey, claims),
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}
