// Issue 11, item 2: a site's exception to a CVE the CSIRT has tagged excepts nothing until the
// CSIRT accepts it; then the finding is excepted the same way everywhere (the one rule,
// exceptions.ts): host page, CVE page, host list by tag, CSV, Pakiti CSV, probe, time to patch.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { fixedClock } from '../../core/clock.js';
import { ConflictError, ForbiddenError, NotFoundError } from '../../core/errors.js';
import type { Actor } from '../../core/access.js';
import { testApp, type TestApp } from '../../../test/support/app.js';
import { admin, personWithRole, smallFederation } from '../../../test/support/seed.js';
import { rockyReport } from '../../../test/support/reports.js';
import { probeSite } from './probe.js';

const CVE = 'CVE-2023-3446';
const oval = new URL('../../../test/fixtures/feeds/rhel-9.oval.xml', import.meta.url).pathname;
const inAMonth = () => new Date(Date.parse('2026-05-01T00:00:00Z') + 30 * 86_400_000).toISOString();

async function setup() {
  const clock = fixedClock(new Date('2026-05-01T00:00:00Z'));
  const t = await testApp({ clock });
  const fx = await smallFederation(t.services);
  await t.services.reporters.setAnonymous(admin, fx.siteA1, true);
  await t.services.feeds.importFrom(admin, { format: 'oval', source: oval, release: 'rhel:9' });
  await t.services.intake.accept(rockyReport('wn01.uni1.example.org', 'ALPHA-UNI-1'), {}, 'store-only', 'test');
  const hostId = (await t.db.db.selectFrom('host').select('host_id').executeTakeFirstOrThrow()).host_id;
  const officer = (await personWithRole(t.services, 'site-security-officer', 'site', fx.siteA1, 'Sam Officer')).actor;
  const csirt = (await personWithRole(t.services, 'csirt', 'federation', undefined, 'Dana CSIRT')).actor;
  const except = () =>
    t.services.exceptions.create(officer, {
      siteId: fx.siteA1,
      cve: CVE,
      hostId,
      justification: 'openssl rebuilt locally with the upstream fix',
      expiresAt: inAMonth(),
    });
  return { t, clock, fx, hostId, officer, csirt, except };
}

/** What each view says of the host and the CVE, as the CSIRT reads them. */
async function views(t: TestApp, hostId: string, reader: Actor) {
  const s = t.services;
  const host = await s.patchingViews.getHost(reader, hostId);
  const finding = host.findings.find((f) => f.cve === CVE && f.package === 'openssl')!;
  return {
    hostPage: finding.exception ? 'excepted' : finding.pendingException ? 'pending' : 'exposed',
    cvePageHosts: (await s.patchingViews.cve(reader, CVE)).hostCount,
    hostsByCve: (await s.patchingViews.listHosts(reader, { limit: 50, offset: 0, order: 'asc' }, { cve: CVE })).total,
    hostsByTag: (await s.patchingViews.listHosts(reader, { limit: 50, offset: 0, order: 'asc' }, { tag: 'EGI-Critical' })).total,
    csvTagged: (await s.patchingViews.hostsCsv(reader, {})).trim().split('\n')[1]!.split(',')[8],
    pakitiCsvRows: (await s.patchingViews.pakitiHostsCsv(reader, {})).trim().split('\n').length - 1,
    probe: (await probeSite(s.patchingViews, reader, 'ALPHA-UNI-1', new Date('2026-05-01T00:00:00Z'))).code,
    timeToPatch: await s.timeToPatch(reader, CVE).then(
      ({ vulnerableNow, exceptedNow, series, sites }) => ({
        vulnerableNow,
        exceptedNow,
        today: series.at(-1)!.vulnerableHosts,
        sitesExposed: sites.filter((x) => x.vulnerableNow > 0).length,
      }),
      () => null, // not tagged
    ),
  };
}

test('an exception to a tagged CVE waits for the CSIRT and excepts nothing anywhere until the CSIRT accepts it', async () => {
  const { t, hostId, csirt, except } = await setup();
  await t.services.tags.tag(csirt, { cve: CVE, tag: 'EGI-Critical', reason: 'remote DoS' });
  const exposed = await views(t, hostId, csirt);

  const recorded = await except();
  const whilePending = await views(t, hostId, csirt);
  const queue = await t.services.exceptions.list(csirt, { status: 'pending' });
  await t.services.exceptionReview.accept(csirt, recorded.exceptionId);
  const accepted = await views(t, hostId, csirt);

  assert.equal(recorded.status, 'pending');
  assert.deepEqual(
    queue.map((e) => [e.cve, e.siteName, e.hostname, e.inEffect, e.abilities.includes('exception:review')]),
    [[CVE, 'ALPHA-UNI-1', 'wn01.uni1.example.org', false, true]],
  );
  assert.deepEqual(whilePending, { ...exposed, hostPage: 'pending' });
  assert.deepEqual(accepted, {
    hostPage: 'excepted',
    cvePageHosts: 0,
    hostsByCve: 0,
    hostsByTag: 0,
    csvTagged: '0',
    pakitiCsvRows: 0,
    probe: 0,
    timeToPatch: { vulnerableNow: 0, exceptedNow: 1, today: 0, sitesExposed: 0 },
  });
  assert.deepEqual(exposed, {
    hostPage: 'exposed',
    cvePageHosts: 1,
    hostsByCve: 1,
    hostsByTag: 1,
    csvTagged: '1',
    pakitiCsvRows: 1,
    probe: 2,
    timeToPatch: { vulnerableNow: 1, exceptedNow: 0, today: 1, sitesExposed: 1 },
  });
  await t.close();
});

test('a rejected exception keeps its reason and excepts nothing; only the CSIRT reviews, and only once', async () => {
  const { t, hostId, officer, csirt, except } = await setup();
  await t.services.tags.tag(csirt, { cve: CVE, tag: 'EGI-Critical', reason: 'remote DoS' });
  const e = await except();

  await assert.rejects(t.services.exceptionReview.accept(officer, e.exceptionId), ForbiddenError);
  const rejected = await t.services.exceptionReview.reject(csirt, e.exceptionId, 'the rebuilt package still carries the flaw');
  const again = t.services.exceptionReview.accept(csirt, e.exceptionId);

  await assert.rejects(again, ConflictError);
  assert.deepEqual([rejected.status, rejected.reviewedBy, rejected.reviewReason], ['rejected', 'Dana CSIRT', 'the rebuilt package still carries the flaw']);
  assert.equal((await views(t, hostId, csirt)).hostPage, 'exposed');
  assert.deepEqual(
    (await t.db.db.selectFrom('audit_event').select('action').where('action', 'like', 'exception.%').orderBy('seq').execute()).map((r) => r.action),
    ['exception.create', 'exception.reject'],
  );
  await t.close();
});

test("another site's officer neither sees nor reviews the exception", async () => {
  const { t, fx, csirt, except } = await setup();
  await t.services.tags.tag(csirt, { cve: CVE, tag: 'EGI-Critical', reason: 'remote DoS' });
  const e = await except();
  const neighbour = (await personWithRole(t.services, 'site-security-officer', 'site', fx.siteA2)).actor;

  const seen = await t.services.exceptions.list(neighbour, { status: 'pending' });

  assert.deepEqual(seen, []);
  await assert.rejects(t.services.exceptionReview.accept(neighbour, e.exceptionId), NotFoundError);
  await t.close();
});

test('an exception to an untagged CVE takes effect at once, and waits for review again once the CSIRT tags the CVE', async () => {
  const { t, hostId, csirt, except } = await setup();

  const e = await except();
  const before = await views(t, hostId, csirt);
  await t.services.tags.tag(csirt, { cve: CVE, tag: 'EGI-Critical', reason: 'remote DoS' });
  const [held] = await t.services.exceptions.list(csirt, { cve: CVE });
  const after = await views(t, hostId, csirt);

  assert.equal(e.status, 'accepted');
  assert.equal(before.hostPage, 'excepted');
  assert.equal(held!.status, 'pending');
  assert.deepEqual([after.hostPage, after.cvePageHosts, after.probe], ['pending', 1, 2]);
  await t.close();
});

test('the CSIRT may let the exceptions to a tag level take effect without review', async () => {
  const { t, hostId, csirt, except } = await setup();
  await t.services.tags.tag(csirt, { cve: CVE, tag: 'EGI-High', reason: 'remote DoS' });
  await t.services.exceptionReview.setPolicy(csirt, ['EGI-High']);

  const e = await except();
  const high = await views(t, hostId, csirt);
  await t.services.tags.edit(csirt, { cve: CVE, tag: 'EGI-High' }, { tag: 'EGI-Critical' });
  const critical = await views(t, hostId, csirt);

  assert.equal(e.status, 'accepted');
  assert.equal(high.hostPage, 'excepted');
  assert.equal(critical.hostPage, 'pending');
  assert.deepEqual((await t.services.exceptionReview.policy()).autoAcceptTags, ['EGI-High']);
  await t.close();
});
