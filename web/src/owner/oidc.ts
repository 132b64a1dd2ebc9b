import { signInWith } from '../session';

/** GET /explore/config.json: the base map, and the OIDC client when one is configured. */
export interface ExplorerSettings {
  tileUrl: string | null;
  tileAttribution: string;
  oidc: { issuer: string; clientId: string; scopes: string } | null;
}

/*
 * Sign-in with the organisation's OIDC provider: authorization code with PKCE (RFC 7636), a public
 * client, no secret. The verifier and state live in sessionStorage between leaving for the provider
 * and coming back to /explore/callback; the access token stays in sessionStorage for this tab.
 */
const PENDING = 'vgds-explorer-oidc';
const REDIRECT_PATH = '/explore/callback';

interface Discovery {
  authorization_endpoint: string;
  token_endpoint: string;
}

async function discover(issuer: string): Promise<Discovery> {
  const response = await fetch(`${issuer.replace(/\/$/, '')}/.well-known/openid-configuration`);
  if (!response.ok) throw new Error(`OIDC discovery: HTTP ${response.status}`);
  return (await response.json()) as Discovery;
}

export async function beginSignIn(settings: ExplorerSettings): Promise<void> {
  const oidc = settings.oidc!;
  const discovery = await discover(oidc.issuer);
  const verifier = randomString();
  const state = randomString();
  sessionStorage.setItem(PENDING, JSON.stringify({ verifier, state }));
  const challenge = base64url(new Uint8Array(await crypto.subtle.digest('SHA-256', new TextEncoder().encode(verifier))));
  const url = new URL(discovery.authorization_endpoint);
  url.search = new URLSearchParams({
    response_type: 'code',
    client_id: oidc.clientId,
    redirect_uri: location.origin + REDIRECT_PATH,
    scope: oidc.scopes,
    state,
    code_challenge: challenge,
    code_challenge_method: 'S256',
  }).toString();
  location.assign(url.toString());
}

/** Back from the provider: trade the code for a token, once, and forget the verifier. */
export async function completeSignIn(settings: ExplorerSettings): Promise<void> {
  const params = new URLSearchParams(location.search);
  const pending = JSON.parse(sessionStorage.getItem(PENDING) ?? 'null') as { verifier: string; state: string } | null;
  sessionStorage.removeItem(PENDING);
  if (!settings.oidc || !pending || params.get('state') !== pending.state || !params.get('code')) throw new Error(params.get('error_description') ?? 'The sign-in did not complete');
  const discovery = await discover(settings.oidc.issuer);
  const response = await fetch(discovery.token_endpoint, {
    method: 'POST',
    headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({
      grant_type: 'authorization_code',
      code: params.get('code')!,
      redirect_uri: location.origin + REDIRECT_PATH,
      client_id: settings.oidc.clientId,
      code_verifier: pending.verifier,
    }),
  });
  if (!response.ok) throw new Error(`OIDC token endpoint: HTTP ${response.status}`);
  const { access_token: token } = (await response.json()) as { access_token: string };
  signInWith({ kind: 'token', token });
}

function randomString(): string {
  return base64url(crypto.getRandomValues(new Uint8Array(32)));
}

function base64url(bytes: Uint8Array): string {
  return btoa(String.fromCharCode(...bytes)).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
}
