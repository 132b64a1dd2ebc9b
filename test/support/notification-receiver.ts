import { createServer, IncomingHttpHeaders, Server } from 'node:http';
import { AddressInfo } from 'node:net';

/** One notification as the receiver got it. */
export interface Received {
  readonly path: string;
  readonly headers: IncomingHttpHeaders;
  readonly body: { subscriptionId: string; data: Record<string, unknown>[]; [member: string]: unknown };
  readonly at: number;
}

/** One request as it reached the receiver, whatever it was answered (failures included). */
export interface Attempt {
  readonly path: string;
  readonly status: number;
  readonly at: number;
}

/** How the receiver answers the next request to a path: a status, after a delay. */
export type Behaviour = { status: number; delayMs?: number };

/**
 * A real HTTP server on a loopback port that records the notifications POSTed to it, for the
 * subscription tests and benchmarks. Each path is one "endpoint"; `answer` scripts its replies.
 */
export class NotificationReceiver {
  readonly received: Received[] = [];
  /** Every request, answered 2xx or not, in arrival order. */
  readonly attempts: Attempt[] = [];
  private readonly scripts = new Map<string, Behaviour[]>();
  private readonly defaults = new Map<string, Behaviour>();
  private waiters: (() => void)[] = [];

  private constructor(private readonly server: Server) {}

  static async start(): Promise<NotificationReceiver> {
    let receiver!: NotificationReceiver;
    const server = createServer((request, response) => {
      const chunks: Buffer[] = [];
      request.on('data', (chunk: Buffer) => chunks.push(chunk));
      request.on('end', () => {
        const path = request.url ?? '/';
        const behaviour = receiver.scripts.get(path)?.shift() ?? receiver.defaults.get(path) ?? { status: 204 };
        receiver.attempts.push({ path, status: behaviour.status, at: Date.now() });
        const reply = (): void => {
          if (behaviour.status >= 200 && behaviour.status < 300) {
            receiver.received.push({ path, headers: request.headers, body: JSON.parse(Buffer.concat(chunks).toString('utf8')), at: Date.now() });
            receiver.notify();
          }
          response.writeHead(behaviour.status).end();
        };
        if (behaviour.delayMs) setTimeout(reply, behaviour.delayMs);
        else reply();
      });
    });
    server.keepAliveTimeout = 60_000;
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    receiver = new NotificationReceiver(server);
    return receiver;
  }

  url(path: string): string {
    return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}${path}`;
  }

  /** The next replies to `path`, in order; after them, `then` (default 204). */
  answer(path: string, replies: Behaviour[], then?: Behaviour): void {
    this.scripts.set(path, [...replies]);
    if (then) this.defaults.set(path, then);
    else this.defaults.delete(path);
  }

  at(path: string): Received[] {
    return this.received.filter((r) => r.path === path);
  }

  /** Every entity notified to `path`, in arrival order. */
  entities(path: string): Record<string, unknown>[] {
    return this.at(path).flatMap((r) => r.body.data);
  }

  /** Waits until `condition` holds (checked on each arrival), failing after `timeoutMs`. */
  async until(condition: () => boolean, timeoutMs = 15_000, what = 'notifications'): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (!condition()) {
      const left = deadline - Date.now();
      if (left <= 0) throw new Error(`Timed out waiting for ${what}; received ${this.received.length} so far`);
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, Math.min(left, 200));
        this.waiters.push(() => {
          clearTimeout(timer);
          resolve();
        });
      });
    }
  }

  async close(): Promise<void> {
    this.server.closeAllConnections();
    await new Promise((resolve) => this.server.close(resolve));
  }

  private notify(): void {
    const waiters = this.waiters;
    this.waiters = [];
    for (const waiter of waiters) waiter();
  }
}
