import { dpvIri } from 'src/governance/privacy/purposes/purpose';
import { isRole, Principal } from 'src/auth/principal';
import { ApiKeyFacts } from 'src/governance/governance-snapshot';
import { Unauthorized } from 'src/governance/problems';

/** A refused key whose record exists: audited for the key's organisation, and throttled per key. */
export class KeyRefused extends Unauthorized {
  constructor(
    detail: string,
    readonly key: { readonly id: string; readonly organisation: string },
  ) {
    super(detail);
  }
}

/** Why a known key may not act now (revoked, expired), or undefined when it may. */
export function keyRefusal(key: ApiKeyFacts, now = Date.now()): string | undefined {
  if (key.revoked) return 'The API key has been revoked';
  if (key.expiresAt && key.expiresAt.getTime() <= now) return 'The API key has expired';
  return undefined;
}

/** The principal a key acts as: its organisation, roles and scope as the governance snapshot holds them. */
export function apiKeyPrincipal(key: ApiKeyFacts): Principal {
  return {
    kind: 'api-key',
    subject: `api-key:${key.id}`,
    organisation: key.organisation,
    roles: new Set(key.roles.filter(isRole)),
    mfa: false,
    apiKey: { keyId: key.id, canRead: key.canRead, canWrite: key.canWrite, datasets: key.datasets ? new Set(key.datasets) : undefined },
    ...(key.purpose ? { purpose: dpvIri(key.purpose) } : {}),
  };
}
