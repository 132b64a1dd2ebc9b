import { exportJWK, generateKeyPair, JWK, SignJWT } from 'jose';
import { createHash, randomUUID } from 'node:crypto';
import { createServer, IncomingMessage, Server, ServerResponse } from 'node:http';
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
export async function startIdentityProvider(options: { signIn?: TokenClaims } = {}): Promise<IdentityProvider> {
  const { publicKey, privateKey } = await generateKeyPair('ES256');
  const forger = await generateKeyPair('ES256');
  const jwk: JWK = { ...(await exportJWK(publicKey)), kid: 'test-key-1', alg: 'ES256', use: 'sig' };
  const server: Server = createServer((request, response) => {
    if (options.signIn && signInFlow(request, response)) return;
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
  // Authorization code with PKCE for a browser (the explorer): whoever arrives is signed in as options.signIn at once.
  const codes = new Map<string, { challenge: string; redirect: string }>();
  const signInFlow = (request: IncomingMessage, response: ServerResponse): boolean => {
    const url = new URL(request.url ?? '/', base);
    const cors = { 'access-control-allow-origin': '*', 'content-type': 'application/json' };
    if (url.pathname === '/realms/vgr/.well-known/openid-configuration') {
      response.writeHead(200, cors).end(JSON.stringify({ issuer, authorization_endpoint: `${base}/authorize`, token_endpoint: `${base}/token` }));
    } else if (url.pathname === '/authorize' && url.searchParams.get('code_challenge_method') === 'S256') {
      const code = randomUUID();
      const redirect = url.searchParams.get('redirect_uri')!;
      codes.set(code, { challenge: url.searchParams.get('code_challenge')!, redirect });
      response.writeHead(302, { location: `${redirect}?code=${code}&state=${encodeURIComponent(url.searchParams.get('state') ?? '')}` }).end();
    } else if (url.pathname === '/token' && request.method === 'POST') {
      let body = '';
      request.on('data', (chunk: Buffer) => (body += chunk.toString()));
      request.on('end', () => {
        const form = new URLSearchParams(body);
        const grant = codes.get(form.get('code') ?? '');
        codes.delete(form.get('code') ?? '');
        const verified = grant && createHash('sha256').update(form.get('code_verifier') ?? '').digest('base64url') === grant.challenge && grant.redirect === form.get('redirect_uri');
        if (!verified) return void response.writeHead(400, cors).end(JSON.stringify({ error: 'invalid_grant' }));
        void sign(privateKey, options.signIn!).then((token) => response.writeHead(200, cors).end(JSON.stringify({ access_token: token, token_type: 'Bearer' })));
      });
    } else return false;
    return true;
  };
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
