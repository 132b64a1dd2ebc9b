import { AccessContext } from 'src/common/access/access-context';
import { GraphqlLoaders } from 'src/graphql/resolvers/graphql-loaders';

/** What every resolver of one GraphQL operation shares: the caller and the operation's batching loaders. */
export interface GraphqlContext {
  readonly access: AccessContext;
  readonly loaders: GraphqlLoaders;
}
