import request from 'supertest';
import { IdentityProvider, startIdentityProvider, TokenClaims } from 'test/support/identity-provider';
import { startTestApp, TestApp } from 'test/support/test-app';
import { OrganisationsService } from 'src/governance/organisations/organisations.service';

/*
 * The organisation registry under /api/v1/organisations: public reads, platform administrators
 * register and change, an organisation's own admins change its contact point only. Each test
 * registers the organisations it needs under its own ids.
 */

const ERRORS = 'https://uri.etsi.org/ngsi-ld/errors/';
const UNAUTHORIZED = 'urn:vg-datashare:problem:unauthorized';
const FORBIDDEN = 'urn:vg-datashare:problem:forbidden';
const NOT_REGISTERED = 'urn:vg-datashare:problem:organisation-not-registered';
const MFA = ['pwd', 'otp'];

const CALLERS = {
  platform: { sub: 'platform-admin', roles: ['platform-admin'], amr: MFA },
  platformNoMfa: { sub: 'platform-admin', roles: ['platform-admin'], amr: ['pwd'] },
  adminA: { sub: 'admin-a', organisation: 'goteborg', roles: ['admin'], amr: MFA },
  adminANoMfa: { sub: 'admin-a', organisation: 'goteborg', roles: ['admin'], amr: ['pwd'] },
  memberA: { sub: 'member-a', organisation: 'goteborg' },
  adminB: { sub: 'admin-b', organisation: 'boras', roles: ['admin'], amr: MFA },
} satisfies Record<string, TokenClaims>;
type Caller = keyof typeof CALLERS | 'anonymous';
type Method = 'get' | 'post' | 'patch';

let idp: IdentityProvider;
let t: TestApp;
const as: Record<string, Record<string, string>> = { anonymous: {} };

function call(method: Method, path: string, who: Caller, body?: object) {
  const req = request(t.http)[method](path).set(as[who]);
  return body === undefined ? req : req.send(body);
}

function expectProblem(res: request.Response, status: number, type: string, detail?: RegExp) {
  expect(res.status).toBe(status);
  expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
  expect(res.body).toMatchObject({ type: type.includes(':') ? type : ERRORS + type, status });
  if (detail) expect(res.body.detail).toMatch(detail);
}

// Real organisation numbers with valid check digits: Göteborgs kommun, Borås kommun, Västra Götalandsregionen.
const GOTEBORG = { id: 'goteborg', name: { sv: 'Göteborgs Stad', en: 'City of Gothenburg' }, organisationNumber: '212000-1355', kind: 'municipality' };
const BORAS = { id: 'boras', name: { sv: 'Borås Stad' }, organisationNumber: '2120001561', kind: 'municipality' };
const VGR = { id: 'vgregion', name: { sv: 'Västra Götalandsregionen' }, organisationNumber: '232100-0131', kind: 'region' };

async function auditEvents(event: string): Promise<Record<string, any>[]> {
  const res = await call('get', `/api/v1/audit-log?${new URLSearchParams({ event, limit: '1000' })}`, 'platform').expect(200);
  return res.body;
}

beforeAll(async () => {
  idp = await startIdentityProvider();
  t = await startTestApp(idp.env, { caller: 'anonymous', organisations: [] });
  for (const [name, claims] of Object.entries(CALLERS)) as[name] = { authorization: `Bearer ${await idp.token(claims)}` };
  await call('post', '/api/v1/organisations', 'platform', {
    ...GOTEBORG,
    homepage: 'https://goteborg.se/',
    contactPoint: { name: 'Stadsledningskontoret', email: 'data@goteborg.example', phone: '+46 31-365 00 00' },
  }).expect(201);
});

afterAll(async () => {
  await t?.close();
  await idp?.close();
});

describe('registering', () => {
  it('answers 201 with Location, the number without hyphen, the EU publisher type and the DIGG publisher URI, and audits it', async () => {
    const res = await call('post', '/api/v1/organisations', 'platform', VGR).expect(201);
    expect(res.headers.location).toBe('/api/v1/organisations/vgregion');
    expect(res.body).toMatchObject({
      id: 'vgregion',
      name: { sv: 'Västra Götalandsregionen' },
      organisationNumber: '2321000131',
      kind: 'region',
      publisherType: 'http://purl.org/adms/publishertype/RegionalAuthority',
      publisherUri: 'http://dataportal.se/organisation/SE2321000131',
    });
    expect(res.body.href).toMatch(/\/api\/v1\/organisations\/vgregion$/);
    expect(res.body).not.toHaveProperty('contactPoint');
    const [audited] = (await auditEvents('organisation.created')).filter((r) => r.target === 'vgregion');
    expect(audited).toMatchObject({ actor: 'platform-admin', organisation: 'vgregion', details: { kind: 'region', organisationNumber: '2321000131' } });
  });

  it.each([
    ['anonymous', 401, UNAUTHORIZED],
    ['memberA', 403, FORBIDDEN],
    ['adminA', 403, FORBIDDEN],
    ['platformNoMfa', 403, FORBIDDEN],
  ] as const)('refuses %s (%i)', async (who, status, type) => {
    expectProblem(await call('post', '/api/v1/organisations', who, BORAS), status, type);
    await call('get', '/api/v1/organisations/boras', 'anonymous').expect(404);
  });

  it('refuses an organisation number whose check digit is wrong, naming it, with every other problem too', async () => {
    const res = await call('post', '/api/v1/organisations', 'platform', { ...BORAS, organisationNumber: '212000-1562', kind: 'county', colour: 'blue' });
    expectProblem(res, 400, 'BadRequestData', /organisationNumber: the check digit/);
    expect(res.body.detail).toMatch(/kind/);
    expect(res.body.detail).toMatch(/colour/);
  });

  it('refuses an id or an organisation number registered already with 409', async () => {
    expectProblem(await call('post', '/api/v1/organisations', 'platform', { ...GOTEBORG, organisationNumber: '2120001561' }), 409, 'AlreadyExists', /goteborg is already registered/);
    expectProblem(await call('post', '/api/v1/organisations', 'platform', { ...BORAS, organisationNumber: '2120001355' }), 409, 'AlreadyExists', /2120001355 is already registered/);
  });
});

describe('reading', () => {
  it('lets anyone read one organisation, and 404 an unknown one', async () => {
    const res = await call('get', '/api/v1/organisations/goteborg', 'anonymous').expect(200);
    expect(res.body).toMatchObject({
      id: 'goteborg',
      name: { sv: 'Göteborgs Stad', en: 'City of Gothenburg' },
      publisherType: 'http://purl.org/adms/publishertype/LocalAuthority',
      homepage: 'https://goteborg.se/',
      contactPoint: { name: 'Stadsledningskontoret', email: 'data@goteborg.example', phone: '+46 31-365 00 00' },
    });
    expectProblem(await call('get', '/api/v1/organisations/nowhere', 'anonymous'), 404, 'ResourceNotFound');
    expectProblem(await call('get', '/api/v1/organisations/Not%20An%20Id', 'anonymous'), 404, 'ResourceNotFound');
  });

  it('lists them by id, a page at a time, with X-Total-Count', async () => {
    await call('post', '/api/v1/organisations', 'platform', { id: 'alingsas', name: { sv: 'Alingsås kommun' }, organisationNumber: '212000-1512', kind: 'municipality' }).expect(201);
    const all = await call('get', '/api/v1/organisations', 'anonymous').expect(200);
    const ids = all.body.map((o: { id: string }) => o.id);
    expect(ids).toEqual([...ids].sort());
    expect(ids).toEqual(expect.arrayContaining(['alingsas', 'goteborg']));
    const page = await call('get', '/api/v1/organisations?limit=1&offset=1', 'memberA').expect(200);
    expect(page.body.map((o: { id: string }) => o.id)).toEqual([ids[1]]);
    expect(page.headers['x-total-count']).toBe(String(ids.length));
    expectProblem(await call('get', '/api/v1/organisations?kind=region', 'anonymous'), 400, 'BadRequestData', /kind/);
  });
});

describe('changing', () => {
  it('lets platform admins change any field, null clearing optional ones, and audits what changed', async () => {
    await call('post', '/api/v1/organisations', 'platform', { id: 'lerum-energi', name: { sv: 'Lerum Energi AB' }, organisationNumber: '556060-2145', kind: 'other', homepage: 'https://lerum.example/' }).expect(201);
    const res = await call('patch', '/api/v1/organisations/lerum-energi', 'platform', { kind: 'municipal-company', name: { sv: 'Lerum Energi AB', en: 'Lerum Energy' }, homepage: null }).expect(200);
    expect(res.body).toMatchObject({ kind: 'municipal-company', name: { en: 'Lerum Energy' }, publisherType: 'http://purl.org/adms/publishertype/Company' });
    expect(res.body).not.toHaveProperty('homepage');
    const [audited] = (await auditEvents('organisation.updated')).filter((r) => r.target === 'lerum-energi');
    expect(audited.details.changed.sort()).toEqual(['homepage', 'kind', 'name']);
  });

  it("lets an organisation's own admins change its contact point, and nothing else (403)", async () => {
    const contactPoint = { name: 'Dataenheten', email: 'dataenheten@goteborg.example' };
    const res = await call('patch', '/api/v1/organisations/goteborg', 'adminA', { contactPoint }).expect(200);
    expect(res.body.contactPoint).toEqual(contactPoint);
    expectProblem(await call('patch', '/api/v1/organisations/goteborg', 'adminA', { contactPoint, kind: 'region' }), 403, FORBIDDEN, /only its contactPoint; kind/);
    expectProblem(await call('patch', '/api/v1/organisations/goteborg', 'adminA', { name: { sv: 'Annat' } }), 403, FORBIDDEN);
    const [audited] = (await auditEvents('organisation.updated')).filter((r) => r.target === 'goteborg' && r.actor === 'admin-a');
    expect(audited.details).toEqual({ changed: ['contactPoint'] });
  });

  it.each([
    ['anonymous', 401, UNAUTHORIZED],
    ['memberA', 403, FORBIDDEN],
    ['adminANoMfa', 403, FORBIDDEN],
    ['adminB', 403, FORBIDDEN],
  ] as const)("refuses %s a change of goteborg's contact point (%i)", async (who, status, type) => {
    expectProblem(await call('patch', '/api/v1/organisations/goteborg', who, { contactPoint: { name: 'X', email: 'x@example.se' } }), status, type);
  });

  it('answers 404 for an unknown organisation, 400 for a bad number, 409 for a number of another', async () => {
    expectProblem(await call('patch', '/api/v1/organisations/nowhere', 'platform', { kind: 'other' }), 404, 'ResourceNotFound');
    expectProblem(await call('patch', '/api/v1/organisations/goteborg', 'platform', { organisationNumber: '212000-1356', id: 'x' }), 400, 'BadRequestData', /organisationNumber.*check digit.*id|id.*organisationNumber/);
    expectProblem(await call('patch', '/api/v1/organisations/goteborg', 'platform', { organisationNumber: '232100-0131' }), 409, 'AlreadyExists');
  });
});

describe('assertRegistered (for publishing in the catalog)', () => {
  it('passes a registered organisation and refuses an unregistered one, saying how to register it', async () => {
    const organisations = t.app.get(OrganisationsService);
    await expect(organisations.assertRegistered('goteborg')).resolves.toBeUndefined();
    await expect(organisations.assertRegistered('kungalv')).rejects.toMatchObject({
      type: NOT_REGISTERED,
      status: 409,
      detail: expect.stringMatching(/kungalv is not registered.*POST \/api\/v1\/organisations/),
    });
  });
});
