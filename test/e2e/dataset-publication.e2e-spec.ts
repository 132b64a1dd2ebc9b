import request from 'supertest';
import { IdentityProvider, startIdentityProvider } from 'test/support/identity-provider';
import { startTestApp, TestApp } from 'test/support/test-app';

/*
 * Publishing a dataset (issue 16): only a registered organisation's datasets can be open or listed
 * in the catalog, a restricted dataset's metadata is listed only when its owner asks, and a
 * High-Value Dataset tag is refused, saying what is missing, unless the dataset meets the
 * regulation's conditions. "goteborg" is registered; "nowhere-kommun" is not.
 */

const BAD_REQUEST = 'https://uri.etsi.org/ngsi-ld/errors/BadRequestData';
const NOT_REGISTERED = 'urn:vg-datashare:problem:organisation-not-registered';
const HVD_METEOROLOGICAL = 'http://data.europa.eu/bna/c_164e0bf5';
const CC_BY = 'http://creativecommons.org/licenses/by/4.0/';

let idp: IdentityProvider;
let t: TestApp;
let goteborgAdmin: Record<string, string>;
let unregisteredAdmin: Record<string, string>;

beforeAll(async () => {
  idp = await startIdentityProvider();
  t = await startTestApp(idp.env, { caller: 'anonymous', organisations: ['goteborg'] });
  goteborgAdmin = { authorization: `Bearer ${await idp.token({ sub: 'admin', organisation: 'goteborg', roles: ['admin'], amr: ['pwd', 'otp'] })}` };
  unregisteredAdmin = { authorization: `Bearer ${await idp.token({ sub: 'admin', organisation: 'nowhere-kommun', roles: ['admin'], amr: ['pwd', 'otp'] })}` };
});

afterAll(async () => {
  await t?.close();
  await idp?.close();
});

const dataset = (overrides: object = {}) => ({
  title: { sv: 'Väderobservationer', en: 'Weather observations' },
  description: { sv: 'Temperatur och vind från kommunens väderstationer.' },
  classification: { confidentiality: 0, integrity: 1, availability: 1 },
  ...overrides,
});

const create = (headers: Record<string, string>, body: object) => request(t.http).post('/api/v1/datasets').set(headers).send(body);

describe('an unregistered organisation', () => {
  it('cannot publish an open dataset, and is told to register', async () => {
    const res = await create(unregisteredAdmin, dataset({ open: true })).expect(409);
    expect(res.body).toMatchObject({ type: NOT_REGISTERED, status: 409 });
    expect(res.body.detail).toContain('nowhere-kommun');
  });

  it('cannot list a restricted dataset in the catalog either', async () => {
    const res = await create(unregisteredAdmin, dataset({ classification: { confidentiality: 1, integrity: 1, availability: 1 }, listedInCatalog: true })).expect(409);
    expect(res.body.type).toBe(NOT_REGISTERED);
  });

  it('keeps restricted, unlisted datasets, and cannot open them later', async () => {
    const created = await create(unregisteredAdmin, dataset()).expect(201);
    expect(created.body).toMatchObject({ open: false, listedInCatalog: false });
    const res = await request(t.http).patch(`/api/v1/datasets/${created.body.id}`).set(unregisteredAdmin).send({ open: true }).expect(409);
    expect(res.body.type).toBe(NOT_REGISTERED);
    const unchanged = await request(t.http).get(`/api/v1/datasets/${created.body.id}`).set(unregisteredAdmin).expect(200);
    expect(unchanged.body.open).toBe(false);
  });
});

describe('a registered organisation', () => {
  it('publishes an open dataset', async () => {
    const res = await create(goteborgAdmin, dataset({ open: true })).expect(201);
    expect(res.body).toMatchObject({ open: true, accessRights: 'PUBLIC' });
  });

  it('lists a restricted dataset in the catalog when asked, and stops when asked', async () => {
    const res = await create(goteborgAdmin, dataset({ classification: { confidentiality: 1, integrity: 1, availability: 1 }, listedInCatalog: true })).expect(201);
    expect(res.body).toMatchObject({ open: false, listedInCatalog: true, accessRights: 'RESTRICTED' });
    const changed = await request(t.http).patch(`/api/v1/datasets/${res.body.id}`).set(goteborgAdmin).send({ listedInCatalog: false }).expect(200);
    expect(changed.body.listedInCatalog).toBe(false);
  });
});

describe('the High-Value Dataset tag', () => {
  const hvd = { open: true, hvdCategory: HVD_METEOROLOGICAL, licence: CC_BY, contactPoint: { name: 'Miljöförvaltningen', email: 'miljo@goteborg.se' } };

  it('is accepted on an open dataset with CC BY 4.0 and a contact point', async () => {
    const res = await create(goteborgAdmin, dataset(hvd)).expect(201);
    expect(res.body).toMatchObject({ hvdCategory: HVD_METEOROLOGICAL, licence: CC_BY });
  });

  it('is refused on a restricted dataset without licence or contact, saying all that is missing', async () => {
    const res = await create(goteborgAdmin, dataset({ hvdCategory: HVD_METEOROLOGICAL, classification: { confidentiality: 1, integrity: 1, availability: 1 } })).expect(400);
    expect(res.body.type).toBe(BAD_REQUEST);
    expect(res.body.detail).toContain('must be open');
    expect(res.body.detail).toContain('CC BY 4.0 or freer (licence)');
    expect(res.body.detail).toContain('name a contact point (contactPoint)');
  });

  it('is refused with a licence less free than CC BY 4.0', async () => {
    const res = await create(goteborgAdmin, dataset({ ...hvd, licence: 'https://creativecommons.org/licenses/by-nc-sa/4.0/' })).expect(400);
    expect(res.body.detail).toContain('https://creativecommons.org/licenses/by-nc-sa/4.0/ is not');
  });

  it('cannot outlive its conditions: closing a tagged dataset is refused until the tag goes', async () => {
    const created = await create(goteborgAdmin, dataset(hvd)).expect(201);
    const refused = await request(t.http).patch(`/api/v1/datasets/${created.body.id}`).set(goteborgAdmin).send({ contactPoint: null }).expect(400);
    expect(refused.body.detail).toContain('contact point');
    await request(t.http).patch(`/api/v1/datasets/${created.body.id}`).set(goteborgAdmin).send({ contactPoint: null, hvdCategory: null }).expect(200);
  });
});
