import { Parser, Quad, Writer } from 'n3';
import { RdfXmlParser } from 'rdfxml-streaming-parser';
import request from 'supertest';
import { Sql } from 'src/database/sql';
import { IdentityProvider, startIdentityProvider } from 'test/support/identity-provider';
import { DCAT_AP_SHAPES, HVD_SHAPES, shaclViolations } from 'test/support/shacl';
import { canonicalGraph, parseRdf } from 'test/support/rdf-graphs';
import { startTestApp, TestApp } from 'test/support/test-app';

/*
 * The DCAT-AP-SE 3.0.1 catalogs (/catalog, /catalog/{organisation}) and the RDF of a dataset's URL:
 * registered organisations of every kind with open, HVD, listed-restricted, unlisted, retired and
 * unregistered datasets; the documents validate against SEMIC's DCAT-AP 3.0.1 shapes (and the HVD
 * shapes for the HVD dataset) with 0 violations, the RDF/XML parses (independent parser) to the
 * Turtle's graph, only what is meant to appear appears; then 1,000 datasets of 140 organisations.
 */

const DCAT = 'http://www.w3.org/ns/dcat#';
const DCT = 'http://purl.org/dc/terms/';
const RDF_TYPE = 'http://www.w3.org/1999/02/22-rdf-syntax-ns#type';
const CC_BY = 'http://creativecommons.org/licenses/by/4.0/';
const MFA = ['pwd', 'otp'];

let idp: IdentityProvider;
let t: TestApp;
let platform: Record<string, string>;
const ids: Record<string, string> = {};

const ORGANISATIONS = [
  { id: 'e2e', name: { sv: 'Testkommunen', en: 'Test Municipality' }, organisationNumber: '212000-0001', kind: 'municipality', homepage: 'https://test.example/', contactPoint: { name: 'Öppna data', email: 'oppnadata@test.example', phone: '+46 31-00 00 00' } },
  { id: 'vgregion', name: { sv: 'Västra Götalandsregionen' }, organisationNumber: '232100-0131', kind: 'region', contactPoint: { name: 'Regionens data', email: 'data@vgregion.example' } },
  { id: 'boras-energi', name: { sv: 'Borås Energi och Miljö AB' }, organisationNumber: '556677-8899', kind: 'municipal-company' },
  { id: 'forening', name: { sv: 'Badföreningen' }, organisationNumber: '802400-0005', kind: 'association' },
];

const classification = (confidentiality: number) => ({ confidentiality, integrity: 1, availability: 1 });

async function createDataset(organisation: string, body: Record<string, unknown>): Promise<string> {
  const res = await request(t.http)
    .post('/api/v1/datasets')
    .set(platform)
    .send({ organisation, description: { sv: 'Mätningar från sensorer', en: 'Sensor measurements' }, classification: classification(0), ...body });
  expect(res.status).toBe(201);
  return res.body.id as string;
}

async function writeEntities(dataset: string): Promise<void> {
  for (const [n, [lon, lat]] of [[12.9, 57.7], [12.95, 57.72], [13.0, 57.8]].entries()) {
    const entity = { id: `urn:ngsi-ld:WaterTemperature:bad-${n}`, type: 'WaterTemperature', location: { type: 'GeoProperty', value: { type: 'Point', coordinates: [lon, lat] } } };
    const temperature = (value: number, observedAt: string) => ({ temperature: { type: 'Property', value, observedAt } });
    await request(t.http).post('/ngsi-ld/v1/entities').set({ 'content-type': 'application/json', 'vgds-dataset': dataset }).send({ ...entity, ...temperature(18, '2026-06-01T08:00:00Z') }).expect(201);
    await request(t.http).patch(`/ngsi-ld/v1/entities/${encodeURIComponent(entity.id)}/attrs`).set('content-type', 'application/json').send(temperature(19.5, '2026-06-02T08:00:00Z')).expect(204);
  }
}

beforeAll(async () => {
  idp = await startIdentityProvider();
  t = await startTestApp(idp.env, { organisations: [] });
  platform = { authorization: `Bearer ${await idp.token({ sub: 'platform-admin', roles: ['platform-admin'], amr: MFA })}` };
  for (const organisation of ORGANISATIONS) await request(t.http).post('/api/v1/organisations').set(platform).send(organisation).expect(201);
  const open = { licence: CC_BY, themes: ['ENVI'], updateFrequency: 'HOURLY', open: true };
  ids.bathing = await createDataset('e2e', {
    ...open,
    title: { sv: 'Badvattentemperatur', en: 'Bathing water temperature' },
    keywords: { sv: ['bad', 'vattentemperatur'], en: ['bathing'] },
    contactPoint: { name: 'Miljöförvaltningen', email: 'miljo@test.example', url: 'https://test.example/miljo' },
    hvdCategory: 'http://data.europa.eu/bna/c_dd313021',
    entities: [{ type: 'WaterTemperature' }],
  });
  ids.weather = await createDataset('e2e', {
    ...open,
    title: { sv: 'Väderobservationer' },
    conformsTo: 'WeatherObserved',
    spatialCoverage: { type: 'Polygon', coordinates: [[[11.5, 57.5], [12.5, 57.5], [12.5, 58.5], [11.5, 58.5], [11.5, 57.5]]] },
  });
  ids.listed = await createDataset('e2e', { title: { sv: 'Gatubelysning' }, classification: classification(1), licence: CC_BY });
  ids.unlisted = await createDataset('e2e', { title: { sv: 'Personräknare' }, classification: classification(2) });
  ids.retired = await createDataset('e2e', { ...open, title: { sv: 'Gamla mätare' } });
  await request(t.http).delete(`/api/v1/datasets/${ids.retired}`).set(platform).expect(204);
  ids.air = await createDataset('vgregion', { ...open, licence: 'http://creativecommons.org/publicdomain/zero/1.0/', title: { sv: 'Luftkvalitet' }, spatialCoverage: 'https://sws.geonames.org/3337385/' });
  ids.waste = await createDataset('boras-energi', { ...open, title: { sv: 'Fyllnadsgrad i sopkärl' }, themes: ['ENVI', 'REGI'], updateFrequency: 'DAILY' });
  ids.club = await createDataset('forening', { open: true, title: { sv: 'Badplatser' } });
  await listInCatalog(ids.listed);
  ids.unregistered = await unregisteredOpenDataset();
  await writeEntities(ids.bathing);
}, 120_000);

afterAll(async () => {
  await t?.close();
  await idp?.close();
});

/** The owner asks for a restricted dataset's metadata to be listed (or no longer). */
async function listInCatalog(id: string, listed = true): Promise<void> {
  await request(t.http).patch(`/api/v1/datasets/${id}`).set(platform).send({ listedInCatalog: listed }).expect(200);
}

/** An open dataset of an organisation that never registered (data older than the registry): no publisher, so it is never listed. */
async function unregisteredOpenDataset(): Promise<string> {
  const { rows } = await t.app.get(Sql).query<{ id: string }>(
    `INSERT INTO dataset (id, organisation, title, description, confidentiality, integrity, availability, open)
     VALUES (gen_random_uuid(), 'okand', '{"sv": "Okänt"}', '{"sv": "Okänt"}', 0, 1, 1, true) RETURNING id`,
  );
  return rows[0].id;
}

/** A GET whose body is kept as bytes; uncompressed unless the test asks for gzip (superagent asks for it by default and inflates it silently). */
function get(path: string, accept?: string): request.Test {
  const req = request(t.http).get(path).set('accept-encoding', 'identity').buffer(true).parse((res, done) => {
    const chunks: Buffer[] = [];
    res.on('data', (chunk: Buffer) => chunks.push(chunk));
    res.on('end', () => done(null, Buffer.concat(chunks)));
  });
  return accept === undefined ? req : req.set('accept', accept);
}

const text = (res: request.Response) => (res.body as Buffer).toString('utf8');
const turtle = async (path: string): Promise<Quad[]> => new Parser().parse(text(await get(path, 'text/turtle').expect(200)));

function parseRdfXml(xml: string): Promise<Quad[]> {
  return new Promise((resolve, reject) => {
    const quads: Quad[] = [];
    new RdfXmlParser().on('data', (q: Quad) => quads.push(q)).on('error', reject).on('end', () => resolve(quads)).end(xml);
  });
}

const canonical = (quads: readonly Quad[]) => new Writer({ format: 'N-Triples' }).quadsToString([...quads]).split('\n').filter(Boolean).sort();
const subjectsOfType = (quads: readonly Quad[], type: string) => quads.filter((q) => q.predicate.value === RDF_TYPE && q.object.value === type).map((q) => q.subject.value);
const objects = (quads: readonly Quad[], subject: string, predicate: string) => quads.filter((q) => q.subject.value === subject && q.predicate.value === predicate).map((q) => q.object.value);
const datasetUri = (id: string) => `${t.config.http.publicBaseUrl}/api/v1/datasets/${id}`;

async function expectValid(quads: readonly Quad[], shapes: readonly string[]): Promise<void> {
  const violations = await shaclViolations(quads, shapes);
  if (violations.length > 0) throw new Error(`${violations.length} SHACL violations:\n${violations.join('\n')}`);
}

describe('GET /catalog', () => {
  it('validates against the DCAT-AP 3.0.1 shapes with 0 violations', async () => {
    const quads = await turtle('/catalog');
    expect(subjectsOfType(quads, `${DCAT}Dataset`).length).toBe(7);
    await expectValid(quads, DCAT_AP_SHAPES);
  });

  it('lists open and listed datasets of registered organisations only: not unlisted, retired or unregistered ones', async () => {
    const quads = await turtle('/catalog');
    const listed = subjectsOfType(quads, `${DCAT}Dataset`);
    expect(listed.sort()).toEqual([t.writer.datasetId, ids.bathing, ids.weather, ids.listed, ids.air, ids.waste, ids.club].map(datasetUri).sort());
    const base = t.config.http.publicBaseUrl;
    expect(objects(quads, `${base}/catalog`, `${DCT}hasPart`).sort()).toEqual(['boras-energi', 'e2e', 'forening', 'vgregion'].map((o) => `${base}/catalog/${o}`));
    expect(objects(quads, `${base}/catalog`, `${DCT}license`)).toEqual(['http://creativecommons.org/publicdomain/zero/1.0/']);
  });

  it('gives the listed restricted dataset no download, and marks it RESTRICTED', async () => {
    const quads = await turtle('/catalog');
    const uri = datasetUri(ids.listed);
    expect(objects(quads, uri, `${DCT}accessRights`)).toEqual(['http://publications.europa.eu/resource/authority/access-right/RESTRICTED']);
    const distributions = objects(quads, uri, `${DCAT}distribution`);
    expect(distributions.sort()).toEqual([`${uri}#distribution-graphql`, `${uri}#distribution-ngsi-ld`]);
    expect(distributions.flatMap((d) => objects(quads, d, `${DCAT}downloadURL`))).toEqual([]);
  });

  it('has no blank nodes, and a typed publisher distinct from every contact point', async () => {
    const quads = await turtle('/catalog');
    expect(quads.filter((q) => q.subject.termType === 'BlankNode' || q.object.termType === 'BlankNode')).toEqual([]);
    const publishers = [...new Set(quads.filter((q) => q.predicate.value === `${DCT}publisher`).map((q) => q.object.value))];
    expect(publishers.sort()).toEqual(['2120000001', '2321000131', '5566778899', '8024000005'].map((n) => `http://dataportal.se/organisation/SE${n}`));
    for (const publisher of publishers) expect(objects(quads, publisher, `${DCT}type`)).toHaveLength(1);
    const contacts = new Set(quads.filter((q) => q.predicate.value === `${DCAT}contactPoint`).map((q) => q.object.value));
    expect(publishers.filter((p) => contacts.has(p))).toEqual([]);
  });

  it('states the facts of the data: bounding box, first and last observation, entity count', async () => {
    const quads = await turtle('/catalog/e2e');
    const uri = datasetUri(ids.bathing);
    expect(objects(quads, `${uri}#spatial`, `${DCAT}bbox`)).toEqual(['POLYGON((12.9 57.7,12.9 57.8,13 57.8,13 57.7,12.9 57.7))']);
    expect(objects(quads, `${uri}#temporal`, `${DCAT}startDate`)).toEqual(['2026-06-01T08:00:00.000Z']);
    expect(objects(quads, `${uri}#temporal`, `${DCAT}endDate`)).toEqual(['2026-06-02T08:00:00.000Z']);
    expect(objects(quads, uri, 'https://w3id.org/vg-datashare/vocab#entityCount')).toEqual(['3']);
    expect(objects(quads, uri, 'https://w3id.org/vg-datashare/vocab#measuredUpdateInterval')).toHaveLength(1);
    expect(objects(quads, `${datasetUri(ids.weather)}#spatial`, `${DCAT}bbox`)).toEqual(['POLYGON((11.5 57.5,11.5 58.5,12.5 58.5,12.5 57.5,11.5 57.5))']);
  });

  it('is RDF/XML by default and for */*, the same graph as the Turtle (parsed back by rdfxml-streaming-parser)', async () => {
    const res = await get('/catalog').expect(200);
    expect(res.headers['content-type']).toBe('application/rdf+xml; charset=utf-8');
    expect((await get('/catalog', '*/*').expect(200)).headers['content-type']).toBe('application/rdf+xml; charset=utf-8');
    const fromXml = await parseRdfXml(text(res));
    expect(canonical(fromXml)).toEqual(canonical(await turtle('/catalog')));
  });

  it('offers N-Triples and JSON-LD, and answers 406 for other media types', async () => {
    const nt = await get('/catalog', 'application/n-triples').expect(200);
    expect(canonical(new Parser({ format: 'N-Triples' }).parse(text(nt)))).toEqual(canonical(await turtle('/catalog')));
    const jsonld = await get('/catalog', 'application/ld+json').expect(200);
    expect(await canonicalGraph(await parseRdf(text(jsonld), 'application/ld+json'))).toBe(await canonicalGraph(await turtle('/catalog')));
    const refused = await request(t.http).get('/catalog').set('accept', 'text/html').expect(406);
    expect(refused.headers['content-type']).toMatch(/^application\/problem\+json/);
  });

  it('answers 304 to If-None-Match and If-Modified-Since, gzips, and is open to other origins', async () => {
    const first = await get('/catalog').set('origin', 'https://www.dataportal.se').expect(200);
    expect(first.headers['access-control-allow-origin']).toBe('*');
    expect(first.headers.etag).toMatch(/^W\/"/);
    await request(t.http).get('/catalog').set('if-none-match', first.headers.etag).expect(304);
    await request(t.http).get('/catalog').set('if-modified-since', first.headers['last-modified']).expect(304);
    const zipped = await get('/catalog').set('accept-encoding', 'gzip').expect(200);
    expect(zipped.headers['content-encoding']).toBe('gzip');
    expect(zipped.headers['content-length']).not.toBe(first.headers['content-length']);
    expect(text(zipped)).toBe(text(first)); // superagent inflated it
  });

  it('serves the OpenAPI document its data services name, open to other origins', async () => {
    const res = await request(t.http).get('/openapi.json').set('origin', 'https://www.dataportal.se').expect(200);
    expect(res.headers['access-control-allow-origin']).toBe('*');
  });

  it('drops a dataset as soon as its owner stops listing it', async () => {
    await listInCatalog(ids.listed, false);
    expect(subjectsOfType(await turtle('/catalog'), `${DCAT}Dataset`)).not.toContain(datasetUri(ids.listed));
    await listInCatalog(ids.listed);
  });
});

describe('GET /catalog/{organisation}', () => {
  it.each(['e2e', 'vgregion', 'boras-energi', 'forening'])('validates for %s with 0 violations', async (organisation) => {
    await expectValid(await turtle(`/catalog/${organisation}`), DCAT_AP_SHAPES);
  });

  it("lists only the organisation's datasets, with its publisher", async () => {
    const quads = await turtle('/catalog/vgregion');
    expect(subjectsOfType(quads, `${DCAT}Dataset`)).toEqual([datasetUri(ids.air)]);
    expect(objects(quads, `${t.config.http.publicBaseUrl}/catalog/vgregion`, `${DCT}publisher`)).toEqual(['http://dataportal.se/organisation/SE2321000131']);
  });

  it('answers 404 for an organisation that is not registered, even with open datasets', async () => {
    const res = await request(t.http).get('/catalog/okand').expect(404);
    expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
    await request(t.http).get('/catalog/Not_An_Id').expect(404);
  });
});

describe('the dataset URL in RDF', () => {
  it('describes an HVD dataset so that it passes the HVD shapes as well', async () => {
    const quads = await turtle(`/api/v1/datasets/${ids.bathing}`);
    await expectValid(quads, DCAT_AP_SHAPES);
    await expectValid(quads, HVD_SHAPES);
  });

  it('keeps JSON the default, and hides a dataset the caller may not see (404) in RDF as in JSON', async () => {
    const json = await request(t.http).get(`/api/v1/datasets/${ids.bathing}`).expect(200);
    expect(json.headers['content-type']).toMatch(/^application\/json/);
    const hidden = await request(t.http).get(`/api/v1/datasets/${ids.unlisted}`).set({ accept: 'text/turtle', authorization: `Bearer ${await idp.token({ sub: 'someone', organisation: 'vgregion' })}` });
    expect(hidden.status).toBe(404);
    const xml = await get(`/api/v1/datasets/${ids.weather}`, 'application/rdf+xml').expect(200);
    expect(canonical(await parseRdfXml(text(xml)))).toEqual(canonical(await turtle(`/api/v1/datasets/${ids.weather}`)));
  });
});

describe('1,000 datasets of 140 organisations', () => {
  const timed = async (): Promise<[number, request.Response]> => {
    const started = performance.now();
    const res = await get('/catalog').expect(200);
    return [performance.now() - started, res];
  };

  // The first build describes and writes every dataset (~100,000 triples, 10 MB of RDF/XML); later
  // builds reuse the fragments of the datasets that did not change.
  it('serves the main catalog in RDF/XML under a second once built, and after a change', async () => {
    await seedManyDatasets(140, 1000);
    const [cold, res] = await timed();
    expect(subjectsOfType(await parseRdfXml(text(res)), `${DCAT}Dataset`).length).toBeGreaterThanOrEqual(1000);
    const cached = [(await timed())[0], (await timed())[0]];
    await request(t.http).patch(`/api/v1/datasets/${ids.weather}`).set(platform).send({ title: { sv: 'Väderobservationer, nya' } }).expect(200);
    const [changed, after] = await timed();
    expect(text(after)).toContain('Väderobservationer, nya');
    process.stdout.write(
      `GET /catalog, 1,000 datasets of 140 organisations, ${(res.body as Buffer).length} bytes: first build ${cold.toFixed(0)} ms, ` +
        `cached ${cached.map((ms) => ms.toFixed(0)).join(' / ')} ms, rebuilt after a dataset changed ${changed.toFixed(0)} ms\n`,
    );
    // JSON-LD too, written straight from the graph (flattened), not through a general compaction.
    const jsonLd = await request(t.http).get('/catalog').set('accept', 'application/ld+json').expect(200);
    expect(jsonLd.body['@graph'].filter((node: { '@type'?: string[] }) => node['@type']?.includes('dcat:Dataset')).length).toBeGreaterThanOrEqual(1000);
    expect(cold).toBeLessThan(5000);
    expect(Math.max(...cached, changed)).toBeLessThan(1000);
  }, 120_000);
});

/** Organisations with valid organisation numbers and open datasets spread over them, written directly (the API would take minutes). */
async function seedManyDatasets(organisations: number, datasets: number): Promise<void> {
  const sql = t.app.get(Sql);
  await sql.query(
    `INSERT INTO organisation (id, name_sv, organisation_number, kind, contact_name, contact_email)
     SELECT 'org-' || n, 'Organisation ' || n, '55' || lpad(n::text, 8, '0'), 'municipality', 'Data', 'data' || n || '@org.example'
     FROM generate_series(1, $1) AS n`,
    [organisations],
  );
  await sql.query(
    `INSERT INTO dataset (id, organisation, title, description, keywords, themes, licence, update_frequency, confidentiality, integrity, availability, open)
     SELECT gen_random_uuid(), 'org-' || (1 + n % $1), jsonb_build_object('sv', 'Dataset ' || n, 'en', 'Dataset ' || n), '{"sv": "Mätvärden"}',
       '{"sv": ["sensor"]}', '{ENVI}', $3, 'HOURLY', 0, 1, 1, true
     FROM generate_series(1, $2) AS n`,
    [organisations, datasets, CC_BY],
  );
}
