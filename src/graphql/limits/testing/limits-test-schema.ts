import { buildSchema, GraphQLSchema } from 'graphql';

/**
 * A small schema shaped like the generated one (Relay connections whose `first` defaults to 20,
 * an interface with two types, a subscription), for the limits' tests until they run on the real one.
 */
export const LIMITS_TEST_SDL = /* GraphQL */ `
  interface Entity { id: ID! name: String related(first: Int = 20, after: String): EntityConnection! }
  type WeatherObserved implements Entity { id: ID! name: String temperature: Float windSpeed: Float related(first: Int = 20, after: String): EntityConnection! }
  type WasteContainer implements Entity { id: ID! name: String fillingLevel: Float related(first: Int = 20, after: String): EntityConnection! }
  type EntityEdge { cursor: String! node: Entity! }
  type PageInfo { hasNextPage: Boolean! endCursor: String }
  type EntityConnection { edges: [EntityEdge!]! pageInfo: PageInfo! }
  type Query {
    entities(first: Int = 20, last: Int, after: String, before: String): EntityConnection!
    entity(id: ID!): Entity
    pagedWithoutDefault(first: Int): EntityConnection!
    hello: String
  }
  type Subscription { entityChanged(type: String): Entity }
`;

export function limitsTestSchema(): GraphQLSchema {
  return buildSchema(LIMITS_TEST_SDL);
}
