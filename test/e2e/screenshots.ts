// Takes the documentation screenshots (docs/screenshots/*.png, light and dark, 1440x900).
// Run after `npm run build`: node --import tsx test/e2e/screenshots.ts
import { mkdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { CHROMIUM, hasChromium, launchBrowser, newContext, signIn } from './browser.js';
import { ROOT, startServer, type VigilServer } from './server.js';

const OUT = join(ROOT, 'docs/screenshots');

async function shot(page: Page, name: string, theme: string) {
  await page.evaluate(() => (document.activeElement as HTMLElement | null)?.blur());
  await page.mouse.move(0, 0);
  const path = join(OUT, `${name}-${theme}.png`);
  await page.screenshot({ path });
  process.stderr.write(`${path} ${Math.round(statSync(path).size / 1024)} KB\n`);
}

/** Pages of the demo federation, and the GOCDB preview on a fresh registry (before anything is imported). */
async function captureFirst(browser: Browser, demo: VigilServer, fresh: VigilServer, theme: 'light' | 'dark') {
  const context = await newContext(browser, theme);
  const page = await context.newPage();

  await page.goto(`${demo.url}/login`);
  await page.getByLabel('Username').waitFor();
  await shot(page, 'login', theme);

  await signIn(page, demo.url, 'admin');
  await page.goto(`${demo.url}/registry/sites`);
  await page.getByLabel('NGI', { exact: true }).selectOption({ label: 'NGI_NORDICA' });
  await page.waitForURL(/ngiId=/);
  await page.getByRole('columnheader', { name: 'Certification' }).getByRole('button').click();
  await page.waitForURL(/sort=certificationStatus/);
  await page.getByRole('table', { name: /^Sites \(\d+\)$/ }).waitFor();
  await shot(page, 'sites', theme);

  await page.goto(`${demo.url}/registry/people`);
  await page.getByLabel('Filter people').fill('nordica');
  await page.getByRole('table', { name: /^People matching “nordica” \(\d+\)$/ }).waitFor();
  await shot(page, 'people', theme);

  await page.goto(`${demo.url}/admin/tokens`);
  await page.getByLabel('Token name').fill(`pakiti-bridge-${theme}`);
  await page.getByRole('checkbox', { name: 'audit:read' }).check();
  await page.getByRole('button', { name: 'Create token' }).click();
  await page.getByLabel('Token value').waitFor();
  await shot(page, 'tokens', theme);

  await signIn(page, fresh.url, 'admin');
  await page.goto(`${fresh.url}/admin/import`);
  await page.getByLabel('GOCDB XML file').setInputFiles(join(ROOT, 'test/fixtures/gocdb/federation.xml'));
  await page.getByRole('button', { name: 'Preview (dry run)' }).click();
  await page.getByRole('table', { name: 'Import summary (dry run)' }).waitFor();
  await shot(page, 'gocdb-import', theme);
  await context.close();
}

async function importFixture(browser: Browser, fresh: VigilServer) {
  const context = await newContext(browser);
  const page = await context.newPage();
  await signIn(page, fresh.url, 'admin');
  await page.goto(`${fresh.url}/admin/import`);
  await page.getByLabel('GOCDB XML file').setInputFiles(join(ROOT, 'test/fixtures/gocdb/federation.xml'));
  await page.getByRole('button', { name: 'Import', exact: true }).click();
  await page.getByRole('table', { name: 'Import summary', exact: true }).waitFor();
  await context.close();
}

/** The imported site, with its security officer from GOCDB. */
async function captureSite(browser: Browser, fresh: VigilServer, theme: 'light' | 'dark') {
  const context = await newContext(browser, theme);
  const page = await context.newPage();
  await signIn(page, fresh.url, 'admin');
  await page.goto(`${fresh.url}/registry/sites?q=NOR-TROMSO`);
  await page.getByRole('link', { name: 'NOR-TROMSO-GRID' }).click();
  await page.getByRole('region', { name: 'Security contacts' }).getByRole('link', { name: 'Ingrid Solberg' }).waitFor();
  await page.getByRole('region', { name: 'History' }).getByRole('table').waitFor();
  await shot(page, 'site-detail', theme);
  await context.close();
}

if (!hasChromium) {
  process.stderr.write(`Chromium not found at ${CHROMIUM}: install Debian's chromium package\n`);
  process.exit(1);
}
mkdirSync(OUT, { recursive: true });
const [demo, fresh] = await Promise.all([startServer(), startServer({ demo: false })]);
const browser = await launchBrowser();
try {
  for (const theme of ['light', 'dark'] as const) await captureFirst(browser, demo, fresh, theme);
  await importFixture(browser, fresh);
  for (const theme of ['light', 'dark'] as const) await captureSite(browser, fresh, theme);
} finally {
  await browser.close();
  await Promise.all([demo.close(), fresh.close()]);
}
