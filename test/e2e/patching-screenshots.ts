// Takes the patch monitoring screenshots (docs/screenshots/patching-*.png, light and dark, 1440x900)
// on the demo data, with CVE-2024-6387 tagged ten days ago (so its deadline has passed) and a few
// quarantined reports. Run after `npm run build`: node --import tsx test/e2e/patching-screenshots.ts
import { mkdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { CHROMIUM, hasChromium, launchBrowser, newContext, signIn } from './browser.js';
import { apiSession, ROOT, startServer, type VigilServer } from './server.js';
import { backdateTag, sendReport, sendSitelessReport } from './patching-history.js';

const OUT = join(ROOT, 'docs/screenshots');

async function shot(page: Page, name: string, theme: string) {
  await page.evaluate(() => (document.activeElement as HTMLElement | null)?.blur());
  await page.mouse.move(0, 0);
  const path = join(OUT, `patching-${name}-${theme}.png`);
  await page.screenshot({ path });
  const kb = Math.round(statSync(path).size / 1024);
  process.stderr.write(`${path} ${kb} KB\n`);
  if (kb >= 300) throw new Error(`${path} is ${kb} KB, over 300 KB`);
}

async function capture(browser: Browser, demo: VigilServer, theme: 'light' | 'dark') {
  const context = await newContext(browser, theme);
  const page = await context.newPage();
  await signIn(page, demo.url, 'csirt');

  await page.goto(`${demo.url}/patch-monitoring`);
  await page.getByRole('table', { name: 'Hosts and sites per NGI; a count links to those hosts' }).waitFor();
  await shot(page, 'overview', theme);

  await page.goto(`${demo.url}/patch-monitoring/hosts?tag=EGI-Critical&sort=siteName`);
  await page.getByRole('table', { name: /^Hosts with EGI-Critical CVEs \(\d+\)$/ }).waitFor();
  await shot(page, 'hosts', theme);

  await page.getByLabel('Filter hosts').fill('wn02.tromso-grid');
  await page.getByRole('link', { name: 'wn02.tromso-grid.example.org' }).click();
  await page.getByRole('table', { name: /^Findings on wn02\.tromso-grid\.example\.org/ }).waitFor();
  await shot(page, 'host', theme);

  await page.getByRole('link', { name: 'CVE-2024-6387' }).first().click();
  await page.getByRole('table', { name: /^Sites with hosts affected by CVE-2024-6387/ }).waitFor();
  await page.getByRole('img', { name: 'Vulnerable hosts per day, CVE-2024-6387' }).waitFor();
  await shot(page, 'cve', theme);

  await page.getByRole('heading', { level: 2, name: 'Time to patch' }).evaluate((el) => el.scrollIntoView());
  await shot(page, 'time-to-patch', theme);

  await page.goto(`${demo.url}/patch-monitoring/quarantine`);
  await page.getByRole('table', { name: /^Pending reports \(\d+\)$/ }).waitFor();
  await page.getByRole('button', { name: 'Release report from wn17.tromso-grid.example.org' }).click();
  await page.getByLabel('Site').fill('NOR-TROMSO-GRID');
  await page.getByText('the report is stored as this site', { exact: false }).waitFor();
  await shot(page, 'quarantine', theme);
  await context.close();
}

/** History the demo does not have: a tag past its deadline, reports waiting in quarantine. */
async function arrange(demo: VigilServer) {
  backdateTag(demo, 'CVE-2024-6387', 10);
  const admin = await apiSession(demo.url, 'admin');
  const lund = (await admin.get<{ items: Array<{ siteId: string }> }>('/api/v1/sites?q=NOR-LUND-T2')).items[0]!;
  const { token } = await admin.post<{ token: string }>(`/api/v1/sites/${lund.siteId}/enrolment-tokens`, { name: 'lund-puppet' });
  await sendReport(demo, 'wn17.tromso-grid.example.org', 'NOR-TROMSO-GRD');
  await sendReport(demo, 'ce02.lund-t2.example.org', 'NOR-UPPSALA-CLOUD', token);
  await sendSitelessReport(demo, 'build-node-3.example.net');
  await sendReport(demo, 'jupyter.surf-test.example.nl', 'SURF-JUPYTER');
}

if (!hasChromium) {
  process.stderr.write(`Chromium not found at ${CHROMIUM}: install Debian's chromium package\n`);
  process.exit(1);
}
mkdirSync(OUT, { recursive: true });
const demo = await startServer();
const browser = await launchBrowser();
try {
  await arrange(demo);
  for (const theme of ['light', 'dark'] as const) await capture(browser, demo, theme);
} finally {
  await browser.close();
  await demo.close();
}
