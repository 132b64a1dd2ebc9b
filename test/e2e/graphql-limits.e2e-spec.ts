import { existsSync } from 'node:fs';
import { createHash } from 'node:crypto';
import { AddressInfo } from 'node:net';
import { Browser, chromium } from 'playwright-core';
import request from 'supertest';
import { Sql } from 'src/database/sql';
import { EntitiesService } from 'src/ngsi-ld/entities/entities.service';
import { startTestApp, TestApp } from 'test/support/test-app';

/*
 * The GraphQL limits, automatic persisted queries, introspection switch, IDE and SDL of the
 * service's GraphQL endpoint, through real HTTP on the whole application, with small limits.
 * Anonymous callers read the open dataset the test writer fills.
 */

const CHROMIUM = process.env.VGDS_TEST_CHROMIUM ?? '/usr/bin/chromium';
const CHROMIUM_ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--no-first-run'];
const LIMITS = { GRAPHQL_MAX_DEPTH: '5', GRAPHQL_MAX_COST: '1000', GRAPHQL_MAX_ALIASES: '3', GRAPHQL_MAX_TOKENS: '300', GRAPHQL_MAX_BATCH: '2' };
const BEACH = 'urn:ngsi-ld:WaterQualityObserved:limits-beach-1';

let t: TestApp;
/** Calls of the database and of the entities service since the last `reset()`. */
let reads: { database: jest.SpyInstance; entities: jest.SpyInstance };
beforeAll(async () => {
  t = await startTestApp(LIMITS, { caller: 'anonymous' });
  await request(t.http)
    .post('/ngsi-ld/v1/entities')
    .set({ 'x-api-key': t.writer.apiKey, 'content-type': 'application/json' })
    .send({ id: BEACH, type: 'WaterQualityObserved', temperature: { type: 'Property', value: 17 } })
    .expect(201);
  reads = { database: jest.spyOn(t.app.get(Sql), 'query'), entities: jest.spyOn(t.app.get(EntitiesService), 'find') };
}, 60_000);
afterAll(async () => {
  jest.restoreAllMocks();
  await t?.close();
});
beforeEach(() => {
  reads?.database.mockClear();
  reads?.entities.mockClear();
});

const post = (body: unknown) => request(t.http).post('/graphql').set('content-type', 'application/json').send(body as object);
const ENTITIES = '{ entities(first: 5) { totalCount nodes { id } } }';
const ANSWER = { data: { entities: { totalCount: 1, nodes: [{ id: BEACH }] } } };
/**
 * Statements that read entities or their history. Others may run meanwhile: the check that the access
 * rules are current (made for every request, before its operation is parsed) and background work.
 */
const DATA = /\b(FROM|JOIN)\s+(entity|attribute_instance)\b/;
const dataQueries = () => reads.database.mock.calls.map(([text]) => String(text)).filter((text) => DATA.test(text));
const expectUnexecuted = () => {
  expect(reads.entities).not.toHaveBeenCalled();
  expect(dataQueries()).toEqual([]);
};

describe('GraphQL limits over HTTP', () => {
  it('runs what fits, reading the database', async () => {
    const res = await post({ query: ENTITIES }).expect(200);
    expect(res.body).toEqual(ANSWER);
    expect(reads.entities).toHaveBeenCalled();
    expect(dataQueries()).not.toEqual([]);
  });

  it.each([
    // datasets 1, nodes 2, entities 3, nodes 4, id 5
    ['depth', 'QUERY_TOO_DEEP', '{ datasets(first: 1) { nodes { entities(first: 1) { nodes { id } } } } }', '{ datasets(first: 1) { nodes { entities(first: 1) { nodes { dataset { id } } } } } }'],
    // 1 + 249 x (totalCount 1 + nodes (1 + id 1 + type 1)) = 997; 250 makes 1001
    ['cost', 'QUERY_TOO_COMPLEX', '{ entities(first: 249) { totalCount nodes { id type } } }', '{ entities(first: 250) { totalCount nodes { id type } } }'],
    // the pages multiply: 1 + 20 x (1 + (1 + 20 x 2)) = 841; 25 datasets make 1051
    ['cost of pages within pages', 'QUERY_TOO_COMPLEX', '{ datasets(first: 20) { nodes { entities(first: 20) { nodes { id } } } } }', '{ datasets(first: 25) { nodes { entities(first: 20) { nodes { id } } } } }'],
    ['aliases', 'TOO_MANY_ALIASES', '{ a: entities(first: 1) { totalCount } b: entities(first: 1) { totalCount } c: dataModels { name } }', '{ a: entities(first: 1) { totalCount } b: entities(first: 1) { totalCount } c: dataModels { name } d: dataModels { name } }'],
    // 9 tokens before the names, 2 after
    ['tokens', 'TOO_MANY_TOKENS', `{ entities(first: 1) { totalCount ${'__typename '.repeat(280)} } }`, `{ entities(first: 1) { totalCount ${'__typename '.repeat(400)} } }`],
  ])('%s: runs a query just within the limit, refuses one past it with 400, %s and its problem type, unexecuted', async (_limit, code, within, past) => {
    const ok = await post({ query: within }).expect(200);
    expect(ok.body.errors).toBeUndefined();
    expect(dataQueries()).not.toEqual([]);
    reads.database.mockClear();
    reads.entities.mockClear();
    const res = await post({ query: past }).expect(400);
    expect(res.body.data).toBeUndefined();
    const type = code.toLowerCase().replaceAll('_', '-');
    expect(res.body.errors).toEqual([expect.objectContaining({ message: expect.any(String), extensions: expect.objectContaining({ code, type: `urn:vg-datashare:problem:${type}` }) })]);
    expectUnexecuted();
  });

  it('refuses with variables counted: a page size given as a variable multiplies alike', async () => {
    const res = await post({ query: 'query($n: Int) { entities(first: $n) { totalCount nodes { id type } } }', variables: { n: 500 } }).expect(400);
    expect(res.body.errors[0]).toMatchObject({ message: expect.stringMatching(/^Query cost 2001 exceeds the limit of 1000: /), extensions: { code: 'QUERY_TOO_COMPLEX', limit: 1000, actual: 2001 } });
    expectUnexecuted();
  });

  it('refuses on GET alike', async () => {
    const res = await request(t.http)
      .get('/graphql')
      .query({ query: '{ entities(first: 900) { totalCount nodes { id type } } }' })
      .set('apollo-require-preflight', 'true')
      .expect(400);
    expect(res.body.errors[0]).toMatchObject({ message: expect.stringMatching(/^Query cost 3601 exceeds the limit of 1000: /), extensions: { code: 'QUERY_TOO_COMPLEX' } });
    expectUnexecuted();
  });

  it('runs batches up to GRAPHQL_MAX_BATCH and refuses larger ones unexecuted', async () => {
    const ok = await post([{ query: ENTITIES }, { query: ENTITIES }]).expect(200);
    expect(ok.body).toEqual([ANSWER, ANSWER]);
    expect(reads.entities).toHaveBeenCalled();
    reads.database.mockClear();
    reads.entities.mockClear();
    const refused = await post([{ query: ENTITIES }, { query: ENTITIES }, { query: ENTITIES }]).expect(400);
    expect(refused.body.errors[0].extensions).toEqual({ code: 'TOO_MANY_OPERATIONS', type: 'urn:vg-datashare:problem:too-many-operations', limit: 2, actual: 3 });
    expectUnexecuted();
  });

  it('never shows internals in a refusal (no stack, no http extension)', async () => {
    const res = await post({ query: '{ a: dataModels { name } b: dataModels { name } c: dataModels { name } d: dataModels { name } }' }).expect(400);
    expect(res.body.errors[0].extensions.code).toBe('TOO_MANY_ALIASES');
    expect(JSON.stringify(res.body)).not.toMatch(/stacktrace|"http"|at .*\.[jt]s/);
  });
});

describe('automatic persisted queries', () => {
  it('asks for the query when only its hash is known, and runs it by hash once registered', async () => {
    const query = '{ entities(first: 3) { totalCount nodes { id } } }';
    const persistedQuery = { version: 1, sha256Hash: createHash('sha256').update(query).digest('hex') };
    // Apollo answers 200 to an unknown hash, the request being well formed: clients send the query next.
    const unknown = await post({ extensions: { persistedQuery } }).expect(200);
    expect(unknown.body.errors[0].extensions.code).toBe('PERSISTED_QUERY_NOT_FOUND');
    expect(reads.entities).not.toHaveBeenCalled();
    const answer = { data: { entities: { totalCount: 1, nodes: [{ id: BEACH }] } } };
    expect((await post({ query, extensions: { persistedQuery } }).expect(200)).body).toEqual(answer);
    expect((await post({ extensions: { persistedQuery } }).expect(200)).body).toEqual(answer);
    expect(reads.entities).toHaveBeenCalled();
  });
});

describe('the schema as SDL', () => {
  it('is served with an ETag, and 304 for a current copy', async () => {
    const res = await request(t.http).get('/graphql/schema.graphql').expect(200);
    expect(res.headers['content-type']).toBe('application/graphql; charset=utf-8');
    expect(res.text).toContain('type Query {');
    expect(res.text).toMatch(/^\s*entities\(after: String, dataset: ID, first: Int = 20, near: NearInput, orderBy: EntityOrder = ID_ASC, q: String, scopeQ: String, type: String, within: WithinInput\): EntityConnection!$/m);
    expect(res.text).toMatch(/^\s*dataModels: \[DataModel!\]!$/m);
    expect(res.headers.etag).toMatch(/^"[^"]+"$/);
    const again = await request(t.http).get('/graphql/schema.graphql').set('if-none-match', res.headers.etag).expect(304);
    expect(again.text).toBe('');
    expect(again.headers.etag).toBe(res.headers.etag);
  });
});

describe('introspection switched off', () => {
  it('refuses __schema and hides the SDL, and still answers queries', async () => {
    const closed = await startTestApp({ GRAPHQL_INTROSPECTION: 'false' }, { caller: 'anonymous' });
    try {
      const res = await request(closed.http).post('/graphql').send({ query: '{ __schema { queryType { name } } }' }).expect(400);
      expect(res.body.errors[0].message).toMatch(/introspection is not allowed/i);
      const models = await request(closed.http).post('/graphql').send({ query: '{ dataModels { name attributes { name } } }' }).expect(200);
      expect(models.body.errors).toBeUndefined();
      expect(models.body.data.dataModels).toContainEqual(expect.objectContaining({ name: 'WaterQualityObserved', attributes: expect.arrayContaining([{ name: 'temperature' }]) }));
      await request(closed.http).get('/graphql/schema.graphql').expect(404);
    } finally {
      await closed.close();
    }
  }, 60_000);
});

describe('the IDE', () => {
  it('is the page a browser gets at /graphql, with only local assets, each reachable and long cached', async () => {
    const page = await request(t.http).get('/graphql').set('accept', 'text/html').expect(200);
    expect(page.headers['content-type']).toMatch(/^text\/html/);
    expect(page.text).not.toMatch(/https?:\/\//);
    expect(page.text).not.toMatch(/<script>(?!<)/); // no inline script
    const urls = [...page.text.matchAll(/(?:src|href)="([^"]+)"/g)].map((m) => m[1]);
    expect(urls).toHaveLength(6);
    for (const url of urls) {
      expect(url).toMatch(/^\/graphql\/ide\/[a-z.-]+\?v=[\w-]+$/);
      const asset = await request(t.http).get(url).buffer(true).expect(200);
      expect(asset.headers['content-type']).toMatch(url.includes('.css') ? /^text\/css/ : /^text\/javascript/);
      expect(asset.headers['cache-control']).toBe('public, max-age=31536000, immutable');
    }
    await request(t.http).get('/graphql/ide/nothing.js').expect(404);
  });
});

// A developer's machine may lack Chromium (README, "Development"); CI installs it and runs this.
const describeInBrowser = existsSync(CHROMIUM) || process.env.CI ? describe : describe.skip;

describeInBrowser('the IDE in Chromium, under the Content-Security-Policy', () => {
  let browser: Browser;
  let base: string;
  beforeAll(async () => {
    await new Promise<void>((resolve) => t.http.listen(0, '127.0.0.1', resolve));
    base = `http://127.0.0.1:${(t.http.address() as AddressInfo).port}`;
    browser = await chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS });
  });
  afterAll(async () => {
    await browser?.close();
  });

  it('runs a query and shows the answer, with no policy violation and no request elsewhere', async () => {
    const context = await browser.newContext();
    const page = await context.newPage();
    const violations: string[] = [];
    const elsewhere: string[] = [];
    page.on('console', (message) => {
      if (/Content Security Policy/i.test(message.text())) violations.push(message.text());
    });
    page.on('request', (req) => {
      if (!req.url().startsWith(base) && !req.url().startsWith('data:')) elsewhere.push(req.url());
    });
    await page.addInitScript(`document.addEventListener('securitypolicyviolation', (e) => console.error('Content Security Policy violation: ' + e.violatedDirective + ' ' + e.blockedURI));`);
    const answer = await page.goto(`${base}/graphql`);
    expect(answer?.headers()['content-security-policy']).toMatch(/script-src 'self'/);
    const editor = page.locator('.graphiql-query-editor .CodeMirror').first();
    await editor.waitFor({ timeout: 20_000 });
    await editor.click();
    await page.keyboard.press('Control+A');
    await page.keyboard.type('{ dataModels { name');
    await page.locator('.graphiql-execute-button').click();
    await page.locator('.graphiql-response', { hasText: 'WaterQualityObserved' }).waitFor({ timeout: 10_000 });
    expect(violations).toEqual([]);
    expect(elsewhere).toEqual([]);
    await context.close();
  }, 60_000);
});
