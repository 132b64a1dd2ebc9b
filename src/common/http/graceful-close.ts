import { Logger } from '@nestjs/common';
import { FastifyInstance } from 'fastify';

/**
 * How long requests still under way may take once the service is stopping. Docker and Kubernetes
 * wait 10 s (by default) after SIGTERM before SIGKILL; this, MQTT's goodbye and closing the
 * database fit well inside 5 s.
 */
export const DRAIN_MS = 2500;

/**
 * On close the server stops accepting, idle keep-alive connections end at once, and requests under
 * way are answered; what is still open after {@link DRAIN_MS} (a client that reads nothing, a
 * request stuck on a slow statement) is cut, so that a stop never waits on a client.
 */
export function installGracefulClose(fastify: FastifyInstance): void {
  fastify.addHook('preClose', (done) => {
    const server = fastify.server;
    const timer = setTimeout(() => {
      new Logger('Http').warn(`Cutting the connections still open ${DRAIN_MS} ms after the service began to stop`);
      server.closeAllConnections();
    }, DRAIN_MS);
    timer.unref();
    server.once('close', () => clearTimeout(timer));
    done();
  });
}
