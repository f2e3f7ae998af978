// Issue 11, item 3: a risk tag keeps its first tagging (the SEC03 deadline runs from it); its
// level and reason change only by an explicit edit, kept with who, when, before and after.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { fixedClock } from '../../core/clock.js';
import { ConflictError } from '../../core/errors.js';
import { testApp } from '../../../test/support/app.js';
import { admin, personWithRole, smallFederation } from '../../../test/support/seed.js';
import { rockyReport } from '../../../test/support/reports.js';

const DAY = 86_400_000;
const CVE = 'CVE-2023-3446';
const oval = new URL('../../../test/fixtures/feeds/rhel-9.oval.xml', import.meta.url).pathname;

async function setup() {
  const clock = fixedClock(new Date('2026-05-01T00:00:00Z'));
  const t = await testApp({ clock });
  const fx = await smallFederation(t.services);
  await t.services.reporters.setAnonymous(admin, fx.siteA1, true);
  await t.services.feeds.importFrom(admin, { format: 'oval', source: oval, release: 'rhel:9' });
  await t.services.intake.accept(rockyReport('wn01.uni1.example.org', 'ALPHA-UNI-1'), {}, 'store-only', 'test');
  const csirt = (await personWithRole(t.services, 'csirt', 'federation', undefined, 'Dana CSIRT')).actor;
  return { t, clock, fx, csirt };
}

test('tagging a tagged CVE again keeps its tagging time, so the site past the deadline stays overdue', async () => {
  const { t, clock, csirt } = await setup();
  await t.services.tags.tag(csirt, { cve: CVE, tag: 'EGI-Critical', reason: 'remote DoS' });
  clock.advance(8 * DAY);

  const again = await t.services.tags.tag(csirt, { cve: CVE, tag: 'EGI-Critical', reason: 'remote DoS' });
  const ttp = await t.services.timeToPatch(admin, CVE);

  assert.equal(again.taggedAt, '2026-05-01T00:00:00.000Z');
  assert.equal(again.created, false);
  assert.equal(ttp.taggedAt, '2026-05-01T00:00:00.000Z');
  assert.deepEqual(
    ttp.overdueSites.map((s) => s.siteName),
    ['ALPHA-UNI-1'],
  );
  await t.close();
});

test('tagging a tagged CVE with another reason or level is refused: that is an edit', async () => {
  const { t, csirt } = await setup();
  await t.services.tags.tag(csirt, { cve: CVE, tag: 'EGI-High', reason: 'remote DoS' });

  await assert.rejects(t.services.tags.tag(csirt, { cve: CVE, tag: 'EGI-High', reason: 'something else' }), ConflictError);
  await assert.rejects(t.services.tags.tag(csirt, { cve: CVE, tag: 'EGI-Critical', reason: 'remote DoS' }), ConflictError);
  assert.deepEqual(
    (await t.services.tags.list(CVE)).map((x) => [x.tag, x.reason]),
    [['EGI-High', 'remote DoS']],
  );
  await t.close();
});

test('an edit changes the level and reason, keeps the first tagging, and is kept in the history and the audit log', async () => {
  const { t, clock, csirt } = await setup();
  await t.services.tags.tag(csirt, { cve: CVE, tag: 'EGI-High', reason: 'remote DoS' });
  clock.advance(2 * DAY);

  const edited = await t.services.tags.edit(csirt, { cve: CVE, tag: 'EGI-High' }, { tag: 'EGI-Critical', reason: 'exploited in the wild' });
  clock.advance(6 * DAY);
  const ttp = await t.services.timeToPatch(admin, CVE);
  const history = await t.services.tags.history(CVE);
  const audit = await t.db.db.selectFrom('audit_event').selectAll().where('action', '=', 'cve.tag-edit').execute();

  assert.deepEqual([edited.tag, edited.reason, edited.taggedAt], ['EGI-Critical', 'exploited in the wild', '2026-05-01T00:00:00.000Z']);
  // Critical now: 7 days from the first tagging, so 8 days on the site is overdue.
  assert.equal(ttp.deadline, '2026-05-08T00:00:00.000Z');
  assert.equal(ttp.overdueSites.length, 1);
  assert.deepEqual(
    history.map((h) => [h.action, h.tagBefore, h.tagAfter, h.reasonBefore, h.reasonAfter, h.changedBy, h.changedAt]),
    [
      ['edit', 'EGI-High', 'EGI-Critical', 'remote DoS', 'exploited in the wild', 'Dana CSIRT', '2026-05-03T00:00:00.000Z'],
      ['tag', null, 'EGI-High', null, 'remote DoS', 'Dana CSIRT', '2026-05-01T00:00:00.000Z'],
    ],
  );
  assert.equal(audit.length, 1);
  assert.match(audit[0]!.before_json!, /remote DoS/);
  assert.match(audit[0]!.after_json!, /exploited in the wild/);
  await t.close();
});

test('over HTTP: the same tag again answers 200 unchanged, another reason 409, PATCH edits, and the history and CVE page show each change', async () => {
  const { t, clock } = await setup();
  const { personId } = await personWithRole(t.services, 'csirt', 'federation');
  const { tokenFor } = await import('../../../test/support/app.js');
  const auth = { authorization: `Bearer ${await tokenFor(t.services, personId)}` };
  const post = (reason: string) => t.app.inject({ method: 'POST', url: '/api/v1/cve-tags', headers: auth, payload: { cve: CVE, tag: 'EGI-High', reason } });

  const first = await post('remote DoS');
  clock.advance(3_600_000);
  const same = await post('remote DoS');
  const other = await post('another reason');
  const edit = await t.app.inject({ method: 'PATCH', url: `/api/v1/cve-tags/${CVE}/EGI-High`, headers: auth, payload: { reason: 'another reason' } });
  const untag = await t.app.inject({ method: 'DELETE', url: `/api/v1/cve-tags/${CVE}/EGI-High`, headers: auth });
  const history = (await t.app.inject({ method: 'GET', url: `/api/v1/cve-tags/${CVE}/history`, headers: auth })).json() as { items: Array<{ action: string }> };
  const page = (await t.app.inject({ method: 'GET', url: `/api/v1/cves/${CVE}`, headers: auth })).json() as { tagHistory: Array<{ action: string }> };

  assert.equal(first.statusCode, 201);
  assert.equal(same.statusCode, 200);
  assert.equal(same.json().taggedAt, first.json().taggedAt);
  assert.equal(other.statusCode, 409);
  assert.match(other.json().detail, /edit that tag/);
  assert.equal(edit.statusCode, 200);
  assert.equal(edit.json().taggedAt, first.json().taggedAt);
  assert.equal(untag.statusCode, 204);
  assert.deepEqual(
    history.items.map((h) => h.action),
    ['untag', 'edit', 'tag'],
  );
  assert.deepEqual(
    page.tagHistory.map((h) => h.action),
    ['untag', 'edit', 'tag'],
  );
  await t.close();
});

test('tagged CVEs are listed by level, most severe first, then newest first', async () => {
  const { t, clock, csirt } = await setup();
  const tags = [
    ['CVE-2026-0001', 'EGI-High'],
    ['CVE-2026-0002', 'EGI-Critical'],
    ['CVE-2026-0003', 'EGI-High'],
    ['CVE-2026-0004', 'EGI-Critical'],
  ] as const;
  for (const [cve, tag] of tags) {
    await t.services.tags.tag(csirt, { cve, tag, reason: 'test' });
    clock.advance(DAY);
  }

  assert.deepEqual(
    (await t.services.tags.list()).map((x) => [x.cve, x.tag]),
    [
      ['CVE-2026-0004', 'EGI-Critical'],
      ['CVE-2026-0002', 'EGI-Critical'],
      ['CVE-2026-0003', 'EGI-High'],
      ['CVE-2026-0001', 'EGI-High'],
    ],
  );
  await t.close();
});
