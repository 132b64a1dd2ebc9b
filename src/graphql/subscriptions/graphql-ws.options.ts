import { IncomingMessage } from 'node:http';
import { Duplex } from 'node:stream';
import { GraphQLError, GraphQLFormattedError, GraphQLSchema } from 'graphql';
import { ServerOptions } from 'graphql-ws';
import { WebSocket } from 'ws';
import { ProblemError } from 'src/common/problem/problem-error';
import { toProblem } from 'src/common/problem/problem-mapping';
import { GraphqlConfig } from 'src/config/graphql-config';
import { GraphqlContextFactory } from 'src/graphql/graphql-context.factory';
import { formatGraphqlError, problemExtensions } from 'src/graphql/graphql-errors';
import { limitedOperation } from 'src/graphql/limits/graphql-limits';
import { GraphqlSockets } from 'src/graphql/subscriptions/graphql-sockets';

/** What graphql-ws's `ws` binding leaves in each connection's `extra`. */
interface SocketExtra {
  readonly socket: WebSocket;
  readonly request: IncomingMessage;
}

/** graphql-ws's options (Nest passes all of them on, though its type names only some). */
type WsOptions = ServerOptions & { path: string };

const extraOf = (ctx: { extra: unknown }): SocketExtra => ctx.extra as SocketExtra;

/** WebSocket close reasons are at most 123 bytes. */
const MAX_REASON = 120;

/**
 * graphql-ws on /graphql (subscriptions, and any operation sent over the socket), with the same
 * caller identification, limits and error shapes as over HTTP: wrong credentials close the
 * connection at init with 4401 (4403, 4400, 4429 for the other refusals) and the problem's detail
 * as the reason; each operation is parsed and limited as Apollo limits HTTP ones, and runs with a
 * context built from the init payload when it starts (so a key revoked since then is refused).
 */
export function graphqlWsOptions(contexts: GraphqlContextFactory, config: GraphqlConfig, schema: () => GraphQLSchema, path: string, sockets: GraphqlSockets): WsOptions {
  return {
    path,
    onConnect: async (ctx) => {
      try {
        await contexts.forSocket(ctx.connectionParams, extraOf(ctx).request);
        sockets.add(extraOf(ctx).socket);
        return true;
      } catch (error) {
        const problem = problemOf(error);
        const code = problem.status >= 400 && problem.status < 500 ? 4000 + problem.status : 4500;
        extraOf(ctx).socket.close(code, Buffer.from(problem.detail ?? problem.title).subarray(0, MAX_REASON).toString());
        return false;
      }
    },
    onSubscribe: async (ctx, _id, payload) => {
      const operation = limitedOperation(schema(), payload, config);
      if (Array.isArray(operation)) return operation;
      try {
        return { ...operation, contextValue: await contexts.forSocket(ctx.connectionParams, extraOf(ctx).request) };
      } catch (error) {
        const problem = problemOf(error);
        return [new GraphQLError(problem.detail ?? problem.title, { extensions: problemExtensions(problem) })];
      }
    },
    onError: (_ctx, _id, _payload, errors) => errors.map(formatted),
    onNext: (ctx, _id, _payload, _args, result) => {
      coalesceWrites(extraOf(ctx).socket);
      return result.errors ? { ...result, errors: result.errors.map(formatted) } : undefined;
    },
  };
}

/** TCP sockets corked until the current burst of sends is over. */
const corked = new WeakSet<Duplex>();

/**
 * Holds the socket's writes until the microtasks running now are done, then writes them at once:
 * one change fanned out to many subscriptions of a connection is one write system call, not one
 * per event (each `ws` frame is otherwise a `writev` of its own, and at thousands of events a
 * second those calls were the service's largest cost). graphql-ws sends an event in the
 * microtask after `onNext`, and `process.nextTick` runs after the microtask queue is drained.
 */
function coalesceWrites(socket: WebSocket): void {
  // `ws` has no public handle on its TCP socket.
  const raw = (socket as unknown as { _socket?: Duplex })._socket;
  if (!raw || raw.destroyed || corked.has(raw)) return;
  corked.add(raw);
  raw.cork();
  process.nextTick(() => {
    corked.delete(raw);
    raw.uncork();
  });
}

function formatted(error: GraphQLError): GraphQLFormattedError {
  return formatGraphqlError(error.toJSON(), error);
}

function problemOf(error: unknown): ProblemError {
  return toProblem(error, '/graphql').problem;
}
