import { Injectable } from '@nestjs/common';
import { AccessContext } from 'src/common/access/access-context';
import { AlreadyExists, BadRequestData, ResourceNotFound } from 'src/common/problem/ngsi-ld-errors';
import { RequestContext } from 'src/jsonld/context-compiler';
import { withScopedContexts } from 'src/jsonld/compiled-context';
import { JsonObject } from 'src/jsonld/value-codec';
import { compactEntity } from 'src/ngsi-ld/representation/entity-compactor';
import { entityTypes, expandEntity } from 'src/ngsi-ld/representation/entity-expander';
import { EntityData } from 'src/ngsi-ld/representation/entity.model';
import { isValidName } from 'src/ngsi-ld/representation/ngsi-ld-syntax';
import { EntityQuery, Representation } from 'src/ngsi-ld/entities/dto/entity-request-params';
import { EntitiesRepository } from 'src/ngsi-ld/entities/entities.repository';

export interface QueryResult {
  readonly entities: JsonObject[];
  /** Total number of matches, when asked for. */
  readonly count?: number;
}

/** NGSI-LD entities: creation, retrieval, query and deletion (ETSI GS CIM 009 clauses 5.6, 5.7). */
@Injectable()
export class EntitiesService {
  constructor(private readonly repository: EntitiesRepository) {}

  async create(access: AccessContext, context: RequestContext, body: unknown): Promise<string> {
    const now = new Date();
    const entity = await withScopedContexts(() => expandEntity(context.compiled, body, now.toISOString()));
    if (!(await this.repository.insert(access.tenant, entity, now))) {
      throw new AlreadyExists(`An entity with id ${entity.id} already exists`);
    }
    return entity.id;
  }

  async retrieve(access: AccessContext, context: RequestContext, id: string, representation: Representation): Promise<JsonObject> {
    const entity = await this.repository.findById(access.tenant, id);
    if (!entity) throw new ResourceNotFound(`No entity ${id}`);
    const attributes = this.attributeIris(context, representation.attrs);
    if (attributes && !attributes.some((iri) => iri in entity.attributes)) {
      throw new ResourceNotFound(`Entity ${id} has none of the attributes ${representation.attrs!.join(', ')}`);
    }
    return this.compact(context, entity, representation, attributes);
  }

  async query(access: AccessContext, context: RequestContext, query: EntityQuery): Promise<QueryResult> {
    const attributes = this.attributeIris(context, query.attrs);
    const filter = {
      ids: query.ids,
      idPattern: query.idPattern,
      types: query.types && entityTypes(context.compiled, [...query.types]),
      attributes,
    };
    const [entities, count] = await Promise.all([
      query.limit > 0 ? this.repository.find(access.tenant, filter, query.limit, query.offset) : Promise.resolve([]),
      query.count ? this.repository.count(access.tenant, filter) : Promise.resolve(undefined),
    ]);
    const compacted = await withScopedContexts(() =>
      entities.map((entity) => compactEntity(context.compiled, entity, { ...query, attributes: attributes && new Set(attributes) })),
    );
    return { entities: compacted, count };
  }

  async delete(access: AccessContext, id: string): Promise<void> {
    if (!(await this.repository.delete(access.tenant, id))) throw new ResourceNotFound(`No entity ${id}`);
  }

  private compact(context: RequestContext, entity: EntityData, representation: Representation, attributes?: string[]) {
    return withScopedContexts(() =>
      compactEntity(context.compiled, entity, {
        format: representation.format,
        sysAttrs: representation.sysAttrs,
        attributes: attributes && new Set(attributes),
      }),
    );
  }

  private attributeIris(context: RequestContext, names: readonly string[] | undefined): string[] | undefined {
    return names?.map((name) => {
      const iri = isValidName(name) ? context.compiled.expandTerm(name) : null;
      if (iri === null || !iri.includes(':') || iri.startsWith('@')) throw new BadRequestData(`"${name}" is not a valid attribute name`);
      return iri;
    });
  }
}
