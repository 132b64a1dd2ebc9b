/** Roles a caller can hold within its organisation (token claim or API key). */
export const ROLES = ['writer', 'admin', 'platform-admin'] as const;
export type Role = (typeof ROLES)[number];

/** What an API key was issued for: read and/or write, optionally only some datasets. */
export interface ApiKeyScope {
  readonly keyId: string;
  readonly canRead: boolean;
  readonly canWrite: boolean;
  /** `undefined`: every dataset of what the key's organisation may otherwise read or write. */
  readonly datasets?: ReadonlySet<string>;
}

/**
 * Who is calling: a person (bearer token), a machine (API key) or nobody. Decided once per
 * request by the authentication guard; the policy decision point turns it into rights.
 */
export interface Principal {
  readonly kind: 'anonymous' | 'user' | 'api-key';
  /** Stable id: the token's `sub`, `api-key:<id>`, or `anonymous`. Principal grants name it. */
  readonly subject: string;
  /** The member organisation the caller acts for; none for anonymous callers. */
  readonly organisation?: string;
  readonly roles: ReadonlySet<Role>;
  /** Whether the caller proved a second factor (tokens only; API keys never do). */
  readonly mfa: boolean;
  readonly apiKey?: ApiKeyScope;
  /** The purpose of its reads as its token claims or its API key records it (a DPV IRI). */
  readonly purpose?: string;
}

export const ANONYMOUS: Principal = Object.freeze({ kind: 'anonymous', subject: 'anonymous', roles: new Set<Role>(), mfa: false });

export function isRole(value: string): value is Role {
  return (ROLES as readonly string[]).includes(value);
}
