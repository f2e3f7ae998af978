import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createServices } from '../../server/services.js';
import { fixedClock } from '../../core/clock.js';
import type { HostReport } from '../../lib/pakiti-report/index.js';
import { testDatabase } from '../../../test/support/db.js';
import { admin } from '../../../test/support/seed.js';
import { MAX_SERIES_DAYS } from './time-to-patch.js';

const DAY = 86_400_000;
const oval = new URL('../../../test/fixtures/feeds/rhel-9.oval.xml', import.meta.url).pathname;

function report(host: string, site: string, opensslRelease: string): HostReport {
  return {
    source: 'json',
    host,
    site,
    tag: undefined,
    system: 'Rocky Linux release 9.3 (Blue Onyx)',
    kernel: '5.14.0-427.16.1.el9_4.x86_64',
    arch: 'x86_64',
    cpu: undefined,
    packager: 'rpm',
    agent: undefined,
    mode: undefined,
    packagesMissing: false,
    warnings: [],
    packages: [
      { name: 'openssl', version: `1:3.0.7-${opensslRelease}`, arch: 'x86_64' },
      { name: 'bash', version: '0:5.1.8-6.el9_1', arch: 'x86_64' },
    ],
  };
}

test('time to patch: hosts over time, median hours to fix after tagging, sites past the SEC03 deadline', async () => {
  const db = await testDatabase();
  const clock = fixedClock(new Date('2026-05-01T00:00:00Z'));
  const s = createServices(db, { sessionTtlHours: 1, loginMaxFailures: 5, loginWindowMinutes: 15 }, clock);
  const ngi = await s.registry.createNgi(admin, { name: 'NGI_T' });
  for (const name of ['FAST-SITE', 'SLOW-SITE']) {
    const site = await s.registry.createSite(admin, { name, ngiId: ngi.ngiId });
    await s.reporters.setAnonymous(admin, site.siteId, true);
  }
  await s.feeds.importFrom(admin, { format: 'oval', source: oval, release: 'rhel:9' });
  await s.intake.accept(report('a1.fast', 'FAST-SITE', '24.el9'), {}, 'store-only', 'test');
  await s.intake.accept(report('b1.slow', 'SLOW-SITE', '24.el9'), {}, 'store-only', 'test');
  await s.tags.tag(admin, { cve: 'CVE-2023-3446', tag: 'EGI-Critical', reason: 'test' });

  clock.advance(2 * DAY);
  await s.intake.accept(report('a1.fast', 'FAST-SITE', '27.el9'), {}, 'store-only', 'test');
  clock.advance(8 * DAY);
  const ttp = await s.timeToPatch(admin, 'CVE-2023-3446');

  assert.equal(ttp.deadlineDays, 7);
  assert.equal(ttp.vulnerableNow, 1);
  assert.equal(ttp.medianHoursToFix, 48);
  assert.deepEqual(
    ttp.sites.map((x) => [x.siteName, x.vulnerableNow, x.fixed, x.medianHoursToFix]),
    [
      ['SLOW-SITE', 1, 0, null],
      ['FAST-SITE', 0, 1, 48],
    ],
  );
  assert.deepEqual(
    ttp.overdueSites.map((x) => x.siteName),
    ['SLOW-SITE'],
  );
  assert.deepEqual(
    ttp.series.slice(0, 3).map((p) => p.vulnerableHosts),
    [2, 2, 1],
  );
  assert.equal(ttp.asOf, '2026-05-11T00:00:00.000Z');
  assert.deepEqual(
    ttp.sites.map((x) => x.ngiName),
    ['NGI_T', 'NGI_T'],
  );
  await db.close();
});

test('time to patch draws at most the last 400 days, ending today', async () => {
  const db = await testDatabase();
  const clock = fixedClock(new Date('2024-01-01T12:00:00Z'));
  const s = createServices(db, { sessionTtlHours: 1, loginMaxFailures: 5, loginWindowMinutes: 15 }, clock);
  const ngi = await s.registry.createNgi(admin, { name: 'NGI_T' });
  const site = await s.registry.createSite(admin, { name: 'OLD-SITE', ngiId: ngi.ngiId });
  await s.reporters.setAnonymous(admin, site.siteId, true);
  await s.feeds.importFrom(admin, { format: 'oval', source: oval, release: 'rhel:9' });
  await s.intake.accept(report('a1.old', 'OLD-SITE', '24.el9'), {}, 'store-only', 'test');
  clock.advance(500 * DAY);
  await s.tags.tag(admin, { cve: 'CVE-2023-3446', tag: 'EGI-High', reason: 'test' });

  const ttp = await s.timeToPatch(admin, 'CVE-2023-3446');

  assert.equal(ttp.series.length, MAX_SERIES_DAYS);
  assert.equal(ttp.series.at(-1)!.date, '2025-05-15');
  assert.ok(ttp.series.every((p) => p.vulnerableHosts === 1));
  assert.equal(ttp.deadlineDays, 42);
  assert.deepEqual(ttp.overdueSites, []);
  await db.close();
});
