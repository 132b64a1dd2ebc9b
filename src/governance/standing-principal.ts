import { apiKeyPrincipal, keyRefusal } from 'src/auth/api-keys/api-key-principal';
import { ANONYMOUS, isRole, Principal, Role } from 'src/auth/principal';
import { AccessContext } from 'src/common/access/access-context';
import { GovernanceSnapshot } from 'src/governance/governance-snapshot';

/**
 * A principal kept beyond its request: the owner of a subscription, the reader of a long-lived
 * stream. Stored as facts; access is decided again from them, under the current governance, each
 * time data leaves (a notification, an event).
 */
export interface StandingPrincipal {
  readonly kind: 'user' | 'api-key';
  readonly subject: string;
  readonly organisation?: string;
  readonly roles: readonly string[];
  readonly apiKeyId?: string;
  /** Kept only for a stream that lives within its request; a subscription's notifications act without MFA. */
  readonly mfa?: boolean;
  /** The purpose declared when it was made (a DPV IRI): what its reads of personal data are for. */
  readonly purpose?: string;
}

export function standingPrincipalOf(principal: Principal, options: { keepMfa: boolean; purpose?: string }): StandingPrincipal {
  if (principal.kind === 'anonymous') throw new Error('An anonymous caller has no standing principal');
  return {
    kind: principal.kind,
    subject: principal.subject,
    organisation: principal.organisation,
    roles: [...principal.roles],
    ...(principal.apiKey ? { apiKeyId: principal.apiKey.keyId } : {}),
    ...(options.keepMfa && principal.mfa ? { mfa: true } : {}),
    ...(options.purpose ? { purpose: options.purpose } : {}),
  };
}

/**
 * The principal as it stands now, or `undefined` when it no longer may act: its API key revoked,
 * expired or deleted. A key's scope is read anew from the snapshot. A subscription's owner acts
 * without MFA: no second factor is proven when a notification is sent, so K3 data never flows that way.
 */
export function principalNow(standing: StandingPrincipal, snapshot: GovernanceSnapshot, now = Date.now()): Principal | undefined {
  if (standing.kind === 'api-key') {
    const key = standing.apiKeyId === undefined ? undefined : snapshot.apiKeys.get(standing.apiKeyId);
    if (!key || keyRefusal(key, now)) return undefined;
    const principal = apiKeyPrincipal(key);
    return standing.purpose ? { ...principal, purpose: standing.purpose } : principal;
  }
  return {
    kind: 'user',
    subject: standing.subject,
    organisation: standing.organisation,
    roles: new Set(standing.roles.filter(isRole) as Role[]),
    mfa: standing.mfa === true,
    ...(standing.purpose ? { purpose: standing.purpose } : {}),
  };
}

/**
 * What a stream of changes (SSE, a GraphQL subscription) keeps of its caller to decide access
 * again at every batch: its credential (MFA kept) and purpose; nothing for an anonymous caller.
 */
export function standingOfFollower(access: AccessContext): StandingPrincipal | undefined {
  return access.principal.kind === 'anonymous' ? undefined : standingPrincipalOf(access.principal, { keepMfa: true, purpose: access.purpose });
}

/** The follower under `snapshot`: anonymous stays anonymous; undefined when its credential no longer holds. */
export function followerNow(standing: StandingPrincipal | undefined, snapshot: GovernanceSnapshot): Principal | undefined {
  return standing ? principalNow(standing, snapshot) : ANONYMOUS;
}
