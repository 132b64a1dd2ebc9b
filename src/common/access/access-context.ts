import { ANONYMOUS, Principal } from 'src/auth/principal';
import { Disclosure } from 'src/governance/privacy/views/disclosure';
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
    /** The purpose the caller declares for this read (a DPV IRI): VGDS-Purpose, else its token's or key's. */
    readonly purpose: string | undefined = principal.purpose,
  ) {}

  /** What this request's answer let out (views applied, entities and instances per dataset). */
  readonly disclosure = new Disclosure();
}
