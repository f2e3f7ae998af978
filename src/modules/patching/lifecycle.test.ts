import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createServices } from '../../server/services.js';
import type { HostReport } from '../../lib/pakiti-report/index.js';
import { testDatabase } from '../../../test/support/db.js';
import { testApp, tokenFor } from '../../../test/support/app.js';
import { ConflictError, ForbiddenError } from '../../core/errors.js';
import { admin, personWithRole } from '../../../test/support/seed.js';
import { globMatcher, isBelow } from './lifecycle.js';

const base = {
  source: 'json',
  tag: undefined,
  kernel: undefined,
  arch: 'x86_64',
  cpu: undefined,
  agent: undefined,
  mode: undefined,
  packagesMissing: false,
  warnings: [],
} as const;
const rpmHost = (host: string, site: string, packages: Array<[string, string]>): HostReport => ({
  ...base,
  host,
  site,
  system: 'AlmaLinux release 9.4 (Seafoam Ocelot)',
  packager: 'rpm',
  packages: packages.map(([name, version]) => ({ name, version, arch: 'x86_64' })),
});
const debHost = (host: string, site: string, packages: Array<[string, string]>): HostReport => ({
  ...base,
  host,
  site,
  system: 'Debian GNU/Linux 12',
  packager: 'dpkg',
  packages: packages.map(([name, version]) => ({ name, version, arch: 'amd64' })),
});

test("versions are compared in each package manager's own order", () => {
  assert.equal(isBelow('rpm', '0:1.127-1', '1.128-1'), true);
  assert.equal(isBelow('rpm', '0:1.128-1', '1.128-1'), false);
  assert.equal(isBelow('dpkg', '1.128~rc1-1', '1.128-1'), true);
  assert.equal(isBelow('dpkg', '1:1.0-1', '1.128-1'), false);
});

test('package patterns match as shell globs, anchored, in linear time', () => {
  const cases: Array<[string, string, boolean]> = [
    ['globus-*', 'globus-gridftp-server', true],
    ['globus-*', 'xglobus-common', false],
    ['*-devel', 'openssl-devel', true],
    ['lib*ssl*', 'libssl3', true],
    ['lib*ssl*', 'libcrypto', false],
    ['ca-policy-egi-core', 'ca-policy-egi-core', true],
    ['ca-policy-egi-core', 'ca-policy-egi-core-extra', false],
    ['a*a', 'a', false],
    ['a*a', 'aa', true],
    ['*', '', true],
  ];
  for (const [glob, name, expected] of cases) assert.equal(globMatcher(glob)(name), expected, `${glob} ~ ${name}`);
  // As a regex of `.*`s this pattern backtracks for hours on this name.
  assert.equal(globMatcher(`${'*a'.repeat(40)}*b`)('a'.repeat(200)), false);
});

test("end-of-life and minimum-version rules flag the hosts whose package sets break them, within the reader's reach", async () => {
  const db = await testDatabase();
  const s = createServices(db, { sessionTtlHours: 1, loginMaxFailures: 5, loginWindowMinutes: 15 });
  const ngiA = await s.registry.createNgi(admin, { name: 'NGI_A' });
  const ngiB = await s.registry.createNgi(admin, { name: 'NGI_B' });
  const siteA = await s.registry.createSite(admin, { name: 'SITE-A', ngiId: ngiA.ngiId });
  const siteB = await s.registry.createSite(admin, { name: 'SITE-B', ngiId: ngiB.ngiId });
  for (const site of [siteA, siteB]) await s.reporters.setAnonymous(admin, site.siteId, true);
  await s.intake.accept(
    rpmHost('ce1.a', 'SITE-A', [
      ['globus-gridftp-server', '0:13.25-1.el9'],
      ['ca-policy-egi-core', '0:1.127-1'],
    ]),
    {},
    'store-only',
    't',
  );
  await s.intake.accept(
    rpmHost('wn1.a', 'SITE-A', [
      ['bash', '0:5.1.8-6.el9'],
      ['ca-policy-egi-core', '0:1.128-1'],
    ]),
    {},
    'store-only',
    't',
  );
  await s.intake.accept(
    debHost('ui1.b', 'SITE-B', [
      ['globus-common-progs', '18.14-2'],
      ['ca-policy-egi-core', '1.126-1'],
    ]),
    {},
    'store-only',
    't',
  );

  const eol = await s.lifecycle.create(admin, {
    name: 'Globus Toolkit end of life',
    kind: 'end-of-life',
    packagePattern: 'globus-*',
    message: 'Globus Toolkit 6 is end of life',
  });
  const ca = await s.lifecycle.create(admin, {
    name: 'Trust anchors 1.128',
    kind: 'minimum-version',
    packagePattern: 'ca-policy-egi-core',
    version: '1.128-1',
    message: 'update the IGTF bundle',
  });
  const siteAdminA = (await personWithRole(s, 'site-admin', 'site', siteA.siteId)).actor;

  const page = { limit: 50, offset: 0, order: 'asc' as const, sort: 'hostname' };
  assert.deepEqual(
    (await s.lifecycle.hosts(admin, eol.ruleId, page)).items.map((h) => [h.hostname, h.package]),
    [
      ['ce1.a', 'globus-gridftp-server 0:13.25-1.el9'],
      ['ui1.b', 'globus-common-progs 18.14-2'],
    ],
  );
  assert.deepEqual(
    (await s.lifecycle.hosts(admin, ca.ruleId, page)).items.map((h) => h.hostname),
    ['ce1.a', 'ui1.b'],
  );
  assert.deepEqual(
    (await s.lifecycle.hosts(siteAdminA, ca.ruleId, page)).items.map((h) => h.hostname),
    ['ce1.a'],
  );
  assert.deepEqual(
    (await s.lifecycle.list(admin)).map((r) => [r.name, r.hosts]),
    [
      ['Globus Toolkit end of life', 2],
      ['Trust anchors 1.128', 2],
    ],
  );
  // The drill-down counts them per NGI, then per site of one NGI.
  assert.deepEqual(
    (await s.patchingViews.summary(admin, {})).items.map((i) => [i.name, i.byLifecycleRule]),
    [
      ['NGI_A', { 'Globus Toolkit end of life': 1, 'Trust anchors 1.128': 1 }],
      ['NGI_B', { 'Globus Toolkit end of life': 1, 'Trust anchors 1.128': 1 }],
    ],
  );
  await s.lifecycle.setEnabled(admin, eol.ruleId, false);
  assert.deepEqual(
    (await s.patchingViews.summary(siteAdminA, { ngiId: ngiA.ngiId })).items.map((i) => [i.name, i.hosts, i.byLifecycleRule]),
    [['SITE-A', 2, { 'Trust anchors 1.128': 1 }]],
  );
  // A rule whose hits were never filled (as migration 0005 leaves older rules) is indexed on demand.
  await db.db.updateTable('lifecycle_rule').set({ indexed_at: null }).where('rule_id', '=', ca.ruleId).execute();
  await db.db.deleteFrom('lifecycle_set_hit').where('rule_id', '=', ca.ruleId).execute();
  assert.equal(await s.lifecycle.indexPending(), 1);
  assert.equal(await s.lifecycle.indexPending(), 0);
  // A set stored after the rule was made is checked against it when stored.
  await s.intake.accept(
    rpmHost('wn2.a', 'SITE-A', [
      ['bash', '0:5.1.8-6.el9'],
      ['ca-policy-egi-core', '0:1.120-1'],
    ]),
    {},
    'store-only',
    't',
  );
  assert.deepEqual(
    (await s.lifecycle.hosts(admin, ca.ruleId, page)).items.map((h) => [h.hostname, h.package]),
    [
      ['ce1.a', 'ca-policy-egi-core 0:1.127-1'],
      ['ui1.b', 'ca-policy-egi-core 1.126-1'],
      ['wn2.a', 'ca-policy-egi-core 0:1.120-1'],
    ],
  );
  await db.close();
});

test('a rule not yet in force flags nothing', async () => {
  const db = await testDatabase();
  const s = createServices(db, { sessionTtlHours: 1, loginMaxFailures: 5, loginWindowMinutes: 15 });
  const ngi = await s.registry.createNgi(admin, { name: 'NGI_A' });
  const site = await s.registry.createSite(admin, { name: 'SITE-A', ngiId: ngi.ngiId });
  await s.reporters.setAnonymous(admin, site.siteId, true);
  await s.intake.accept(rpmHost('ce1.a', 'SITE-A', [['globus-gridftp-server', '0:13.25-1.el9']]), {}, 'store-only', 't');

  const rule = await s.lifecycle.create(admin, {
    name: 'later',
    kind: 'end-of-life',
    packagePattern: 'globus-*',
    effectiveFrom: '2099-01-01T00:00:00Z',
    message: 'later',
  });

  assert.equal((await s.lifecycle.hosts(admin, rule.ruleId, { limit: 10, offset: 0, order: 'asc' })).total, 0);
  await db.close();
});

// Issue 11, item 5: a rule is edited in place; when what it matches changes, its hits are refilled.
async function editSetup() {
  const t = await testApp();
  const ngi = await t.services.registry.createNgi(admin, { name: 'NGI_A' });
  const site = await t.services.registry.createSite(admin, { name: 'SITE-A', ngiId: ngi.ngiId });
  await t.services.reporters.setAnonymous(admin, site.siteId, true);
  for (const [host, version] of [
    ['ce1.a', '0:1.120-1'],
    ['wn1.a', '0:1.127-1'],
    ['wn2.a', '0:1.128-1'],
  ] as const)
    await t.services.intake.accept(rpmHost(host, 'SITE-A', [['ca-policy-egi-core', version]]), {}, 'store-only', 't');
  const csirt = await personWithRole(t.services, 'csirt', 'federation', undefined, 'Dana CSIRT');
  const rule = await t.services.lifecycle.create(csirt.actor, {
    name: 'Trust anchors 1.125',
    kind: 'minimum-version',
    packagePattern: 'ca-policy-egi-core',
    version: '1.125-1',
    message: 'update the IGTF bundle',
  });
  return { t, csirt, rule };
}
const everyHost = { limit: 50, offset: 0, order: 'asc' as const, sort: 'hostname' };

test("raising a rule's minimum version flags the hosts now below it", async () => {
  const { t, csirt, rule } = await editSetup();
  assert.deepEqual(
    (await t.services.lifecycle.hosts(admin, rule.ruleId, everyHost)).items.map((h) => h.hostname),
    ['ce1.a'],
  );

  const edited = await t.services.lifecycle.update(csirt.actor, rule.ruleId, { name: 'Trust anchors 1.128', version: '1.128-1' });

  assert.deepEqual(
    [edited.name, edited.version, edited.kind, edited.packagePattern],
    ['Trust anchors 1.128', '1.128-1', 'minimum-version', 'ca-policy-egi-core'],
  );
  assert.deepEqual(
    (await t.services.lifecycle.hosts(admin, rule.ruleId, everyHost)).items.map((h) => [h.hostname, h.package]),
    [
      ['ce1.a', 'ca-policy-egi-core 0:1.120-1'],
      ['wn1.a', 'ca-policy-egi-core 0:1.127-1'],
    ],
  );
  assert.deepEqual(
    (await t.services.lifecycle.list(admin)).map((r) => [r.name, r.hosts]),
    [['Trust anchors 1.128', 2]],
  );
  await t.close();
});

test('an edit is audited with the rule before and after', async () => {
  const { t, csirt, rule } = await editSetup();

  await t.services.lifecycle.update(csirt.actor, rule.ruleId, { message: 'install ca-policy-egi-core 1.128', effectiveFrom: '2026-07-01T02:00:00+02:00' });

  const events = await t.db.db
    .selectFrom('audit_event')
    .select(['actor_label', 'object_id', 'before_json', 'after_json'])
    .where('action', '=', 'lifecycle-rule.update')
    .execute();
  assert.equal(events.length, 1);
  const [event] = events;
  const before = JSON.parse(event!.before_json!) as Record<string, unknown>;
  const after = JSON.parse(event!.after_json!) as Record<string, unknown>;
  assert.deepEqual([event!.actor_label, event!.object_id], ['Dana CSIRT', rule.ruleId]);
  assert.deepEqual([before.message, after.message], ['update the IGTF bundle', 'install ca-policy-egi-core 1.128']);
  // Stored in UTC, so it compares rightly with the clock's ISO time.
  assert.equal(after.effectiveFrom, '2026-07-01T00:00:00.000Z');
  assert.equal(after.version, '1.125-1');
  await t.close();
});

test('an edit to the name of another rule is a 409, and a minimum-version rule without a version a 422', async () => {
  const { t, csirt, rule } = await editSetup();
  await t.services.lifecycle.create(csirt.actor, { name: 'Globus', kind: 'end-of-life', packagePattern: 'globus-*', message: 'Globus is end of life' });
  const token = await tokenFor(t.services, csirt.personId);
  const patch = (payload: object) =>
    t.app.inject({ method: 'PATCH', url: `/api/v1/lifecycle-rules/${rule.ruleId}`, headers: { authorization: `Bearer ${token}` }, payload });

  const clash = await patch({ name: 'Globus' });
  const noVersion = await patch({ version: null });
  const globusNoVersion = await patch({ kind: 'end-of-life', version: null });
  const backToMinimum = await patch({ kind: 'minimum-version' });
  const unknown = await t.app.inject({
    method: 'PATCH',
    url: '/api/v1/lifecycle-rules/nosuchrule',
    headers: { authorization: `Bearer ${token}` },
    payload: { message: 'x' },
  });

  assert.equal(clash.statusCode, 409);
  assert.equal(noVersion.statusCode, 422);
  assert.equal(globusNoVersion.statusCode, 200);
  assert.equal(backToMinimum.statusCode, 422);
  assert.equal(unknown.statusCode, 404);
  assert.deepEqual(
    (await t.services.lifecycle.list(admin)).map((r) => [r.name, r.kind, r.version]),
    [
      ['Globus', 'end-of-life', null],
      ['Trust anchors 1.125', 'end-of-life', null],
    ],
  );
  await t.close();
});

test('only holders of lifecycle:manage edit a rule', async () => {
  const { t, rule } = await editSetup();
  const reader = (await personWithRole(t.services, 'read-only', 'federation')).actor;

  await assert.rejects(t.services.lifecycle.update(reader, rule.ruleId, { message: 'nothing to see' }), ForbiddenError);
  await t.close();
});

test('two rules created at the same moment under one name: one is stored, the other is a 409, never a 500', async () => {
  const db = await testDatabase();
  const s = createServices(db, { sessionTtlHours: 1, loginMaxFailures: 5, loginWindowMinutes: 15 });
  const input = { name: 'Globus end of life', kind: 'end-of-life' as const, packagePattern: 'globus-*', message: 'Remove the Globus Toolkit.' };

  const results = await Promise.allSettled([s.lifecycle.create(admin, input), s.lifecycle.create(admin, input)]);

  assert.deepEqual(results.map((r) => r.status).sort(), ['fulfilled', 'rejected']);
  const refused = results.find((r) => r.status === 'rejected') as PromiseRejectedResult;
  assert.ok(refused.reason instanceof ConflictError, String(refused.reason));
  assert.equal((await s.lifecycle.list(admin)).length, 1);
  await db.close();
});
