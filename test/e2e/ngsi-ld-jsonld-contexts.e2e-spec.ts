import request from 'supertest';
import { ContextServer, startContextServer } from 'test/support/context-server';
import { startTestApp, TestApp } from 'test/support/test-app';

/*
 * Identifiers and usage counts of /jsonldContexts (clauses 5.13.3 to 5.13.5, 6.30 of GS CIM 009
 * v1.9.1). Hosting, listing and reloading as such are in ngsi-ld-discovery.
 */

const ERRORS = 'https://uri.etsi.org/ngsi-ld/errors/';
let t: TestApp;
let contexts: ContextServer;
const link = (url: string) => `<${url}>; rel="http://www.w3.org/ns/json-ld#context"; type="application/ld+json"`;
const contextsPath = '/ngsi-ld/v1/jsonldContexts';

beforeAll(async () => {
  contexts = await startContextServer();
  t = await startTestApp({ PUBLIC_BASE_URL: 'http://datashare.test' });
}, 60_000);
afterAll(async () => {
  await t?.close();
  await contexts?.close();
}, 60_000);

async function host(context: object): Promise<{ url: string; localId: string }> {
  const res = await request(t.http).post(contextsPath).set('content-type', 'application/ld+json').send(JSON.stringify({ '@context': context })).expect(201);
  const url: string = res.headers.location;
  return { url, localId: url.split('/').pop()! };
}

async function details(url: string): Promise<{ numberOfHits: number; kind: string }> {
  const list = await request(t.http).get(`${contextsPath}?details=true`).expect(200);
  return list.body.find((entry: { URL: string }) => entry.URL === url);
}

function expectProblem(res: request.Response, status: number, type: string) {
  expect(res.status).toBe(status);
  expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
  expect(res.body.type).toBe(ERRORS + type);
}

describe('identifiers of @contexts', () => {
  const malformed = ['nonsense', 'not a url', 'cached-xyz', 'ngsi-ld-core-context'];
  const absent = ['00000000-0000-4000-8000-000000000000', 'cached-0123456789abcdef', 'ngsi-ld-core-context-v0.1', 'urn:ngsi-ld:Context:none', 'https://contexts.test/none.jsonld'];

  it.each(malformed)('answers 400 BadRequestData for %s, which names no @context, with or without reload', async (id) => {
    const path = `${contextsPath}/${encodeURIComponent(id)}`;
    expectProblem(await request(t.http).delete(`${path}?reload=true`), 400, 'BadRequestData');
    expectProblem(await request(t.http).delete(path), 400, 'BadRequestData');
    expectProblem(await request(t.http).get(path), 400, 'BadRequestData');
    expectProblem(await request(t.http).get(`${path}?details=true`), 400, 'BadRequestData');
  });

  it.each(absent)('answers 404 ResourceNotFound for %s, a well-formed identifier of no @context here, with or without reload', async (id) => {
    const path = `${contextsPath}/${encodeURIComponent(id)}`;
    expectProblem(await request(t.http).delete(`${path}?reload=true`), 404, 'ResourceNotFound');
    expectProblem(await request(t.http).delete(path), 404, 'ResourceNotFound');
    expectProblem(await request(t.http).get(path), 404, 'ResourceNotFound');
  });

  it('refuses reload=true for a hosted @context (400) and keeps it', async () => {
    const { localId } = await host({ lamp: 'https://example.org/Streetlight' });
    expectProblem(await request(t.http).delete(`${contextsPath}/${localId}?reload=true`), 400, 'BadRequestData');
    await request(t.http).get(`${contextsPath}/${localId}`).expect(200);
  });
});

describe('numberOfHits', () => {
  it('counts each request that used a hosted @context once, compiled before or not, and each time it was served', async () => {
    const { url, localId } = await host({ pump: 'https://example.org/Pump', flow: 'https://example.org/flow' });
    expect((await details(url)).numberOfHits).toBe(0);
    await request(t.http).post('/ngsi-ld/v1/entities').set('link', link(url)).send({ id: 'urn:ngsi-ld:Pump:hits', type: 'pump', flow: 3 }).expect(201);
    expect((await details(url)).numberOfHits).toBe(1);
    for (let i = 0; i < 3; i++) await request(t.http).get('/ngsi-ld/v1/entities/urn:ngsi-ld:Pump:hits').set('link', link(url)).expect(200);
    expect((await details(url)).numberOfHits).toBe(4);
    await request(t.http).get(`${contextsPath}/${localId}`).expect(200);
    expect((await details(url)).numberOfHits).toBe(5);
    // Listing and details are no use of it.
    await request(t.http).get(`${contextsPath}/${localId}?details=true`).expect(200);
    expect((await details(url)).numberOfHits).toBe(5);
  });

  it('counts uses of a cached @context, not its download nor a reload', async () => {
    const weather = contexts.url('weather.jsonld');
    await request(t.http).get('/ngsi-ld/v1/types').set('link', link(weather)).expect(200);
    const entry = await details(weather);
    expect(entry).toMatchObject({ kind: 'Cached', numberOfHits: 1 });
    await request(t.http).get('/ngsi-ld/v1/types').set('link', link(weather)).expect(200);
    expect((await details(weather)).numberOfHits).toBe(2);
    await request(t.http).delete(`${contextsPath}/${encodeURIComponent(weather)}?reload=true`).expect(204);
    expect((await details(weather)).numberOfHits).toBe(2);
  });
});
