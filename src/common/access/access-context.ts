import { ANONYMOUS, Principal } from 'src/auth/principal';
import { GovernanceSnapshot } from 'src/governance/governance-snapshot';

/**
 * Who is asking, on whose behalf, under which rules. Every service method takes it first: the
 * NGSI-LD tenant the request addresses, the authenticated caller, and the governance snapshot
 * (datasets, classifications, grants) current when the request arrived. What the caller may see
 * is not in here: the policy decision point (`src/governance/`) derives it from these.
 */
export class AccessContext {
  /** The tenant of requests without an NGSILD-Tenant header. */
  static readonly DEFAULT_TENANT = '';

  constructor(
    readonly tenant: string,
    readonly governance: GovernanceSnapshot,
    readonly principal: Principal = ANONYMOUS,
  ) {}
}
