// Signing in and out, and getting around with the keyboard alone.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { hasChromium, newContext, signIn, SKIP_REASON, useServerAndBrowser } from './browser.js';

describe('signing in and out', { concurrency: false }, () => {
  const env = useServerAndBrowser();

  test('an administrator signs in and sees who they are and every part of Vigil', async (t) => {
    if (!hasChromium) return t.skip(SKIP_REASON);
    const context = await newContext(env.browser);
    const page = await context.newPage();

    await signIn(page, env.server.url, 'admin');

    const nav = page.getByRole('navigation', { name: 'Main' });
    for (const part of [
      'NGIs',
      'Sites',
      'Service endpoints',
      'VOs',
      'People',
      'Roles',
      'Patch monitoring',
      'Advisories',
      'Incidents',
      'Central suspension',
      'Drills',
      'Traceability',
      'Image endorsement',
      'Tasks',
      'Response times',
      'Deadlines',
      'Notifications',
      'GOCDB import',
      'API tokens',
      'Audit log',
      'Jobs',
      'API reference',
    ]) {
      assert.equal(await nav.getByRole('link', { name: part }).count(), 1, `navigation links to ${part}`);
    }
    const user = page.getByLabel('Signed in user');
    assert.match(await user.innerText(), /admin/);
    assert.match(await user.innerText(), /Federation admin/);
    await context.close();
  });

  test("a wrong password is refused with the server's message and no session", async (t) => {
    if (!hasChromium) return t.skip(SKIP_REASON);
    const context = await newContext(env.browser);
    const page = await context.newPage();
    await page.goto(`${env.server.url}/login`);

    await page.getByLabel('Username').fill('admin');
    await page.getByLabel('Password').fill('not-the-password');
    await page.getByRole('button', { name: 'Sign in' }).click();

    const alert = page.getByRole('alert');
    await alert.waitFor();
    assert.notEqual((await alert.innerText()).trim(), '');
    assert.equal(await page.getByRole('navigation', { name: 'Main' }).count(), 0);
    await context.close();
  });

  test('signing out ends the session: the sign-in form returns and pages need signing in again', async (t) => {
    if (!hasChromium) return t.skip(SKIP_REASON);
    const context = await newContext(env.browser);
    const page = await context.newPage();
    await signIn(page, env.server.url, 'read-only');

    await page.getByRole('button', { name: 'Sign out' }).click();

    await page.getByRole('button', { name: 'Sign in' }).waitFor();
    await page.goto(`${env.server.url}/registry/sites`);
    await page.getByRole('button', { name: 'Sign in' }).waitFor();
    assert.equal(await page.getByRole('navigation', { name: 'Main' }).count(), 0);
    const session = await page.evaluate(async () => (await fetch('/api/v1/auth/session')).status);
    assert.equal(session, 401);
    await context.close();
  });

  test('keyboard only: Tab reaches the skip link first, then the navigation', async (t) => {
    if (!hasChromium) return t.skip(SKIP_REASON);
    const context = await newContext(env.browser);
    const page = await context.newPage();
    await signIn(page, env.server.url, 'admin');
    await page.goto(`${env.server.url}/registry/sites`);
    await page.getByRole('table', { name: /Sites/ }).waitFor();

    await page.keyboard.press('Tab');
    const skip = page.getByRole('link', { name: 'Skip to main content' });
    assert.ok(await skip.evaluate((el) => el === document.activeElement), 'the first Tab focuses the skip link');
    assert.ok((await skip.boundingBox())!.y >= 0, 'the focused skip link is on screen');

    let reachedNav = false;
    for (let i = 0; i < 15 && !reachedNav; i++) {
      await page.keyboard.press('Tab');
      reachedNav = await page.getByRole('navigation', { name: 'Main' }).evaluate((nav) => nav.contains(document.activeElement));
    }
    assert.ok(reachedNav, 'Tab reaches the main navigation');
    await page.keyboard.press('Tab');
    const focused = await page.evaluate(() => document.activeElement?.textContent ?? '');
    assert.ok(focused.length > 0, 'focus moves along the navigation links');

    await page.goto(`${env.server.url}/registry/sites`);
    await page.getByRole('table', { name: /Sites/ }).waitFor();
    await page.keyboard.press('Tab');
    await page.keyboard.press('Enter');
    assert.ok(await page.getByRole('main').evaluate((el) => el === document.activeElement), 'the skip link moves focus to the main content');
    await context.close();
  });
});
