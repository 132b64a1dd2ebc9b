import { getNullableType, GraphQLError, isListType, ValidationRule } from 'graphql';
import { limitExtensions } from 'src/graphql/limits/limit.errors';
import { SelectionWalk } from 'src/graphql/limits/selection-walk';

/**
 * Introspection lists (types, fields, args, ...) nested in one another. GraphiQL's own schema
 * query nests three (types > fields > args); deeper is only a way to multiply the schema by
 * itself (`__type { fields { type { fields { type { fields ... } } } } }`).
 */
export const MAX_INTROSPECTION_LISTS = 3;

interface Reach {
  readonly depth: number;
  readonly introspectionLists: number;
}

const NOTHING: Reach = { depth: 0, introspectionLists: 0 };

/**
 * Refuses operations whose fields nest deeper than `maxDepth` (a top-level field is depth 1),
 * following fragments. Introspection counts like any query, with one exception: `ofType` adds no
 * depth, because type references are as deep as the schema's wrapping (`[[X!]!]!`) and no deeper,
 * and GraphiQL asks for seven of them; instead introspection may nest at most
 * {@link MAX_INTROSPECTION_LISTS} lists, which is what keeps its answers small.
 */
export function maxDepthRule(maxDepth: number): ValidationRule {
  return (context) => {
    const schema = context.getSchema();
    const walk = new SelectionWalk<Reach>(schema, (name) => context.getFragment(name) ?? undefined, {
      empty: NOTHING,
      field(field, parent, definition, inner) {
        const introspection = parent?.name.startsWith('__') ?? false;
        const isTypeReference = parent?.name === '__Type' && field.name.value === 'ofType';
        const isIntrospectionList = (introspection || field.name.value === '__schema') && definition !== undefined && isListType(getNullableType(definition.type));
        return { depth: inner.depth + (isTypeReference ? 0 : 1), introspectionLists: inner.introspectionLists + (isIntrospectionList ? 1 : 0) };
      },
      combine(fields, alternatives) {
        const all = [...fields, ...alternatives];
        return {
          depth: Math.max(0, ...all.map((r) => r.depth)),
          introspectionLists: Math.max(0, ...all.map((r) => r.introspectionLists)),
        };
      },
    });
    return {
      OperationDefinition(operation) {
        const root = schema.getRootType(operation.operation) ?? undefined;
        const reach = walk.of(operation.selectionSet, root);
        const name = operation.name ? `Operation ${operation.name.value}` : 'The operation';
        if (reach.depth > maxDepth) {
          context.reportError(
            new GraphQLError(`${name} nests fields ${reach.depth} deep, more than the limit of ${maxDepth}; ask for related data in a second query`, {
              nodes: operation,
              extensions: limitExtensions('QUERY_TOO_DEEP', maxDepth, reach.depth),
            }),
          );
        } else if (reach.introspectionLists > MAX_INTROSPECTION_LISTS) {
          context.reportError(
            new GraphQLError(`${name} nests ${reach.introspectionLists} introspection lists in one another, more than the limit of ${MAX_INTROSPECTION_LISTS}; the whole schema is at /graphql/schema.graphql`, {
              nodes: operation,
              extensions: limitExtensions('QUERY_TOO_DEEP', MAX_INTROSPECTION_LISTS, reach.introspectionLists),
            }),
          );
        }
        return false; // measured whole; nothing below needs visiting
      },
    };
  };
}
