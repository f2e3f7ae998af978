// Issue 11, a site security officer's day: they record an exception for a CVE the CSIRT has
// tagged on one of their hosts; it waits, and the CSIRT sees it pending at once and accepts it;
// the finding is then marked excepted on the host page and the CVE page, and the CVE page no
// longer counts the host.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { hasChromium, newContext, signIn, SKIP_REASON, useServerAndBrowser } from './browser.js';
import { apiSession } from './server.js';

interface HostRow {
  hostId: string;
  hostname: string;
  siteName: string;
  taggedCveCount: number;
}
interface HostDetail {
  findings: Array<{ cve: string; tag: string | null; exception: unknown }>;
}
interface Cve {
  hostCount: number;
}

describe('exceptions under review in the browser', { concurrency: false }, () => {
  const env = useServerAndBrowser();

  test('a site security officer records an exception for a tagged CVE, the CSIRT accepts it, and the finding is excepted everywhere', async (t) => {
    if (!hasChromium) return t.skip(SKIP_REASON);
    // A host of the officer's site with a CSIRT-tagged finding (the demo tags CVE-2024-6387 and CVE-2024-2961).
    const officerApi = await apiSession(env.server.url, 'site-officer');
    const hosts = await officerApi.get<{ items: HostRow[] }>('/api/v1/hosts?limit=200');
    let target: { host: HostRow; cve: string } | undefined;
    for (const host of hosts.items.filter((h) => h.taggedCveCount > 0)) {
      const detail = await officerApi.get<HostDetail>(`/api/v1/hosts/${host.hostId}`);
      const tagged = detail.findings.find((f) => f.tag && !f.exception);
      if (tagged) {
        target = { host, cve: tagged.cve };
        break;
      }
    }
    assert.ok(target, "the demo gives the site officer's site a host with a tagged CVE");
    const { host, cve } = target;
    const admin = await apiSession(env.server.url, 'admin');
    const before = await admin.get<Cve>(`/api/v1/cves/${cve}`);
    const justification = `sshd runs with LoginGraceTime 0 on ${host.hostname} until the reboot window`;

    // The site security officer records it on the host page.
    const officer = await (await newContext(env.browser)).newPage();
    await signIn(officer, env.server.url, 'site-officer');
    await officer.goto(`${env.server.url}/patch-monitoring/hosts/${host.hostId}`);
    const form = officer.getByRole('form', { name: `Record an exception on ${host.hostname}` });
    await form.getByLabel('CVE').selectOption(cve);
    await form.getByLabel('Justification').fill(justification);
    await form.getByRole('button', { name: 'Record exception' }).click();
    await form.getByRole('status').filter({ hasText: 'takes effect once the CSIRT accepts it' }).waitFor();
    const finding = officer
      .getByRole('row')
      .filter({ has: officer.getByRole('rowheader', { name: new RegExp(cve) }) })
      .first();
    await finding.getByText('exception pending review').waitFor();
    assert.equal((await admin.get<Cve>(`/api/v1/cves/${cve}`)).hostCount, before.hostCount, 'pending, it excepts nothing');

    // The CSIRT sees it pending at once and accepts it.
    const csirt = await (await newContext(env.browser)).newPage();
    await signIn(csirt, env.server.url, 'csirt');
    await csirt.goto(`${env.server.url}/patch-monitoring`);
    await csirt.getByRole('navigation', { name: 'Patch monitoring sections' }).getByRole('link', { name: 'Exceptions' }).click();
    const pending = csirt.getByRole('table', { name: /^Pending review exceptions/ });
    const row = pending.getByRole('row').filter({ hasText: justification });
    await row.waitFor();
    await row.getByRole('button', { name: `Accept the exception for ${cve} at ${host.siteName} on ${host.hostname}` }).click();
    await row.waitFor({ state: 'detached' });

    // Excepted on the host page and on the CVE page, and no longer counted there.
    await officer.reload();
    const marked = officer
      .getByRole('row')
      .filter({ has: officer.getByRole('rowheader', { name: new RegExp(cve) }) })
      .first();
    await marked.getByText('excepted', { exact: true }).waitFor();
    await csirt.goto(`${env.server.url}/patch-monitoring/cves/${cve}`);
    const exceptions = csirt.getByRole('table', { name: new RegExp(`^Exceptions for ${cve}`) });
    await exceptions.getByRole('row').filter({ hasText: justification }).getByText('in effect').waitFor();
    assert.equal((await admin.get<Cve>(`/api/v1/cves/${cve}`)).hostCount, before.hostCount - 1);
  });
});
