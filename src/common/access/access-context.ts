/**
 * Who is asking, on whose behalf. Every service method takes it first. For now it names the
 * tenant; the caller's identity, organisation and roles arrive with authentication.
 */
export class AccessContext {
  /** The tenant of requests without an NGSILD-Tenant header. */
  static readonly DEFAULT_TENANT = '';

  constructor(readonly tenant: string) {}
}
