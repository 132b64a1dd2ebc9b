import { existsSync } from 'node:fs';
import { get as httpGet, IncomingHttpHeaders } from 'node:http';
import { AddressInfo, connect } from 'node:net';
import { Browser, chromium } from 'playwright-core';
import request from 'supertest';
import { startTestApp, TestApp } from 'test/support/test-app';

/*
 * Security headers on every kind of answer: data, problem details, 404s, answers Fastify's router
 * or Node's parser write before any route runs, the SSE stream, and the one page, Swagger UI,
 * which must still work under the Content-Security-Policy in a real browser.
 */

const CHROMIUM = process.env.VGDS_TEST_CHROMIUM ?? '/usr/bin/chromium';
const CHROMIUM_ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--no-first-run'];

let t: TestApp;
let base: string;
beforeAll(async () => {
  t = await startTestApp({}, { caller: 'anonymous' });
  await new Promise<void>((resolve) => t.http.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(t.http.address() as AddressInfo).port}`;
});
afterAll(async () => {
  await t?.close();
});

function expectSecurityHeaders(headers: Record<string, unknown>) {
  expect(headers['x-content-type-options']).toBe('nosniff');
  expect(headers['referrer-policy']).toBe('no-referrer');
  expect(headers['x-frame-options']).toBe('DENY');
  expect(headers['content-security-policy']).toMatch(/frame-ancestors 'none'/);
  expect(headers['content-security-policy']).toMatch(/default-src '(self|none)'/);
  expect(headers['strict-transport-security']).toBeUndefined();
}

/** The status line and headers of an answer Node's parser writes for a request it refuses. */
function rawAnswer(text: string): Promise<{ status: number; headers: Record<string, string> }> {
  return new Promise((resolve, reject) => {
    const socket = connect({ host: '127.0.0.1', port: Number(new URL(base).port) }, () => socket.write(text));
    let data = '';
    socket.on('data', (chunk: Buffer) => (data += chunk.toString()));
    socket.on('end', () => {
      const [statusLine, ...lines] = data.split('\r\n\r\n')[0].split('\r\n');
      const headers = Object.fromEntries(lines.map((l) => [l.slice(0, l.indexOf(':')).toLowerCase(), l.slice(l.indexOf(':') + 1).trim()]));
      resolve({ status: Number(statusLine.split(' ')[1]), headers });
    });
    socket.on('error', reject);
  });
}

describe('security headers', () => {
  it.each([
    ['data', '/ngsi-ld/v1/entities?type=T', 200],
    ['health', '/health', 200],
    ['a problem from a route', '/ngsi-ld/v1/entities?limit=-1', 400],
    ['a refused caller', '/api/v1/audit-log', 401],
    ['an unknown path', '/no/such/thing', 404],
    ['a malformed URL, refused by the router', '/ngsi-ld/v1/entities/urn:x:%FF', 400],
  ])('are on %s', async (_what, path, status) => {
    const res = await request(t.http).get(path);
    expect(res.status).toBe(status);
    expectSecurityHeaders(res.headers);
  });

  it('are on answers written by Node for requests it refuses', async () => {
    const res = await rawAnswer(`GET /ngsi-ld/v1/entities?type=${'a'.repeat(20_000)} HTTP/1.1\r\nHost: x\r\n\r\n`);
    expect(res.status).toBe(431);
    expectSecurityHeaders(res.headers);
    expect(res.headers['content-security-policy']).toBe("default-src 'none'; frame-ancestors 'none'");
  });

  it('are on the change feed, a stream written past Fastify', async () => {
    const headers = await new Promise<IncomingHttpHeaders>((resolve, reject) => {
      const req = httpGet(`${base}/api/v1/changes?dataset=${t.writer.datasetId}`, (res) => {
        expect(res.statusCode).toBe(200);
        resolve(res.headers);
        req.destroy();
      });
      req.on('error', (error) => (req.destroyed ? undefined : reject(error)));
    });
    expect(headers['content-type']).toMatch(/^text\/event-stream/);
    expectSecurityHeaders(headers);
  });

  it('let other origins read open data (CORS is open, so is Cross-Origin-Resource-Policy)', async () => {
    const res = await request(t.http).get('/ngsi-ld/v1/entities?type=T').set('origin', 'https://portal.example').expect(200);
    expect(res.headers['access-control-allow-origin']).toBe('*');
    expect(res.headers['cross-origin-resource-policy']).toBe('cross-origin');
  });
});

describe('Strict-Transport-Security', () => {
  it('is sent when HSTS_MAX_AGE_SECONDS is set, on routed and unrouted answers', async () => {
    const tls = await startTestApp({ HSTS_MAX_AGE_SECONDS: '31536000' }, { caller: 'anonymous' });
    try {
      expect((await request(tls.http).get('/health').expect(200)).headers['strict-transport-security']).toBe('max-age=31536000');
      expect((await request(tls.http).get('/ngsi-ld/v1/entities/urn:x:%FF').expect(400)).headers['strict-transport-security']).toBe('max-age=31536000');
    } finally {
      await tls.close();
    }
  });
});

// A developer's machine may lack Chromium (README, "Development"); CI installs it and runs this.
const describeInBrowser = existsSync(CHROMIUM) || process.env.CI ? describe : describe.skip;

describeInBrowser('Swagger UI under the Content-Security-Policy, in Chromium', () => {
  let browser: Browser;
  beforeAll(async () => {
    browser = await chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS });
  });
  afterAll(async () => {
    await browser?.close();
  });

  it('renders the operations and runs one with "Try it out", with no policy violation', async () => {
    const page = await browser.newPage();
    const violations: string[] = [];
    page.on('console', (message) => {
      if (/Content Security Policy/i.test(message.text())) violations.push(message.text());
    });
    // Reported to the console before any of the page's own scripts run (a string: this file has no DOM types).
    await page.addInitScript(
      `document.addEventListener('securitypolicyviolation', (e) => console.error('Content Security Policy violation: ' + e.violatedDirective + ' ' + e.blockedURI));`,
    );
    const answer = await page.goto(`${base}/docs`);
    expect(answer?.headers()['content-security-policy']).toMatch(/script-src 'self'/);

    const health = page.locator('.opblock-summary-get', { hasText: '/health' }).first();
    await health.waitFor({ timeout: 20_000 });
    await health.click();
    await page.getByRole('button', { name: 'Try it out' }).click();
    await page.getByRole('button', { name: 'Execute' }).click();
    await page.locator('.live-responses-table .response-col_status', { hasText: '200' }).first().waitFor({ timeout: 10_000 });
    expect(violations).toEqual([]);
    await page.close();
  });
});
