import { Injectable } from '@nestjs/common';
import { PolicyDecisionPoint } from 'src/governance/policy-decision-point';
import { randomUUID } from 'node:crypto';
import { AccessContext } from 'src/common/access/access-context';
import { ResourceNotFound } from 'src/common/problem/ngsi-ld-errors';
import { RequestContext } from 'src/jsonld/context-compiler';
import { JsonObject } from 'src/jsonld/value-codec';
import { expandName } from 'src/ngsi-ld/query/entity-filter';
import { DiscoveryRepository } from 'src/ngsi-ld/discovery/discovery.repository';
import { TenantDirectory } from 'src/ngsi-ld/tenants/tenant-directory';

const NODE = { kind: 'node' } as const;

/** The NGSI-LD discovery answers (EntityTypeList, EntityType, EntityTypeInfo, AttributeList, Attribute), in the caller's terms. */
@Injectable()
export class DiscoveryService {
  constructor(
    private readonly repository: DiscoveryRepository,
    private readonly tenants: TenantDirectory,
    private readonly policy: PolicyDecisionPoint,
  ) {}

  async types(access: AccessContext, context: RequestContext, details: boolean): Promise<JsonObject | JsonObject[]> {
    await this.tenants.assertExists(access.tenant);
    const ctx = context.compiled;
    const types = await this.repository.types(access.tenant, this.policy.readable(access).datasets, this.hidden(access));
    if (!details) {
      return { id: `urn:ngsi-ld:EntityTypeList:${randomUUID()}`, type: 'EntityTypeList', typeList: types.map((t) => ctx.compactIri(t.type)) };
    }
    return types.map((t) => ({
      id: t.type,
      type: 'EntityType',
      typeName: ctx.compactIri(t.type),
      attributeNames: t.attributes.map((a) => ctx.compactIri(a, NODE)),
    }));
  }

  async type(access: AccessContext, context: RequestContext, name: string): Promise<JsonObject> {
    await this.tenants.assertExists(access.tenant);
    const ctx = context.compiled;
    const iri = expandName(ctx, name, 'type');
    const info = await this.repository.type(access.tenant, this.policy.readable(access).datasets, iri, this.hidden(access));
    if (!info) throw new ResourceNotFound(`No entity has the type ${name}`);
    return {
      id: iri,
      type: 'EntityTypeInfo',
      typeName: ctx.compactIri(iri),
      entityCount: info.entityCount,
      attributeDetails: info.attributes.map((a) => ({
        id: a.attribute,
        type: 'Attribute',
        attributeName: ctx.compactIri(a.attribute, NODE),
        attributeTypes: a.kinds,
      })),
    };
  }

  async attributes(access: AccessContext, context: RequestContext, details: boolean): Promise<JsonObject | JsonObject[]> {
    await this.tenants.assertExists(access.tenant);
    const ctx = context.compiled;
    const attributes = await this.repository.attributes(access.tenant, this.policy.readable(access).datasets, undefined, this.hidden(access));
    if (!details) {
      return {
        id: `urn:ngsi-ld:AttributeList:${randomUUID()}`,
        type: 'AttributeList',
        attributeList: attributes.map((a) => ctx.compactIri(a.attribute, NODE)),
      };
    }
    return attributes.map((a) => this.attribute(context, a));
  }

  async attributeInfo(access: AccessContext, context: RequestContext, name: string): Promise<JsonObject> {
    await this.tenants.assertExists(access.tenant);
    const iri = expandName(context.compiled, name, 'attribute');
    const [found] = await this.repository.attributes(access.tenant, this.policy.readable(access).datasets, iri, this.hidden(access));
    if (!found) throw new ResourceNotFound(`No entity has the attribute ${name}`);
    return this.attribute(context, found);
  }

  /** Attributes the caller's minimised views remove, per dataset: discovery does not reveal they exist there. */
  private hidden(access: AccessContext): string[] {
    return [...this.policy.readable(access).minimised].flatMap(([dataset, view]) => [...view.removed].map((attribute) => `${dataset} ${attribute}`));
  }

  private attribute(context: RequestContext, a: { attribute: string; count: number; kinds: string[]; types: string[] }): JsonObject {
    const ctx = context.compiled;
    return {
      id: a.attribute,
      type: 'Attribute',
      attributeName: ctx.compactIri(a.attribute, NODE),
      attributeCount: a.count,
      attributeTypes: a.kinds,
      typeNames: a.types.map((t) => ctx.compactIri(t)),
    };
  }
}
