import { existsSync, renameSync } from 'node:fs';
import { join } from 'node:path';
import { createServer, Server } from 'node:http';
import { AddressInfo } from 'node:net';
import { Browser, chromium } from 'playwright-core';
import request from 'supertest';
import { IdentityProvider, startIdentityProvider } from 'test/support/identity-provider';
import { startTestApp, TestApp } from 'test/support/test-app';
import { BEACHES, buildExplorer, ExplorerData, writeExplorerData } from 'test/support/explorer-fixtures';
import { CHROMIUM, CHROMIUM_ARGS, openPage, screenshot, seriousViolations } from 'test/support/explorer-browser';

/*
 * The web explorer (issue 17) in headless Chromium, against the service on PostgreSQL with data
 * written through the API: what a visitor finds and sees, what an owner can do, and how it is served.
 */

let idp: IdentityProvider;
let t: TestApp;
let base: string;
let data: ExplorerData;
let browser: Browser;
// A developer's machine may lack Chromium (README, "Development"); CI installs it and runs these.
const inBrowser = existsSync(CHROMIUM) || Boolean(process.env.CI);
const describeInBrowser = inBrowser ? describe : describe.skip;

beforeAll(async () => {
  buildExplorer();
  idp = await startIdentityProvider({ signIn: { sub: 'anna', organisation: 'goteborg', roles: ['admin'], amr: ['pwd', 'otp'] } });
  t = await startTestApp({ ...idp.env, EXPLORER_OIDC_CLIENT_ID: 'explorer' }, { caller: 'anonymous' });
  await new Promise<void>((resolve) => t.http.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(t.http.address() as AddressInfo).port}`;
  data = await writeExplorerData(t.http, idp);
  if (inBrowser) browser = await chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS });
}, 120_000);

afterAll(async () => {
  await browser?.close();
  await t?.close();
  await idp?.close();
});

describe('serving /explore', () => {
  it('answers the page without caching, under its CSP, for deep links too; hashed files for a year', async () => {
    const page = await request(t.http).get('/explore').expect(200).expect('content-type', /text\/html/);
    expect(page.headers['cache-control']).toBe('no-cache');
    expect(page.headers['content-security-policy']).toMatch(/script-src 'self';/);
    const deep = await request(t.http).get(`/explore/datasets/${data.openId}`).expect(200);
    expect(deep.text).toBe(page.text);
    const script = /src="(\/explore\/assets\/[^"]+\.js)"/.exec(page.text)![1];
    const asset = await request(t.http).get(script).expect(200).expect('content-type', /javascript/);
    expect(asset.headers['cache-control']).toBe('public, max-age=31536000, immutable');
    await request(t.http).get('/explore/assets/nothing-here.js').expect(404);
    const settings = await request(t.http).get('/explore/config.json').expect(200);
    expect(settings.body).toEqual({ tileUrl: null, tileAttribution: expect.any(String), oidc: { issuer: idp.issuer, clientId: 'explorer', scopes: 'openid' } });
    expect(page.headers['content-security-policy']).toContain(`connect-src 'self' ${new URL(idp.issuer).origin};`);
  });

  it('says how to build the explorer when it is not built', async () => {
    const dist = join(__dirname, '..', '..', 'web', 'dist');
    renameSync(dist, `${dist}.moved`);
    try {
      const res = await request(t.http).get('/explore/datasets/x').expect(503).expect('content-type', /problem\+json/);
      expect(res.body).toMatchObject({ type: 'urn:vg-datashare:problem:explorer-not-built', detail: expect.stringContaining('npm run build:web') });
    } finally {
      renameSync(`${dist}.moved`, dist);
    }
  });
});

describeInBrowser('a visitor', () => {
  it('finds a dataset by searching; the list loads in under 300 KB compressed, without map or chart code', async () => {
    const { page, violations, loaded } = await openPage(browser);
    await page.goto(`${base}/explore/`);
    await page.locator('.card').first().waitFor();
    await page.getByLabel('Sök').fill('badtemp');
    await page.locator('#result-count', { hasText: '1 datamängder' }).waitFor();
    expect(await page.locator('.card h2').allInnerTexts()).toEqual(['Badtemperaturer i Göteborg']);
    expect(await page.locator('.card .count').innerText()).toBe('2 entiteter');
    await page.getByLabel('Sök').fill('');
    expect(await page.locator('main').innerText()).not.toContain('Vattenmätare');
    await page.getByLabel('Datamodell').selectOption('WeatherObserved');
    expect(await page.locator('.card h2').allInnerTexts()).toEqual(['Väderstationer']);
    await page.getByLabel('Datamodell').selectOption('');
    await page.getByLabel('Tema').selectOption('ENVI');
    expect(await page.locator('.card h2').allInnerTexts()).toEqual(['Badtemperaturer i Göteborg']);

    const total = [...loaded.values()].reduce((sum, size) => sum + size, 0);
    expect([...loaded.keys()].some((url) => /map-view|chart-view|leaflet/.test(url))).toBe(false);
    expect(total).toBeLessThan(300 * 1024);
    process.stdout.write(`explorer: first load of the dataset list ${(total / 1024).toFixed(1)} KB gzipped in ${loaded.size} files\n`);
    expect(await seriousViolations(page)).toEqual([]);
    await screenshot(page, 'datasets');
    expect(violations).toEqual([]);
    await page.context().close();
  });

  it('sees the dataset\'s entities on the map where they are, and the values written in the chart', async () => {
    const { page, violations } = await openPage(browser);
    await page.goto(`${base}/explore/`);
    await page.getByRole('link', { name: 'Badtemperaturer i Göteborg' }).click();
    await page.locator('.marker-dot').nth(1).waitFor();
    const markers = await page.locator('.marker-dot').evaluateAll((nodes) =>
      nodes.map((n) => ({ id: n.getAttribute('data-entity'), lon: Number(n.getAttribute('data-lon')), lat: Number(n.getAttribute('data-lat')), box: n.getBoundingClientRect().toJSON() as { x: number; y: number } })),
    );
    for (const beach of BEACHES) expect(markers).toContainEqual(expect.objectContaining({ id: beach.id, lon: beach.lon, lat: beach.lat }));
    // Askim lies east and south of Saltholmen: so on the screen, right and below.
    const [askim, saltholmen] = BEACHES.map((b) => markers.find((m) => m.id === b.id)!.box);
    expect(askim.x).toBeGreaterThan(saltholmen.x);
    expect(askim.y).toBeGreaterThan(saltholmen.y);

    await page.locator('.chart-table tbody tr').first().waitFor({ state: 'attached' });
    const cells = await page.locator('.chart-table tbody tr').evaluateAll((rows) => rows.map((r) => [r.getAttribute('data-time'), ...[...r.querySelectorAll('td')].map((td) => td.getAttribute('data-value'))]));
    expect(cells).toEqual([[data.times[0], '17.2', '15.1'], [data.times[1], '17.6', '15.4']]);
    expect(await page.locator('.chart canvas').count()).toBeGreaterThan(0);
    // Per day, the average: the one day holds both readings of each beach.
    await page.getByLabel('Sammanställning').selectOption('P1D');
    await page.getByRole('button', { name: 'Visa' }).click();
    await page.locator('.chart-table tbody tr').nth(1).waitFor({ state: 'detached' });
    const averages = await page.locator('.chart-table tbody td').evaluateAll((tds) => tds.map((td) => Number(td.getAttribute('data-value'))));
    expect(averages.map((v) => Math.round(v * 100) / 100)).toEqual([17.4, 15.25]);
    // The popup of a marker shows the latest values.
    await page.locator(`.marker-dot[data-entity="${BEACHES[0].id}"]`).click();
    expect(await page.locator('.leaflet-popup-content').innerText()).toMatch(/temperature\s+17,6 °C/);
    expect(await page.locator('.leaflet-control-scale').count()).toBe(1);
    expect(await page.locator('#ex-sse').innerText()).toContain(`/api/v1/changes?dataset=${data.openId}`);

    expect(await seriousViolations(page)).toEqual([]);
    // docs/explorer-dataset.png (README) is a copy of this one, refreshed by hand when the page changes.
    await screenshot(page, 'dataset');
    expect(violations).toEqual([]);
    await page.context().close();
  });

  it('follows a change live: the page shows a new value without a reload', async () => {
    const { page } = await openPage(browser);
    await page.goto(`${base}/explore/datasets/${data.openId}`);
    await page.locator('#live-status', { hasText: 'Live' }).waitFor();
    await request(t.http).patch(`/ngsi-ld/v1/entities/${BEACHES[0].id}/attrs`).set('x-api-key', data.adminKey)
      .send({ temperature: { type: 'Property', value: 19.9, observedAt: new Date().toISOString(), unitCode: 'CEL' } }).expect(204);
    await page.locator(`tr[data-entity="${BEACHES[0].id}"]`, { hasText: '19,9 °C' }).waitFor({ timeout: 15_000 });
    expect(await page.locator('#live-status').innerText()).toContain('askim');
    await page.context().close();
  });

  it('opens an entity from a deep link: attributes with units and times, and its history', async () => {
    const { page, violations } = await openPage(browser, 'en-GB');
    await page.goto(`${base}/explore/entities/${encodeURIComponent(BEACHES[1].id)}`);
    await page.locator('h1', { hasText: 'saltholmen' }).waitFor();
    const row = page.locator('table.attributes tr', { hasText: 'temperature' });
    expect(await row.innerText()).toMatch(/15\.4\s+CEL/);
    await page.locator('.chart-table tbody tr').nth(1).waitFor({ state: 'attached' });
    expect(await page.getByRole('link', { name: 'Bathing water temperatures in Gothenburg' }).count()).toBe(1);
    expect(await seriousViolations(page)).toEqual([]);
    await screenshot(page, 'entity');
    expect(violations).toEqual([]);
    await page.context().close();
  });

  it('switches language, and keeps the choice', async () => {
    const { page } = await openPage(browser);
    await page.goto(`${base}/explore/`);
    await page.locator('h1', { hasText: 'Datamängder' }).waitFor();
    expect(await page.locator('html').getAttribute('lang')).toBe('sv');
    await page.locator('#lang').selectOption('en');
    await page.locator('h1', { hasText: 'Datasets' }).waitFor();
    expect(await page.locator('html').getAttribute('lang')).toBe('en');
    await page.reload();
    await page.locator('.card h2', { hasText: 'Bathing water temperatures in Gothenburg' }).waitFor();
    await page.context().close();
  });

  it('sees many entities clustered on the map', async () => {
    const { page } = await openPage(browser);
    await page.goto(`${base}/explore/datasets/${data.manyId}`);
    await page.locator('.marker-cluster').first().waitFor();
    const clustered = await page.locator('.marker-cluster span').allInnerTexts();
    expect(clustered.reduce((sum, n) => sum + Number(n), 0) + (await page.locator('.marker-dot').count())).toBe(60);
    await page.context().close();
  });

  it('never sees a restricted dataset, not even by its address', async () => {
    const { page } = await openPage(browser);
    await page.goto(`${base}/explore/datasets/${data.restrictedId}`);
    await page.locator('[role=alert]').waitFor();
    expect(await page.locator('main').innerText()).not.toContain('Vattenmätare');
    await page.context().close();
  });
});

describeInBrowser('an owner', () => {
  it('signed in with a pasted API key, issues and revokes a key, and grants a restricted dataset to another organisation', async () => {
    const { page, violations } = await openPage(browser, 'en-GB');
    await page.goto(`${base}/explore/owner`);
    await page.getByLabel('API key').fill(data.adminKey);
    await page.getByRole('button', { name: 'Use the key' }).click();
    await page.locator('#who', { hasText: 'goteborg' }).waitFor();
    const restricted = page.locator(`article[data-dataset="${data.restrictedId}"]`);
    expect(await restricted.innerText()).toContain('Water meters');

    await page.locator('#key-name').fill('browser key');
    await page.getByRole('button', { name: 'Issue a key' }).click();
    expect(await page.locator('#new-key').innerText()).toMatch(/^vgds_/);
    await page.locator('#keys tr', { hasText: 'browser key' }).waitFor();
    await page.getByRole('button', { name: 'Revoke browser key' }).click();
    await page.locator('#keys tr', { hasText: 'browser key' }).waitFor({ state: 'detached' });
    const keys = await request(t.http).get('/api/v1/api-keys').set('x-api-key', data.adminKey).expect(200);
    expect(keys.body.find((k: { name: string }) => k.name === 'browser key')).toMatchObject({ status: 'revoked' });

    await restricted.getByLabel('Grant to organisation').fill('boras');
    await restricted.getByRole('button', { name: 'Grant' }).click();
    await restricted.locator('tr', { hasText: 'boras' }).waitFor();
    const grants = await request(t.http).get(`/api/v1/datasets/${data.restrictedId}/grants`).set('x-api-key', data.adminKey).expect(200);
    expect(grants.body).toContainEqual(expect.objectContaining({ organisation: 'boras', status: 'active' }));

    expect(await page.locator('#audit-table tr', { hasText: 'dataset.created' }).count()).toBeGreaterThan(0);
    expect(await seriousViolations(page)).toEqual([]);
    await screenshot(page, 'owner');
    expect(violations).toEqual([]);
    await page.context().close();
  });

  it('signs in with the OIDC provider (authorization code with PKCE) instead', async () => {
    const { page, violations } = await openPage(browser, 'en-GB');
    await page.goto(`${base}/explore/owner`);
    await page.getByRole('button', { name: 'Sign in with OIDC' }).click();
    await page.locator('#who', { hasText: 'anna of goteborg' }).waitFor();
    expect(page.url()).toBe(`${base}/explore/owner`);
    expect(await page.locator(`article[data-dataset="${data.restrictedId}"]`).count()).toBe(1);
    expect(violations).toEqual([]);
    await page.context().close();
  });
});

describeInBrowser('a base map, when EXPLORER_TILE_URL names a tile server', () => {
  // A tile server of the test's own: one grey 1x1 PNG for every tile.
  const PNG = Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8/5+hHgAHggJ/PchI7wAAAABJRU5ErkJggg==', 'base64');
  let tiles: Server;
  let withTiles: TestApp;
  beforeAll(async () => {
    tiles = createServer((_request, response) => response.writeHead(200, { 'content-type': 'image/png' }).end(PNG));
    await new Promise<void>((resolve) => tiles.listen(0, '127.0.0.1', resolve));
    const tileUrl = `http://127.0.0.1:${(tiles.address() as AddressInfo).port}/{z}/{x}/{y}.png`;
    withTiles = await startTestApp({ EXPLORER_TILE_URL: tileUrl, EXPLORER_TILE_ATTRIBUTION: '© Test tiles' }, { caller: 'anonymous' });
    await new Promise<void>((resolve) => withTiles.http.listen(0, '127.0.0.1', resolve));
  });
  afterAll(async () => {
    await withTiles?.close();
    await new Promise((resolve) => tiles?.close(resolve));
  });

  it('draws tiles under the data, with the attribution, within the CSP', async () => {
    const { page, violations } = await openPage(browser);
    await page.goto(`http://127.0.0.1:${(withTiles.http.address() as AddressInfo).port}/explore/datasets/${withTiles.writer.datasetId}`);
    // The writer's open dataset holds no entity: the map shows the county with the base map.
    await page.locator('main h1').waitFor();
    expect(await page.locator('#map').count()).toBe(0);
    await request(withTiles.http).post('/ngsi-ld/v1/entities').set('x-api-key', withTiles.writer.apiKey)
      .send({ id: 'urn:ngsi-ld:Buoy:1', type: 'Buoy', location: { type: 'GeoProperty', value: { type: 'Point', coordinates: [11.9, 57.7] } } }).expect(201);
    await page.reload();
    await page.locator('.leaflet-tile-loaded').first().waitFor();
    expect(await page.locator('.leaflet-control-attribution').innerText()).toContain('© Test tiles');
    expect(violations).toEqual([]);
    await page.context().close();
  });
});
