import { mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { Browser, Page } from 'playwright-core';

export const CHROMIUM = process.env.VGDS_TEST_CHROMIUM ?? '/usr/bin/chromium';
export const CHROMIUM_ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--no-first-run'];
export const ARTIFACTS = join(__dirname, '..', '..', 'test-artifacts', 'explorer');
const AXE = readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8');

export interface ExplorerPage {
  readonly page: Page;
  /** Content-Security-Policy violations the page reported. */
  readonly violations: string[];
  /** Gzipped sizes of the scripts, styles and pages the page loaded from the service, by URL. */
  readonly loaded: Map<string, number>;
}

/** A page in its own context (its own storage), reporting CSP violations and what it loaded. */
export async function openPage(browser: Browser, locale = 'sv-SE'): Promise<ExplorerPage> {
  const context = await browser.newContext({ locale, viewport: { width: 1200, height: 900 } });
  const page = await context.newPage();
  const violations: string[] = [];
  const loaded = new Map<string, number>();
  page.on('console', (message) => {
    if (/Content Security Policy/i.test(message.text())) violations.push(message.text());
  });
  page.on('response', async (response) => {
    const type = response.headers()['content-type'] ?? '';
    if (!/javascript|css|html/.test(type)) return;
    const body = await response.body().catch(() => undefined);
    if (body) loaded.set(response.url(), gzipSync(body).length);
  });
  // A string: this file has no DOM types.
  await page.addInitScript(`document.addEventListener('securitypolicyviolation', (e) => console.error('Content Security Policy violation: ' + e.violatedDirective + ' ' + e.blockedURI));`);
  return { page, violations, loaded };
}

interface AxeViolation { id: string; impact: string | null; help: string; nodes: { target: string[] }[] }

/** axe-core's serious and critical violations on the page as it is now (WCAG 2.1 A and AA rules). */
export async function seriousViolations(page: Page): Promise<string[]> {
  // Evaluated over the DevTools protocol, which the page's CSP does not govern (a <script> would be refused).
  await page.evaluate(AXE);
  const violations = (await page.evaluate(
    `axe.run(document, { runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'] } }).then((r) => r.violations)`,
  )) as AxeViolation[];
  return violations.filter((v) => v.impact === 'serious' || v.impact === 'critical').map((v) => `${v.id} (${v.impact}): ${v.help} at ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`);
}

export async function screenshot(page: Page, name: string): Promise<string> {
  mkdirSync(ARTIFACTS, { recursive: true });
  const path = join(ARTIFACTS, `${name}.png`);
  await page.screenshot({ path, fullPage: true });
  return path;
}
