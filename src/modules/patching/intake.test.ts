// Intake through the service: the remembered package section (a report whose list is
// byte-identical to one already stored is not parsed again) must give exactly what a full parse gives.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { createServices } from '../../server/services.js';
import { testDatabase } from '../../../test/support/db.js';
import { admin } from '../../../test/support/seed.js';
import { setMembers } from './package-sets.js';

const fixture = (p: string) => readFileSync(new URL(`../../../test/fixtures/${p}`, import.meta.url), 'utf8');
const report = fixture('reports/rocky9-wn.txt');
const renamed = (host: string, body = report) => body.replace(/^host:.*$/m, `host: ${host}`);

async function setUp() {
  const db = await testDatabase();
  const s = createServices(db, { sessionTtlHours: 1, loginMaxFailures: 5, loginWindowMinutes: 15 });
  const ngi = await s.registry.createNgi(admin, { name: 'NGI_I' });
  const site = await s.registry.createSite(admin, { name: 'EXAMPLE-SITE', ngiId: ngi.ngiId });
  await s.reporters.setAnonymous(admin, site.siteId, true);
  await s.feeds.importFrom(admin, {
    format: 'oval',
    source: new URL('../../../test/fixtures/feeds/rhel-9.oval.xml', import.meta.url).pathname,
    release: 'rhel:9',
  });
  return { db, s };
}

const hostRow = (db: Awaited<ReturnType<typeof testDatabase>>, hostname: string) =>
  db.db.selectFrom('host').selectAll().where('hostname', '=', hostname).executeTakeFirstOrThrow();
const openFindings = async (db: Awaited<ReturnType<typeof testDatabase>>, hostId: string) =>
  (await db.db.selectFrom('host_finding').select(['cve_id', 'package_name']).where('host_id', '=', hostId).where('fixed_at', 'is', null).execute())
    .map((r) => `${r.cve_id} ${r.package_name}`)
    .sort();

test('a second host sending a known package section gets the same set, evaluation and findings as a full parse', async () => {
  const { db, s } = await setUp();
  const first = await s.intake.acceptProtocol5(report, {}, {}, 'store-only', () => 'test');
  const second = await s.intake.acceptProtocol5(renamed('wn043.grid.example.org'), {}, {}, 'store-only', () => 'test');

  assert.equal(first.report.packages.length > 0, true, 'the first report was parsed');
  assert.deepEqual(second.report.packages, [], "the second report's package section was not parsed");
  const [a, b] = [await hostRow(db, 'wn042.grid.example.org'), await hostRow(db, 'wn043.grid.example.org')];
  assert.equal(b.set_id, a.set_id);
  assert.equal(b.eval_key, a.eval_key);
  assert.deepEqual(await openFindings(db, b.host_id), await openFindings(db, a.host_id));
  assert.equal((await openFindings(db, b.host_id)).length, 5);
  // The same host again, unchanged: one more report, nothing else.
  const again = await s.intake.acceptProtocol5(renamed('wn043.grid.example.org'), {}, {}, 'store-only', () => 'test');
  assert.equal(again.result.outcome, 'unchanged');
  await db.close();
});

test('a remembered section whose set is gone from the database is parsed after all', async () => {
  const { db, s } = await setUp();
  await s.intake.acceptProtocol5(report, {}, {}, 'store-only', () => 'test');
  const { set_id: setId, host_id: hostId, eval_key: evalKey } = await hostRow(db, 'wn042.grid.example.org');
  // As a purge of unused sets would leave it: the host, its evaluation and its set removed.
  await db.db.deleteFrom('host_finding').where('host_id', '=', hostId).execute();
  await db.db.deleteFrom('host').where('host_id', '=', hostId).execute();
  await db.db.deleteFrom('finding').where('eval_key', '=', evalKey!).execute();
  await db.db.deleteFrom('evaluation').where('eval_key', '=', evalKey!).execute();
  await db.db.deleteFrom('lifecycle_set_hit').where('set_id', '=', setId!).execute();
  await db.db.deleteFrom('package_set').where('set_id', '=', setId!).execute();

  const next = await s.intake.acceptProtocol5(renamed('wn044.grid.example.org'), {}, {}, 'store-only', () => 'test');
  assert.equal(next.result.outcome, 'stored');
  assert.ok(next.report.packages.length > 0, 'parsed in full');
  const row = await hostRow(db, 'wn044.grid.example.org');
  assert.equal(row.set_id, setId);
  assert.equal((await setMembers(db.db, setId!)).length, next.report.packages.length);
  assert.equal((await openFindings(db, row.host_id)).length, 5);
  await db.close();
});

test('a changed package list is parsed, stored as a new set, and its package history recorded', async () => {
  const { db, s } = await setUp();
  await s.intake.acceptProtocol5(report, {}, {}, 'store-only', () => 'test');
  const updated = report.replace(/^(openssl-libs\s+)\S+/m, '$11:3.0.7-27.el9').replace(/^(openssl\s+)\S+/m, '$11:3.0.7-27.el9');
  assert.notEqual(updated, report);
  const res = await s.intake.acceptProtocol5(updated, {}, {}, 'store-only', () => 'test');
  assert.equal(res.result.outcome, 'stored');
  const row = await hostRow(db, 'wn042.grid.example.org');
  assert.deepEqual(await openFindings(db, row.host_id), ['CVE-2023-52434 kernel-core']);
  const events = await db.db
    .selectFrom('host_package_event')
    .select(['name', 'version', 'appeared_at', 'disappeared_at'])
    .where('host_id', '=', row.host_id)
    .orderBy('name')
    .orderBy('version')
    .execute();
  assert.deepEqual(
    events.map((e) => [e.name, e.version, e.disappeared_at === null]),
    [
      ['openssl', '1:3.0.7-24.el9', false],
      ['openssl', '1:3.0.7-27.el9', true],
      ['openssl-libs', '1:3.0.7-24.el9', false],
      ['openssl-libs', '1:3.0.7-27.el9', true],
    ],
  );

  // Back to the first list: the open stays of the newer versions are closed (set-based update).
  await s.intake.acceptProtocol5(report, {}, {}, 'store-only', () => 'test');
  const closed = await db.db
    .selectFrom('host_package_event')
    .select(['name', 'version', 'disappeared_at'])
    .where('host_id', '=', row.host_id)
    .where('version', '=', '1:3.0.7-27.el9')
    .orderBy('name')
    .execute();
  assert.deepEqual(
    closed.map((e) => [e.name, e.disappeared_at !== null]),
    [
      ['openssl', true],
      ['openssl-libs', true],
    ],
  );
  await db.close();
});
