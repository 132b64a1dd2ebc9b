/*
 * The signed-in person's credential, kept for this tab only (sessionStorage): an API key pasted in,
 * or an OIDC access token. Nothing survives the tab; the explorer has no credential of its own.
 */
export type Credential = { kind: 'api-key'; key: string } | { kind: 'token'; token: string };

const KEY = 'vgds-explorer-credential';

export function credential(): Credential | undefined {
  const text = sessionStorage.getItem(KEY);
  return text ? (JSON.parse(text) as Credential) : undefined;
}

export function signInWith(value: Credential): void {
  sessionStorage.setItem(KEY, JSON.stringify(value));
}

export function signOut(): void {
  sessionStorage.removeItem(KEY);
}

export function credentialHeaders(): Record<string, string> {
  const c = credential();
  if (!c) return {};
  return c.kind === 'api-key' ? { 'X-API-Key': c.key } : { Authorization: `Bearer ${c.token}` };
}
