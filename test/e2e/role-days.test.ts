// Issue 11, a day per role in the browser, on the demo data. The CSIRT starts on the home page,
// goes to the CVE list, opens the worst CVE not yet tagged, tags it and copies the contacts of
// every affected site; an NGI security officer lands on their NGI's sites, those that do not
// report listed first. (The site security officer's day is exceptions.test.ts.)
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { hasChromium, newContext, signIn, SKIP_REASON, useServerAndBrowser } from './browser.js';
import { apiSession } from './server.js';

interface CveRow {
  cve: string;
  hosts: number;
  tags: unknown[];
}
interface Cve {
  hostCount: number;
  sites: Array<{ siteName: string }>;
  allContacts: string[];
}
interface Session {
  grants: Array<{ role: string; scopeType: string; scopeId: string }>;
}
interface Summary {
  groupedBy: string;
  items: Array<{ id: string; name: string; reporting?: 'none' | 'silent' | 'yes' }>;
}

describe("each role's day in the browser", { concurrency: false }, () => {
  const env = useServerAndBrowser();

  test('the CSIRT goes from home to the CVE list, opens the worst untagged CVE, tags it and copies the contacts', async (t) => {
    if (!hasChromium) return t.skip(SKIP_REASON);
    const csirtApi = await apiSession(env.server.url, 'csirt');
    const ranked = await csirtApi.get<{ items: CveRow[] }>('/api/v1/cves?limit=50');
    const worst = ranked.items.find((c) => c.tags.length === 0);
    assert.ok(worst, 'the demo has an untagged CVE');
    const expected = await csirtApi.get<Cve>(`/api/v1/cves/${worst.cve}`);
    assert.ok(expected.allContacts.length > 0, `${worst.cve} has sites with security contacts`);

    const context = await newContext(env.browser);
    await context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: env.server.url });
    const page = await context.newPage();
    await signIn(page, env.server.url, 'csirt');

    // Home: the tagged CVEs still exposed.
    await page.getByRole('heading', { name: 'Tagged CVEs still exposed' }).waitFor();
    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'CVE list' }).click();
    const list = page.getByRole('table', { name: /^CVEs/ });
    await list.waitFor();
    // Ranked by affected hosts: the first untagged row is the worst.
    const row = list.getByRole('row').filter({ has: page.getByRole('rowheader', { name: new RegExp(worst.cve) }) });
    await row.getByRole('link', { name: `${worst.hosts} hosts with ${worst.cve}` }).waitFor();
    await row.getByRole('link', { name: worst.cve, exact: true }).click();

    await page.getByRole('heading', { level: 1, name: worst.cve }).waitFor();
    await page.getByText(`${expected.hostCount} host${expected.hostCount === 1 ? '' : 's'} affected now, at ${expected.sites.length} site`).waitFor();
    const reason = 'Widely deployed on worker nodes; exploit published. Patch within 7 days.';
    await page.getByLabel('Risk tag', { exact: true }).selectOption('EGI-Critical');
    await page.getByLabel('Reason', { exact: true }).fill(reason);
    await page.getByRole('button', { name: 'Tag CVE' }).click();
    await page
      .getByRole('list', { name: `Risk tags of ${worst.cve}` })
      .getByText(reason)
      .waitFor();

    await page.getByRole('button', { name: /^Copy all contacts/ }).click();
    await page
      .getByRole('status')
      .filter({ hasText: `Copied ${expected.allContacts.length} address` })
      .waitFor();
    assert.equal(await page.evaluate(() => navigator.clipboard.readText()), expected.allContacts.join(', '));

    // Back home, the new tag is followed there.
    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Overview' }).click();
    const followed = page.getByRole('region', { name: 'Tagged CVEs still exposed' });
    await followed.getByRole('link', { name: worst.cve }).waitFor();
    await context.close();
  });

  test("an NGI security officer lands on their NGI's sites, those that do not report first", async (t) => {
    if (!hasChromium) return t.skip(SKIP_REASON);
    const officerApi = await apiSession(env.server.url, 'ngi-officer');
    const session = await officerApi.get<Session>('/api/v1/auth/session');
    const ngiId = session.grants.find((g) => g.scopeType === 'ngi')!.scopeId;
    const summary = await officerApi.get<Summary>(`/api/v1/patching/summary?ngiId=${ngiId}`);
    assert.equal(summary.groupedBy, 'site');
    const silent = summary.items.filter((s) => s.reporting !== 'yes').map((s) => s.name);
    assert.ok(silent.length > 0, "the demo has a site of the officer's NGI that does not report");
    assert.ok(summary.items.length > silent.length, 'and one that does');

    const page = await (await newContext(env.browser)).newPage();
    await signIn(page, env.server.url, 'ngi-officer');

    const sites = page.getByRole('table', { name: /^Sites, those not reporting first/ });
    await sites.waitFor();
    const names = await sites.getByRole('rowheader').allInnerTexts();
    assert.deepEqual(
      names.slice(0, silent.length).map((n) => n.replace(/\s*removed$/, '').trim()),
      silent,
      'the sites not reporting come first, as the API orders them',
    );
    for (const name of silent) {
      const row = sites.getByRole('row').filter({ has: page.getByRole('link', { name, exact: true }) });
      assert.match(await row.innerText(), /No host has ever reported|Every host silent 7\+ days/);
    }
    await page.context().close();
  });
});
