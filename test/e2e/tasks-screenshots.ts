// Takes the site tasks and notifications screenshots (docs/screenshots/tasks-*.png, light and
// dark, 1440x900) on the demo data (a critical-advisory task for the Nordica sites, a PROC19
// checklist), with one more task answered. Run after `npm run build`:
// node --import tsx test/e2e/tasks-screenshots.ts
import { mkdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { CHROMIUM, hasChromium, launchBrowser, newContext, signIn } from './browser.js';
import { apiSession, ROOT, startServer, type VigilServer } from './server.js';

const OUT = join(ROOT, 'docs/screenshots');

async function shot(page: Page, name: string, theme: string) {
  await page.evaluate(() => (document.activeElement as HTMLElement | null)?.blur());
  await page.mouse.move(0, 0);
  const path = join(OUT, `tasks-${name}-${theme}.png`);
  await page.screenshot({ path });
  const kb = Math.round(statSync(path).size / 1024);
  process.stderr.write(`${path} ${kb} KB\n`);
  if (kb >= 300) throw new Error(`${path} is ${kb} KB, over 300 KB`);
}

async function capture(browser: Browser, demo: VigilServer, theme: 'light' | 'dark') {
  const context = await newContext(browser, theme);
  const page = await context.newPage();
  await signIn(page, demo.url, 'site-officer');
  await page.goto(`${demo.url}/`);
  await page.getByRole('heading', { name: /tasks/i }).first().waitFor();
  await shot(page, 'home', theme);
  await page.goto(`${demo.url}/tasks`);
  await page.getByRole('table').first().waitFor();
  await shot(page, 'inbox', theme);
  await page
    .getByRole('link', { name: /Patch CVE-2024-6387/ })
    .first()
    .click();
  await page.getByRole('form', { name: 'Acknowledge or resolve the task' }).waitFor();
  await shot(page, 'task', theme);
  await context.close();

  const csirtContext = await newContext(browser, theme);
  const csirt = await csirtContext.newPage();
  await signIn(csirt, demo.url, 'csirt');
  await csirt.goto(`${demo.url}/tasks/new`);
  await csirt.getByLabel('Find sites').fill('NOR-');
  await csirt.getByRole('checkbox', { name: 'NOR-TROMSO-GRID', exact: true }).check();
  await csirt.getByLabel('Type').selectOption('csirt-request');
  await csirt.getByLabel('Title').fill('Send us the authentication logs of your CEs');
  await shot(csirt, 'new', theme);
  await csirt.goto(`${demo.url}/checklists`);
  await csirt
    .getByText(/steps done/)
    .first()
    .waitFor();
  await shot(csirt, 'checklists', theme);
  await csirt.goto(`${demo.url}/tasks/response-times`);
  await csirt.getByRole('table', { name: /slowest sites/i }).waitFor();
  await shot(csirt, 'response-times', theme);
  await csirt.goto(`${demo.url}/tasks/deadlines`);
  await csirt.getByRole('table').first().waitFor();
  await shot(csirt, 'deadlines', theme);
  await csirt.goto(`${demo.url}/notifications`);
  await csirt.getByRole('heading', { level: 1 }).waitFor();
  await shot(csirt, 'outbox', theme);
  await csirtContext.close();
}

if (!hasChromium) {
  process.stderr.write(`no Chromium at ${CHROMIUM}\n`);
  process.exit(1);
}
mkdirSync(OUT, { recursive: true });
const demo = await startServer();
const browser = await launchBrowser();
try {
  // One more answer, a day's work later, so the dashboard has more than one time to show.
  const officer = await apiSession(demo.url, 'site-officer');
  const inbox = await officer.get<{ items: Array<{ taskId: string; status: string }> }>('/api/v1/tasks?limit=50');
  const open = inbox.items.find((t) => t.status === 'open');
  if (open) await officer.post(`/api/v1/tasks/${open.taskId}/acknowledge`, { comment: 'On it.' });
  for (const theme of ['light', 'dark'] as const) await capture(browser, demo, theme);
} finally {
  await browser.close();
  await demo.close();
}
