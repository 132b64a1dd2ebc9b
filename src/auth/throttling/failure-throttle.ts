import { LRUCache } from 'lru-cache';
import { AuthFailureLimits } from 'src/config/security-config';

/** One failed authentication, as the throttle counts it. */
export interface FailedAttempt {
  readonly at: number;
  /** The client address (request.ip: the peer, or X-Forwarded-For from a trusted proxy). */
  readonly address: string;
  /** A known API key that was presented and refused (wrong secret, revoked, expired). */
  readonly key?: { readonly id: string; readonly organisation: string };
  readonly reason: string;
  readonly path: string;
}

export type FailureVerdict = { readonly throttled: false } | { readonly throttled: true; readonly retryAfterSeconds: number };

/** The throttled failures of one address or one key, for one audit record. */
export interface BurstSummary {
  readonly scope: { readonly address: string } | { readonly keyId: string; readonly organisation: string };
  readonly count: number;
  readonly from: Date;
  readonly to: Date;
  /** False while the burst goes on (summarised every BURST_REPORT_MS); true once it stopped. */
  readonly ended: boolean;
  readonly reasons: readonly string[];
  readonly paths: readonly string[];
  /** The addresses a key's failures came from (key scope only). */
  readonly addresses?: readonly string[];
}

/** A burst that goes on is summarised this often, so that an endless one is not kept from the log. */
export const BURST_REPORT_MS = 10 * 60_000;
/** Distinct reasons, paths and addresses kept per burst. */
const SAMPLES = 10;
/** Addresses and keys tracked at once; the least recently failing ones give way (their bursts are summarised). */
const TRACKED = 10_000;

interface Burst {
  count: number;
  from: number;
  to: number;
  reasons: Set<string>;
  paths: Set<string>;
  addresses: Set<string>;
}

interface Bucket {
  readonly scope: BurstSummary['scope'];
  readonly limit: number;
  /** Failures in the window that started at `windowStart`. */
  failures: number;
  windowStart: number;
  /** Until when further failures are throttled; each throttled failure moves it one window on. */
  blockedUntil: number;
  burst?: Burst;
}

/**
 * Counts failed authentications per client address and per API key, in memory (each replica on
 * its own). Within a window the first `limit` failures are ordinary (401, audited one by one);
 * the ones after it are throttled (429 with Retry-After) until a whole window passes without a
 * failure, and are counted into one burst, summarised when it ends. Only failures are counted:
 * a request with a valid credential is never throttled, whoever shares its address or key id.
 */
export class FailureThrottle {
  private readonly windowMs: number;
  private readonly byAddress: LRUCache<string, Bucket>;
  private readonly byKey: LRUCache<string, Bucket>;
  private readonly evicted: BurstSummary[] = [];

  constructor(private readonly limits: AuthFailureLimits) {
    this.windowMs = limits.windowSeconds * 1000;
    const dispose = (bucket: Bucket, _key: string, reason: LRUCache.DisposeReason) => {
      if (reason === 'evict' && bucket.burst) this.evicted.push(summary(bucket, bucket.burst, false));
    };
    this.byAddress = new LRUCache({ max: TRACKED, dispose });
    this.byKey = new LRUCache({ max: TRACKED, dispose });
  }

  failure(attempt: FailedAttempt): FailureVerdict {
    const buckets = [this.bucket(this.byAddress, attempt.address, { address: attempt.address }, this.limits.perAddress)];
    if (attempt.key) buckets.push(this.bucket(this.byKey, attempt.key.id, { keyId: attempt.key.id, organisation: attempt.key.organisation }, this.limits.perKey));
    let throttledBy: Bucket | undefined;
    for (const bucket of buckets) {
      if (bucket.blockedUntil <= attempt.at && attempt.at - bucket.windowStart >= this.windowMs) {
        bucket.failures = 0;
        bucket.windowStart = attempt.at;
      }
      bucket.failures++;
      if (bucket.blockedUntil > attempt.at || bucket.failures > bucket.limit) {
        bucket.blockedUntil = attempt.at + this.windowMs;
        throttledBy ??= bucket;
      }
    }
    if (!throttledBy) return { throttled: false };
    addToBurst(throttledBy, attempt);
    return { throttled: true, retryAfterSeconds: this.limits.windowSeconds };
  }

  /** Summaries of bursts that ended (a window without failures) or ran for BURST_REPORT_MS; forgets idle buckets. */
  takeSummaries(now: number): BurstSummary[] {
    const summaries = this.evicted.splice(0);
    for (const cache of [this.byAddress, this.byKey]) {
      const idle: string[] = [];
      for (const [id, bucket] of cache.entries()) {
        const ended = now >= bucket.blockedUntil;
        if (bucket.burst && (ended || now - bucket.burst.from >= BURST_REPORT_MS)) {
          summaries.push(summary(bucket, bucket.burst, ended));
          bucket.burst = undefined;
        }
        if (ended && now - bucket.windowStart >= this.windowMs && !bucket.burst) idle.push(id);
      }
      for (const id of idle) cache.delete(id);
    }
    return summaries;
  }

  /** Every burst not yet summarised, as it stands (at shutdown). */
  takeAll(): BurstSummary[] {
    const summaries = this.evicted.splice(0);
    for (const cache of [this.byAddress, this.byKey]) {
      for (const bucket of cache.values()) {
        if (bucket.burst) summaries.push(summary(bucket, bucket.burst, false));
        bucket.burst = undefined;
      }
    }
    return summaries;
  }

  private bucket(cache: LRUCache<string, Bucket>, id: string, scope: Bucket['scope'], limit: number): Bucket {
    let bucket = cache.get(id);
    if (!bucket) {
      bucket = { scope, limit, failures: 0, windowStart: 0, blockedUntil: 0 };
      cache.set(id, bucket);
    }
    return bucket;
  }
}

function addToBurst(bucket: Bucket, attempt: FailedAttempt): void {
  const burst = (bucket.burst ??= { count: 0, from: attempt.at, to: attempt.at, reasons: new Set(), paths: new Set(), addresses: new Set() });
  burst.count++;
  burst.to = attempt.at;
  sample(burst.reasons, attempt.reason);
  sample(burst.paths, attempt.path);
  sample(burst.addresses, attempt.address);
}

function sample(values: Set<string>, value: string): void {
  if (values.size < SAMPLES) values.add(value);
}

function summary(bucket: Bucket, burst: Burst, ended: boolean): BurstSummary {
  return {
    scope: bucket.scope,
    count: burst.count,
    from: new Date(burst.from),
    to: new Date(burst.to),
    ended,
    reasons: [...burst.reasons],
    paths: [...burst.paths],
    ...('keyId' in bucket.scope ? { addresses: [...burst.addresses] } : {}),
  };
}
