import { ProblemError } from 'src/common/problem/problem-error';

/** How long a client should wait before trying again while the database is away (seconds). */
export const DATABASE_RETRY_AFTER_SECONDS = 2;

/** Socket errors of a connection that broke or could not be made. */
const NETWORK_CODES = new Set(['ECONNREFUSED', 'ECONNRESET', 'EPIPE', 'ETIMEDOUT', 'EHOSTUNREACH', 'ENETUNREACH', 'ENOTFOUND', 'EAI_AGAIN']);
/**
 * SQLSTATEs of a server that is going away or not taking connections: class 08 (connection
 * exception), 57P01-57P03 (administrator/crash shutdown, cannot connect now), 53300 (too many
 * connections).
 */
const UNAVAILABLE_STATES = /^(08...|57P0[123]|53300)$/;
/** What `pg` and `pg-pool` say when a connection ends under them or cannot be had in time. */
const LOST_CONNECTION_MESSAGES = [
  'Connection terminated',
  'Client has encountered a connection error and is not queryable',
  'timeout exceeded when trying to connect',
  'Client was closed and is not queryable',
];

/**
 * Whether an error means the database is (for now) out of reach, rather than a statement that
 * failed: such errors are an outage to ride out (503, retry), not a bug (500).
 */
export function isDatabaseUnavailable(error: unknown): boolean {
  if (!(error instanceof Error)) return false;
  const code = (error as { code?: unknown }).code;
  if (typeof code === 'string' && (NETWORK_CODES.has(code) || UNAVAILABLE_STATES.test(code))) return true;
  return LOST_CONNECTION_MESSAGES.some((message) => error.message.startsWith(message));
}

/** The answer while the database is away: try again shortly. */
export class DatabaseUnavailable extends ProblemError {
  override readonly headers = { 'retry-after': String(DATABASE_RETRY_AFTER_SECONDS) };

  constructor() {
    super(
      'urn:vg-datashare:problem:database-unavailable',
      503,
      'Service unavailable',
      'The database cannot be reached at the moment; nothing was changed by this request unless an earlier answer said so. Try again shortly.',
    );
  }
}
