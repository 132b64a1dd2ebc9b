import { Client } from 'pg';
import request from 'supertest';
import { DataSource } from 'typeorm';
import { createApp } from 'src/app.factory';
import { ApiKeysService } from 'src/auth/api-keys/api-keys.service';
import { loadConfig } from 'src/config/app-config';
import { startTestApp, TestApp } from 'test/support/test-app';

/*
 * Tampering with the audit log as someone with database access would: behind the append-only
 * trigger (disabled, as a table owner or superuser can), removing the newest records, and
 * rewinding the head that names the newest record. GET /api/v1/audit-log/verification must say so.
 */

interface Service {
  readonly t: TestApp;
  readonly admin: Record<string, string>;
}

async function startService(env: Record<string, string> = {}): Promise<Service> {
  const t = await startTestApp(env, { caller: 'anonymous' });
  const issued = await t.app.get(ApiKeysService).issue(
    { kind: 'anonymous', subject: 'test-setup', roles: new Set(), mfa: false },
    { name: 'platform admin', organisation: 'platform', roles: ['platform-admin'], canRead: true, canWrite: true, datasets: null, expiresAt: null },
  );
  return { t, admin: { 'x-api-key': issued!.key } };
}

async function sql<T extends object = Record<string, string>>(s: Service, text: string): Promise<T[]> {
  const client = new Client({ connectionString: s.t.config.database.url });
  await client.connect();
  try {
    return (await client.query<T>(text)).rows;
  } finally {
    await client.end();
  }
}

/** Audit records of failed authentications, written by the service in their own transactions. */
async function failAuthentication(s: Service, times: number): Promise<void> {
  for (let i = 0; i < times; i++) await request(s.t.http).get('/api/v1/me').set('x-api-key', `vgds_wrong_${i}`).expect(401);
}

const verification = async (s: Service) => (await request(s.t.http).get('/api/v1/audit-log/verification').set(s.admin).expect(200)).body;
const newestSeqs = async (s: Service, n: number) => (await sql(s, `SELECT seq::text AS seq FROM audit_log ORDER BY seq DESC LIMIT ${n}`)).map((r) => r.seq);
const behindTheTriggers = (statements: string) => `
  ALTER TABLE audit_log DISABLE TRIGGER audit_log_append_only;
  ALTER TABLE audit_head DISABLE TRIGGER audit_head_forward_only;
  ${statements};
  ALTER TABLE audit_log ENABLE TRIGGER audit_log_append_only;
  ALTER TABLE audit_head ENABLE TRIGGER audit_head_forward_only;`;

describe('removing the newest audit records', () => {
  let s: Service;
  beforeAll(async () => {
    s = await startService();
  });
  afterAll(async () => {
    await s?.t.close();
  });

  it('verifies an untouched log, naming its head', async () => {
    await failAuthentication(s, 4);
    const [newest] = await newestSeqs(s, 1);
    const [{ n }] = await sql<{ n: number }>(s, 'SELECT count(*)::int AS n FROM audit_log');
    expect(await verification(s)).toEqual({ valid: true, checked: n, head: { seq: newest, hash: expect.stringMatching(/^[0-9a-f]{64}$/), signed: false } });
  });

  it('reports the removal of the newest records, deleted with the trigger disabled', async () => {
    const [newest, , survivor] = await newestSeqs(s, 3);
    await sql(s, behindTheTriggers(`DELETE FROM audit_log WHERE seq > ${survivor}`));
    expect(await newestSeqs(s, 1)).toEqual([survivor]);
    expect(await verification(s)).toMatchObject({
      valid: false,
      reason: `the newest records were removed: the log ends at seq ${survivor}, but its head names seq ${newest}`,
      head: { seq: newest },
    });
  });

  it('keeps reporting it after new records are appended: they link to the removed ones', async () => {
    await failAuthentication(s, 1);
    const [appended] = await newestSeqs(s, 1);
    expect(await verification(s)).toMatchObject({ valid: false, firstBrokenSeq: appended, reason: 'does not link to the record before it' });
  });
});

describe('rewinding the head as well', () => {
  it('is caught by the service that wrote the removed records', async () => {
    const s = await startService();
    try {
      await failAuthentication(s, 3);
      const [, survivor] = await newestSeqs(s, 2);
      await sql(s, behindTheTriggers(`DELETE FROM audit_log WHERE seq > ${survivor}; UPDATE audit_head SET (seq, hash) = (SELECT seq, hash FROM audit_log WHERE seq = ${survivor})`));
      expect(await verification(s)).toMatchObject({ valid: false, reason: expect.stringMatching(new RegExp(`^the head was moved back: it names seq ${survivor}, but this service wrote seq \\d+$`)) });
    } finally {
      await s.t.close();
    }
  });

  const SIGNING = { AUDIT_SIGNING_KEY: 'an-audit-signing-key-for-the-tests-0123456789' };
  /** A service with a signing key whose two newest records were removed and head rewound; the seq it was rewound to. */
  async function rewoundSigned(s: Service): Promise<string> {
    await failAuthentication(s, 3);
    expect(await verification(s)).toMatchObject({ valid: true, head: { signed: true } });
    const [, survivor] = await newestSeqs(s, 2);
    // The attacker keeps the newest head's signature: the only one at hand.
    await sql(s, behindTheTriggers(`DELETE FROM audit_log WHERE seq > ${survivor}; UPDATE audit_head SET (seq, hash) = (SELECT seq, hash FROM audit_log WHERE seq = ${survivor})`));
    return survivor;
  }

  it('is caught with AUDIT_SIGNING_KEY: the rewound head is not signed for its record', async () => {
    const s = await startService(SIGNING);
    try {
      await rewoundSigned(s);
      expect(await verification(s)).toMatchObject({ valid: false, reason: expect.stringMatching(/^the head signature does not verify/) });
    } finally {
      await s.t.close();
    }
  });

  // Two services on one embedded database would share its single session.
  const onServer = process.env.DATABASE_URL ? it : it.skip;
  onServer('is caught after a restart too with AUDIT_SIGNING_KEY, since only the key signs a head', async () => {
    const env = SIGNING;
    const s = await startService(env);
    try {
      const survivor = await rewoundSigned(s);
      // A service started afterwards, which wrote none of the removed records, on the same database.
      const restarted = await createApp(loadConfig({ NODE_ENV: 'test', LOG_LEVEL: 'fatal', DATABASE_URL: s.t.config.database.url, DATABASE_POOL_SIZE: '2', ...env }));
      try {
        await restarted.getHttpAdapter().getInstance().ready();
        const res = await request(restarted.getHttpServer()).get('/api/v1/audit-log/verification').set(s.admin).expect(200);
        expect(res.body).toMatchObject({ valid: false, head: { seq: survivor }, reason: expect.stringMatching(/^the head signature does not verify/) });
      } finally {
        await restarted.close();
      }
    } finally {
      await s.t.close();
    }
  });
});

describe('the head in the database itself', () => {
  let s: Service;
  beforeAll(async () => {
    s = await startService();
    await failAuthentication(s, 2);
  });
  afterAll(async () => {
    await s?.t.close();
  });

  it.each([
    ['moving it back', 'UPDATE audit_head SET seq = seq - 1', /moves only to the record appended after it/],
    ['moving it to a record that does not follow it', "UPDATE audit_head SET seq = seq + 1, hash = 'x'", /moves only to the record appended after it/],
    ['deleting it', 'DELETE FROM audit_head', /cannot be removed/],
    ['truncating it', 'TRUNCATE audit_head', /cannot be removed/],
  ])('refuses %s', async (_what, statement, message) => {
    await expect(sql(s, statement)).rejects.toMatchObject({ code: '42501', message: expect.stringMatching(message) });
    expect(await verification(s)).toMatchObject({ valid: true });
  });
});

describe('a database that had audit records before the head existed', () => {
  it('gets a head naming its newest record when migrated, and verifies', async () => {
    const s = await startService();
    try {
      await failAuthentication(s, 2);
      const dataSource = s.t.app.get(DataSource);
      // Back to before the head's migration (and any that came after it).
      for (let undone = 0; undone < 10; undone++) {
        if ((await sql(s, "SELECT to_regclass('audit_head') AS head"))[0].head === null) break;
        await dataSource.undoLastMigration({ transaction: 'each' });
      }
      expect(await sql(s, "SELECT to_regclass('audit_head') AS head")).toEqual([{ head: null }]);
      await dataSource.runMigrations({ transaction: 'each' });
      const [newest] = await newestSeqs(s, 1);
      expect(await verification(s)).toMatchObject({ valid: true, head: { seq: newest } });
    } finally {
      await s.t.close();
    }
  });
});
