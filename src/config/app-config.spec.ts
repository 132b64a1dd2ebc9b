import { ConfigError, loadConfig, PUBLIC_CONTEXT_HOSTS } from 'src/config/app-config';

describe('loadConfig', () => {
  it('starts with nothing set: port 1026, embedded database under ./data, core context 1.9', () => {
    const config = loadConfig({});
    expect(config.http.port).toBe(1026);
    expect(config.database.url).toBeUndefined();
    expect(config.database.poolSize).toBe(1);
    expect(config.dataDir).toMatch(/\/data$/);
    expect(config.jsonld.defaultCoreContext).toBe('1.9');
    expect(config.jsonld.allowedContextHosts).toEqual(expect.arrayContaining(['localhost', '127.0.0.1']));
  });

  it('uses an external database with a pool when DATABASE_URL is set', () => {
    const config = loadConfig({ DATABASE_URL: 'postgres://u@db:5432/x', DATABASE_POOL_SIZE: '7' });
    expect(config.database.url).toBe('postgres://u@db:5432/x');
    expect(config.database.poolSize).toBe(7);
  });

  it('keeps the planner statistics current every 5 s unless told otherwise (0: off)', () => {
    expect(loadConfig({}).database.analyzeIntervalSeconds).toBe(5);
    expect(loadConfig({ DATABASE_ANALYZE_INTERVAL_SECONDS: '0' }).database.analyzeIntervalSeconds).toBe(0);
    expect(() => loadConfig({ DATABASE_ANALYZE_INTERVAL_SECONDS: '-1' })).toThrow(/DATABASE_ANALYZE_INTERVAL_SECONDS/);
  });

  it('keeps the embedded pool at one connection whatever is asked', () => {
    expect(loadConfig({ DATABASE_POOL_SIZE: '7' }).database.poolSize).toBe(1);
  });

  it('does not fetch contexts from loopback in production unless told to', () => {
    const config = loadConfig({ NODE_ENV: 'production' });
    expect(config.jsonld.allowedContextHosts).toEqual(PUBLIC_CONTEXT_HOSTS);
    const custom = loadConfig({ NODE_ENV: 'production', CONTEXT_ALLOWED_HOSTS: 'Contexts.Example.org, *.vgregion.se' });
    expect(custom.jsonld.allowedContextHosts).toEqual(['contexts.example.org', '*.vgregion.se']);
  });

  it('treats empty variables as unset', () => {
    expect(loadConfig({ DATABASE_URL: '', PORT: '' }).http.port).toBe(1026);
  });

  it('lists every bad key at once', () => {
    let error: unknown;
    try {
      loadConfig({ PORT: 'abc', DATABASE_URL: 'mysql://x', LOG_LEVEL: 'loud', DATABASE_RUN_MIGRATIONS: 'maybe' });
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(ConfigError);
    const keys = (error as ConfigError).problems.map((p) => p.split(':')[0]);
    expect(keys.sort()).toEqual(['DATABASE_RUN_MIGRATIONS', 'DATABASE_URL', 'LOG_LEVEL', 'PORT']);
    expect((error as ConfigError).message).toContain('PORT');
  });

  it('refuses a default page size above the maximum', () => {
    expect(() => loadConfig({ QUERY_DEFAULT_LIMIT: '50', QUERY_MAX_LIMIT: '10' })).toThrow(/QUERY_DEFAULT_LIMIT/);
  });

  it('returns a frozen object', () => {
    const config = loadConfig({});
    expect(Object.isFrozen(config)).toBe(true);
    expect(Object.isFrozen(config.jsonld.allowedContextHosts)).toBe(true);
  });

  it('accepts no bearer tokens until an issuer is configured, and then needs audience and keys', () => {
    expect(loadConfig({}).auth.issuer).toBeUndefined();
    expect(() => loadConfig({ AUTH_ISSUER: 'https://id.example.se/realms/vgr' })).toThrow(/AUTH_AUDIENCE[\s\S]*AUTH_JWKS_URL/);
    const config = loadConfig({
      AUTH_ISSUER: 'https://id.example.se/realms/vgr',
      AUTH_AUDIENCE: 'vg-datashare',
      AUTH_JWKS_URL: 'https://id.example.se/realms/vgr/protocol/openid-connect/certs',
      AUTH_ALGORITHMS: 'RS256',
    });
    expect(config.auth).toMatchObject({ audience: 'vg-datashare', algorithms: ['RS256'] });
  });

  it('refuses symmetric or unknown token algorithms and malformed static keys', () => {
    expect(() => loadConfig({ AUTH_ALGORITHMS: 'HS256' })).toThrow(/AUTH_ALGORITHMS/);
    expect(() => loadConfig({ AUTH_ALGORITHMS: 'none' })).toThrow(/AUTH_ALGORITHMS/);
    expect(() => loadConfig({ AUTH_PUBLIC_KEYS: 'not json' })).toThrow(/AUTH_PUBLIC_KEYS/);
  });

  it('bootstraps an administrator key in embedded mode only, unless told otherwise', () => {
    expect(loadConfig({}).bootstrap.adminKey).toBe(true);
    expect(loadConfig({ DATABASE_URL: 'postgres://db/x' }).bootstrap.adminKey).toBe(false);
    expect(loadConfig({ DATABASE_URL: 'postgres://db/x', BOOTSTRAP_ADMIN_KEY: 'true' }).bootstrap.adminKey).toBe(true);
  });

  it('leaves MQTT ingestion off until MQTT_URL is set, with defaults for the rest', () => {
    expect(loadConfig({}).mqtt).toMatchObject({ url: undefined, clientId: 'vg-datashare-ingest', connections: 32, batchMax: 500, batchLingerMs: 20, topicPrefix: 'vgds', shareGroup: 'vg-datashare', chirpstack: true, protocolVersion: 5 });
    const config = loadConfig({ MQTT_URL: 'mqtts://broker.example.se:8883', MQTT_USERNAME: 'vgds', MQTT_PASSWORD: 's3cret', MQTT_CONNECTIONS: '8', MQTT_CHIRPSTACK: 'false', MQTT_PROTOCOL_VERSION: '4' });
    expect(config.mqtt).toMatchObject({ url: 'mqtts://broker.example.se:8883', username: 'vgds', connections: 8, chirpstack: false, protocolVersion: 4 });
  });

  it('refuses bad MQTT settings, each named', () => {
    let error: unknown;
    try {
      loadConfig({ MQTT_URL: 'http://broker', MQTT_CONNECTIONS: '0', MQTT_TOPIC_PREFIX: 'vgds/#', MQTT_CLIENT_ID: 'has space' });
    } catch (e) {
      error = e;
    }
    const keys = (error as ConfigError).problems.map((p) => p.split(':')[0]);
    expect(keys.sort()).toEqual(['MQTT_CLIENT_ID', 'MQTT_CONNECTIONS', 'MQTT_TOPIC_PREFIX', 'MQTT_URL']);
    expect(() => loadConfig({ MQTT_URL: 'mqtt://broker', MQTT_PASSWORD: 'x' })).toThrow(/MQTT_USERNAME/);
  });

  it('bounds throttling and timeInterval from below, 1 and 5 seconds unless told otherwise', () => {
    expect(loadConfig({}).notifications).toMatchObject({ minThrottlingSeconds: 1, minTimeIntervalSeconds: 5 });
    expect(loadConfig({ NOTIFICATION_MIN_THROTTLING_SECONDS: '0.5', NOTIFICATION_MIN_TIME_INTERVAL_SECONDS: '60' }).notifications).toMatchObject({ minThrottlingSeconds: 0.5, minTimeIntervalSeconds: 60 });
    expect(() => loadConfig({ NOTIFICATION_MIN_THROTTLING_SECONDS: '-1' })).toThrow(/NOTIFICATION_MIN_THROTTLING_SECONDS/);
    expect(() => loadConfig({ NOTIFICATION_MIN_TIME_INTERVAL_SECONDS: 'often' })).toThrow(/NOTIFICATION_MIN_TIME_INTERVAL_SECONDS/);
  });

  it('sends no HSTS, trusts no proxy and throttles failed authentication unless told otherwise', () => {
    expect(loadConfig({}).security).toEqual({
      hstsMaxAgeSeconds: 0,
      trustProxy: false,
      authFailures: { perAddress: 20, perKey: 10, windowSeconds: 60 },
      auditSigningKey: undefined,
    });
    const config = loadConfig({ HSTS_MAX_AGE_SECONDS: '31536000', TRUST_PROXY: '10.0.0.0/8, ::1', AUTH_FAILURES_PER_ADDRESS: '5', AUDIT_SIGNING_KEY: 'k'.repeat(32) });
    expect(config.security).toMatchObject({ hstsMaxAgeSeconds: 31536000, trustProxy: ['10.0.0.0/8', '::1'], authFailures: { perAddress: 5 }, auditSigningKey: 'k'.repeat(32) });
    expect(loadConfig({ TRUST_PROXY: 'true' }).security.trustProxy).toBe(true);
  });

  it('refuses bad security settings, each named', () => {
    let error: unknown;
    try {
      loadConfig({ TRUST_PROXY: 'proxy.example', AUDIT_SIGNING_KEY: 'short', AUTH_FAILURE_WINDOW_SECONDS: '0', HSTS_MAX_AGE_SECONDS: '-1' });
    } catch (e) {
      error = e;
    }
    const keys = (error as ConfigError).problems.map((p) => p.split(':')[0]);
    expect(keys.sort()).toEqual(['AUDIT_SIGNING_KEY', 'AUTH_FAILURE_WINDOW_SECONDS', 'HSTS_MAX_AGE_SECONDS', 'TRUST_PROXY']);
  });
});
