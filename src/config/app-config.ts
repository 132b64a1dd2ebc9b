import { resolve } from 'node:path';
import { z } from 'zod';
import { flag, integer } from 'src/config/config-parsers';
import { SECURITY_ENV, SecurityConfig, securityConfigOf } from 'src/config/security-config';
import { GRAPHQL_ENV, GraphqlConfig, graphqlConfigOf } from 'src/config/graphql-config';
import { EXPLORER_ENV, ExplorerConfig, explorerConfigOf } from 'src/config/explorer-config';
import { MESSAGING_ENV, messagingProblems, MqttConfig, mqttConfigOf, NotificationsConfig, notificationsConfigOf } from 'src/config/messaging-config';

/**
 * The service's whole configuration, parsed once from the environment at start-up.
 * No other code reads `process.env`: it receives this frozen object instead.
 */
export interface AppConfig {
  readonly environment: 'development' | 'production' | 'test';
  readonly http: {
    readonly host: string;
    readonly port: number;
    readonly bodyLimitBytes: number;
    /** Where clients reach this service; hosted @contexts are named by URLs under it. */
    readonly publicBaseUrl: string;
  };
  readonly database: {
    /** External PostgreSQL; `undefined` means: start the embedded one. */
    readonly url: string | undefined;
    readonly poolSize: number;
    readonly statementTimeoutMs: number;
    readonly runMigrations: boolean;
    /** How often the planner's statistics are checked and brought up to date (seconds; 0: left to autovacuum). */
    readonly analyzeIntervalSeconds: number;
  };
  readonly dataDir: string;
  readonly logLevel: LogLevel;
  readonly jsonld: {
    readonly defaultCoreContext: CoreContextVersion;
    readonly allowedContextHosts: readonly string[];
    readonly fetchTimeoutMs: number;
    readonly maxContextBytes: number;
    readonly cacheTtlSeconds: number;
    readonly cacheEntries: number;
  };
  readonly query: {
    readonly defaultLimit: number;
    readonly maxLimit: number;
  };
  readonly batch: {
    readonly maxEntities: number;
  };
  readonly temporal: {
    /** Instances of one attribute in one temporal response; more and the response is partial (206). */
    readonly maxInstancesPerAttribute: number;
    /** Instances in one temporal response over all its entities and attributes. */
    readonly maxInstancesPerResponse: number;
    /** History partitions (one per month) created ahead of time. */
    readonly partitionsAheadMonths: number;
  };
  readonly auth: {
    /** OIDC issuer (`iss`) bearer tokens must carry; tokens are refused when unset. */
    readonly issuer: string | undefined;
    readonly audience: string | undefined;
    /** Where the issuer publishes its keys (Keycloak: {issuer}/protocol/openid-connect/certs). */
    readonly jwksUrl: string | undefined;
    /** Static public keys as a JWKS document, instead of a JWKS URL. */
    readonly publicKeys: { keys: Record<string, unknown>[] } | undefined;
    readonly algorithms: readonly string[];
    /** Claim holding the caller's organisation (a dotted path into the token). */
    readonly organisationClaim: string;
    /** Claim holding the caller's roles (Keycloak: realm_access.roles). */
    readonly rolesClaim: string;
    /** `amr` values that count as multi-factor authentication. */
    readonly mfaAmr: readonly string[];
    /** `acr` values that count as multi-factor authentication. */
    readonly mfaAcr: readonly string[];
    readonly clockToleranceSeconds: number;
    /** The claim holding the purpose of the caller's reads (a DPV term), when no VGDS-Purpose header says it. */
    readonly purposeClaim: string;
  };
  readonly bootstrap: {
    /** Create a platform administrator API key on first start (file under dataDir, mode 0600). */
    readonly adminKey: boolean;
    readonly organisation: string;
  };
  readonly mqtt: MqttConfig;
  readonly notifications: NotificationsConfig;
  readonly security: SecurityConfig;
  readonly graphql: GraphqlConfig;
  readonly explorer: ExplorerConfig;
  readonly privacy: {
    /** How often the retention job runs (seconds; 0: only when started by POST). */
    readonly retentionIntervalSeconds: number;
    /** How long the read log of personal data is kept (days). */
    readonly readLogRetentionDays: number;
    /** How often buffered read-log entries are written (milliseconds). */
    readonly readLogFlushMs: number;
  };
}


export type LogLevel = 'fatal' | 'error' | 'warn' | 'info' | 'debug' | 'trace';
export type CoreContextVersion = '1.8' | '1.9';

/** Hosts that publish the contexts of common data models; fetched from in every environment. */
export const PUBLIC_CONTEXT_HOSTS = [
  'uri.etsi.org',
  'smartdatamodels.org',
  'raw.githubusercontent.com',
  'fiware.github.io',
  'schema.lab.fiware.org',
  'w3id.org',
];
const LOOPBACK_HOSTS = ['localhost', '127.0.0.1', '::1'];

export class ConfigError extends Error {
  constructor(readonly problems: readonly string[]) {
    super(`Invalid configuration:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    this.name = 'ConfigError';
  }
}

const hostList = z
  .string()
  .transform((v) => v.split(',').map((h) => h.trim().toLowerCase()).filter((h) => h.length > 0))
  .pipe(z.array(z.string().regex(/^(\*\.)?[a-z0-9.:\-[\]]+$/, 'expected host names, comma separated')));

const list = z.string().transform((v) => v.split(',').map((h) => h.trim()).filter((h) => h.length > 0));
const ASYMMETRIC_ALGORITHMS = ['RS256', 'RS384', 'RS512', 'PS256', 'PS384', 'PS512', 'ES256', 'ES384', 'ES512', 'EdDSA', 'Ed25519'];
const jwks = z
  .string()
  .transform((v, ctx) => {
    try {
      return JSON.parse(v) as unknown;
    } catch {
      ctx.addIssue({ code: 'custom', message: 'expected a JWKS document: {"keys": [...]}' });
      return z.NEVER;
    }
  })
  .pipe(z.object({ keys: z.array(z.record(z.string(), z.unknown())).min(1) }, { message: 'expected a JWKS document: {"keys": [...]}' }));
export const ORGANISATION = /^[a-z0-9][a-z0-9-]{0,62}$/;

const schema = z.object({
  NODE_ENV: z.enum(['development', 'production', 'test']).default('development'),
  HOST: z.string().min(1).default('0.0.0.0'),
  PORT: integer(0, 65535).default(1026),
  BODY_LIMIT_BYTES: integer(1024, 100 * 1024 * 1024).default(1024 * 1024),
  PUBLIC_BASE_URL: z
    .string()
    .regex(/^https?:\/\/[^/\s]+$/, 'expected an http(s) URL without a path or trailing slash, like https://data.example.org')
    .optional(),
  DATABASE_URL: z
    .string()
    .regex(/^postgres(ql)?:\/\//, 'expected a postgres:// or postgresql:// URL')
    .optional(),
  DATABASE_POOL_SIZE: integer(1, 200).optional(),
  DATABASE_STATEMENT_TIMEOUT_MS: integer(100, 3_600_000).default(15_000),
  DATABASE_RUN_MIGRATIONS: flag.default(true),
  DATABASE_ANALYZE_INTERVAL_SECONDS: integer(0, 3600).default(5),
  DATA_DIR: z.string().min(1).default('./data'),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace']).default('info'),
  NGSI_LD_CORE_CONTEXT: z.enum(['1.8', '1.9']).default('1.9'),
  CONTEXT_ALLOWED_HOSTS: hostList.optional(),
  CONTEXT_FETCH_TIMEOUT_MS: integer(100, 60_000).default(5_000),
  CONTEXT_MAX_BYTES: integer(1024, 10 * 1024 * 1024).default(256 * 1024),
  CONTEXT_CACHE_TTL_SECONDS: integer(0, 7 * 24 * 3600).default(3600),
  CONTEXT_CACHE_ENTRIES: integer(1, 100_000).default(500),
  QUERY_DEFAULT_LIMIT: integer(1, 10_000).default(20),
  QUERY_MAX_LIMIT: integer(1, 10_000).default(1000),
  BATCH_MAX_ENTITIES: integer(1, 100_000).default(1000),
  TEMPORAL_MAX_INSTANCES_PER_ATTRIBUTE: integer(1, 1_000_000).default(10_000),
  TEMPORAL_MAX_INSTANCES_PER_RESPONSE: integer(1, 1_000_000).default(50_000),
  HISTORY_PARTITIONS_AHEAD_MONTHS: integer(1, 24).default(3),
  AUTH_ISSUER: z.string().url().optional(),
  AUTH_AUDIENCE: z.string().min(1).optional(),
  AUTH_JWKS_URL: z.string().regex(/^https?:\/\/\S+$/, 'expected an http(s) URL').optional(),
  AUTH_PUBLIC_KEYS: jwks.optional(),
  AUTH_ALGORITHMS: list
    .pipe(z.array(z.enum(ASYMMETRIC_ALGORITHMS as [string, ...string[]], { message: `expected some of ${ASYMMETRIC_ALGORITHMS.join(', ')}` })).min(1))
    .default(['RS256', 'ES256', 'PS256', 'EdDSA']),
  AUTH_ORGANISATION_CLAIM: z.string().min(1).default('organisation'),
  AUTH_ROLES_CLAIM: z.string().min(1).default('roles'),
  AUTH_MFA_AMR: list.default(['mfa', 'otp', 'hwk', 'swk', 'sms']),
  AUTH_MFA_ACR: list.default([]),
  AUTH_CLOCK_TOLERANCE_SECONDS: integer(0, 300).default(30),
  BOOTSTRAP_ADMIN_KEY: flag.optional(),
  BOOTSTRAP_ORGANISATION: z.string().regex(ORGANISATION, 'expected an organisation id: lower-case letters, digits and "-"').default('platform'),
  RETENTION_INTERVAL_SECONDS: integer(0, 7 * 24 * 3600).default(3600),
  READ_LOG_RETENTION_DAYS: integer(1, 3650).default(365),
  READ_LOG_FLUSH_MS: integer(10, 60_000).default(1000),
  AUTH_PURPOSE_CLAIM: z.string().min(1).default('purpose'),
  ...MESSAGING_ENV,
  ...SECURITY_ENV,
  ...GRAPHQL_ENV,
  ...EXPLORER_ENV,
});

/**
 * Parses the environment into an {@link AppConfig}. Every invalid key is reported at once,
 * so a misconfigured deployment fails at start with the full list instead of one key at a time.
 */
export function loadConfig(env: Record<string, string | undefined>): AppConfig {
  // An empty variable counts as unset, as `FOO= npm start` means "no value" to most people.
  const present = Object.fromEntries(Object.entries(env).filter(([, v]) => v !== undefined && v !== ''));
  const parsed = schema.safeParse(present);
  if (!parsed.success) {
    throw new ConfigError(
      parsed.error.issues.map((issue) => `${issue.path.join('.') || '(root)'}: ${issue.message}`),
    );
  }
  const e = parsed.data;
  const problems: string[] = [];
  if (e.QUERY_DEFAULT_LIMIT > e.QUERY_MAX_LIMIT) {
    problems.push('QUERY_DEFAULT_LIMIT: must not exceed QUERY_MAX_LIMIT');
  }
  if (e.AUTH_JWKS_URL && e.AUTH_PUBLIC_KEYS) problems.push('AUTH_PUBLIC_KEYS: set either AUTH_JWKS_URL or AUTH_PUBLIC_KEYS, not both');
  if ((e.AUTH_JWKS_URL || e.AUTH_PUBLIC_KEYS) && !e.AUTH_ISSUER) problems.push('AUTH_ISSUER: required when token keys are configured');
  if (e.AUTH_ISSUER && !e.AUTH_AUDIENCE) problems.push('AUTH_AUDIENCE: required with AUTH_ISSUER (tokens meant for other services must not work here)');
  if (e.AUTH_ISSUER && !e.AUTH_JWKS_URL && !e.AUTH_PUBLIC_KEYS) problems.push('AUTH_JWKS_URL: required with AUTH_ISSUER (or AUTH_PUBLIC_KEYS)');
  problems.push(...messagingProblems(e));
  if (problems.length > 0) throw new ConfigError(problems);

  const embedded = e.DATABASE_URL === undefined;
  const defaultHosts =
    e.NODE_ENV === 'production' ? PUBLIC_CONTEXT_HOSTS : [...LOOPBACK_HOSTS, ...PUBLIC_CONTEXT_HOSTS];
  return deepFreeze({
    environment: e.NODE_ENV,
    http: {
      host: e.HOST,
      port: e.PORT,
      bodyLimitBytes: e.BODY_LIMIT_BYTES,
      publicBaseUrl: e.PUBLIC_BASE_URL ?? `http://localhost:${e.PORT}`,
    },
    database: {
      url: e.DATABASE_URL,
      // The embedded database is a single session: more than one connection would interleave
      // transactions, so the pool is one connection whatever was asked for.
      poolSize: embedded ? 1 : (e.DATABASE_POOL_SIZE ?? 10),
      statementTimeoutMs: e.DATABASE_STATEMENT_TIMEOUT_MS,
      runMigrations: e.DATABASE_RUN_MIGRATIONS,
      analyzeIntervalSeconds: e.DATABASE_ANALYZE_INTERVAL_SECONDS,
    },
    dataDir: resolve(e.DATA_DIR),
    logLevel: e.LOG_LEVEL,
    jsonld: {
      defaultCoreContext: e.NGSI_LD_CORE_CONTEXT,
      allowedContextHosts: e.CONTEXT_ALLOWED_HOSTS ?? defaultHosts,
      fetchTimeoutMs: e.CONTEXT_FETCH_TIMEOUT_MS,
      maxContextBytes: e.CONTEXT_MAX_BYTES,
      cacheTtlSeconds: e.CONTEXT_CACHE_TTL_SECONDS,
      cacheEntries: e.CONTEXT_CACHE_ENTRIES,
    },
    query: { defaultLimit: e.QUERY_DEFAULT_LIMIT, maxLimit: e.QUERY_MAX_LIMIT },
    batch: { maxEntities: e.BATCH_MAX_ENTITIES },
    temporal: {
      maxInstancesPerAttribute: e.TEMPORAL_MAX_INSTANCES_PER_ATTRIBUTE,
      maxInstancesPerResponse: e.TEMPORAL_MAX_INSTANCES_PER_RESPONSE,
      partitionsAheadMonths: e.HISTORY_PARTITIONS_AHEAD_MONTHS,
    },
    auth: {
      issuer: e.AUTH_ISSUER,
      audience: e.AUTH_AUDIENCE,
      jwksUrl: e.AUTH_JWKS_URL,
      publicKeys: e.AUTH_PUBLIC_KEYS,
      algorithms: e.AUTH_ALGORITHMS,
      organisationClaim: e.AUTH_ORGANISATION_CLAIM,
      rolesClaim: e.AUTH_ROLES_CLAIM,
      mfaAmr: e.AUTH_MFA_AMR,
      mfaAcr: e.AUTH_MFA_ACR,
      clockToleranceSeconds: e.AUTH_CLOCK_TOLERANCE_SECONDS,
      purposeClaim: e.AUTH_PURPOSE_CLAIM,
    },
    // Embedded mode is the "try it on my laptop" mode: it needs a way in without an identity provider.
    bootstrap: { adminKey: e.BOOTSTRAP_ADMIN_KEY ?? embedded, organisation: e.BOOTSTRAP_ORGANISATION },
    mqtt: mqttConfigOf(e),
    notifications: notificationsConfigOf(e, e.NODE_ENV),
    security: securityConfigOf(e),
    graphql: graphqlConfigOf(e),
    explorer: explorerConfigOf(e),
    privacy: {
      retentionIntervalSeconds: e.RETENTION_INTERVAL_SECONDS,
      readLogRetentionDays: e.READ_LOG_RETENTION_DAYS,
      readLogFlushMs: e.READ_LOG_FLUSH_MS,
    },
  });
}

function deepFreeze<T>(value: T): T {
  if (value && typeof value === 'object') {
    for (const child of Object.values(value)) deepFreeze(child);
    Object.freeze(value);
  }
  return value;
}
