import * as jsonld from 'jsonld';
import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import request from 'supertest';
import { ContextDocumentLoader } from 'src/jsonld/context-document-loader';
import { IdentityProvider, startIdentityProvider } from 'test/support/identity-provider';
import { canonicalGraph, parseRdf, ParsedFormat } from 'test/support/rdf-graphs';
import { startTestApp, TestApp } from 'test/support/test-app';

/*
 * Entities as linked data: every RDF format of an entity parses (with a parser that is not the
 * writer's) to the same graph, and the faithful graph is the graph of the application/ld+json
 * answer; the simple graph is the same in every format too. Access and views are those of JSON.
 */

const ERRORS = 'https://uri.etsi.org/ngsi-ld/errors/';
const CORE = 'https://uri.etsi.org/ngsi-ld/v1/ngsi-ld-core-context-v1.9.jsonld';
const RDF_FORMATS: readonly ParsedFormat[] = ['text/turtle', 'application/n-triples', 'application/n-quads', 'application/rdf+xml'];
const LD = { 'content-type': 'application/ld+json' };
const PURPOSE = { 'vgds-purpose': 'dpv:ServiceProvision' };
const COUNTER = 'urn:ngsi-ld:PeopleCounter:ld-1';

function referenceDir(): string {
  const candidates = [process.env.VGDS_REFERENCE_DIR, resolve(__dirname, '..', '..', '..', 'shared', 'reference'), '/work/shared/reference'];
  const found = candidates.find((dir): dir is string => dir !== undefined && existsSync(join(dir, 'smart-data-models')));
  if (!found) throw new Error('No reference files (set VGDS_REFERENCE_DIR)');
  return join(found, 'smart-data-models');
}
const SDM = referenceDir();
// Device's and DeviceMeasurement's examples are refused as NGSI-LD (see data-models.e2e-spec.ts).
const MODELS = ['WeatherObserved', 'AirQualityObserved', 'WaterQualityObserved', 'WasteContainer', 'Streetlight', 'WaterConsumptionObserved', 'CrowdFlowObserved', 'Alert', 'GreenspaceRecord'];
type Example = Record<string, unknown> & { id: string; '@context': unknown };
const example = (model: string): Example => JSON.parse(readFileSync(join(SDM, model, 'example-normalized.jsonld'), 'utf8')) as Example;

/** Multi-instance attributes and a LanguageProperty, which no Smart Data Models example has. */
const multi = (context: unknown): Example => ({
  '@context': context,
  id: 'urn:ngsi-ld:WeatherObserved:ld-multi',
  type: 'WeatherObserved',
  temperature: [
    { type: 'Property', value: 4.1, observedAt: '2026-11-20T10:00:00Z', unitCode: 'CEL' },
    { type: 'Property', value: 4.3, observedAt: '2026-11-20T10:00:00Z', datasetId: 'urn:ngsi-ld:Dataset:smhi' },
  ],
  name: { type: 'LanguageProperty', languageMap: { sv: 'Väderstation Lindholmen', en: 'Lindholmen weather station' } },
  refDevice: { type: 'Relationship', object: 'urn:ngsi-ld:Device:vaisala-17' },
  location: { type: 'GeoProperty', value: { type: 'Polygon', coordinates: [[[11.94, 57.68], [11.95, 57.68], [11.95, 57.69], [11.94, 57.68]]] } },
});

let idp: IdentityProvider;
let t: TestApp;
let writer: Record<string, string>;
const auth = {} as Record<'gbgAdmin' | 'gbgWriter' | 'gbgMember' | 'borasMember', Record<string, string>>;
const written: Example[] = [];

const path = (id: string, query = '') => `/ngsi-ld/v1/entities/${encodeURIComponent(id)}${query}`;
const get = (id: string, accept: string, headers: Record<string, string> = {}, query = '') =>
  request(t.http).get(path(id, query)).set({ accept, ...headers }).buffer(true).parse((res, done) => {
    let text = '';
    res.setEncoding('utf8');
    res.on('data', (chunk: string) => (text += chunk));
    res.on('end', () => done(null, text));
  });

/**
 * An NGSI-LD answer with the core @context added when the caller's own context (Link) leaves it
 * out: NGSI-LD implies it (clause 5.5.7), a generic JSON-LD processor does not know that.
 */
function withImpliedCore(document: Record<string, unknown>): Record<string, unknown> {
  const context = [document['@context']].flat();
  if (context.some((c) => typeof c === 'string' && c.includes('ngsi-ld-core-context'))) return document;
  return { ...document, '@context': [...context, CORE] };
}

/** The canonical graph of an answer, read by a parser of its format (JSON-LD with the service's contexts). */
async function graphOf(res: request.Response, format: ParsedFormat): Promise<string> {
  const text = res.body as string;
  if (format !== 'application/ld+json') return canonicalGraph(await parseRdf(text, format));
  const loader = t.app.get(ContextDocumentLoader);
  const nQuads = (await jsonld.toRDF(withImpliedCore(JSON.parse(text) as Record<string, unknown>), { format: 'application/n-quads', documentLoader: loader.load } as jsonld.Options.ToRdf)) as unknown as string;
  return canonicalGraph(await parseRdf(nQuads, 'application/n-quads'));
}

beforeAll(async () => {
  idp = await startIdentityProvider();
  t = await startTestApp(idp.env, { caller: 'anonymous' });
  writer = { 'x-api-key': t.writer.apiKey };
  auth.gbgAdmin = await idp.bearer({ sub: 'admin-gbg', organisation: 'goteborg', roles: ['admin'], amr: ['pwd', 'otp'] });
  auth.gbgWriter = await idp.bearer({ sub: 'writer-gbg', organisation: 'goteborg', roles: ['writer'] });
  auth.gbgMember = await idp.bearer({ sub: 'member-gbg', organisation: 'goteborg' });
  auth.borasMember = await idp.bearer({ sub: 'member-boras', organisation: 'boras' });
  for (const model of MODELS) {
    const body = example(model);
    await request(t.http).post('/ngsi-ld/v1/entities').set({ ...writer, ...LD }).send(JSON.stringify(body)).expect(201);
    written.push(body);
  }
  const extra = multi(example('WeatherObserved')['@context']);
  await request(t.http).post('/ngsi-ld/v1/entities').set({ ...writer, ...LD }).send(JSON.stringify(extra)).expect(201);
  written.push(extra);

  // Göteborg's people counters: K1 pseudonymised personal data, minimised for Borås.
  const dataset = await request(t.http)
    .post('/api/v1/datasets')
    .set(auth.gbgAdmin)
    .send({
      title: { sv: 'Personräknare' },
      description: { sv: 'Antal personer per sensor' },
      entities: [{ type: 'PeopleCounter' }],
      classification: { confidentiality: 1, integrity: 1, availability: 1 },
      personalData: {
        category: 'pseudonymised',
        legalBasis: ['dpv:PublicInterest'],
        purposes: ['dpv:ServiceProvision'],
        identifyingAttributes: ['refPerson'],
        minimisation: { removeAttributes: ['deviceSerial'], locationGrid: 500, timeResolution: 'PT1H', numberPrecision: 1 },
      },
    })
    .expect(201);
  await request(t.http).post(`/api/v1/datasets/${dataset.body.id}/grants`).set(auth.gbgAdmin).send({ organisation: 'boras', view: 'minimised' }).expect(201);
  const counter = {
    id: COUNTER,
    type: 'PeopleCounter',
    peopleCount: { type: 'Property', value: 17, observedAt: '2026-11-30T10:17:23Z' },
    deviceSerial: { type: 'Property', value: 'SN-99-1234' },
    refPerson: { type: 'Relationship', object: 'urn:ngsi-ld:Person:resident-42' },
    location: { type: 'GeoProperty', value: { type: 'Point', coordinates: [11.97461, 57.70887] } },
  };
  await request(t.http).post('/ngsi-ld/v1/entities').set({ ...auth.gbgWriter, 'content-type': 'application/json' }).send(JSON.stringify(counter)).expect(201);
}, 120_000);
afterAll(async () => {
  await t?.close();
  await idp?.close();
}, 60_000);

describe('every RDF format of an entity', () => {
  it.each(MODELS.map((m, i) => [m, i] as const).concat([['multi-instance, LanguageProperty and Polygon', MODELS.length]]))(
    '%s: parses to the faithful graph, which is that of the application/ld+json answer',
    async (_name, index) => {
      const { id } = written[index];
      const answer = await get(id, 'application/ld+json').expect(200);
      expect(answer.headers['content-type']).toMatch(/^application\/ld\+json/);
      const reference = await graphOf(answer, 'application/ld+json');
      expect(reference.split('\n').length).toBeGreaterThan(5);
      for (const format of RDF_FORMATS) {
        const res = await get(id, format).expect(200);
        expect(res.headers['content-type']).toBe(`${format}; charset=utf-8`);
        expect(res.headers.vary).toMatch(/Accept/);
        expect(await graphOf(res, format)).toBe(reference);
      }
    },
  );

  it.each(MODELS.map((m, i) => [m, i] as const).concat([['multi-instance, LanguageProperty and Polygon', MODELS.length]]))(
    '%s: parses to the same simple graph in every format, JSON-LD included',
    async (_name, index) => {
      const { id } = written[index];
      const reference = await graphOf(await get(id, 'text/turtle', {}, '?shape=simple').expect(200), 'text/turtle');
      for (const format of [...RDF_FORMATS.slice(1), 'application/ld+json' as const]) {
        const res = await get(id, format, {}, '?shape=simple').expect(200);
        expect(await graphOf(res, format)).toBe(reference);
      }
    },
  );
});

describe('access and views', () => {
  it('hides a restricted entity from an anonymous caller in RDF as in JSON', async () => {
    for (const accept of ['application/json', ...RDF_FORMATS]) {
      const res = await get(COUNTER, accept, PURPOSE).expect(404);
      expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
      expect(JSON.parse(res.body as string).type).toBe(`${ERRORS}ResourceNotFound`);
    }
    await get(COUNTER, 'text/turtle', { ...auth.gbgMember, ...PURPOSE }).expect(200);
  });

  it('gives a minimised grantee the minimised view in RDF exactly as in JSON, and says so', async () => {
    const headers = { ...auth.borasMember, ...PURPOSE };
    const answer = await get(COUNTER, 'application/ld+json', headers).expect(200);
    expect(answer.headers['vgds-view']).toBe('minimised');
    const json = JSON.parse(answer.body as string) as Record<string, unknown>;
    expect(json.refPerson).toBeUndefined();
    expect(json.deviceSerial).toBeUndefined();
    const reference = await graphOf(answer, 'application/ld+json');
    for (const format of RDF_FORMATS) {
      const res = await get(COUNTER, format, headers).expect(200);
      expect(res.headers['vgds-view']).toBe('minimised');
      expect(await graphOf(res, format)).toBe(reference);
      expect(res.body).not.toContain('resident-42');
      expect(res.body).not.toContain('SN-99-1234');
    }
    const simple = await get(COUNTER, 'text/turtle', headers, '?shape=simple').expect(200);
    expect(simple.headers['vgds-view']).toBe('minimised');
    expect(simple.body).not.toContain('resident-42');
    const full = await get(COUNTER, 'text/turtle', { ...auth.gbgMember, ...PURPOSE }, '?shape=simple').expect(200);
    expect(full.headers['vgds-view']).toBe('full');
    expect(full.body).toContain('urn:ngsi-ld:Person:resident-42');
  });

  it('reads the tenant named by NGSILD-Tenant', async () => {
    const tenant = { 'ngsild-tenant': 'linked' };
    const entity = { id: 'urn:ngsi-ld:Thing:tenant-1', type: 'Thing', size: { type: 'Property', value: 3 } };
    await request(t.http).post('/ngsi-ld/v1/entities').set({ ...writer, ...tenant, 'content-type': 'application/json' }).send(JSON.stringify(entity)).expect(201);
    const res = await get(entity.id, 'application/n-triples', { ...writer, ...tenant }).expect(200);
    expect(res.body).toContain('<urn:ngsi-ld:Thing:tenant-1> <https://uri.etsi.org/ngsi-ld/default-context/size> _:');
    await get(entity.id, 'application/n-triples', writer).expect(404);
  });
});

describe('negotiation and parameters', () => {
  const weather = () => written[0].id;

  it('keeps JSON the answer to */* and to no Accept, and says that answers vary by Accept', async () => {
    for (const accept of ['*/*', '']) {
      const res = await request(t.http).get(path(weather())).set(accept ? { accept } : {}).expect(200);
      expect(res.headers['content-type']).toMatch(/^application\/json/);
      expect(res.headers.vary).toMatch(/Accept/);
    }
    const preferred = await get(weather(), 'text/turtle;q=0.9, application/rdf+xml').expect(200);
    expect(preferred.headers['content-type']).toBe('application/rdf+xml; charset=utf-8');
  });

  it('answers 406 with a problem for a media type it does not offer', async () => {
    const res = await get(weather(), 'text/csv').expect(406);
    expect(JSON.parse(res.body as string)).toMatchObject({ type: `${ERRORS}InvalidRequest`, status: 406 });
    expect(JSON.parse(res.body as string).detail).toContain('text/turtle');
  });

  it('answers 406 for RDF/XML when an attribute IRI cannot be an XML property name, and Turtle still', async () => {
    const entity = { id: 'urn:ngsi-ld:Thing:xml-1', type: 'Thing', 'https://example.org/measure/42': { type: 'Property', value: 1 } };
    await request(t.http).post('/ngsi-ld/v1/entities').set({ ...writer, 'content-type': 'application/json' }).send(JSON.stringify(entity)).expect(201);
    const res = await get(entity.id, 'application/rdf+xml', writer).expect(406);
    expect(JSON.parse(res.body as string)).toMatchObject({ type: `${ERRORS}InvalidRequest`, status: 406 });
    expect(JSON.parse(res.body as string).detail).toContain('https://example.org/measure/42');
    await get(entity.id, 'text/turtle', writer).expect(200);
  });

  it('refuses shape for JSON answers, an unknown shape, and JSON-only representations', async () => {
    await get(weather(), 'application/json', {}, '?shape=simple').expect(400);
    await get(weather(), 'text/turtle', {}, '?shape=pretty').expect(400);
    await get(weather(), 'text/turtle', {}, '?options=keyValues').expect(400);
    await get(weather(), 'text/turtle', {}, '?lang=sv').expect(400);
  });

  it('applies attrs and sysAttrs as JSON does', async () => {
    const context = { link: `<${(written[0]['@context'] as string[])[0]}>; rel="http://www.w3.org/ns/json-ld#context"; type="application/ld+json"` };
    const query = '?attrs=temperature&options=sysAttrs';
    const reference = await graphOf(await get(weather(), 'application/ld+json', context, query).expect(200), 'application/ld+json');
    const turtle = await get(weather(), 'text/turtle', context, query).expect(200);
    expect(await graphOf(turtle, 'text/turtle')).toBe(reference);
    expect(turtle.body).toContain('ngsi-ld:createdAt');
    expect(turtle.body).not.toContain('ngsi-ld:location');
    await get(weather(), 'text/turtle', context, '?attrs=noSuchAttribute').expect(404);
  });

  it('answers a query as one graph of the page, with the paging headers of JSON', async () => {
    const res = await request(t.http)
      .get('/ngsi-ld/v1/entities?type=https://smartdatamodels.org/dataModel.Weather/WeatherObserved&limit=1&count=true')
      .set({ accept: 'text/turtle' })
      .expect(200);
    expect(res.headers['content-type']).toBe('text/turtle; charset=utf-8');
    expect(res.headers['ngsild-results-count']).toBe('2');
    expect(res.headers.link).toMatch(/rel="next"/);
    const quads = await parseRdf(res.text, 'text/turtle');
    const subjects = new Set(quads.filter((q) => q.predicate.value.endsWith('#type') && q.object.value.endsWith('/WeatherObserved')).map((q) => q.subject.value));
    expect(subjects.size).toBe(1);
  });
});
