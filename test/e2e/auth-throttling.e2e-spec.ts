import { request as httpRequest } from 'node:http';
import { Client } from 'pg';
import { AddressInfo } from 'node:net';
import { ApiKeysService } from 'src/auth/api-keys/api-keys.service';
import { startTestApp } from 'test/support/test-app';

/*
 * Failed authentication is throttled per client address and per API key: 401 and one audit record
 * each up to the limit, then 429 with Retry-After and one audit record per burst. A valid
 * credential is never throttled. Clients are told apart by their own loopback addresses
 * (127.0.0.x), as different machines would be.
 */

// A short window, long enough that a loaded machine still fits a burst in it.
const WINDOW_SECONDS = 3;
const LIMITS = { AUTH_FAILURES_PER_ADDRESS: '10', AUTH_FAILURES_PER_KEY: '5', AUTH_FAILURE_WINDOW_SECONDS: String(WINDOW_SECONDS) };
/** A burst ends one window after its last failure; the sweeper looks every window / 4 (at least 1 s). */
const BURST_SUMMARISED_MS = WINDOW_SECONDS * 1000 + 1500;
const TOO_MANY = 'urn:vg-datashare:problem:too-many-authentication-failures';

interface Answer {
  readonly status: number;
  readonly headers: Record<string, string | string[] | undefined>;
  readonly body: Record<string, any>;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

async function startService(env: Record<string, string> = {}) {
  const t = await startTestApp({ ...LIMITS, ...env }, { caller: 'anonymous' });
  await new Promise<void>((resolve) => t.http.listen(0, '127.0.0.1', resolve));
  const port = (t.http.address() as AddressInfo).port;
  const issue = async (name: string, roles: string[] = []) =>
    (await t.app.get(ApiKeysService).issue(
      { kind: 'anonymous', subject: 'test-setup', roles: new Set(), mfa: false },
      { name, organisation: roles.includes('platform-admin') ? 'platform' : 'goteborg', roles, canRead: true, canWrite: false, datasets: null, expiresAt: null },
    ))!;
  /** GET `path` from the client address `from`. */
  const get = (path: string, from: string, headers: Record<string, string> = {}) =>
    new Promise<Answer>((resolve, reject) => {
      const req = httpRequest({ host: '127.0.0.1', port, path, localAddress: from, headers, agent: false }, (res) => {
        let text = '';
        res.on('data', (chunk: Buffer) => (text += chunk.toString()));
        res.on('end', () => resolve({ status: res.statusCode!, headers: res.headers, body: text ? JSON.parse(text) : {} }));
      });
      req.on('error', reject);
      req.end();
    });
  return { t, issue, get };
}

/** `n` requests with `headers` from `from`, `parallel` at a time; their answers. */
async function many(get: (path: string, from: string, headers?: Record<string, string>) => Promise<Answer>, n: number, from: string, headers: Record<string, string>, parallel = 20) {
  const answers: Answer[] = [];
  for (let i = 0; i < n; i += parallel) {
    answers.push(...(await Promise.all(Array.from({ length: Math.min(parallel, n - i) }, () => get('/api/v1/me', from, headers)))));
  }
  return answers;
}

const statuses = (answers: Answer[]) => answers.reduce<Record<number, number>>((counts, a) => ({ ...counts, [a.status]: (counts[a.status] ?? 0) + 1 }), {});

describe('throttling failed authentication', () => {
  let s: Awaited<ReturnType<typeof startService>>;
  let admin: Record<string, string>;
  const auditOf = async (query: string) => (await s.get(`/api/v1/audit-log?event=authentication.failed&limit=1000&${query}`, '127.0.0.1', admin)).body as Record<string, any>[];

  beforeAll(async () => {
    s = await startService();
    admin = { 'x-api-key': (await s.issue('platform admin', ['platform-admin'])).key };
  });
  afterAll(async () => {
    await s?.t.close();
  });

  it('answers 600 failures in a few seconds from one client with 10 × 401, then 429 with Retry-After, audited once per burst', async () => {
    const from = '127.0.0.11';
    const answers = await many(s.get, 600, from, { 'x-api-key': 'vgds_not_a_key' });
    expect(statuses(answers)).toEqual({ 401: 10, 429: 590 });
    const throttled = answers.find((a) => a.status === 429)!;
    expect(throttled.headers['retry-after']).toBe(String(WINDOW_SECONDS));
    expect(throttled.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(throttled.body).toMatchObject({ type: TOO_MANY, status: 429, detail: expect.stringMatching(new RegExp(`^The API key is not valid\\. Too many failed authentications .* wait ${WINDOW_SECONDS} s`)) });

    await sleep(BURST_SUMMARISED_MS);
    const records = (await auditOf('')).filter((r) => r.details.ip === from || r.details.address === from);
    expect(records).toHaveLength(11);
    expect(records.filter((r) => r.details.count === 1)).toHaveLength(10);
    expect(records.find((r) => r.details.throttled)).toMatchObject({
      actor: 'anonymous',
      details: { count: 590, throttled: true, address: from, ended: true, reasons: ['The API key is not valid'], paths: ['/api/v1/me'] },
    });
  });

  it('never throttles a valid key: not from the throttled address, not from another', async () => {
    const from = '127.0.0.12';
    const valid = { 'x-api-key': (await s.issue('dashboard')).key };
    expect(statuses(await many(s.get, 15, from, { 'x-api-key': 'vgds_not_a_key' }))).toEqual({ 401: 10, 429: 5 });
    expect((await s.get('/api/v1/me', from, valid)).status).toBe(200);
    expect((await s.get('/api/v1/me', '127.0.0.13', valid)).status).toBe(200);
    expect((await s.get('/api/v1/me', from, { 'x-api-key': 'vgds_still_wrong' })).status).toBe(429);
    // Anonymous requests present no credential, so nothing to throttle.
    expect((await s.get('/api/v1/me', from)).status).toBe(200);
  });

  it('throttles a key failing from many addresses, and its owner with the right secret still gets in', async () => {
    const { id, key } = await s.issue('attacked');
    // vgds_<key id>_<secret>: the id of the key, a secret of the right shape that is not its own.
    const wrongSecret = { 'x-api-key': `${key.slice(0, 'vgds_'.length + 32)}_${'A'.repeat(43)}` };
    const answers = [];
    for (let i = 0; i < 7; i++) answers.push(await s.get('/api/v1/me', `127.0.1.${i + 1}`, wrongSecret));
    expect(answers.map((a) => a.status)).toEqual([401, 401, 401, 401, 401, 429, 429]);
    expect((await s.get('/api/v1/me', '127.0.1.100', { 'x-api-key': key })).status).toBe(200);

    await sleep(BURST_SUMMARISED_MS);
    // Filed with the key's organisation: its admins see the attack on their key.
    const burst = (await auditOf('organisation=goteborg')).find((r) => r.details.keyId === id && r.details.throttled);
    expect(burst).toMatchObject({ organisation: 'goteborg', details: { count: 2, addresses: ['127.0.1.6', '127.0.1.7'], ended: true } });
  });

  it('starts afresh once a window passed without failures', async () => {
    const from = '127.0.0.14';
    expect(statuses(await many(s.get, 11, from, { authorization: 'Bearer not-a-token' }))).toEqual({ 401: 10, 429: 1 });
    await sleep(WINDOW_SECONDS * 1000 + 100);
    expect((await s.get('/api/v1/me', from, { authorization: 'Bearer not-a-token' })).status).toBe(401);
  });

  it('ignores X-Forwarded-For unless the proxy is trusted: a client cannot escape by naming others', async () => {
    const from = '127.0.0.15';
    const answers = [];
    for (let i = 0; i < 12; i++) answers.push(await s.get('/api/v1/me', from, { 'x-api-key': 'vgds_x', 'x-forwarded-for': `198.51.100.${i}` }));
    expect(statuses(answers)).toEqual({ 401: 10, 429: 2 });
  });
});

describe('behind a trusted proxy (TRUST_PROXY)', () => {
  it('counts the clients the proxy names, not the proxy', async () => {
    const s = await startService({ TRUST_PROXY: '127.0.0.1' });
    try {
      const fromProxy = (client: string, key: string) => s.get('/api/v1/me', '127.0.0.1', { 'x-api-key': key, 'x-forwarded-for': client });
      const attacker = [];
      for (let i = 0; i < 11; i++) attacker.push(await fromProxy('203.0.113.9', 'vgds_x'));
      expect(statuses(attacker)).toEqual({ 401: 10, 429: 1 });
      // Another client behind the same proxy, with a key it mistyped: an ordinary 401.
      expect((await fromProxy('203.0.113.10', 'vgds_typo')).status).toBe(401);
    } finally {
      await s.t.close();
    }
  });
});

describe('at shutdown', () => {
  it('writes the bursts still open', async () => {
    const s = await startService({ AUTH_FAILURE_WINDOW_SECONDS: '600' });
    try {
      expect(statuses(await many(s.get, 25, '127.0.0.16', { 'x-api-key': 'vgds_x' }))).toEqual({ 401: 10, 429: 15 });
      await s.t.app.close(); // the service alone; its database stays until s.t.close()
      const client = new Client({ connectionString: s.t.config.database.url });
      await client.connect();
      try {
        const { rows } = await client.query(`SELECT details FROM audit_log WHERE event = 'authentication.failed' AND details->>'throttled' = 'true'`);
        expect(rows).toEqual([{ details: expect.objectContaining({ address: '127.0.0.16', count: 15, ended: false }) }]);
      } finally {
        await client.end();
      }
    } finally {
      await s.t.close();
    }
  });
});
