// The real built UI and the API reference under the Content Security Policy (issue 9): every
// page of the navigation, and Swagger UI, render with no policy violation in Chromium.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { Page } from 'playwright-core';
import { hasChromium, newContext, signIn, SKIP_REASON, useServerAndBrowser } from './browser.js';

/** Records CSP violations both ways Chromium reports them: the DOM event and the console line. */
async function watchViolations(page: Page): Promise<string[]> {
  const seen: string[] = [];
  await page.exposeFunction('reportCspViolation', (v: string) => {
    seen.push(v);
  });
  await page.addInitScript(() => {
    document.addEventListener('securitypolicyviolation', (e) => {
      (window as unknown as { reportCspViolation(v: string): void }).reportCspViolation(
        `${e.violatedDirective} blocked ${e.blockedURI || 'inline'} at ${e.sourceFile}:${e.lineNumber}`,
      );
    });
  });
  page.on('console', (msg) => {
    if (/Content.Security.Policy/i.test(msg.text())) seen.push(msg.text());
  });
  return seen;
}

describe('security headers in the browser', { concurrency: false }, () => {
  const env = useServerAndBrowser();

  test('every page of the navigation renders under the Content Security Policy without a violation', async (t) => {
    if (!hasChromium) return t.skip(SKIP_REASON);
    const context = await newContext(env.browser);
    const page = await context.newPage();
    const violations = await watchViolations(page);
    await signIn(page, env.server.url, 'admin');
    const hrefs = await page
      .getByRole('navigation', { name: 'Main' })
      .getByRole('link')
      .evaluateAll((links) => links.map((a) => a.getAttribute('href') ?? '').filter((h) => h.startsWith('/') && !h.startsWith('/api/')));

    for (const href of hrefs) {
      await page.goto(`${env.server.url}${href}`);
      await page.getByRole('navigation', { name: 'Main' }).waitFor();
      await page.waitForLoadState('networkidle');
    }

    assert.ok(hrefs.length >= 10, `visited ${hrefs.length} pages`);
    const csp = (await page.request.get(env.server.url)).headers()['content-security-policy'] ?? '';
    assert.match(csp, /frame-ancestors 'none'/);
    assert.deepEqual(violations, []);
    await context.close();
  });

  test('the API reference renders its operations under the policy', async (t) => {
    if (!hasChromium) return t.skip(SKIP_REASON);
    const context = await newContext(env.browser);
    const page = await context.newPage();
    const violations = await watchViolations(page);

    await page.goto(`${env.server.url}/api/docs/`);

    await page.getByRole('heading', { name: /Vigil API/ }).waitFor();
    await page.locator('.opblock').first().waitFor();
    await page.waitForLoadState('networkidle');
    assert.deepEqual(violations, []);
    await context.close();
  });
});
