// Nothing cut off at common laptop and desktop widths (issue 11, item 10): every page the main
// navigation reaches, and the detail pages its lists link to, is opened at 1280 and 1920 px as
// the federation administrator and the CSIRT; the page must not be wider than the window, and its
// main content must not reach past the window's right edge (tables scroll inside their panel).
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { Page } from 'playwright-core';
import { hasChromium, signIn, SKIP_REASON, useServerAndBrowser } from './browser.js';

const WIDTHS = [1280, 1920] as const;

/** A page's kind: its path with ids left out, so one page of each kind is opened. */
const kindOf = (url: URL) => url.pathname.replace(/\/[0-9a-f]{8}-[0-9a-f-]{27,}|\/CVE-[0-9-]+|\/[A-Z0-9_.-]{3,}$/g, '/:id');

/** Paths of the main navigation, then two steps deeper through the links of each page's main
 *  content (tabs, lists, details), one page of each kind. */
async function pagesOf(page: Page, base: string): Promise<string[]> {
  const nav = await page
    .getByRole('navigation', { name: 'Main' })
    .locator('a[href^="/"]')
    .evaluateAll((links) => links.map((a) => (a as HTMLAnchorElement).href));
  const kinds = new Map<string, string>();
  let frontier = nav.map((h) => new URL(h)).filter((u) => !u.pathname.startsWith('/api/'));
  for (const u of frontier) kinds.set(kindOf(u), u.pathname + u.search);
  for (let depth = 0; depth < 2; depth++) {
    const next: URL[] = [];
    for (const u of frontier) {
      await page.goto(base + u.pathname + u.search);
      await page.waitForLoadState('networkidle');
      const links = await page.locator('main a[href^="/"]').evaluateAll((as) => as.map((a) => (a as HTMLAnchorElement).href));
      for (const href of links) {
        const found = new URL(href);
        if (found.pathname.startsWith('/api/') || kinds.has(kindOf(found))) continue;
        kinds.set(kindOf(found), found.pathname + found.search);
        next.push(found);
      }
    }
    frontier = next;
  }
  return [...kinds.values()];
}

/** How far the document and the main content reach past the window, in pixels (0: nothing cut off). */
const overflow = (page: Page) =>
  page.evaluate(() => {
    const main = document.querySelector('main');
    return {
      document: document.documentElement.scrollWidth - window.innerWidth,
      main: main ? Math.ceil(main.getBoundingClientRect().right - window.innerWidth) : 0,
    };
  });

describe('layout at laptop and desktop widths', { concurrency: false }, () => {
  const env = useServerAndBrowser();

  for (const user of ['admin', 'csirt'] as const) {
    test(`every page fits 1280 and 1920 px, signed in as ${user}`, { skip: !hasChromium && SKIP_REASON, timeout: 300_000 }, async () => {
      const context = await env.browser.newContext({ viewport: { width: 1280, height: 900 } });
      const page = await context.newPage();
      await signIn(page, env.server.url, user);
      const paths = await pagesOf(page, env.server.url);
      assert.ok(paths.length >= 8, `only ${paths.length} pages found: ${paths.join(' ')}`);

      const cut: string[] = [];
      for (const width of WIDTHS) {
        await page.setViewportSize({ width, height: 900 });
        for (const path of paths) {
          await page.goto(env.server.url + path);
          await page.waitForLoadState('networkidle');
          const o = await overflow(page);
          if (o.document > 0 || o.main > 0) cut.push(`${path} at ${width} px: page ${o.document} px, main ${o.main} px too wide`);
        }
      }
      await context.close();

      assert.deepEqual(cut, []);
    });
  }
});
