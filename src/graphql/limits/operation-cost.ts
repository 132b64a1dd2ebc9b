import {
  DocumentNode,
  FieldNode,
  FragmentDefinitionNode,
  getOperationAST,
  getVariableValues,
  GraphQLError,
  GraphQLField,
  GraphQLSchema,
  Kind,
  valueFromAST,
} from 'graphql';
import { limitError } from 'src/graphql/limits/limit.errors';
import { SelectionWalk } from 'src/graphql/limits/selection-walk';

/** The page size of a connection field asked for without `first` or `last`, when its schema gives no default either. */
export const DEFAULT_PAGE_SIZE = 20;

/**
 * The estimated cost of one operation of `document`: each field counts 1, and the selection of a
 * field with a `first` or `last` argument (a Relay connection) counts once per item asked for.
 * A connection asked for without either counts its `first` argument's default from the schema,
 * or {@link DEFAULT_PAGE_SIZE}. Fragments on narrower types count as the largest of them (an
 * object is one type at a time); `@skip`/`@include` are ignored (the count is an upper bound).
 * Needs the operation's variables, which graphql's validation rules never see, so it is a
 * function called once the operation is known (Apollo's `didResolveOperation`, graphql-ws's `onSubscribe`).
 */
export function operationCost(schema: GraphQLSchema, document: DocumentNode, operationName?: string | null, variables?: Readonly<Record<string, unknown>> | null): number {
  const operation = getOperationAST(document, operationName);
  if (!operation) return 0;
  // Coerced as execution will coerce them (defaults of the operation's variables included); values execution would refuse count as absent.
  const coerced = getVariableValues(schema, operation.variableDefinitions ?? [], variables ?? {});
  const values = coerced.coerced ?? {};
  const fragments = new Map<string, FragmentDefinitionNode>();
  for (const definition of document.definitions) if (definition.kind === Kind.FRAGMENT_DEFINITION) fragments.set(definition.name.value, definition);
  const walk = new SelectionWalk<number>(schema, (name) => fragments.get(name), {
    empty: 0,
    field: (field, _parent, definition, inner) => 1 + pageSize(field, definition, values) * inner,
    combine: (fields, alternatives) => fields.reduce((sum, cost) => sum + cost, 0) + Math.max(0, ...alternatives),
  });
  return walk.of(operation.selectionSet, schema.getRootType(operation.operation) ?? undefined);
}

/** How many times a field's selection is resolved: its page size for a connection, otherwise once. */
function pageSize(field: FieldNode, definition: GraphQLField<unknown, unknown> | undefined, variables: Record<string, unknown>): number {
  const first = definition?.args.find((arg) => arg.name === 'first');
  const last = definition?.args.find((arg) => arg.name === 'last');
  if (!first && !last) return 1;
  const asked = [first, last].flatMap((arg) => {
    const node = arg && field.arguments?.find((a) => a.name.value === arg.name);
    const value = node ? valueFromAST(node.value, arg.type, variables) : undefined;
    return typeof value === 'number' && Number.isFinite(value) ? [Math.max(0, value)] : [];
  });
  // Relay: with both, `last` is taken from the first `first` items.
  if (asked.length > 0) return Math.min(...asked);
  const fallback = (first ?? last)?.defaultValue;
  return typeof fallback === 'number' ? fallback : DEFAULT_PAGE_SIZE;
}

/** The refusal of an operation whose cost is above `maxCost`, or undefined when it fits. */
export function costRefusal(schema: GraphQLSchema, document: DocumentNode, operationName: string | null | undefined, variables: Readonly<Record<string, unknown>> | null | undefined, maxCost: number): GraphQLError | undefined {
  const cost = operationCost(schema, document, operationName, variables);
  if (cost <= maxCost) return undefined;
  return limitError(
    'QUERY_TOO_COMPLEX',
    `Query cost ${cost} exceeds the limit of ${maxCost}: each field counts 1, and a connection's selection counts once per item asked for (first or last; when absent, the default page size); ask for smaller pages or fewer fields`,
    maxCost,
    cost,
  );
}
