import { Logger } from '@nestjs/common';
import { Client, ClientConfig } from 'pg';

const logger = new Logger('Database');
const REPORT_EVERY_MS = 10_000;
let lastReport = 0;

/**
 * The `pg` client of the pool. A connection that breaks emits `error`; the pool listens only while
 * a client is idle, so one broken while checked out (mid-transaction, between two statements)
 * would take the process down with an unhandled 'error' event. This client always listens: the
 * statement under way fails with the error, the pool drops the client when it is released, and
 * the outage is logged (once per ten seconds, not once per connection).
 */
export class GuardedClient extends Client {
  constructor(config?: string | ClientConfig) {
    super(config);
    this.on('error', reportConnectionError);
  }
}

export function reportConnectionError(error: Error): void {
  const now = Date.now();
  if (now - lastReport < REPORT_EVERY_MS) return;
  lastReport = now;
  logger.warn({ msg: 'a database connection failed; requests answer 503 until it is back', reason: error.message });
}
