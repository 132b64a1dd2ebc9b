import { GraphQLError } from 'graphql';
import { AccessContext } from 'src/common/access/access-context';
import { BadRequestData } from 'src/common/problem/ngsi-ld-errors';
import { ChangeFollowers } from 'src/changes/change-followers.service';
import { FollowedEvent } from 'src/changes/change-follower';
import { attributeChanges, ChangeRecord } from 'src/changes/change-record';
import { withScopedContexts } from 'src/jsonld/compiled-context';
import { DataModel } from 'src/models/data-model';
import { ModelRegistry } from 'src/models/model-registry';
import { expandQ } from 'src/ngsi-ld/query/entity-filter';
import { qMatches, qRegexes } from 'src/ngsi-ld/query/entity-filter-evaluator';
import { parseQ } from 'src/ngsi-ld/query/q-parser';
import { compactEntity } from 'src/ngsi-ld/representation/entity-compactor';
import { EntityData } from 'src/ngsi-ld/representation/entity.model';
import { GraphqlContext } from 'src/graphql/graphql-context';
import { problemExtensions } from 'src/graphql/graphql-errors';
import { ModelContexts } from 'src/graphql/mapping/model-context';
import { ResolverMap } from 'src/graphql/resolvers/entity.resolvers';
import { ChangeEventSource } from 'src/graphql/subscriptions/change-event-source';
import { ModelFilter, qOfFilter } from 'src/graphql/mapping/q-filter';
import { collectionFieldOf, valueFieldsOf } from 'src/graphql/schema/graphql-names';

const READ_PATH = 'GraphQL subscription';
const KINDS = { create: 'CREATED', update: 'UPDATED', delete: 'DELETED' } as const;

interface ChangeArgs {
  readonly type?: string | null;
  readonly ids?: readonly string[] | null;
  readonly q?: string | null;
  readonly dataset?: string | null;
  readonly after?: string | null;
}

interface AttributeChangeArgs extends ChangeArgs {
  readonly attributes: readonly string[];
}

/** An attribute change before its value is asked for (compacting costs, and few selections ask). */
interface AttributeChangeEvent {
  readonly cursor: string;
  readonly kind: (typeof KINDS)[keyof typeof KINDS];
  readonly at: string;
  readonly id: string;
  readonly attribute: string;
  readonly entity: EntityData;
  readonly model: DataModel | undefined;
}

/**
 * Resolvers of Subscription: entityChanged and attributeChanged follow the change feed through
 * {@link ChangeFollowers} (the same access rules as GET /api/v1/changes, decided when each event
 * is sent); the filters are tested in memory on each change as the subscriber may see it.
 */
export function subscriptionResolvers(followers: ChangeFollowers, contexts: ModelContexts, registry: ModelRegistry): ResolverMap {
  const modelOf = (type: string | null | undefined) => (type ? registry.resolve(type) : undefined);

  /** What a change must be for the subscription: its type, one of its ids, q on what the subscriber sees. */
  async function matcher(args: ChangeArgs): Promise<{ model?: DataModel; matches: (change: ChangeRecord) => boolean }> {
    const model = modelOf(args.type);
    const typeIri = model?.typeIri ?? args.type ?? undefined;
    const ids = args.ids && args.ids.length > 0 ? new Set(args.ids) : undefined;
    let q: ((change: ChangeRecord) => boolean) | undefined;
    if (args.q) {
      const context = contexts(model);
      const expanded = expandQ(context.compiled, parseQ(args.q));
      const regexes = compiledRegexes(expanded);
      // A deletion is tested on the entity as it was: a subscriber hears of matching entities going.
      q = (change) => qMatches(expanded, change.entity.attributes, regexes);
    }
    return {
      model,
      matches: (change) =>
        (!typeIri || change.entity.types.includes(typeIri)) && (!ids || ids.has(change.entity.id)) && (!q || q(change)),
    };
  }

  function follow(access: AccessContext, args: ChangeArgs, matches: (change: ChangeRecord) => boolean) {
    return followers.follow(access, { dataset: args.dataset ?? undefined, matches, readPath: READ_PATH }, args.after);
  }

  const entityChanged = {
    subscribe: async (_source: unknown, args: ChangeArgs, { access }: GraphqlContext) => {
      const { matches } = await matcher(args);
      return new ChangeEventSource(await follow(access, args, matches), ({ change }) => [entityChangeOf(change)]);
    },
    resolve: payloadOrRefusal,
  };
  const subscription: Record<string, unknown> = {
    entityChanged,
    attributeChanged: {
      subscribe: async (_source: unknown, args: AttributeChangeArgs, { access }: GraphqlContext) => {
        const { model, matches } = await matcher(args);
        const iris = new Set(args.attributes.flatMap((name) => attributeIrisOf(name, model, registry)));
        const touches = (change: ChangeRecord) => attributeEventsOf(change, iris, model).length > 0;
        return new ChangeEventSource(await follow(access, args, (change) => matches(change) && touches(change)), ({ change }) => attributeEventsOf(change, iris, model));
      },
      resolve: payloadOrRefusal,
    },
  };
  // Per model, its changes with the model's typed filter: the same NGSI-LD q as its collection's.
  for (const model of registry.all()) {
    const fields = valueFieldsOf(model);
    subscription[`${collectionFieldOf(model)}Changed`] = {
      subscribe: (source: unknown, args: ChangeArgs & { filter?: ModelFilter | null }, context: GraphqlContext) =>
        entityChanged.subscribe(source, { ...args, type: model.name, q: qOfFilter(args.filter ?? undefined, fields) }, context),
      resolve: payloadOrRefusal,
    };
  }
  return {
    Subscription: subscription,
    AttributeChange: {
      value: (event: AttributeChangeEvent) => attributeValueOf(event, contexts),
    },
  };
}

/** The payload; a refusal (access withdrawn mid-stream) becomes the error sent before the subscription ends. */
function payloadOrRefusal(event: FollowedEvent | object): unknown {
  const refused = (event as FollowedEvent).refused;
  if (refused) throw new GraphQLError(refused.detail ?? refused.title, { extensions: problemExtensions(refused) });
  return event;
}

function entityChangeOf(change: ChangeRecord) {
  const { created, updated, deleted } = attributeChanges(change);
  return {
    cursor: String(change.position),
    kind: KINDS[change.operation],
    at: change.changedAt,
    id: change.entity.id,
    entity: change.entity,
    attributes: [...created, ...updated, ...deleted],
  };
}

function attributeEventsOf(change: ChangeRecord, iris: ReadonlySet<string>, model: DataModel | undefined): AttributeChangeEvent[] {
  const { created, updated, deleted } = attributeChanges(change);
  const kinds: [readonly string[], AttributeChangeEvent['kind']][] =
    change.operation === 'delete' ? [[Object.keys(change.entity.attributes), 'DELETED']] : [[created, 'CREATED'], [updated, 'UPDATED'], [deleted, 'DELETED']];
  const common = { cursor: String(change.position), at: change.changedAt, id: change.entity.id, entity: change.entity, model };
  return kinds.flatMap(([attributes, kind]) => attributes.filter((iri) => iris.has(iri)).map((attribute) => ({ ...common, kind, attribute })));
}

/** A name of the model's (without a type: of every model that has it, their IRIs differ), or an expanded IRI. */
function attributeIrisOf(name: string, model: DataModel | undefined, registry: ModelRegistry): string[] {
  if (name.includes(':')) return [name];
  const models = model ? [model] : registry.all();
  const iris = [...new Set(models.flatMap((m) => m.attributes).filter((a) => a.name === name).map((a) => a.iri))];
  if (iris.length === 0) throw new BadRequestData(`No attribute "${name}"${model ? ` in ${model.name}` : ''}: name one of the model's attributes, or give its IRI`);
  return iris;
}

/** The attribute after the change, normalized NGSI-LD compacted with the model's terms; null when it was deleted. */
async function attributeValueOf(event: AttributeChangeEvent, contexts: ModelContexts): Promise<unknown> {
  const instances = event.entity.attributes[event.attribute];
  if (event.kind === 'DELETED' || !instances) return null;
  const context = contexts(event.model);
  const compacted = await withScopedContexts(() =>
    compactEntity(context.compiled, { ...event.entity, attributes: { [event.attribute]: instances } }, { format: 'normalized', sysAttrs: false }),
  );
  const [value] = Object.entries(compacted).filter(([key]) => key !== 'id' && key !== 'type' && key !== 'scope' && key !== '@context');
  return value?.[1] ?? null;
}

function compiledRegexes(q: ReturnType<typeof expandQ>): Map<string, RegExp> {
  try {
    return qRegexes(q);
  } catch (error) {
    throw new BadRequestData(`A q pattern (~=) is not a valid regular expression: ${(error as Error).message}`);
  }
}
