import { NestFastifyApplication } from '@nestjs/platform-fastify';
import { existsSync } from 'node:fs';
import { createHash } from 'node:crypto';
import { Server } from 'node:http';
import { AddressInfo } from 'node:net';
import { Browser, chromium } from 'playwright-core';
import request from 'supertest';
import { loadConfig } from 'src/config/app-config';
import { startGraphqlLimitsApp } from 'test/support/graphql-limits-app';

/*
 * The GraphQL limits, automatic persisted queries, introspection switch, IDE and SDL through real
 * HTTP, on the limits' test schema (test/support/graphql-limits-app.ts) until the service's
 * GraphQL module takes them.
 */

const CHROMIUM = process.env.VGDS_TEST_CHROMIUM ?? '/usr/bin/chromium';
const CHROMIUM_ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--no-first-run'];
const LIMITS = { GRAPHQL_MAX_DEPTH: '5', GRAPHQL_MAX_COST: '1000', GRAPHQL_MAX_ALIASES: '3', GRAPHQL_MAX_TOKENS: '300', GRAPHQL_MAX_BATCH: '2' };

let app: NestFastifyApplication;
let http: Server;
let resolved: () => number;
beforeAll(async () => {
  ({ app, resolved } = await startGraphqlLimitsApp(loadConfig({ NODE_ENV: 'test', ...LIMITS })));
  http = app.getHttpServer() as Server;
});
afterAll(async () => {
  await app?.close();
});

const post = (body: unknown) => request(http).post('/graphql').set('content-type', 'application/json').send(body as object);

describe('GraphQL limits over HTTP', () => {
  it('runs what fits', async () => {
    const res = await post({ query: '{ hello }' }).expect(200);
    expect(res.body).toEqual({ data: { hello: 'hej' } });
  });

  it.each([
    ['QUERY_TOO_DEEP', 'query-too-deep', { query: '{ entities { edges { node { related { edges { node { id } } } } } } }' }],
    ['TOO_MANY_ALIASES', 'too-many-aliases', { query: '{ a: hello b: hello c: hello d: hello }' }],
    ['TOO_MANY_TOKENS', 'too-many-tokens', { query: `{ hello ${'__typename '.repeat(400)} }` }],
    ['QUERY_TOO_COMPLEX', 'query-too-complex', { query: 'query($n: Int) { entities(first: $n) { edges { node { id name } } } }', variables: { n: 500 } }],
  ])('refuses %s on POST with 400, its code and problem type, before any resolver', async (code, type, body) => {
    const before = resolved();
    const res = await post(body).expect(400);
    expect(res.body.data).toBeUndefined();
    expect(res.body.errors).toEqual([expect.objectContaining({ message: expect.any(String), extensions: expect.objectContaining({ code, type: `urn:vg-datashare:problem:${type}` }) })]);
    expect(resolved()).toBe(before);
  });

  it('refuses on GET alike', async () => {
    const res = await request(http)
      .get('/graphql')
      .query({ query: '{ entities(first: 900) { edges { node { id name } } } }' })
      .set('apollo-require-preflight', 'true')
      .expect(400);
    expect(res.body.errors[0]).toMatchObject({ message: expect.stringMatching(/^Query cost 3601 exceeds the limit of 1000: /), extensions: { code: 'QUERY_TOO_COMPLEX' } });
  });

  it('runs batches up to GRAPHQL_MAX_BATCH and refuses larger ones unexecuted', async () => {
    const ok = await post([{ query: '{ hello }' }, { query: '{ hello }' }]).expect(200);
    expect(ok.body).toEqual([{ data: { hello: 'hej' } }, { data: { hello: 'hej' } }]);
    const before = resolved();
    const refused = await post([{ query: '{ hello }' }, { query: '{ hello }' }, { query: '{ hello }' }]).expect(400);
    expect(refused.body.errors[0].extensions).toEqual({ code: 'TOO_MANY_OPERATIONS', type: 'urn:vg-datashare:problem:too-many-operations', limit: 2, actual: 3 });
    expect(resolved()).toBe(before);
  });

  it('never shows internals in a refusal (no stack, no http extension)', async () => {
    const res = await post({ query: '{ a: hello b: hello c: hello d: hello }' }).expect(400);
    expect(JSON.stringify(res.body)).not.toMatch(/stacktrace|"http"|at .*\.js/);
  });
});

describe('automatic persisted queries', () => {
  it('asks for the query when only its hash is known, and runs it by hash once registered', async () => {
    const query = '{ hello }';
    const persistedQuery = { version: 1, sha256Hash: createHash('sha256').update(query).digest('hex') };
    const unknown = await post({ extensions: { persistedQuery } });
    expect(unknown.body.errors[0].extensions.code).toBe('PERSISTED_QUERY_NOT_FOUND');
    expect((await post({ query, extensions: { persistedQuery } }).expect(200)).body).toEqual({ data: { hello: 'hej' } });
    expect((await post({ extensions: { persistedQuery } }).expect(200)).body).toEqual({ data: { hello: 'hej' } });
  });
});

describe('the schema as SDL', () => {
  it('is served with an ETag, and 304 for a current copy', async () => {
    const res = await request(http).get('/graphql/schema.graphql').expect(200);
    expect(res.headers['content-type']).toBe('application/graphql; charset=utf-8');
    expect(res.text).toContain('type Query {');
    expect(res.text).toContain('entities(after: String, before: String, first: Int = 20, last: Int)');
    await request(http).get('/graphql/schema.graphql').set('if-none-match', res.headers.etag).expect(304);
  });
});

describe('introspection switched off', () => {
  it('refuses __schema and hides the SDL', async () => {
    const closed = await startGraphqlLimitsApp(loadConfig({ NODE_ENV: 'test', GRAPHQL_INTROSPECTION: 'false' }));
    try {
      const server = closed.app.getHttpServer() as Server;
      const res = await request(server).post('/graphql').send({ query: '{ __schema { queryType { name } } }' }).expect(400);
      expect(res.body.errors[0].message).toMatch(/introspection is not allowed/i);
      expect((await request(server).post('/graphql').send({ query: '{ hello }' }).expect(200)).body).toEqual({ data: { hello: 'hej' } });
      await request(server).get('/graphql/schema.graphql').expect(404);
    } finally {
      await closed.app.close();
    }
  });
});

describe('the IDE', () => {
  it('is the page a browser gets at /graphql, with only local assets, each reachable and long cached', async () => {
    const page = await request(http).get('/graphql').set('accept', 'text/html').expect(200);
    expect(page.headers['content-type']).toMatch(/^text\/html/);
    expect(page.text).not.toMatch(/https?:\/\//);
    expect(page.text).not.toMatch(/<script>(?!<)/); // no inline script
    const urls = [...page.text.matchAll(/(?:src|href)="([^"]+)"/g)].map((m) => m[1]);
    expect(urls).toHaveLength(6);
    for (const url of urls) {
      expect(url).toMatch(/^\/graphql\/ide\/[a-z.-]+\?v=[\w-]+$/);
      const asset = await request(http).get(url).buffer(true).expect(200);
      expect(asset.headers['content-type']).toMatch(url.includes('.css') ? /^text\/css/ : /^text\/javascript/);
      expect(asset.headers['cache-control']).toBe('public, max-age=31536000, immutable');
    }
    await request(http).get('/graphql/ide/nothing.js').expect(404);
  });
});

// A developer's machine may lack Chromium (README, "Development"); CI installs it and runs this.
const describeInBrowser = existsSync(CHROMIUM) || process.env.CI ? describe : describe.skip;

describeInBrowser('the IDE in Chromium, under the Content-Security-Policy', () => {
  let browser: Browser;
  let base: string;
  beforeAll(async () => {
    await new Promise<void>((resolve) => http.listen(0, '127.0.0.1', resolve));
    base = `http://127.0.0.1:${(http.address() as AddressInfo).port}`;
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
    await page.keyboard.type('{ hello');
    await page.locator('.graphiql-execute-button').click();
    await page.locator('.graphiql-response', { hasText: 'hej' }).waitFor({ timeout: 10_000 });
    expect(violations).toEqual([]);
    expect(elsewhere).toEqual([]);
    await context.close();
  });
});
