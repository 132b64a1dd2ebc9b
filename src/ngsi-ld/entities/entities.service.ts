import { Injectable } from '@nestjs/common';
import { AccessContext } from 'src/common/access/access-context';
import { AlreadyExists, ResourceNotFound } from 'src/common/problem/ngsi-ld-errors';
import { RequestContext } from 'src/jsonld/context-compiler';
import { withScopedContexts } from 'src/jsonld/compiled-context';
import { JsonObject } from 'src/jsonld/value-codec';
import { EntityQuery, Representation } from 'src/ngsi-ld/entities/dto/entity-request-params';
import { EntitiesRepository } from 'src/ngsi-ld/entities/entities.repository';
import { attributeIris, compactOptionsOf, entityFilterOf } from 'src/ngsi-ld/entities/entity-query.mapper';
import { compactEntity } from 'src/ngsi-ld/representation/entity-compactor';
import { expandEntity } from 'src/ngsi-ld/representation/entity-expander';
import { TenantDirectory } from 'src/ngsi-ld/tenants/tenant-directory';

export interface QueryResult {
  readonly entities: JsonObject[];
  /** Total number of matches, when asked for. */
  readonly count?: number;
}

/** NGSI-LD entities: creation, retrieval, query and deletion (ETSI GS CIM 009 clauses 5.6, 5.7). */
@Injectable()
export class EntitiesService {
  constructor(
    private readonly repository: EntitiesRepository,
    private readonly tenants: TenantDirectory,
  ) {}

  async create(access: AccessContext, context: RequestContext, body: unknown): Promise<string> {
    const now = new Date();
    const entity = await withScopedContexts(() => expandEntity(context.compiled, body, now.toISOString()));
    const created = await this.repository.write(access.tenant, (tx) => tx.insert([entity], now));
    if (!created.has(entity.id)) throw new AlreadyExists(`An entity with id ${entity.id} already exists`);
    return entity.id;
  }

  async retrieve(access: AccessContext, context: RequestContext, id: string, representation: Representation): Promise<JsonObject> {
    await this.tenants.assertExists(access.tenant);
    const entity = await this.repository.findById(access.tenant, id);
    if (!entity) throw new ResourceNotFound(`No entity ${id}`);
    // Clause 5.7.1: asking only for attributes the entity does not have finds nothing.
    const asked = attributeIris(context.compiled, representation.attrs);
    if (asked && !asked.some((iri) => iri in entity.attributes)) {
      throw new ResourceNotFound(`Entity ${id} has none of the attributes ${representation.attrs!.join(', ')}`);
    }
    return withScopedContexts(() => compactEntity(context.compiled, entity, compactOptionsOf(context, representation)));
  }

  async query(access: AccessContext, context: RequestContext, query: EntityQuery): Promise<QueryResult> {
    await this.tenants.assertExists(access.tenant);
    const filter = entityFilterOf(context.compiled, query);
    const [entities, count] = await Promise.all([
      query.limit > 0 ? this.repository.find(access.tenant, filter, query.limit, query.offset) : Promise.resolve([]),
      query.count ? this.repository.count(access.tenant, filter) : Promise.resolve(undefined),
    ]);
    const options = compactOptionsOf(context, query);
    const compacted = await withScopedContexts(() => entities.map((entity) => compactEntity(context.compiled, entity, options)));
    return { entities: compacted, count };
  }

  async delete(access: AccessContext, id: string): Promise<void> {
    await this.tenants.assertExists(access.tenant);
    const deleted = await this.repository.write(access.tenant, (tx) => tx.delete([id]));
    if (!deleted.has(id)) throw new ResourceNotFound(`No entity ${id}`);
  }
}
