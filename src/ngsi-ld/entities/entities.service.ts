import { Injectable } from '@nestjs/common';
import { AccessContext } from 'src/common/access/access-context';
import { AlreadyExists, ResourceNotFound } from 'src/common/problem/ngsi-ld-errors';
import { RequestContext } from 'src/jsonld/context-compiler';
import { withScopedContexts } from 'src/jsonld/compiled-context';
import { JsonObject } from 'src/jsonld/value-codec';
import { EntityQuery, Representation } from 'src/ngsi-ld/entities/dto/entity-request-params';
import { EntitiesRepository, EntityOrder } from 'src/ngsi-ld/entities/entities.repository';
import { attributeIris, compactOptionsOf, entityFilterOf } from 'src/ngsi-ld/entities/entity-query.mapper';
import { compactEntity } from 'src/ngsi-ld/representation/entity-compactor';
import { expandEntity } from 'src/ngsi-ld/representation/entity-expander';
import { TenantDirectory } from 'src/ngsi-ld/tenants/tenant-directory';
import { EntityPlacement } from 'src/ngsi-ld/entities/entity-placement';
import { narrowed, PolicyDecisionPoint } from 'src/governance/policy-decision-point';
import { EntityData } from 'src/ngsi-ld/representation/entity.model';
import { CombinationCheck } from 'src/ngsi-ld/entities/combination-check';
import { Forbidden } from 'src/governance/problems';
import { PurposeCheck } from 'src/ngsi-ld/entities/purpose-check';
import { DatasetRead, decideDatasetRead } from 'src/ngsi-ld/entities/dataset-read';

/** Entities per page of a whole-dataset read: enough to keep round trips few, small enough to keep memory flat. */
const DATASET_PAGE = 500;

export interface QueryResult {
  readonly entities: JsonObject[];
  /** Total number of matches, when asked for. */
  readonly count?: number;
  /** Whether matches come after this page. */
  readonly hasMore: boolean;
}

/** What a query found, views applied, not yet represented. */
export interface FoundEntities {
  readonly entities: EntityData[];
  readonly count?: number;
  readonly hasMore: boolean;
}

/** NGSI-LD entities: creation, retrieval, query and deletion (ETSI GS CIM 009 clauses 5.6, 5.7). */
@Injectable()
export class EntitiesService {
  constructor(
    private readonly repository: EntitiesRepository,
    private readonly tenants: TenantDirectory,
    private readonly policy: PolicyDecisionPoint,
    private readonly placement: EntityPlacement,
    private readonly combinations: CombinationCheck,
    private readonly purposes: PurposeCheck,
  ) {}

  /** Creates an entity in the dataset its organisation's rules pick, or in `explicitDataset`. */
  async create(access: AccessContext, context: RequestContext, body: unknown, explicitDataset?: string): Promise<string> {
    this.policy.assertMayWrite(access);
    const now = new Date();
    const entity = await withScopedContexts(() => expandEntity(context.compiled, body, now.toISOString()));
    const created = await this.repository.write(access.tenant, async (tx) => {
      const { placed, refused } = await this.placement.placeNew(access, tx, [entity], explicitDataset);
      if (refused.size > 0) throw refused.get(entity.id)!;
      return tx.insert(placed, now, explicitDataset !== undefined);
    });
    if (!created.has(entity.id)) throw new AlreadyExists(`An entity with id ${entity.id} already exists`);
    return entity.id;
  }

  async retrieve(access: AccessContext, context: RequestContext, id: string, representation: Representation): Promise<JsonObject> {
    const entity = await this.retrieveData(access, context, id, representation);
    const compacted = await withScopedContexts(() => compactEntity(context.compiled, entity, compactOptionsOf(context, representation)));
    // Clause 4.21: a projection that leaves no member of the entity finds nothing, as attrs does.
    if (Object.keys(compacted).length === 0) throw new ResourceNotFound(`Entity ${id} has none of the members picked`);
    return compacted;
  }

  /**
   * The entity a retrieval finds, with the caller's view applied, before it is represented: for
   * doors that render it themselves (RDF). Not found as retrieve would not find it.
   */
  async retrieveData(access: AccessContext, context: RequestContext, id: string, representation: Representation): Promise<EntityData> {
    const entity = await this.findOne(access, id);
    if (!entity) throw new ResourceNotFound(`No entity ${id}`);
    // Clause 5.7.1: asking only for attributes the entity does not have finds nothing.
    const asked = attributeIris(context.compiled, representation.attrs);
    if (asked && !asked.some((iri) => iri in entity.attributes)) {
      throw new ResourceNotFound(`Entity ${id} has none of the attributes ${representation.attrs!.join(', ')}`);
    }
    return entity;
  }

  /**
   * One entity with the caller's view applied, before it is represented; undefined when it is
   * absent or not the caller's to read (a purpose the caller lacks is refused, as for a query).
   */
  async findOne(access: AccessContext, id: string): Promise<EntityData | undefined> {
    await this.tenants.assertExists(access.tenant);
    const allowance = this.policy.readable(access);
    const found = await this.repository.findById(access.tenant, id, allowance.datasets);
    if (!found) {
      await this.purposes.checkEntity(access, allowance, id);
      return undefined;
    }
    return this.policy.showEntity(access, found);
  }

  async query(access: AccessContext, context: RequestContext, query: EntityQuery): Promise<QueryResult> {
    const { entities, count, hasMore } = await this.find(access, context, query);
    const compactOptions = compactOptionsOf(context, query);
    const compacted = await withScopedContexts(() => entities.map((entity) => compactEntity(context.compiled, entity, compactOptions)));
    // An entity the projection leaves nothing of is left out, as it would be from a retrieval.
    return { entities: compacted.filter((entity) => Object.keys(entity).length > 0), count, hasMore };
  }

  /**
   * The entities a query finds, with the caller's views applied, before they are represented:
   * for doors that render entities themselves (GraphQL). `inDatasets` narrows the query to some
   * datasets (those the caller may not read stay out).
   */
  async find(access: AccessContext, context: RequestContext, query: EntityQuery, scope: { inDatasets?: readonly string[]; order?: EntityOrder } = {}): Promise<FoundEntities> {
    const { inDatasets, order } = scope;
    await this.tenants.assertExists(access.tenant);
    const filter = entityFilterOf(context.compiled, query);
    const allowance = narrowed(this.policy.readable(access), inDatasets);
    await this.combinations.check(access, allowance, filter);
    await this.purposes.checkQuery(access, allowance, filter);
    const options = { minimised: allowance.minimised };
    // One entity more than the page says whether another page follows.
    const [found, count] = await Promise.all([
      query.limit > 0 ? this.repository.find(access.tenant, allowance.datasets, filter, query.limit + 1, query.offset, { ...options, order }) : Promise.resolve([]),
      query.count ? this.repository.count(access.tenant, allowance.datasets, filter, options) : Promise.resolve(undefined),
    ]);
    const entities = found.slice(0, query.limit).map((entity) => this.policy.showEntity(access, entity));
    return { entities, count, hasMore: found.length > query.limit };
  }

  /**
   * The allowance and view of a read of a whole dataset, decided as {@link streamDataset} decides
   * it (404, 403 or purpose-required otherwise): for doors that describe the answer before sending it.
   */
  async datasetRead(access: AccessContext, datasetId: string): Promise<DatasetRead> {
    await this.tenants.assertExists(access.tenant);
    return decideDatasetRead(access, this.policy, datasetId);
  }

  /**
   * A dataset's entities in the request's tenant, page by page in id order, each with the caller's
   * view applied and recorded in its disclosure: for doors that send a whole dataset (downloads,
   * RDF dumps). Access is decided before the first page, as for a read naming only this dataset;
   * pages are keyset pages, so memory holds one page however large the dataset. The decision
   * stands for the whole stream (the request's governance snapshot).
   */
  async *streamDataset(access: AccessContext, datasetId: string, pageSize = DATASET_PAGE): AsyncGenerator<EntityData[]> {
    await this.tenants.assertExists(access.tenant);
    const { allowance } = decideDatasetRead(access, this.policy, datasetId);
    let after: string | undefined;
    for (;;) {
      const page = await this.repository.pageOfDataset(access.tenant, datasetId, allowance.datasets, after, pageSize);
      if (page.length > 0) yield page.map((entity) => this.policy.showEntity(access, entity));
      if (page.length < pageSize) return;
      after = page[page.length - 1].id;
    }
  }

  async delete(access: AccessContext, id: string): Promise<void> {
    const allowance = this.placement.allowance(access);
    await this.tenants.assertExists(access.tenant);
    await this.repository.write(access.tenant, async (tx) => {
      if (!(await tx.lock([id], allowance.visible)).has(id)) throw new ResourceNotFound(`No entity ${id}`);
      if (!(await tx.delete([id], allowance.writable)).has(id)) throw new Forbidden(`You may not delete entity ${id}`);
    });
  }
}
