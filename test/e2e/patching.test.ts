// Patch monitoring in the browser, on the demo data: a CSIRT member tags a CVE and sees who is
// affected and whom to tell, follows a tagged CVE's time to patch, and reviews quarantined
// reports; a site administrator sees no host of another NGI.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { hasChromium, newContext, signIn, SKIP_REASON, useServerAndBrowser } from './browser.js';
import { apiSession } from './server.js';
import { backdateTag, sendReport } from './patching-history.js';

interface Page<T> {
  items: T[];
  total: number;
}
interface Host {
  hostId: string;
  hostname: string;
  siteId: string;
  ngiName: string;
}
interface Site {
  siteId: string;
  ngiId: string;
  ngiName: string;
}
interface Ttp {
  vulnerableNow: number;
  medianHoursToFix: number | null;
  series: unknown[];
  overdueSites: Array<{ siteName: string; vulnerableNow: number }>;
}
interface Quarantined {
  quarantineId: string;
  hostname: string;
  status: string;
  releasedSiteName: string | null;
  rejectReason: string | null;
}
interface Summary {
  items: Array<{ id: string; name: string; hosts: number }>;
}
interface Cve {
  sites: Array<{ siteName: string; hosts: number; securityContacts: string[] }>;
  allContacts: string[];
  tags: Array<{ tag: string; reason: string }>;
}

// Affects the demo's Debian and Ubuntu hosts; the demo seed leaves it untagged.
const CVE = 'CVE-2024-0727';

describe('patch monitoring in the browser', { concurrency: false }, () => {
  const env = useServerAndBrowser();

  test('a CSIRT member tags a CVE EGI-High and sees the affected sites, their security contacts and the copy button', async (t) => {
    if (!hasChromium) return t.skip(SKIP_REASON);
    const admin = await apiSession(env.server.url, 'admin');
    const expected = await admin.get<Cve>(`/api/v1/cves/${CVE}`);
    assert.ok(expected.sites.length > 1 && expected.allContacts.length > 1, `the demo has several sites affected by ${CVE}`);
    assert.equal(expected.tags.length, 0);
    const context = await newContext(env.browser);
    await context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: env.server.url });
    const page = await context.newPage();
    await signIn(page, env.server.url, 'csirt');

    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Patch monitoring' }).click();
    await page.getByRole('heading', { level: 1, name: 'Patch monitoring' }).waitFor();
    await page.getByLabel('Go to CVE').fill(CVE.toLowerCase());
    await page.getByRole('button', { name: 'Open CVE' }).click();
    await page.getByRole('heading', { level: 1, name: CVE }).waitFor();
    await page.getByText(`The CSIRT has not tagged ${CVE}.`).waitFor();

    const reason = 'PKCS12 parsing crash reachable from user-supplied credentials on portals; patch within 14 days.';
    await page.getByLabel('Risk tag', { exact: true }).selectOption('EGI-High');
    await page.getByLabel('Reason', { exact: true }).fill(reason);
    await page.getByRole('button', { name: 'Tag CVE' }).click();
    const tags = page.getByRole('list', { name: `Risk tags of ${CVE}` });
    await tags.getByText(reason).waitFor();
    assert.equal(await tags.getByText('EGI-High', { exact: true }).count(), 1);
    await page
      .getByRole('status')
      .filter({ hasText: `Tagged ${CVE} EGI-High.` })
      .waitFor();
    const stored = await admin.get<{ items: Array<{ tag: string; reason: string }> }>(`/api/v1/cve-tags?cve=${CVE}`);
    assert.deepEqual(
      stored.items.map((x) => [x.tag, x.reason]),
      [['EGI-High', reason]],
    );

    const sites = page.getByRole('table', { name: new RegExp(`^Sites with hosts affected by ${CVE} \\(${expected.sites.length}\\)$`) });
    await sites.waitFor();
    for (const site of expected.sites) {
      const row = sites.getByRole('row').filter({ has: page.getByRole('link', { name: site.siteName, exact: true }) });
      assert.equal(await row.count(), 1, `${site.siteName} is listed once`);
      await row.getByRole('link', { name: `${site.hosts} affected hosts at ${site.siteName}` }).waitFor();
      for (const email of site.securityContacts) await row.getByRole('link', { name: email, exact: true }).waitFor();
      await row.getByRole('button', { name: `Copy contacts of ${site.siteName}` }).waitFor();
    }

    await page.getByRole('button', { name: /^Copy all contacts/ }).click();
    await page
      .getByRole('status')
      .filter({ hasText: `Copied ${expected.allContacts.length} addresses.` })
      .waitFor();
    assert.equal(await page.evaluate(() => navigator.clipboard.readText()), expected.allContacts.join(', '));
    await context.close();
  });

  test("a CSIRT member drills down from NGIs to the sites of one NGI to that site's hosts", async (t) => {
    if (!hasChromium) return t.skip(SKIP_REASON);
    const admin = await apiSession(env.server.url, 'admin');
    const ngis = await admin.get<Summary>('/api/v1/patching/summary');
    const ngi = ngis.items.reduce((a, b) => (b.hosts > a.hosts ? b : a));
    const sites = await admin.get<Summary>(`/api/v1/patching/summary?ngiId=${ngi.id}`);
    const site = sites.items.find((x) => x.hosts > 0)!;
    const page = await (await newContext(env.browser)).newPage();
    await signIn(page, env.server.url, 'csirt');
    await page.goto(`${env.server.url}/patch-monitoring`);

    const byNgi = page.getByRole('table', { name: 'Hosts and sites per NGI; a count links to those hosts' });
    for (const g of ngis.items) {
      const row = byNgi.getByRole('row').filter({ has: page.getByRole('link', { name: g.name, exact: true }) });
      // Cells: sites, sites not reporting, hosts, …
      assert.equal(await row.getByRole('cell').nth(2).textContent(), String(g.hosts), `${g.name} hosts`);
    }
    await byNgi.getByRole('link', { name: ngi.name, exact: true }).click();
    await page.getByRole('heading', { name: `Sites of ${ngi.name}` }).waitFor();
    const bySite = page.getByRole('table', { name: 'Sites, those not reporting first; a count links to those hosts' });
    assert.equal(await bySite.getByRole('row').count(), sites.items.length + 1);
    await bySite.getByRole('link', { name: site.name, exact: true }).click();
    const listed = await admin.get<Page<Host>>(`/api/v1/hosts?siteId=${site.id}&limit=1`);
    assert.equal(listed.total, site.hosts);
    await page.getByRole('table', { name: new RegExp(`^Hosts.*\\(${site.hosts}\\)$`) }).waitFor();
    assert.match(page.url(), new RegExp(`siteId=${site.id}`));
  });

  test('a site administrator sees no host of another NGI, and such a host answers not found', async (t) => {
    if (!hasChromium) return t.skip(SKIP_REASON);
    const admin = await apiSession(env.server.url, 'admin');
    const siteAdmin = await apiSession(env.server.url, 'site-admin');
    const sites = (await admin.get<Page<Site>>('/api/v1/sites?limit=200')).items;
    const ngiOfSite = new Map(sites.map((s) => [s.siteId, s.ngiName]));
    const ownNgis = new Set(siteAdmin.me.grants.filter((g) => g.scopeType === 'site').map((g) => ngiOfSite.get(g.scopeId)));
    const hosts = (await admin.get<Page<Host>>('/api/v1/hosts?limit=200')).items;
    const other = hosts.find((h) => !ownNgis.has(h.ngiName));
    assert.ok(other, 'the demo has hosts outside the site administrator’s NGI');
    const visible = await siteAdmin.get<Page<Host>>('/api/v1/hosts?limit=1');
    assert.ok(visible.total > 0, 'the site administrator’s NGI has hosts');
    const context = await newContext(env.browser);
    const page = await context.newPage();
    await signIn(page, env.server.url, 'site-admin');

    await page.goto(`${env.server.url}/patch-monitoring/hosts?limit=200`);
    const table = page.getByRole('table', { name: new RegExp(`^Hosts \\(${visible.total}\\)$`) });
    await table.waitFor();
    assert.equal(await table.getByRole('row').count(), visible.total + 1, 'every host the API allows is listed on one page');
    assert.equal(await table.getByRole('cell', { name: other.ngiName, exact: true }).count(), 0, `no host of ${other.ngiName}`);
    assert.equal(await table.getByRole('link', { name: other.hostname, exact: true }).count(), 0);

    await page.getByLabel('Filter hosts').fill(other.hostname);
    await page.getByRole('table', { name: `Hosts matching “${other.hostname}” (0)` }).waitFor();

    await page.goto(`${env.server.url}/patch-monitoring/hosts/${other.hostId}`);
    await page.getByRole('heading', { level: 1, name: 'Not found' }).waitFor();
    assert.equal(await page.getByRole('heading', { level: 1, name: other.hostname }).count(), 0);
    await context.close();
  });

  test('a tagged CVE’s page charts its vulnerable hosts over time and lists the sites past the SEC03 deadline', async (t) => {
    if (!hasChromium) return t.skip(SKIP_REASON);
    // The demo tags at start-up; ten days ago puts the 7-day deadline in the past.
    backdateTag(env.server, 'CVE-2024-6387', 10);
    const admin = await apiSession(env.server.url, 'admin');
    const expected = await admin.get<Ttp>('/api/v1/cves/CVE-2024-6387/time-to-patch');
    assert.ok(expected.overdueSites.length > 0 && expected.medianHoursToFix !== null, 'the demo has sites past the deadline and hosts fixed since tagging');
    const context = await newContext(env.browser);
    const page = await context.newPage();
    await signIn(page, env.server.url, 'csirt');

    await page.goto(`${env.server.url}/patch-monitoring/cves/CVE-2024-6387`);
    const panel = page.getByRole('region', { name: 'Time to patch' });
    const chart = panel.getByRole('img', { name: 'Vulnerable hosts per day, CVE-2024-6387' });
    await chart.waitFor();

    assert.match((await chart.locator('desc').textContent()) ?? '', new RegExp(`, ${expected.vulnerableNow} now\\. Tagged EGI-Critical on `));
    for (const label of ['tagged EGI-Critical', 'deadline (7 days)', 'hosts']) await chart.getByText(label, { exact: true }).waitFor();
    await panel.getByText('Figures per day').click();
    const figures = panel.getByRole('table', { name: `Vulnerable hosts per day (${expected.series.length} days)` });
    assert.equal(await figures.getByRole('row').nth(1).getByRole('cell').nth(1).textContent(), String(expected.vulnerableNow));
    assert.match((await panel.getByRole('definition').nth(2).textContent()) ?? '', /^\d+(\.\d)? (h|days)$/, 'the median time to fix is shown');
    const overdue = panel.getByRole('table', { name: `Sites past the deadline (${expected.overdueSites.length})` });
    for (const site of expected.overdueSites) {
      const row = overdue.getByRole('row').filter({ has: page.getByRole('link', { name: site.siteName, exact: true }) });
      await row.getByRole('link', { name: `${site.vulnerableNow} vulnerable hosts at ${site.siteName}` }).waitFor();
    }
    await context.close();
  });

  test('a CSIRT member releases a quarantined report into a site, and rejects another with a reason', async (t) => {
    if (!hasChromium) return t.skip(SKIP_REASON);
    const lost = 'ui07.lost-grid.example.org';
    const junk = 'laptop-42.example.com';
    assert.equal((await sendReport(env.server, lost, 'NOR-BERGEN-GRID')).outcome, 'quarantined');
    assert.equal((await sendReport(env.server, junk, 'MY-LAPTOP')).outcome, 'quarantined');
    const admin = await apiSession(env.server.url, 'admin');
    const site = (await admin.get<Page<{ name: string }>>('/api/v1/sites?limit=1&sort=name')).items[0]!;
    const context = await newContext(env.browser);
    const page = await context.newPage();
    await signIn(page, env.server.url, 'csirt');

    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Patch monitoring' }).click();
    await page.getByRole('navigation', { name: 'Patch monitoring sections' }).getByRole('link', { name: 'Quarantine' }).click();
    const pending = page.getByRole('table', { name: /^Pending reports \(\d+\)$/ });
    await pending.getByRole('row').filter({ hasText: lost }).getByText('unknown site NOR-BERGEN-GRID').waitFor();
    await page.getByRole('button', { name: `Release report from ${lost}` }).click();
    const release = page.getByRole('form', { name: `Release the report from ${lost}` });
    await release.getByLabel('Site').fill('NO-SUCH-SITE');
    await release.getByRole('button', { name: 'Release into site' }).click();
    await release.getByText('No site named NO-SUCH-SITE that you can release into: pick one from the list.').waitFor();
    await release.getByLabel('Site').fill(site.name);
    await release.getByText(`the report is stored as this site's.`, { exact: false }).waitFor();
    await release.getByRole('button', { name: 'Release into site' }).click();
    await page
      .getByRole('status')
      .filter({ hasText: `Released the report from ${lost} into ${site.name}.` })
      .waitFor();
    await pending.getByRole('row').filter({ hasText: lost }).waitFor({ state: 'detached' });

    await page.getByRole('button', { name: `Reject report from ${junk}` }).click();
    const reject = page.getByRole('form', { name: `Reject the report from ${junk}` });
    await reject.getByRole('button', { name: 'Reject report' }).click();
    await reject.getByText(/^Say why the report is refused/).waitFor();
    await reject.getByLabel('Reason').fill('A personal laptop, not a grid host.');
    await reject.getByRole('button', { name: 'Reject report' }).click();
    await page
      .getByRole('status')
      .filter({ hasText: `Rejected the report from ${junk}.` })
      .waitFor();
    await page.getByLabel('Status').selectOption('rejected');
    await page
      .getByRole('table', { name: /^Rejected reports \(\d+\)$/ })
      .getByRole('row')
      .filter({ hasText: junk })
      .getByText('A personal laptop, not a grid host.')
      .waitFor();

    await page.getByLabel('Status').selectOption('released');
    await page
      .getByRole('table', { name: /^Released reports \(\d+\)$/ })
      .getByRole('link', { name: lost })
      .click();
    await page.getByRole('heading', { level: 1, name: lost }).waitFor();
    const released = await admin.get<Page<Quarantined>>(`/api/v1/report-quarantine?status=released&q=${lost}`);
    assert.deepEqual(
      released.items.map((e) => [e.hostname, e.releasedSiteName]),
      [[lost, site.name]],
    );
    await context.close();
  });
});
