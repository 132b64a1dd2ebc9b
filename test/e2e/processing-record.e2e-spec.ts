import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import * as jsonld from 'jsonld';
import request from 'supertest';
import { IdentityProvider, startIdentityProvider } from 'test/support/identity-provider';
import { startTestApp, TestApp } from 'test/support/test-app';

/*
 * Records of processing (GDPR art. 30) in W3C DPV terms. Göteborg publishes a K2 dataset of
 * pseudonymised people counts and grants it to Borås; Alingsås is a member organisation that was
 * granted nothing.
 */

const DPV = 'https://w3id.org/dpv#';
const PD = 'https://w3id.org/dpv/pd#';
const VGDS = 'https://w3id.org/vg-datashare/vocab#';
const XSD = 'http://www.w3.org/2001/XMLSchema#';
const RDF_VALUE = 'http://www.w3.org/1999/02/22-rdf-syntax-ns#value';
const NOT_FOUND = 'https://uri.etsi.org/ngsi-ld/errors/ResourceNotFound';
const BORAS = 'urn:vg-datashare:organisation:boras';

let idp: IdentityProvider;
let t: TestApp;
const auth = {} as Record<'gbgAdmin' | 'gbgMember' | 'borasMember' | 'alingsasMember', Record<string, string>>;
let counters: string;
let beaches: string;

type Node = Record<string, unknown>;
const refuse = (url: string) => Promise.reject(new Error(`no fetching ${url}`));
const expand = async (document: unknown) => (await jsonld.expand(document as jsonld.JsonLdDocument, { documentLoader: refuse } as unknown as jsonld.Options.Expand)) as unknown as Node[];
const ids = (values: unknown) => ((values ?? []) as { '@id'?: string }[]).map((v) => v['@id']).filter(Boolean);
const nodes = (values: unknown) => (values ?? []) as Node[];
const processing = (id: string, headers: Record<string, string> = {}) => request(t.http).get(`/api/v1/datasets/${id}/processing`).set(headers);
const register = (organisation: string, headers: Record<string, string> = {}) => request(t.http).get(`/api/v1/organisations/${organisation}/processing`).set(headers);

async function dataset(body: Record<string, unknown>): Promise<string> {
  const res = await request(t.http)
    .post('/api/v1/datasets')
    .set(auth.gbgAdmin)
    .send({ title: { sv: 'Data', en: 'Data' }, description: { sv: 'Data' }, classification: { confidentiality: 2, integrity: 1, availability: 1 }, ...body })
    .expect(201);
  return res.body.id;
}

/** Every IRI of the vocabulary that a document uses, as a property, a type or a value. */
function vgdsTerms(value: unknown, found = new Set<string>()): Set<string> {
  if (Array.isArray(value)) value.forEach((item) => vgdsTerms(item, found));
  else if (typeof value === 'string' && value.startsWith(VGDS)) found.add(value);
  else if (typeof value === 'object' && value !== null) {
    for (const [key, member] of Object.entries(value)) {
      if (key.startsWith(VGDS)) found.add(key);
      vgdsTerms(member, found);
    }
  }
  return found;
}

/** The terms ontologies/vgds.ttl defines: each definition starts a line with its subject (n3 is not a dependency to parse it with). */
function definedTerms(): Set<string> {
  const turtle = readFileSync(join(__dirname, '..', '..', 'ontologies', 'vgds.ttl'), 'utf8');
  return new Set([...turtle.matchAll(/^vgds:([A-Za-z0-9]+)\s+a\s/gm)].map((match) => `${VGDS}${match[1]}`));
}

beforeAll(async () => {
  idp = await startIdentityProvider();
  t = await startTestApp({ ...idp.env, LOG_LEVEL: 'error' }, { caller: 'anonymous' });
  auth.gbgAdmin = await idp.bearer({ sub: 'admin-gbg', organisation: 'goteborg', roles: ['admin'], amr: ['pwd', 'otp'] });
  auth.gbgMember = await idp.bearer({ sub: 'member-gbg', organisation: 'goteborg' });
  auth.borasMember = await idp.bearer({ sub: 'member-boras', organisation: 'boras' });
  auth.alingsasMember = await idp.bearer({ sub: 'member-alingsas', organisation: 'alingsas' });
  counters = await dataset({
    entities: [{ type: 'CrowdFlowObserved' }],
    personalData: {
      category: 'pseudonymised',
      legalBasis: ['dpv:PublicInterest'],
      purposes: ['dpv:ServiceOptimisation'],
      dataCategories: ['dpv:Location'],
      identifyingAttributes: ['deviceId'],
      minimisation: { locationGrid: 250, timeResolution: 'PT15M', smallCounts: { attributes: ['peopleCount'], k: 5 } },
    },
    retentionPeriod: 'P90D',
  });
  beaches = await dataset({ classification: { confidentiality: 0, integrity: 1, availability: 1 }, open: true });
  await request(t.http).post(`/api/v1/datasets/${counters}/grants`).set(auth.gbgAdmin).send({ organisation: 'boras' }).expect(201);
  await request(t.http).post(`/api/v1/datasets/${counters}/grants`).set(auth.gbgAdmin).send({ principal: 'analyst-7' }).expect(201);
}, 60_000);
afterAll(async () => {
  await t?.close();
  await idp?.close();
}, 60_000);

describe('GET /api/v1/datasets/{id}/processing', () => {
  it('describes the processing in DPV terms: purpose, legal basis, data, storage duration, recipients, measures', async () => {
    const res = await processing(counters, auth.gbgMember).expect(200);
    expect(res.headers['content-type']).toMatch(/^application\/ld\+json/);
    const [record] = await expand(res.body);
    expect(record['@type']).toEqual([`${DPV}PersonalDataProcess`]);
    expect(ids(record[`${VGDS}dataset`])).toEqual([`${t.config.http.publicBaseUrl}/api/v1/datasets/${counters}`]);
    expect(ids(record[`${DPV}hasPurpose`])).toEqual([`${DPV}ServiceOptimisation`]);
    expect(ids(record[`${DPV}hasLegalBasis`])).toEqual([`${DPV}PublicInterest`]);
    expect(ids(record[`${DPV}hasPersonalData`])).toEqual([`${DPV}PseudonymisedData`, `${PD}Location`]);
    const [storage] = nodes(record[`${DPV}hasStorageCondition`]);
    expect(nodes(storage[`${DPV}hasDuration`])[0][RDF_VALUE]).toEqual([{ '@value': 'P90D', '@type': `${XSD}duration` }]);
    expect(ids(record[`${DPV}hasRecipient`])).toEqual([BORAS]);
    expect(JSON.stringify(res.body)).not.toContain('analyst-7');
    const measures = nodes(record[`${DPV}hasTechnicalMeasure`]);
    expect(ids(measures)).toEqual([`${DPV}Pseudonymisation`]);
    expect(measures.flatMap((m) => (m['@type'] as string[] | undefined) ?? [])).toEqual(
      [`${VGDS}AttributeRemoval`, `${VGDS}LocationCoarsening`, `${VGDS}TimeTruncation`, `${VGDS}SmallCountSuppression`],
    );
  });

  it('uses only terms that ontologies/vgds.ttl defines, and serves that vocabulary', async () => {
    const [record] = await expand((await processing(counters, auth.gbgMember).expect(200)).body);
    const used = [...vgdsTerms(record)];
    expect(used.length).toBeGreaterThan(5);
    const defined = definedTerms();
    expect(used.filter((term) => !defined.has(term))).toEqual([]);
    const vocabulary = await request(t.http).get('/ontologies/vgds.ttl').expect(200);
    expect(vocabulary.headers['content-type']).toMatch(/^text\/turtle/);
    expect(vocabulary.text).toContain('vgds:MinimisedView a vgds:View');
  });

  it('answers Turtle when asked for it', async () => {
    const res = await processing(counters, { ...auth.gbgMember, accept: 'text/turtle' }).expect(200);
    expect(res.headers['content-type']).toMatch(/^text\/turtle/);
    const graph = (await jsonld.fromRDF(res.text, { format: 'application/n-quads' })) as unknown as Node[];
    const record = graph.find((node) => node['@id'] === `${t.config.http.publicBaseUrl}/api/v1/datasets/${counters}/processing`)!;
    expect(ids(record[`${DPV}hasPurpose`])).toEqual([`${DPV}ServiceOptimisation`]);
    expect(res.text).toContain(`<${DPV}hasLegalBasis> <${DPV}PublicInterest>`);
  });

  it('refuses a representation it does not offer with a problem', async () => {
    const res = await processing(counters, { ...auth.gbgMember, accept: 'application/rdf+xml' }).expect(406);
    expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
  });

  it('shows the record to an organisation granted the dataset, and hides it from others as if absent', async () => {
    await processing(counters, auth.borasMember).expect(200);
    for (const caller of [auth.alingsasMember, {}]) {
      const res = await processing(counters, caller).expect(404);
      expect(res.body.type).toBe(NOT_FOUND);
    }
  });

  it('says of a dataset without personal data that it processes none', async () => {
    const [record] = await expand((await processing(beaches).expect(200)).body);
    expect(record['@type']).toEqual([`${DPV}NonPersonalDataProcess`]);
    expect(record[`${DPV}hasPersonalData`]).toBeUndefined();
  });
});

describe('GET /api/v1/organisations/{organisation}/processing', () => {
  const listed = async (headers: Record<string, string>, organisation = 'goteborg') => {
    const [document] = await expand((await register(organisation, headers).expect(200)).body);
    return nodes(document[`${DPV}hasProcess`]).map((node) => node['@id']);
  };
  const recordOf = (id: string) => `${t.config.http.publicBaseUrl}/api/v1/datasets/${id}/processing`;

  it("lists the organisation's datasets with personal data to its members and to organisations granted them", async () => {
    expect(await listed(auth.gbgMember)).toEqual([recordOf(counters)]);
    expect(await listed(auth.borasMember)).toEqual([recordOf(counters)]);
  });

  it('is empty for a caller who may see none of them, and for an organisation nobody knows', async () => {
    expect(await listed(auth.alingsasMember)).toEqual([]);
    expect(await listed(auth.gbgMember, 'no-such-organisation')).toEqual([]);
  });
});
