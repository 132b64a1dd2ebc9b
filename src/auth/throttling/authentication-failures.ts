import { Injectable, OnModuleDestroy } from '@nestjs/common';
import { FastifyRequest } from 'fastify';
import { KeyRefused } from 'src/auth/api-keys/api-key-principal';
import { ANONYMOUS } from 'src/auth/principal';
import { BurstSummary, FailureThrottle } from 'src/auth/throttling/failure-throttle';
import { AppConfig } from 'src/config/app-config';
import { InjectConfig } from 'src/config/config.module';
import { AuditLog } from 'src/governance/audit/audit-log.service';
import { TooManyAuthenticationFailures, Unauthorized } from 'src/governance/problems';

/**
 * What happens to a failed authentication: counted per client address and per API key; below
 * the limits answered 401 and audited on its own, past them answered 429 with Retry-After and
 * counted into a burst that gets one audit record with its count (README, "Failed authentication").
 */
@Injectable()
export class AuthenticationFailures implements OnModuleDestroy {
  private readonly throttle: FailureThrottle;
  private readonly sweeper: NodeJS.Timeout;
  private readonly writing = new Set<Promise<void>>();

  constructor(
    private readonly audit: AuditLog,
    @InjectConfig() config: AppConfig,
  ) {
    const limits = config.security.authFailures;
    this.throttle = new FailureThrottle(limits);
    // A burst ends one window after its last failure; look a few times per window (1 to 15 s apart).
    const every = Math.min(15_000, Math.max(1000, (limits.windowSeconds * 1000) / 4));
    this.sweeper = setInterval(() => this.writeSummaries(this.throttle.takeSummaries(Date.now())), every).unref();
  }

  /** Counts the failure and says what to answer with: the 401 itself, or 429 past the limit. */
  async refuse(request: FastifyRequest, error: Unauthorized): Promise<Unauthorized | TooManyAuthenticationFailures> {
    const path = request.url.split('?')[0];
    const key = error instanceof KeyRefused ? error.key : undefined;
    const verdict = this.throttle.failure({ at: Date.now(), address: request.ip, key, reason: error.detail ?? error.title, path });
    if (verdict.throttled) return new TooManyAuthenticationFailures(error.detail ?? error.title, verdict.retryAfterSeconds);
    await this.audit.record(ANONYMOUS, {
      event: 'authentication.failed',
      // A known key that failed (revoked, expired, wrong secret) is its organisation's business too.
      organisation: key?.organisation,
      details: { count: 1, reason: error.detail, method: request.method, path, ip: request.ip },
    });
    return error;
  }

  /** Bursts still open are summarised before the database goes away. */
  async onModuleDestroy(): Promise<void> {
    clearInterval(this.sweeper);
    this.writeSummaries(this.throttle.takeAll());
    await Promise.all(this.writing);
  }

  private writeSummaries(summaries: BurstSummary[]): void {
    for (const burst of summaries) {
      const write = this.audit.record(ANONYMOUS, {
        event: 'authentication.failed',
        organisation: 'keyId' in burst.scope ? burst.scope.organisation : undefined,
        details: {
          count: burst.count,
          throttled: true,
          ...burst.scope,
          from: burst.from.toISOString(),
          to: burst.to.toISOString(),
          ended: burst.ended,
          reasons: burst.reasons,
          paths: burst.paths,
          ...(burst.addresses ? { addresses: burst.addresses } : {}),
        },
      });
      this.writing.add(write);
      void write.finally(() => this.writing.delete(write));
    }
  }
}
