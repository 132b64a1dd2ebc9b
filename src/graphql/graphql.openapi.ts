/**
 * The GraphQL routes in the OpenAPI description. They are not Nest controllers (Apollo registers
 * /graphql itself), so their paths are written here; the operations themselves are described by
 * the GraphQL schema (`/graphql/schema.graphql`, introspection).
 */
const GRAPHQL_RESULT = {
  type: 'object',
  description: 'A GraphQL response: data and/or errors; each error carries extensions.code and, for the service\'s problems, extensions.type (the problem type URI)',
  properties: {
    data: { type: ['object', 'null'] },
    errors: {
      type: 'array',
      items: {
        type: 'object',
        required: ['message'],
        properties: { message: { type: 'string' }, path: { type: 'array' }, locations: { type: 'array' }, extensions: { type: 'object' } },
      },
    },
  },
};

const GRAPHQL_BODY = {
  oneOf: [
    {
      type: 'object',
      required: [],
      properties: {
        query: { type: 'string' },
        operationName: { type: ['string', 'null'] },
        variables: { type: ['object', 'null'] },
        extensions: { type: 'object', description: 'persistedQuery: {version: 1, sha256Hash} for automatic persisted queries' },
      },
    },
    { type: 'array', description: 'A batch of operations (at most GRAPHQL_MAX_BATCH)', items: { type: 'object' } },
  ],
};

const JSON_RESULT = { 'application/json': { schema: GRAPHQL_RESULT }, 'application/graphql-response+json': { schema: GRAPHQL_RESULT } };
const RESULT_ANSWERS = {
  '200': {
    description: 'The result (errors of execution, such as a refused read, are in `errors`); also an error PERSISTED_QUERY_NOT_FOUND for a persisted query hash the service does not know, to be sent again with its query',
    content: JSON_RESULT,
  },
  '400': { description: 'The operation is not valid GraphQL or exceeds a limit (depth, cost, aliases, tokens, batch size), and is not run', content: JSON_RESULT },
  '401': { description: 'Credentials were presented but are not valid', content: JSON_RESULT },
  '415': { description: 'POST with a content type other than JSON', content: JSON_RESULT },
  '429': { description: 'Too many failed authentications from this client', content: JSON_RESULT },
  '503': { description: 'The database cannot be reached', content: JSON_RESULT },
};

export const GRAPHQL_PATHS: Record<string, unknown> = {
  '/graphql': {
    get: {
      tags: ['GraphQL'],
      summary: 'GraphQL over GET (queries only); browsers (Accept: text/html) get the GraphQL IDE',
      description:
        'Subscriptions (entityChanged, attributeChanged) use a WebSocket on this path: a GET with `Upgrade: websocket` and the subprotocol ' +
        '`graphql-transport-ws` (the graphql-ws protocol). Credentials and headers go in the ConnectionInit payload (`Authorization`, `X-API-Key`, ' +
        '`VGDS-Purpose`, `NGSILD-Tenant`); wrong credentials close the socket with 4401 and the reason. Each event is sent only if the subscriber ' +
        'may read it when it is sent; pass an event\'s `cursor` as `after` to resume after it.',
      parameters: [
        { name: 'query', in: 'query', required: false, schema: { type: 'string' } },
        { name: 'operationName', in: 'query', required: false, schema: { type: 'string' } },
        { name: 'variables', in: 'query', required: false, schema: { type: 'string' }, description: 'JSON' },
        { name: 'extensions', in: 'query', required: false, schema: { type: 'string' }, description: 'JSON, e.g. a persisted query hash' },
      ],
      responses: { ...RESULT_ANSWERS, '200': { description: 'The result, or the IDE\'s HTML page', content: { ...JSON_RESULT, 'text/html': { schema: { type: 'string' } } } } },
    },
    post: {
      tags: ['GraphQL'],
      summary: 'GraphQL: queries over entities, history, datasets and data models, typed from the registered data models',
      requestBody: { required: true, content: { 'application/json': { schema: GRAPHQL_BODY } } },
      responses: RESULT_ANSWERS,
    },
  },
};
