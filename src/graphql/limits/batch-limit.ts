import { FastifyInstance } from 'fastify';
import { limitError } from 'src/graphql/limits/limit.errors';

/**
 * Refuses batched requests to the GraphQL route (a JSON array of operations) with more than
 * `maxBatch` operations, before Apollo Server sees them. Apollo runs a batch as separate
 * operations, each through its plugins, so no plugin can count them; the parsed body can.
 * Installed before GraphQLModule adds its route (hooks apply to routes added after them).
 */
export function installBatchLimit(fastify: FastifyInstance, path: string, maxBatch: number): void {
  fastify.addHook('preHandler', async (request, reply) => {
    if (request.routeOptions.url !== path || !Array.isArray(request.body) || request.body.length <= maxBatch) return;
    const refusal = limitError(
      'TOO_MANY_OPERATIONS',
      `The request batches ${request.body.length} operations, more than the limit of ${maxBatch}; send them in several requests`,
      maxBatch,
      request.body.length,
    );
    return reply.code(400).header('content-type', 'application/json; charset=utf-8').send(JSON.stringify({ errors: [refusal.toJSON()] }));
  });
}
