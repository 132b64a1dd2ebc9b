import Fastify from 'fastify';
import { installBatchLimit } from 'src/graphql/limits/batch-limit';

describe('installBatchLimit', () => {
  async function server() {
    const fastify = Fastify();
    installBatchLimit(fastify, '/graphql', 2);
    let handled = 0;
    fastify.post('/graphql', async () => ({ handled: ++handled }));
    fastify.post('/other', async () => ({ other: true }));
    await fastify.ready();
    return fastify;
  }

  it('lets single operations and batches up to the limit through', async () => {
    const fastify = await server();
    expect((await fastify.inject({ method: 'POST', url: '/graphql', payload: { query: '{ a }' } })).json()).toEqual({ handled: 1 });
    expect((await fastify.inject({ method: 'POST', url: '/graphql', payload: [{ query: '{ a }' }, { query: '{ b }' }] })).statusCode).toBe(200);
  });

  it('refuses a larger batch with 400 and a GraphQL error before the handler runs', async () => {
    const fastify = await server();
    const res = await fastify.inject({ method: 'POST', url: '/graphql', payload: [{ query: '{ a }' }, { query: '{ b }' }, { query: '{ c }' }] });
    expect(res.statusCode).toBe(400);
    expect(res.headers['content-type']).toBe('application/json; charset=utf-8');
    expect(res.json()).toEqual({
      errors: [
        {
          message: 'The request batches 3 operations, more than the limit of 2; send them in several requests',
          extensions: { code: 'TOO_MANY_OPERATIONS', type: 'urn:vg-datashare:problem:too-many-operations', limit: 2, actual: 3 },
        },
      ],
    });
    expect((await fastify.inject({ method: 'POST', url: '/graphql', payload: { query: '{ a }' } })).json()).toEqual({ handled: 1 });
  });

  it('leaves other routes alone', async () => {
    const fastify = await server();
    expect((await fastify.inject({ method: 'POST', url: '/other', payload: [1, 2, 3] })).statusCode).toBe(200);
  });
});
