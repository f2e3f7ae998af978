// The drill-down counts sites, not only hosts (issue 11, item 4): an NGI officer sees first the
// sites that never reported and those whose hosts all went silent; a removed site still holding
// hosts is marked removed; a site role sees its own sites only.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { testApp, type TestApp } from '../../../test/support/app.js';
import { rockyReport } from '../../../test/support/reports.js';
import { admin, personWithRole } from '../../../test/support/seed.js';

let t: TestApp;
const ids: Record<string, string> = {};

before(async () => {
  t = await testApp();
  const r = t.services.registry;
  const ngi = (await r.createNgi(admin, { name: 'NGI_DRILL' })).ngiId;
  const other = (await r.createNgi(admin, { name: 'NGI_OTHER' })).ngiId;
  ids.ngi = ngi;
  for (const [name, ngiId] of [
    ['D-REPORTING', ngi],
    ['D-NEVER', ngi],
    ['D-SILENT', ngi],
    ['D-GONE-WITH-HOSTS', ngi],
    ['D-GONE-EMPTY', ngi],
    ['O-NEVER', other],
  ] as const)
    ids[name] = (await r.createSite(admin, { name, ngiId })).siteId;
  const report = (host: string, site: string) => t.services.intake.accept(rockyReport(host, site), {}, 'store-only', 'test', ids[site]);
  await report('wn1.reporting.example.org', 'D-REPORTING');
  await report('wn2.reporting.example.org', 'D-REPORTING');
  await report('wn1.silent.example.org', 'D-SILENT');
  await report('wn1.gone.example.org', 'D-GONE-WITH-HOSTS');
  const month = new Date(Date.now() - 30 * 86_400_000).toISOString();
  await t.db.db.updateTable('host').set({ last_report_at: month }).where('hostname', 'in', ['wn1.silent.example.org', 'wn2.reporting.example.org']).execute();
  const removed = new Date().toISOString();
  await t.db.db.updateTable('site').set({ removed_at: removed }).where('site_id', 'in', [ids['D-GONE-WITH-HOSTS']!, ids['D-GONE-EMPTY']!]).execute();
});
after(() => t.close());

test("an NGI's sites: never reported first, then all silent, then the rest; a removed site only while it has hosts, marked", async () => {
  const officer = (await personWithRole(t.services, 'ngi-security-officer', 'ngi', ids.ngi)).actor;

  const { items } = await t.services.patchingViews.summary(officer, { ngiId: ids.ngi });

  assert.deepEqual(
    items.map((i) => [i.name, i.hosts, i.silent, i.reporting, i.removed ?? false]),
    [
      ['D-NEVER', 0, 0, 'none', false],
      ['D-SILENT', 1, 1, 'silent', false],
      ['D-GONE-WITH-HOSTS', 1, 0, 'yes', true],
      ['D-REPORTING', 2, 1, 'yes', false],
    ],
  );
});

test('per NGI: the NGIs in reach with their sites and how many of them do not report', async () => {
  const csirt = (await personWithRole(t.services, 'csirt', 'federation')).actor;

  const { items } = await t.services.patchingViews.summary(csirt, {});

  const row = (name: string) => items.find((i) => i.name === name);
  assert.deepEqual([row('NGI_DRILL')?.sites, row('NGI_DRILL')?.sitesNotReporting, row('NGI_DRILL')?.hosts], [3, 2, 4]);
  assert.deepEqual([row('NGI_OTHER')?.sites, row('NGI_OTHER')?.sitesNotReporting, row('NGI_OTHER')?.hosts], [1, 1, 0]);
});

test("a site administrator's drill-down holds their own site only, not the NGI's silent neighbours", async () => {
  const siteAdmin = (await personWithRole(t.services, 'site-admin', 'site', ids['D-REPORTING'])).actor;

  const { items } = await t.services.patchingViews.summary(siteAdmin, { ngiId: ids.ngi });

  assert.deepEqual(
    items.map((i) => i.name),
    ['D-REPORTING'],
  );
});
