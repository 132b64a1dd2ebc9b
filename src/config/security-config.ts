import { isIP } from 'node:net';
import { z } from 'zod';
import { integer } from 'src/config/config-parsers';

/*
 * The configuration of the service's security hygiene: response headers, who counts as the
 * client behind a proxy, throttling of failed authentication and the audit log's signed head.
 * Part of AppConfig (src/config/app-config.ts); README, "Configuration" and "Security".
 */
export interface SecurityConfig {
  /** `Strict-Transport-Security: max-age=...` on every answer; 0: none (clients reach the service over plain HTTP). */
  readonly hstsMaxAgeSeconds: number;
  /**
   * Whose `X-Forwarded-For` to believe for the client address: nobody (false), any peer (true), or
   * the listed proxy addresses and CIDR ranges. Without it every client behind a reverse proxy has
   * the proxy's address.
   */
  readonly trustProxy: boolean | readonly string[];
  readonly authFailures: AuthFailureLimits;
  /** HMAC key signing the audit log's head record; unset: the head is kept but not signed. */
  readonly auditSigningKey: string | undefined;
}

/** How many failed authentications a client address, or one API key, may have in a window before further failures answer 429. */
export interface AuthFailureLimits {
  readonly perAddress: number;
  readonly perKey: number;
  readonly windowSeconds: number;
}

const proxyList = z
  .string()
  .transform((v) => v.split(',').map((p) => p.trim()).filter((p) => p.length > 0))
  .refine((list) => list.length > 0 && list.every(isAddressOrRange), 'expected true, false, or proxy addresses and CIDR ranges, comma separated');

/** The environment keys of this area, with their defaults. */
export const SECURITY_ENV = {
  HSTS_MAX_AGE_SECONDS: integer(0, 2 * 365 * 24 * 3600).default(0),
  TRUST_PROXY: z.union([z.enum(['true', 'false']).transform((v) => v === 'true'), proxyList]).default(false),
  AUTH_FAILURES_PER_ADDRESS: integer(1, 1_000_000).default(20),
  AUTH_FAILURES_PER_KEY: integer(1, 1_000_000).default(10),
  AUTH_FAILURE_WINDOW_SECONDS: integer(1, 24 * 3600).default(60),
  AUDIT_SIGNING_KEY: z.string().min(32, 'expected a secret of at least 32 characters').optional(),
};

type SecurityEnv = z.infer<z.ZodObject<typeof SECURITY_ENV>>;

export function securityConfigOf(e: SecurityEnv): SecurityConfig {
  return {
    hstsMaxAgeSeconds: e.HSTS_MAX_AGE_SECONDS,
    trustProxy: e.TRUST_PROXY,
    authFailures: { perAddress: e.AUTH_FAILURES_PER_ADDRESS, perKey: e.AUTH_FAILURES_PER_KEY, windowSeconds: e.AUTH_FAILURE_WINDOW_SECONDS },
    auditSigningKey: e.AUDIT_SIGNING_KEY,
  };
}

function isAddressOrRange(value: string): boolean {
  const [address, bits, ...rest] = value.split('/');
  if (rest.length > 0 || isIP(address) === 0) return false;
  if (bits === undefined) return true;
  const max = isIP(address) === 4 ? 32 : 128;
  return /^\d{1,3}$/.test(bits) && Number(bits) <= max;
}
