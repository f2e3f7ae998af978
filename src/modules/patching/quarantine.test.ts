// Reviewing quarantined reports: release into a site (stored as that site's report, findings
// and all), reject with a reason; who may do which, on which entries.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { ConflictError, ForbiddenError, NotFoundError } from '../../core/errors.js';
import type { Actor } from '../../core/access.js';
import type { HostReport } from '../../lib/pakiti-report/index.js';
import { createQuarantineReview } from './quarantine-review.js';
import { testApp, tokenFor, type TestApp } from '../../../test/support/app.js';
import { admin, personWithRole, smallFederation, type SmallFederation } from '../../../test/support/seed.js';

const oval = new URL('../../../test/fixtures/feeds/rhel-9.oval.xml', import.meta.url).pathname;

function report(host: string, site: string | undefined): HostReport {
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
    agent: { name: 'vigil-agent', version: '1.0.0' },
    mode: undefined,
    packagesMissing: false,
    warnings: [],
    packages: [
      { name: 'openssl', version: '1:3.0.7-24.el9', arch: 'x86_64' },
      { name: 'bash', version: '0:5.1.8-6.el9_1', arch: 'x86_64' },
    ],
  };
}

let t: TestApp;
let fed: SmallFederation;
let csirt: { personId: string; actor: Actor };
let ngiOfficerA: Actor;
let siteAdminB: { personId: string; actor: Actor };
let betaToken: string;
let alphaToken: string;

before(async () => {
  t = await testApp();
  fed = await smallFederation(t.services);
  await t.services.feeds.importFrom(admin, { format: 'oval', source: oval, release: 'rhel:9' });
  csirt = await personWithRole(t.services, 'csirt', 'federation');
  ngiOfficerA = (await personWithRole(t.services, 'ngi-security-officer', 'ngi', fed.ngiA)).actor;
  siteAdminB = await personWithRole(t.services, 'site-admin', 'site', fed.siteB1);
  betaToken = (await t.services.reporters.createToken(admin, fed.siteB1, 'ci')).token;
  alphaToken = (await t.services.reporters.createToken(admin, fed.siteA1, 'ci')).token;
});
after(() => t.close());

/** Sends a report that lands in quarantine and returns its entry id. */
async function quarantined(host: string, site: string | undefined, bearer?: string): Promise<string> {
  const result = await t.services.intake.accept(report(host, site), { bearer }, 'store-only', 'test');
  assert.equal(result.outcome, 'quarantined');
  const row = await t.db.db.selectFrom('report_quarantine').select('quarantine_id').where('hostname', '=', host).executeTakeFirstOrThrow();
  return row.quarantine_id;
}

const auditOf = (quarantineId: string) =>
  t.db.db
    .selectFrom('audit_event')
    .select(['action', 'actor_label', 'after_json'])
    .where('object_type', '=', 'report-quarantine')
    .where('object_id', '=', quarantineId)
    .orderBy('seq')
    .execute();

test('releasing a quarantined report stores the host under the chosen site, with its findings', async () => {
  const id = await quarantined('WN01.Lost.example.org', 'NO-SUCH-SITE');

  const released = await t.services.quarantineReview.release(csirt.actor, id, fed.siteA2);

  assert.equal(released.status, 'released');
  assert.equal(released.releasedSiteName, 'ALPHA-LAB-2');
  assert.ok(released.reviewedBy && released.reviewedAt);
  const host = await t.services.patchingViews.getHost(admin, released.hostId!);
  assert.equal(host.hostname, 'wn01.lost.example.org');
  assert.equal(host.siteName, 'ALPHA-LAB-2');
  assert.ok(
    host.findings.some((f) => f.cve === 'CVE-2023-3446'),
    'the openssl finding is on the host',
  );
  const listed = await t.services.quarantineReview.list(csirt.actor, { status: 'released', limit: 50, offset: 0 });
  assert.equal(listed.items.find((e) => e.quarantineId === id)?.hostId, released.hostId);
});

test('releasing and rejecting are audited with the reviewer and the outcome', async () => {
  const releasedId = await quarantined('wn02.lost.example.org', 'NO-SUCH-SITE');
  const rejectedId = await quarantined('wn03.lost.example.org', undefined);

  await t.services.quarantineReview.release(csirt.actor, releasedId, fed.siteA1);
  await t.services.quarantineReview.reject(csirt.actor, rejectedId, 'a laptop, not a grid host');

  const release = await auditOf(releasedId);
  const reject = await auditOf(rejectedId);
  assert.deepEqual(
    release.map((e) => e.action),
    ['report-quarantine.release'],
  );
  assert.equal(JSON.parse(release[0]!.after_json!).siteName, 'ALPHA-UNI-1');
  assert.deepEqual(
    reject.map((e) => e.action),
    ['report-quarantine.reject'],
  );
  assert.equal(JSON.parse(reject[0]!.after_json!).reason, 'a laptop, not a grid host');
  assert.equal(reject[0]!.actor_label, csirt.actor.label);
});

test('a rejected report is listed as rejected with its reason, and no longer as pending', async () => {
  const id = await quarantined('wn04.lost.example.org', 'NO-SUCH-SITE');

  await t.services.quarantineReview.reject(csirt.actor, id, 'decommissioned in 2024');

  const pending = await t.services.quarantineReview.list(csirt.actor, { status: 'pending', limit: 50, offset: 0 });
  const rejected = await t.services.quarantineReview.list(csirt.actor, { status: 'rejected', limit: 50, offset: 0 });
  assert.equal(
    pending.items.some((e) => e.quarantineId === id),
    false,
  );
  const entry = rejected.items.find((e) => e.quarantineId === id);
  assert.equal(entry?.rejectReason, 'decommissioned in 2024');
  assert.equal(entry?.status, 'rejected');
});

test('an entry that is no longer pending cannot be released or rejected again', async () => {
  const id = await quarantined('wn05.lost.example.org', 'NO-SUCH-SITE');
  await t.services.quarantineReview.release(csirt.actor, id, fed.siteA1);

  await assert.rejects(t.services.quarantineReview.release(csirt.actor, id, fed.siteA2), ConflictError);
  await assert.rejects(t.services.quarantineReview.reject(csirt.actor, id, 'too late'), ConflictError);
  assert.deepEqual(
    (await auditOf(id)).map((e) => e.action),
    ['report-quarantine.release'],
  );
});

test('an unknown entry or an unknown site is not found, and the entry stays pending', async () => {
  const id = await quarantined('wn06.lost.example.org', 'NO-SUCH-SITE');

  await assert.rejects(t.services.quarantineReview.release(csirt.actor, '01900000-0000-7000-8000-000000000000', fed.siteA1), NotFoundError);
  await assert.rejects(t.services.quarantineReview.release(csirt.actor, id, '01900000-0000-7000-8000-000000000000'), NotFoundError);

  const pending = await t.services.quarantineReview.list(csirt.actor, { status: 'pending', limit: 50, offset: 0, q: 'wn06' });
  assert.deepEqual(
    pending.items.map((e) => e.status),
    ['pending'],
  );
});

test('a site administrator may not review quarantined reports, not even for their own site', async () => {
  const id = await quarantined('wn07.beta.example.org', 'BETA-HPC-1', alphaToken);

  await assert.rejects(t.services.quarantineReview.release(siteAdminB.actor, id, fed.siteB1), ForbiddenError);
  await assert.rejects(t.services.quarantineReview.reject(siteAdminB.actor, id, 'not mine'), ForbiddenError);
  await assert.rejects(t.services.quarantineReview.list(siteAdminB.actor, { status: 'pending', limit: 50, offset: 0 }), ForbiddenError);
});

test('an NGI security officer reviews reports naming a site of their NGI, into sites of their NGI only', async () => {
  // A report sent with another NGI's enrolment token names a site of NGI_ALPHA.
  const ours = await quarantined('wn08.alpha.example.org', 'ALPHA-LAB-2', betaToken);
  const unknown = await quarantined('wn09.lost.example.org', 'NO-SUCH-SITE');
  const theirs = await quarantined('wn10.beta.example.org', 'BETA-HPC-1', alphaToken);

  const listed = await t.services.quarantineReview.list(ngiOfficerA, { status: 'pending', limit: 200, offset: 0 });
  await assert.rejects(t.services.quarantineReview.release(ngiOfficerA, ours, fed.siteB1), NotFoundError);
  await assert.rejects(t.services.quarantineReview.release(ngiOfficerA, unknown, fed.siteA1), NotFoundError);
  await assert.rejects(t.services.quarantineReview.reject(ngiOfficerA, theirs, 'not ours'), NotFoundError);
  const released = await t.services.quarantineReview.release(ngiOfficerA, ours, fed.siteA2);

  assert.deepEqual(
    listed.items.map((e) => e.hostname),
    ['wn08.alpha.example.org'],
  );
  assert.equal(released.releasedSiteName, 'ALPHA-LAB-2');
});

test('over HTTP: release answers the entry and the host, a second release 409, a site administrator 403', async () => {
  const id = await quarantined('wn11.lost.example.org', 'NO-SUCH-SITE');
  const csirtToken = await tokenFor(t.services, csirt.personId);
  const siteAdminToken = await tokenFor(t.services, siteAdminB.personId);
  const post = (token: string, path: string, payload: unknown) =>
    t.app.inject({ method: 'POST', url: `/api/v1/report-quarantine/${id}/${path}`, headers: { authorization: `Bearer ${token}` }, payload: payload as object });

  const denied = await post(siteAdminToken, 'release', { siteId: fed.siteB1 });
  const ok = await post(csirtToken, 'release', { siteId: fed.siteA1 });
  const again = await post(csirtToken, 'reject', { reason: 'changed my mind' });
  const badBody = await post(csirtToken, 'release', {});

  assert.equal(denied.statusCode, 403);
  assert.equal(ok.statusCode, 200);
  assert.equal(ok.json().releasedSiteName, 'ALPHA-UNI-1');
  assert.ok(ok.json().hostId);
  assert.equal(again.statusCode, 409);
  assert.equal(again.headers['content-type'], 'application/problem+json; charset=utf-8');
  assert.match(again.json().detail, /already released/);
  assert.equal(badBody.statusCode, 400);
});

test('when storing a released report fails, the entry is pending again and the audit log says so', async () => {
  const id = await quarantined('wn12.lost.example.org', 'NO-SUCH-SITE');
  const failing = createQuarantineReview({
    db: t.db.db,
    clock: t.services.clock,
    audit: t.services.audit,
    registry: t.services.registry,
    intake: { accept: () => Promise.reject(new Error('disk full')) },
  });

  await assert.rejects(failing.release(csirt.actor, id, fed.siteA1), /disk full/);

  const pending = await t.services.quarantineReview.list(csirt.actor, { status: 'pending', limit: 50, offset: 0, q: 'wn12' });
  assert.deepEqual(
    pending.items.map((e) => [e.status, e.reviewedBy, e.releasedSiteId]),
    [['pending', null, null]],
  );
  assert.deepEqual(
    (await auditOf(id)).map((e) => e.action),
    ['report-quarantine.release', 'report-quarantine.release-failed'],
  );
});

test('a held report is not released over what its host has reported to that site since', async () => {
  const id = await quarantined('ce9.alpha.example.org', 'NO-SUCH-SITE');
  await new Promise((resolve) => setTimeout(resolve, 5));
  const direct = await t.services.intake.accept(report('ce9.alpha.example.org', undefined), { bearer: alphaToken }, 'store-only', 'test');
  assert.equal(direct.outcome, 'stored');

  await assert.rejects(t.services.quarantineReview.release(csirt.actor, id, fed.siteA1), ConflictError);
  const entry = await t.db.db.selectFrom('report_quarantine').select('status').where('quarantine_id', '=', id).executeTakeFirstOrThrow();
  assert.equal(entry.status, 'pending');
});
