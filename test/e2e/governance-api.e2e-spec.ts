import { Client } from 'pg';
import request from 'supertest';
import { IdentityProvider, startIdentityProvider, TokenClaims } from 'test/support/identity-provider';
import { startTestApp, TestApp } from 'test/support/test-app';

/*
 * The governance REST resources under /api/v1: datasets, grants, combination rules, API keys,
 * the audit log and /me. Organisation "goteborg" publishes; "boras" is another member. The file
 * runs in order: later blocks use what earlier ones created, and the audit tamper test comes last.
 */

const ERRORS = 'https://uri.etsi.org/ngsi-ld/errors/';
const UNAUTHORIZED = 'urn:vg-datashare:problem:unauthorized';
const FORBIDDEN = 'urn:vg-datashare:problem:forbidden';
const RFC3339_UTC = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?Z$/;
const MFA = ['pwd', 'otp'];

type Headers = Record<string, string>;
type Method = 'get' | 'post' | 'patch' | 'delete';

const CALLERS = {
  adminA: { sub: 'admin-a', organisation: 'goteborg', roles: ['admin'], amr: MFA },
  adminANoMfa: { sub: 'admin-a', organisation: 'goteborg', roles: ['admin'], amr: ['pwd'] },
  writerA: { sub: 'writer-a', organisation: 'goteborg', roles: ['writer'], amr: MFA },
  memberA: { sub: 'member-a', organisation: 'goteborg' },
  adminB: { sub: 'admin-b', organisation: 'boras', roles: ['admin'], amr: MFA },
  memberB: { sub: 'member-b', organisation: 'boras' },
  platform: { sub: 'platform-admin', roles: ['platform-admin'], amr: MFA },
} satisfies Record<string, TokenClaims>;
type Caller = keyof typeof CALLERS | 'anonymous';

let idp: IdentityProvider;
let t: TestApp;
const as: Record<string, Headers> = { anonymous: {} };

const bearer = async (claims: TokenClaims): Promise<Headers> => ({ authorization: `Bearer ${await idp.token(claims)}` });

function call(method: Method, path: string, who: Caller | Headers, body?: object) {
  const req = request(t.http)[method](path).set(typeof who === 'string' ? as[who] : who);
  return body === undefined ? req : req.send(body);
}

function expectProblem(res: request.Response, status: number, type: string, detail?: RegExp) {
  expect(res.status).toBe(status);
  expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
  expect(res.body).toMatchObject({ type: type.includes(':') ? type : ERRORS + type, status });
  if (detail) expect(res.body.detail).toMatch(detail);
}

const classification = (confidentiality: number) => ({ confidentiality, integrity: 1, availability: 1 });
const datasetBody = (overrides: object = {}) => ({
  title: { sv: 'Luftkvalitet', en: 'Air quality' },
  description: { sv: 'Mätningar av partiklar och kvävedioxid' },
  classification: classification(0),
  ...overrides,
});

async function createDataset(overrides: object = {}, who: Caller = 'adminA'): Promise<Record<string, any>> {
  const res = await call('post', '/api/v1/datasets', who, datasetBody(overrides));
  expect(res.status).toBe(201);
  return res.body;
}

async function auditEvents(who: Caller, query: Record<string, string> = {}): Promise<Record<string, any>[]> {
  const res = await call('get', `/api/v1/audit-log?${new URLSearchParams({ limit: '1000', ...query })}`, who).expect(200);
  return res.body;
}

async function withDatabase<T>(work: (client: Client) => Promise<T>): Promise<T> {
  const client = new Client({ connectionString: t.config.database.url });
  await client.connect();
  try {
    return await work(client);
  } finally {
    await client.end();
  }
}

const ids = (body: { id: string }[]) => body.map((item) => item.id);
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Datasets of goteborg the later blocks share. */
const shared = {} as { open: string; k1: string; k2: string };

beforeAll(async () => {
  idp = await startIdentityProvider();
  t = await startTestApp(idp.env, { caller: 'anonymous' });
  for (const [name, claims] of Object.entries(CALLERS)) as[name] = await bearer(claims);
  shared.open = (await createDataset({ open: true })).id;
  shared.k1 = (await createDataset({ classification: classification(1) })).id;
  shared.k2 = (await createDataset({ title: { sv: 'Passagerarflöden' }, classification: classification(2), licence: 'https://creativecommons.org/licenses/by/4.0/' })).id;
});

afterAll(async () => {
  await t?.close();
  await idp?.close();
});

describe('datasets: creating', () => {
  it('answers 201 with Location and the dataset in camelCase, with accessRights and RFC 3339 UTC times', async () => {
    const res = await call('post', '/api/v1/datasets', 'adminA', datasetBody({ open: true, themes: ['ENVI'], updateFrequency: 'HOURLY' })).expect(201);
    expect(res.headers.location).toBe(`/api/v1/datasets/${res.body.id}`);
    expect(res.body).toMatchObject({
      organisation: 'goteborg',
      title: { sv: 'Luftkvalitet', en: 'Air quality' },
      themes: ['ENVI'],
      updateFrequency: 'HOURLY',
      classification: { confidentiality: 0, integrity: 1, availability: 1 },
      open: true,
      accessRights: 'PUBLIC',
      personalData: { category: 'none' },
      isDefault: false,
      status: 'active',
      entities: [],
    });
    expect(res.body.href).toMatch(new RegExp(`/api/v1/datasets/${res.body.id}$`));
    expect(res.body.created).toMatch(RFC3339_UTC);
    expect(res.body.modified).toMatch(RFC3339_UTC);
    expect(res.body).not.toHaveProperty('retiredAt');
    expect(Object.keys(res.body).every((key) => /^[a-z][A-Za-z]*$/.test(key))).toBe(true);
    const k2 = await call('get', `/api/v1/datasets/${shared.k2}`, 'adminA').expect(200);
    expect(k2.body).toMatchObject({ accessRights: 'NON_PUBLIC', open: false });
  });

  it.each([
    ['a level 4 classification', { classification: classification(4) }, /level 4: such information does not belong/],
    ['open data above K0', { open: true, classification: classification(1) }, /only K0 data can be open, and this dataset is K1/],
    ['personal data without a legal basis', { personalData: { category: 'personal', purposes: ['dpv:ServiceProvision'] } }, /personalData\.legalBasis: personal data needs a legal basis/],
    ['unknown fields', { colour: 'blue' }, /colour/],
    ['an id pattern that is not a regular expression', { entities: [{ idPattern: '(unclosed' }] }, /"\(unclosed" is not a valid regular expression/],
  ])('refuses %s with 400 BadRequestData', async (_name, overrides, detail) => {
    expectProblem(await call('post', '/api/v1/datasets', 'adminA', datasetBody(overrides)), 400, 'BadRequestData', detail);
  });

  it('lists every problem of a body at once', async () => {
    const res = await call('post', '/api/v1/datasets', 'adminA', datasetBody({ classification: classification(4), colour: 'blue', licence: 'not a uri' }));
    expectProblem(res, 400, 'BadRequestData');
    expect(res.body.detail).toMatch(/does not belong/);
    expect(res.body.detail).toMatch(/colour/);
    expect(res.body.detail).toMatch(/licence/);
  });

  it('refuses an admin without MFA, a writer and an admin of another organisation with 403', async () => {
    expectProblem(await call('post', '/api/v1/datasets', 'adminANoMfa', datasetBody()), 403, FORBIDDEN, /multi-factor/);
    expectProblem(await call('post', '/api/v1/datasets', 'writerA', datasetBody()), 403, FORBIDDEN, /not an administrator of organisation goteborg/);
    expectProblem(await call('post', '/api/v1/datasets', 'adminA', datasetBody({ organisation: 'boras' })), 403, FORBIDDEN, /not an administrator of organisation boras/);
  });

  it('refuses anonymous callers with 401 and WWW-Authenticate', async () => {
    const res = await call('post', '/api/v1/datasets', 'anonymous', datasetBody({ organisation: 'goteborg' }));
    expectProblem(res, 401, UNAUTHORIZED);
    expect(res.headers['www-authenticate']).toMatch(/^Bearer realm=.*ApiKey realm=/);
  });
});

describe('datasets: reading', () => {
  it('shows anonymous callers only open datasets', async () => {
    const res = await call('get', '/api/v1/datasets', 'anonymous').expect(200);
    expect(ids(res.body)).toContain(shared.open);
    expect(ids(res.body)).not.toContain(shared.k1);
    expect(ids(res.body)).not.toContain(shared.k2);
    expect(res.body.every((d: Record<string, unknown>) => d.accessRights === 'PUBLIC')).toBe(true);
    expect(res.headers['x-total-count']).toBe(String(res.body.length));
  });

  it('shows members of the owning organisation its K2 dataset, and members of others not', async () => {
    const own = await call('get', '/api/v1/datasets?organisation=goteborg', 'memberA').expect(200);
    expect(ids(own.body)).toEqual(expect.arrayContaining([shared.open, shared.k1, shared.k2]));
    expect(own.headers['x-total-count']).toBe(String(own.body.length));
    const other = await call('get', '/api/v1/datasets?organisation=goteborg', 'memberB').expect(200);
    expect(ids(other.body)).toEqual(expect.arrayContaining([shared.open, shared.k1]));
    expect(ids(other.body)).not.toContain(shared.k2);
  });

  it('counts every match in X-Total-Count, whatever the page', async () => {
    const all = await call('get', '/api/v1/datasets?organisation=goteborg', 'memberA').expect(200);
    const total = all.headers['x-total-count'];
    const first = await call('get', '/api/v1/datasets?organisation=goteborg&limit=1', 'memberA').expect(200);
    expect(first.body).toHaveLength(1);
    expect(first.headers['x-total-count']).toBe(total);
    const beyond = await call('get', `/api/v1/datasets?organisation=goteborg&offset=${total}`, 'memberA').expect(200);
    expect(beyond.body).toEqual([]);
    expect(beyond.headers['x-total-count']).toBe(total);
  });

  it('lets browsers read X-Total-Count (CORS)', async () => {
    const res = await call('get', '/api/v1/datasets', { origin: 'https://portal.example' }).expect(200);
    expect(res.headers['access-control-expose-headers']?.toLowerCase()).toContain('x-total-count');
  });

  it('answers 404 for a dataset the caller may not see, as for one that does not exist', async () => {
    expectProblem(await call('get', `/api/v1/datasets/${shared.k2}`, 'memberB'), 404, 'ResourceNotFound');
    expectProblem(await call('get', `/api/v1/datasets/${shared.k2}`, 'anonymous'), 404, 'ResourceNotFound');
    expectProblem(await call('get', '/api/v1/datasets/00000000-0000-4000-8000-000000000000', 'memberA'), 404, 'ResourceNotFound');
    await call('get', `/api/v1/datasets/${shared.k2}`, 'memberA').expect(200);
  });
});

describe('datasets: changing and retiring', () => {
  it('changes the classification and audits it with from and to', async () => {
    const { id, created } = await createDataset({ classification: classification(1) });
    const res = await call('patch', `/api/v1/datasets/${id}`, 'adminA', { classification: { confidentiality: 2, integrity: 2, availability: 1 } }).expect(200);
    expect(res.body).toMatchObject({ classification: { confidentiality: 2, integrity: 2, availability: 1 }, accessRights: 'NON_PUBLIC' });
    expect(Date.parse(res.body.modified)).toBeGreaterThanOrEqual(Date.parse(created));
    const events = (await auditEvents('adminA', { event: 'dataset.classification-changed' })).filter((e) => e.target === id);
    expect(events).toHaveLength(1);
    expect(events[0]).toMatchObject({
      actor: 'admin-a',
      organisation: 'goteborg',
      details: {
        from: { confidentiality: 1, integrity: 1, availability: 1, open: false },
        to: { confidentiality: 2, integrity: 2, availability: 1, open: false },
      },
    });
    expect(events[0].at).toMatch(RFC3339_UTC);
  });

  it('clears an optional field given as null and keeps the rest', async () => {
    const { id } = await createDataset({ licence: 'https://creativecommons.org/licenses/by/4.0/', retentionPeriod: 'P5Y' });
    const res = await call('patch', `/api/v1/datasets/${id}`, 'adminA', { licence: null }).expect(200);
    expect(res.body).not.toHaveProperty('licence');
    expect(res.body.retentionPeriod).toBe('P5Y');
    expect((await call('get', `/api/v1/datasets/${id}`, 'adminA').expect(200)).body).not.toHaveProperty('licence');
  });

  it('refuses changes by writers (403), by other organisations (404) and that make a dataset inconsistent (400)', async () => {
    expectProblem(await call('patch', `/api/v1/datasets/${shared.k1}`, 'writerA', { themes: ['TRAN'] }), 403, FORBIDDEN);
    expectProblem(await call('patch', `/api/v1/datasets/${shared.k2}`, 'adminB', { themes: ['TRAN'] }), 404, 'ResourceNotFound');
    expectProblem(await call('patch', `/api/v1/datasets/${shared.k2}`, 'adminA', { open: true }), 400, 'BadRequestData', /only K0/);
  });

  it('retires on DELETE: status retired, retiredAt set, no longer listed by default', async () => {
    const { id } = await createDataset();
    await call('delete', `/api/v1/datasets/${id}`, 'adminA').expect(204);
    const res = await call('get', `/api/v1/datasets/${id}`, 'adminA').expect(200);
    expect(res.body).toMatchObject({ status: 'retired', retiredAt: expect.stringMatching(RFC3339_UTC) });
    expect(ids((await call('get', '/api/v1/datasets', 'adminA').expect(200)).body)).not.toContain(id);
    expect(ids((await call('get', '/api/v1/datasets?includeRetired=true', 'adminA').expect(200)).body)).toContain(id);
    expect((await auditEvents('adminA', { event: 'dataset.retired' })).map((e) => e.target)).toContain(id);
  });

  it("refuses to retire an organisation's default dataset", async () => {
    // An entity no dataset rule claims lands in (and creates) the organisation's default dataset.
    await request(t.http)
      .post('/ngsi-ld/v1/entities')
      .set({ ...as.adminA, 'content-type': 'application/json' })
      .send(JSON.stringify({ id: 'urn:ngsi-ld:Unclaimed:1', type: 'Unclaimed' }))
      .expect(201);
    const list = await call('get', '/api/v1/datasets?organisation=goteborg', 'adminA').expect(200);
    const fallback = list.body.find((d: Record<string, unknown>) => d.isDefault);
    expect(fallback).toMatchObject({ classification: { confidentiality: 2 }, accessRights: 'NON_PUBLIC' });
    expectProblem(await call('delete', `/api/v1/datasets/${fallback.id}`, 'adminA'), 400, 'BadRequestData', /default dataset cannot be retired/);
    expect((await call('get', `/api/v1/datasets/${fallback.id}`, 'adminA').expect(200)).body.status).toBe('active');
  });
});

describe('grants', () => {
  const grants = () => `/api/v1/datasets/${shared.k2}/grants`;

  it('grants organisation boras read access to a K2 dataset, lists and revokes it, audited', async () => {
    const created = await call('post', grants(), 'adminA', { organisation: 'boras' }).expect(201);
    expect(created.body).toMatchObject({ dataset: shared.k2, organisation: 'boras', status: 'active', createdBy: 'admin-a' });
    expect(created.body.created).toMatch(RFC3339_UTC);
    expect(created.headers.location).toBe(`${grants()}/${created.body.id}`);
    const again = await call('post', grants(), 'adminA', { organisation: 'boras' }).expect(200);
    expect(again.body.id).toBe(created.body.id);

    expect(ids((await call('get', grants(), 'adminA').expect(200)).body)).toEqual([created.body.id]);
    await call('get', `/api/v1/datasets/${shared.k2}`, 'memberB').expect(200);

    await call('delete', `${grants()}/${created.body.id}`, 'adminA').expect(204);
    expect((await call('get', grants(), 'adminA').expect(200)).body).toEqual([]);
    const revoked = await call('get', `${grants()}?includeRevoked=true`, 'adminA').expect(200);
    expect(revoked.body).toEqual([expect.objectContaining({ id: created.body.id, status: 'revoked', revoked: expect.stringMatching(RFC3339_UTC) })]);
    expectProblem(await call('get', `/api/v1/datasets/${shared.k2}`, 'memberB'), 404, 'ResourceNotFound');

    const audit = (await auditEvents('adminA')).filter((e) => e.details.grant === created.body.id);
    expect(audit.map((e) => e.event)).toEqual(['grant.created', 'grant.revoked']);
    expect(audit[0]).toMatchObject({ target: shared.k2, organisation: 'goteborg', details: { organisation: 'boras', confidentiality: 2 } });
  });

  it('refuses grants by members who are not admins, and by admins of other organisations', async () => {
    expectProblem(await call('post', grants(), 'memberA', { organisation: 'boras' }), 403, FORBIDDEN);
    expectProblem(await call('post', `/api/v1/datasets/${shared.k1}/grants`, 'adminB', { organisation: 'boras' }), 403, FORBIDDEN);
    expectProblem(await call('post', grants(), 'adminA', { organisation: 'boras', principal: 'x' }), 400, 'BadRequestData');
  });
});

describe('API keys', () => {
  const issue = (body: object, who: Caller = 'adminA') => call('post', '/api/v1/api-keys', who, body);

  it('issues a key to an org admin with MFA, shown once and not cached, that works as X-API-Key', async () => {
    const res = await issue({ name: 'Dashboard' }).expect(201);
    expect(res.headers['cache-control']).toBe('no-store');
    expect(res.headers.location).toBe(`/api/v1/api-keys/${res.body.id}`);
    expect(res.body.key).toMatch(/^vgds_[0-9a-f]{32}_/);
    expect(res.body).toMatchObject({ organisation: 'goteborg', read: true, write: false, roles: [], status: 'active', createdBy: 'admin-a' });
    const me = await call('get', '/api/v1/me', { 'x-api-key': res.body.key }).expect(200);
    expect(me.body).toMatchObject({ kind: 'api-key', subject: `api-key:${res.body.id}`, organisation: 'goteborg', mfa: false, apiKey: { id: res.body.id, read: true, write: false } });
    expect(me.body.readableDatasets).toEqual(expect.arrayContaining([shared.open, shared.k1, shared.k2]));
  });

  it('takes the same key sent twice, and says so when two different keys are sent', async () => {
    const first = (await issue({ name: 'Alias default' }).expect(201)).body.key as string;
    const second = (await issue({ name: 'Own key' }).expect(201)).body.key as string;
    // A shell alias adding X-API-Key to commands that send their own (the README once did).
    // superagent sends an array as repeated headers; its types only admit that for Cookie.
    const repeated = (...keys: string[]) => keys as unknown as string;
    await request(t.http).get('/api/v1/me').set('x-api-key', repeated(first, first)).expect(200);
    await request(t.http).get('/api/v1/me').set({ 'x-api-key': first, authorization: `ApiKey ${first}` }).expect(200);
    expectProblem(await request(t.http).get('/api/v1/me').set('x-api-key', repeated(first, second)), 401, UNAUTHORIZED, /^Two different API keys were sent \(in X-API-Key\); send one$/);
    const mixed = await request(t.http).get('/api/v1/me').set({ 'x-api-key': first, authorization: `ApiKey ${second}` });
    expectProblem(mixed, 401, UNAUTHORIZED, /Two different API keys were sent \(in X-API-Key and Authorization\)/);
  });

  it('keeps admin keys for platform admins', async () => {
    expectProblem(await issue({ name: 'Admin robot', roles: ['admin'] }), 403, FORBIDDEN, /Only platform administrators/);
    expectProblem(await issue({ name: 'Robot' }, 'adminANoMfa'), 403, FORBIDDEN, /multi-factor/);
    const res = await issue({ name: 'Admin robot', organisation: 'goteborg', roles: ['admin'] }, 'platform').expect(201);
    // Keys cannot prove MFA, and need not: an admin key administers its organisation.
    await call('post', '/api/v1/datasets', { 'x-api-key': res.body.key }, datasetBody()).expect(201);
  });

  it('stops a revoked key with the next request', async () => {
    const { id, key } = (await issue({ name: 'Short-lived' }).expect(201)).body;
    await call('get', '/api/v1/me', { 'x-api-key': key }).expect(200);
    await call('delete', `/api/v1/api-keys/${id}`, 'adminA').expect(204);
    expectProblem(await call('get', '/api/v1/me', { 'x-api-key': key }), 401, UNAUTHORIZED, /revoked/);
    expect((await call('get', `/api/v1/api-keys/${id}`, 'adminA').expect(200)).body).toMatchObject({ status: 'revoked', revokedAt: expect.stringMatching(RFC3339_UTC) });
  });

  it('refuses expired and garbage keys with 401, and audits authentication.failed', async () => {
    const { id, key } = (await issue({ name: 'Expiring', expiresAt: new Date(Date.now() + 1500).toISOString() }).expect(201)).body;
    await sleep(1600);
    expectProblem(await call('get', '/api/v1/me', { 'x-api-key': key }), 401, UNAUTHORIZED, /expired/);
    expect((await call('get', `/api/v1/api-keys/${id}`, 'adminA').expect(200)).body.status).toBe('expired');
    const garbage = await call('get', '/api/v1/me', { 'x-api-key': 'vgds_garbage' });
    expectProblem(garbage, 401, UNAUTHORIZED, /not valid/);
    expect(garbage.headers['www-authenticate']).toBeDefined();
    const failures = await auditEvents('platform', { event: 'authentication.failed' });
    expect(failures).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ actor: 'anonymous', organisation: 'goteborg', details: expect.objectContaining({ reason: 'The API key has expired', path: '/api/v1/me' }) }),
        expect.objectContaining({ details: expect.objectContaining({ reason: 'The API key is not valid', method: 'GET', path: '/api/v1/me' }) }),
      ]),
    );
  });

  it('lists keys without their secrets or hashes', async () => {
    const res = await call('get', '/api/v1/api-keys', 'adminA').expect(200);
    expect(res.body.length).toBeGreaterThanOrEqual(4);
    expect(res.body.every((k: Record<string, unknown>) => k.organisation === 'goteborg')).toBe(true);
    const text = JSON.stringify(res.body);
    expect(text).not.toMatch(/vgds_/);
    expect(text).not.toMatch(/"(key|secret|secretHash|secret_hash|hash)"/i);
    expectProblem(await call('get', '/api/v1/api-keys', 'memberA'), 403, FORBIDDEN);
    expectProblem(await call('get', '/api/v1/api-keys?organisation=goteborg', 'adminB'), 403, FORBIDDEN);
  });
});

describe('combination rules', () => {
  it('creates a rule over two datasets, lists it and deletes it', async () => {
    const body = { name: 'Flöden med luftkvalitet', datasets: [shared.k1, shared.k2], confidentiality: 3 };
    const created = await call('post', '/api/v1/combination-rules', 'adminA', body).expect(201);
    expect(created.body).toMatchObject({ ...body, createdBy: 'admin-a', created: expect.stringMatching(RFC3339_UTC) });
    expect(created.headers.location).toBe(`/api/v1/combination-rules/${created.body.id}`);
    expect(ids((await call('get', '/api/v1/combination-rules', 'adminA').expect(200)).body)).toContain(created.body.id);
    await call('delete', `/api/v1/combination-rules/${created.body.id}`, 'adminA').expect(204);
    expect(ids((await call('get', '/api/v1/combination-rules', 'adminA').expect(200)).body)).not.toContain(created.body.id);
    expectProblem(await call('get', `/api/v1/combination-rules/${created.body.id}`, 'adminA'), 404, 'ResourceNotFound');
    const audit = (await auditEvents('adminA')).filter((e) => e.target === created.body.id);
    expect(audit.map((e) => e.event)).toEqual(['combination-rule.created', 'combination-rule.deleted']);
  });

  it('refuses fewer than two datasets, repeated ones and unknown ones with 400', async () => {
    const rule = (datasets: string[]) => call('post', '/api/v1/combination-rules', 'adminA', { name: 'x', datasets, confidentiality: 2 });
    expectProblem(await rule([shared.k1]), 400, 'BadRequestData', /at least two datasets/);
    expectProblem(await rule([shared.k1, shared.k1]), 400, 'BadRequestData', /each dataset once/);
    expectProblem(await rule([shared.k1, '00000000-0000-4000-8000-000000000000']), 400, 'BadRequestData', /No datasets/);
  });

  it('refuses anonymous callers and members who are not admins', async () => {
    expectProblem(await call('get', '/api/v1/combination-rules', 'anonymous'), 401, UNAUTHORIZED);
    const body = { name: 'x', datasets: [shared.open, shared.k1], confidentiality: 2 };
    expectProblem(await call('post', '/api/v1/combination-rules', 'memberA', body), 403, FORBIDDEN);
  });
});

describe('bearer tokens', () => {
  it.each<[string, () => Promise<string>, RegExp]>([
    ['an expired token', () => idp.token({ ...CALLERS.adminA, expiresIn: '-5m' }), /expired/],
    ['a token for another audience', () => idp.token({ ...CALLERS.adminA, audience: 'another-service' }), /"aud" claim/],
    ['a token with a forged signature', () => idp.forgedToken(CALLERS.adminA), /signature does not verify/],
    ['something that is not a JWT', async () => 'not-a-jwt', /not valid/],
  ])('refuses %s with 401', async (_name, token, detail) => {
    const res = await call('get', '/api/v1/me', { authorization: `Bearer ${await token()}` });
    expectProblem(res, 401, UNAUTHORIZED, detail);
    expect(res.headers['www-authenticate']).toMatch(/Bearer/);
  });

  it('refuses two credentials at once', async () => {
    expectProblem(await call('get', '/api/v1/me', { ...as.memberA, 'x-api-key': 'vgds_x' }), 401, UNAUTHORIZED, /one credential/);
  });

  it('shows a valid token as a user, with MFA as the token proves it', async () => {
    expect((await call('get', '/api/v1/me', 'adminA').expect(200)).body).toMatchObject({ kind: 'user', subject: 'admin-a', organisation: 'goteborg', roles: ['admin'], mfa: true });
    expect((await call('get', '/api/v1/me', 'adminANoMfa').expect(200)).body.mfa).toBe(false);
    expect((await call('get', '/api/v1/me', 'anonymous').expect(200)).body).toMatchObject({ kind: 'anonymous', roles: [], mfa: false });
  });
});

describe('audit log', () => {
  it('lets platform admins read every record, in seq order', async () => {
    const records = await auditEvents('platform');
    expect(records.length).toBeGreaterThan(10);
    const seqs = records.map((r) => Number(r.seq));
    expect(seqs).toEqual([...seqs].sort((a, b) => a - b));
    expect(records.map((r) => r.organisation)).toEqual(expect.arrayContaining(['e2e', 'goteborg', null]));
    expect(records[0]).toMatchObject({ hash: expect.stringMatching(/^[0-9a-f]{64}$/), previousHash: '0'.repeat(64) });
  });

  it('pages with after and limit, oldest first', async () => {
    const seqs = (await auditEvents('platform')).map((r) => Number(r.seq)).sort((a, b) => a - b);
    const page = await auditEvents('platform', { after: String(seqs[0]), limit: '3' });
    expect(page.map((r) => Number(r.seq))).toEqual(seqs.slice(1, 4));
  });

  it("shows an organisation's admins only its records", async () => {
    const own = await auditEvents('adminA');
    expect(own.length).toBeGreaterThan(0);
    expect(own.every((r) => r.organisation === 'goteborg')).toBe(true);
    // boras has only refusals, recorded under its organisation.
    const other = await auditEvents('adminB');
    expect(other.every((r) => r.organisation === 'boras' && r.event === 'access.refused')).toBe(true);
    // Refusals are filed with the organisation they concerned: Borås sees Göteborg's admin trying to act for Borås.
    expect(other).toContainEqual(
      expect.objectContaining({ actor: 'admin-a', details: expect.objectContaining({ caller: 'goteborg', reason: expect.stringMatching(/not an administrator of organisation boras/) }) }),
    );
    expectProblem(await call('get', '/api/v1/audit-log?organisation=goteborg', 'adminB'), 403, FORBIDDEN);
    expectProblem(await call('get', '/api/v1/audit-log', 'memberA'), 403, FORBIDDEN);
  });

  it('refuses anonymous callers with 401', async () => {
    expectProblem(await call('get', '/api/v1/audit-log', 'anonymous'), 401, UNAUTHORIZED);
    expectProblem(await call('get', '/api/v1/audit-log/verification', 'anonymous'), 401, UNAUTHORIZED);
  });

  it('verifies the whole hash chain (platform admins only)', async () => {
    const res = await call('get', '/api/v1/audit-log/verification', 'platform').expect(200);
    const { rows } = await withDatabase((db) => db.query<{ n: number }>('SELECT count(*)::int AS n FROM audit_log'));
    expect(res.body).toEqual({ valid: true, checked: rows[0].n, head: { seq: expect.stringMatching(/^\d+$/), hash: expect.stringMatching(/^[0-9a-f]{64}$/), signed: false } });
    expect(res.body.checked).toBeGreaterThan(0);
    expectProblem(await call('get', '/api/v1/audit-log/verification', 'adminA'), 403, FORBIDDEN);
  });

  it('refuses UPDATE, DELETE and TRUNCATE on audit_log in the database itself', async () => {
    await withDatabase(async (db) => {
      for (const sql of ['UPDATE audit_log SET actor = actor', 'DELETE FROM audit_log WHERE seq < 0', 'TRUNCATE audit_log']) {
        await expect(db.query(sql)).rejects.toMatchObject({ code: '42501', message: expect.stringMatching(/append-only/) });
      }
    });
  });

  it('detects a record changed behind the trigger', async () => {
    const first = await withDatabase(async (db) => {
      const { rows } = await db.query<{ seq: string }>('SELECT min(seq)::text AS seq FROM audit_log');
      await db.query(`ALTER TABLE audit_log DISABLE TRIGGER audit_log_append_only;
        UPDATE audit_log SET details = '{"tampered": true}' WHERE seq = (SELECT min(seq) FROM audit_log);
        ALTER TABLE audit_log ENABLE TRIGGER audit_log_append_only;`);
      return rows[0].seq;
    });
    const res = await call('get', '/api/v1/audit-log/verification', 'platform').expect(200);
    expect(res.body).toMatchObject({ valid: false, checked: 0, firstBrokenSeq: first, reason: expect.stringContaining('content') });
  });
});
