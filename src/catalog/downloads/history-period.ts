import { BadRequestData } from 'src/common/problem/ngsi-ld-errors';
import { utcInstantOf } from 'src/ngsi-ld/representation/ngsi-ld-syntax';
import { Period } from 'src/ngsi-ld/temporal/history.repository';

/**
 * The longest period one history download covers. The stream itself holds one page whatever the
 * period; the bound keeps one request from scanning years of history partitions at once.
 */
export const MAX_PERIOD_DAYS = 366;
const DAY_MS = 24 * 60 * 60 * 1000;

/** from and to of a history download: RFC 3339 instants with a time zone, from before to, at most {@link MAX_PERIOD_DAYS} apart. */
export function parseHistoryPeriod(from: unknown, to: unknown): Period {
  const start = instantParam('from', from);
  const end = instantParam('to', to);
  const span = Date.parse(end) - Date.parse(start);
  if (span <= 0) throw new BadRequestData(`from (${start}) must be before to (${end})`);
  if (span > MAX_PERIOD_DAYS * DAY_MS) throw new BadRequestData(`A history download covers at most ${MAX_PERIOD_DAYS} days; ask for several periods`);
  return { from: start, to: end };
}

function instantParam(name: string, value: unknown): string {
  if (value === undefined) throw new BadRequestData(`${name} is required: the history download covers from (inclusive) to (exclusive), RFC 3339 instants like 2026-11-01T00:00:00Z`);
  const instant = typeof value === 'string' ? utcInstantOf(value) : undefined;
  if (instant === undefined) throw new BadRequestData(`${name} must be an RFC 3339 date-time with a time zone, like 2026-11-01T00:00:00Z, not "${String(value)}"`);
  return instant;
}
