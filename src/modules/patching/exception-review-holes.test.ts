// Issue 11, item 2, the attacker review of the CSIRT's review of exceptions: the person who
// recorded an exception may not accept it (whatever the session or token they use), and an
// exception recorded at the moment its CVE is tagged never takes effect unreviewed
// (PostgreSQL, READ COMMITTED: the CVE's advisory lock orders the two transactions).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { systemActor } from '../../core/access.js';
import { ForbiddenError } from '../../core/errors.js';
import { testApp, tokenFor, type TestApp } from '../../../test/support/app.js';
import { admin, personWithRole, smallFederation } from '../../../test/support/seed.js';

const CVE = 'CVE-2023-3446';
const inAMonth = () => new Date(Date.now() + 30 * 86_400_000).toISOString();
const SELF_ACCEPT = 'an exception is accepted by someone other than who recorded it';

async function setup() {
  const t = await testApp();
  const fx = await smallFederation(t.services);
  const csirt = (await personWithRole(t.services, 'csirt', 'federation', undefined, 'Dana CSIRT')).actor;
  const officer = (await personWithRole(t.services, 'site-security-officer', 'site', fx.siteA1, 'Sam Officer')).actor;
  return { t, fx, csirt, officer };
}

const as = (t: TestApp, token: string) => ({
  except: (siteId: string, cve = CVE) =>
    t.app.inject({
      method: 'POST',
      url: '/api/v1/exceptions',
      headers: { authorization: `Bearer ${token}` },
      payload: { siteId, cve, justification: 'openssl rebuilt locally with the upstream fix', expiresAt: inAMonth() },
    }),
  review: (exceptionId: string, verdict: 'accept' | 'reject') =>
    t.app.inject({
      method: 'POST',
      url: `/api/v1/exceptions/${exceptionId}/${verdict}`,
      headers: { authorization: `Bearer ${token}` },
      ...(verdict === 'reject' ? { payload: { reason: 'not convincing' } } : {}),
    }),
});

test('an administrator may not accept the exception they recorded, with this token or another of theirs', async () => {
  const { t, fx, csirt } = await setup();
  await t.services.tags.tag(csirt, { cve: CVE, tag: 'EGI-Critical', reason: 'remote DoS' });
  const { personId } = await personWithRole(t.services, 'federation-admin', 'federation', undefined, 'Ada Admin');
  const [session, other] = [as(t, await tokenFor(t.services, personId)), as(t, await tokenFor(t.services, personId))];

  const created = await session.except(fx.siteA1);
  const exceptionId = created.json<{ exceptionId: string }>().exceptionId;
  const self = await session.review(exceptionId, 'accept');
  const selfOtherToken = await other.review(exceptionId, 'accept');
  const byCsirt = await t.services.exceptionReview.accept(csirt, exceptionId);

  assert.deepEqual([created.statusCode, created.json<{ status: string }>().status], [201, 'pending']);
  assert.deepEqual([self.statusCode, self.json<{ detail: string }>().detail], [403, SELF_ACCEPT]);
  assert.equal(selfOtherToken.statusCode, 403);
  assert.equal(byCsirt.status, 'accepted');
  await t.close();
});

test('a member of the CSIRT who is also a site officer may reject their own exception but not accept it', async () => {
  const { t, fx, csirt } = await setup();
  await t.services.tags.tag(csirt, { cve: CVE, tag: 'EGI-Critical', reason: 'remote DoS' });
  const both = await personWithRole(t.services, 'csirt', 'federation', undefined, 'Both Hats');
  await t.services.people.grantRole(admin, { personId: both.personId, role: 'site-security-officer', scopeType: 'site', scopeId: fx.siteA1 });
  const them = as(t, await tokenFor(t.services, both.personId));

  const first = (await them.except(fx.siteA1)).json<{ exceptionId: string; status: string }>();
  const accepted = await them.review(first.exceptionId, 'accept');
  const rejected = await them.review(first.exceptionId, 'reject');

  assert.equal(first.status, 'pending');
  assert.deepEqual([accepted.statusCode, accepted.json<{ detail: string }>().detail], [403, SELF_ACCEPT]);
  assert.deepEqual([rejected.statusCode, rejected.json<{ status: string }>().status], [200, 'rejected']);
  await t.close();
});

test("another CSIRT member accepts an officer's exception; a row without the creator's id compares the label", async () => {
  const { t, fx, csirt, officer } = await setup();
  await t.services.tags.tag(csirt, { cve: CVE, tag: 'EGI-Critical', reason: 'remote DoS' });
  const system = systemActor('vigil-cli');
  const bySystem = await t.services.exceptions.create(system, {
    siteId: fx.siteA1,
    cve: CVE,
    justification: 'recorded from the command line',
    expiresAt: inAMonth(),
  });
  const byOfficer = await t.services.exceptions.create(officer, { siteId: fx.siteA1, cve: CVE, justification: 'mitigated by SELinux', expiresAt: inAMonth() });
  const stored = await t.db.db
    .selectFrom('finding_exception')
    .select('created_by_person_id')
    .where('exception_id', '=', byOfficer.exceptionId)
    .executeTakeFirstOrThrow();

  await assert.rejects(t.services.exceptionReview.accept(system, bySystem.exceptionId), ForbiddenError);
  assert.equal((await t.services.exceptionReview.accept(csirt, byOfficer.exceptionId)).status, 'accepted');
  assert.equal(stored.created_by_person_id, officer.personId);
  await t.close();
});

test('an exception recorded while its CVE is being tagged never takes effect without review', async () => {
  const { t, fx, csirt, officer } = await setup();
  const rounds = 20;
  for (let i = 0; i < rounds; i++) {
    const cve = `CVE-2099-${10_000 + i}`;
    await Promise.all([
      t.services.tags.tag(csirt, { cve, tag: 'EGI-Critical', reason: 'remote DoS' }),
      t.services.exceptions.create(officer, { siteId: fx.siteA1, cve, justification: 'mitigated by SELinux', expiresAt: inAMonth() }),
    ]);
  }

  const unreviewed = await t.db.db
    .selectFrom('finding_exception')
    .innerJoin('cve_tag', 'cve_tag.cve_id', 'finding_exception.cve_id')
    .select('finding_exception.cve_id')
    .where('finding_exception.status', '=', 'accepted')
    .where('finding_exception.reviewed_at', 'is', null)
    .execute();
  const pending = await t.db.db.selectFrom('finding_exception').select('exception_id').where('status', '=', 'pending').execute();

  assert.deepEqual(
    unreviewed.map((r) => r.cve_id),
    [],
  );
  assert.equal(pending.length, rounds);
  await t.close();
});

test('an exception recorded while the CSIRT stops letting its tag level through never takes effect without review', async () => {
  const { t, fx, csirt, officer } = await setup();
  const inEffect: string[] = [];
  for (let i = 0; i < 20; i++) {
    const cve = `CVE-2099-${20_000 + i}`;
    await t.services.tags.tag(csirt, { cve, tag: 'EGI-High', reason: 'local privilege escalation' });
    await t.services.exceptionReview.setPolicy(csirt, ['EGI-High']);
    const [, e] = await Promise.all([
      t.services.exceptionReview.setPolicy(csirt, []),
      t.services.exceptions.create(officer, { siteId: fx.siteA1, cve, justification: 'mitigated by SELinux', expiresAt: inAMonth() }),
    ]);
    // Looked at now: the next round's policy change would hold it back after the fact.
    const [stored] = await t.services.exceptions.list(csirt, { cve });
    if (stored!.status !== 'pending') inEffect.push(`${e.cve} ${stored!.status}`);
  }

  assert.deepEqual(inEffect, []);
  await t.close();
});
