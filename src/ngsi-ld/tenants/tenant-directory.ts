import { Injectable } from '@nestjs/common';
import { AccessContext } from 'src/common/access/access-context';
import { NonexistentTenant } from 'src/common/problem/ngsi-ld-errors';
import { TenantsRepository } from 'src/ngsi-ld/tenants/tenants.repository';

/**
 * Which tenants exist (clause 4.14): the default one always, others from their first write on.
 * Tenants are never removed, so a tenant seen once is remembered and costs no query again.
 */
@Injectable()
export class TenantDirectory {
  private readonly known = new Set<string>([AccessContext.DEFAULT_TENANT]);

  constructor(private readonly repository: TenantsRepository) {}

  /** For reads: 404 NonexistentTenant for a tenant nothing was ever written to. */
  async assertExists(tenant: string): Promise<void> {
    if (this.known.has(tenant)) return;
    if (!(await this.repository.exists(tenant))) throw new NonexistentTenant(`There is no tenant "${tenant}"`);
    this.known.add(tenant);
  }
}
