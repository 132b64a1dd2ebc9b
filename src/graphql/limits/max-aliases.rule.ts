import { GraphQLError, ValidationRule } from 'graphql';
import { limitExtensions } from 'src/graphql/limits/limit.errors';

/**
 * Refuses documents with more than `maxAliases` aliased fields. Aliases are how one request asks
 * for the same expensive field many times over; depth and cost bound each copy, this bounds the copies.
 */
export function maxAliasesRule(maxAliases: number): ValidationRule {
  return (context) => {
    let aliases = 0;
    return {
      Field(field) {
        if (field.alias) aliases++;
      },
      Document: {
        leave(document) {
          if (aliases <= maxAliases) return;
          context.reportError(
            new GraphQLError(`The document has ${aliases} aliased fields, more than the limit of ${maxAliases}; ask for fewer copies of a field, or page through one`, {
              nodes: document,
              extensions: limitExtensions('TOO_MANY_ALIASES', maxAliases, aliases),
            }),
          );
        },
      },
    };
  };
}
