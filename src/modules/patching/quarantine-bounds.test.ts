// The quarantine takes reports from anyone naming an unknown site, so it is bounded per sender
// and in total, by count and by bytes (issue 9, hole 2): over a bound the report is refused with
// the reason, nothing is kept, and the refusal is counted.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { RateLimitedError, StorageFullError } from '../../core/errors.js';
import type { HostReport } from '../../lib/pakiti-report/index.js';
import { testApp } from '../../../test/support/app.js';
import { testDatabase } from '../../../test/support/db.js';
import { systemClock } from '../../core/clock.js';
import { createQuarantineStore, DEFAULT_QUARANTINE_LIMITS, senderKey, type QuarantineLimits } from './quarantine-store.js';

const fixture = (p: string) => new URL(`../../../test/fixtures/${p}`, import.meta.url).pathname;
const form = { 'content-type': 'application/x-www-form-urlencoded' };
const lost = (host: string) =>
  readFileSync(fixture('reports/rocky9-wn.txt'), 'utf8')
    .replace('site: EXAMPLE-SITE', 'site: NO-SUCH-SITE')
    .replace(/^host:.*$/m, `host: ${host}`);

/** A report whose package list does not compress: `n` random package names. */
function bulky(host: string, n: number): HostReport {
  return {
    source: 'json',
    host,
    site: 'NO-SUCH-SITE',
    tag: undefined,
    system: 'Rocky Linux release 9.3 (Blue Onyx)',
    kernel: '5.14.0',
    arch: 'x86_64',
    cpu: undefined,
    packager: 'rpm',
    agent: { name: 'test', version: '1' },
    mode: undefined,
    packagesMissing: false,
    warnings: [],
    packages: Array.from({ length: n }, () => ({ name: randomBytes(24).toString('base64url'), version: '1.0-1', arch: 'x86_64' })),
  };
}

async function store(limits: Partial<QuarantineLimits>) {
  const db = await testDatabase();
  const refused: string[] = [];
  const quarantine = createQuarantineStore({ db: db.db, dialect: db.dialect, clock: systemClock, limits: { ...DEFAULT_QUARANTINE_LIMITS, ...limits } });
  quarantine.onRefused((reason) => refused.push(reason));
  const held = async () => await db.db.selectFrom('report_quarantine').select(['sender', 'size_bytes']).execute();
  return { db, quarantine, refused, held };
}

test('over the per-sender count a report is refused (429) and nothing is kept; another sender still reports', async () => {
  const { db, quarantine, refused, held } = await store({ senderMaxReports: 2 });
  await quarantine.hold(bulky('a1', 3), 'unknown site NO-SUCH-SITE', '192.0.2.7');
  await quarantine.hold(bulky('a2', 3), 'unknown site NO-SUCH-SITE', '192.0.2.7');

  await assert.rejects(
    quarantine.hold(bulky('a3', 3), 'unknown site NO-SUCH-SITE', '192.0.2.7'),
    (err: RateLimitedError) => err instanceof RateLimitedError && /for this sender: 2 reports/.test(err.message) && err.retryAfterSeconds > 0,
  );
  await quarantine.hold(bulky('b1', 3), 'unknown site NO-SUCH-SITE', '198.51.100.9');

  assert.deepEqual((await held()).map((r) => r.sender).sort(), ['192.0.2.7', '192.0.2.7', '198.51.100.9']);
  assert.deepEqual(refused, ['sender-reports']);
  await db.close();
});

test('over the per-sender bytes a report is refused and nothing is kept', async () => {
  const { db, quarantine, refused, held } = await store({ senderMaxBytes: 64 * 1024 });
  await quarantine.hold(bulky('a1', 2000), 'unknown site NO-SUCH-SITE', '192.0.2.7');

  await assert.rejects(quarantine.hold(bulky('a2', 2000), 'unknown site NO-SUCH-SITE', '192.0.2.7'), /for this sender: 65536 bytes/);

  assert.equal((await held()).length, 1);
  assert.deepEqual(refused, ['sender-bytes']);
  await db.close();
});

test('over the total pending count or bytes a report is refused (507) and nothing is kept', async () => {
  const byCount = await store({ maxReports: 2 });
  const byBytes = await store({ maxBytes: 64 * 1024 });
  for (const [i, address] of ['192.0.2.1', '192.0.2.2'].entries()) await byCount.quarantine.hold(bulky(`c${i}`, 3), 'unknown site', address);
  await byBytes.quarantine.hold(bulky('b0', 2000), 'unknown site', '192.0.2.1');

  await assert.rejects(
    byCount.quarantine.hold(bulky('c9', 3), 'unknown site', '192.0.2.3'),
    (err: Error) => err instanceof StorageFullError && /2 reports await review/.test(err.message),
  );
  await assert.rejects(byBytes.quarantine.hold(bulky('b9', 2000), 'unknown site', '192.0.2.3'), StorageFullError);

  assert.equal((await byCount.held()).length, 2);
  assert.equal((await byBytes.held()).length, 1);
  assert.deepEqual([...byCount.refused, ...byBytes.refused], ['total-reports', 'total-bytes']);
  // Reviewed reports leave the total bound.
  await byCount.db.db.updateTable('report_quarantine').set({ status: 'rejected' }).where('hostname', '=', 'c0').execute();
  await byCount.quarantine.hold(bulky('c9', 3), 'unknown site', '192.0.2.3');
  await byCount.db.close();
  await byBytes.db.close();
});

test('reports arriving together from one sender cannot all pass its bound', async () => {
  const { db, quarantine, held } = await store({ senderMaxReports: 3 });

  const outcomes = await Promise.allSettled(Array.from({ length: 10 }, (_, i) => quarantine.hold(bulky(`p${i}`, 50), 'unknown site', '192.0.2.7')));

  assert.equal(outcomes.filter((o) => o.status === 'fulfilled').length, 3);
  assert.equal((await held()).length, 3);
  await db.close();
});

test('a held report is stored compressed', async () => {
  const { db, quarantine } = await store({});
  const report = { ...bulky('z1', 0), packages: Array.from({ length: 3000 }, (_, i) => ({ name: `package-${i}`, version: '1.0-1.el9', arch: 'x86_64' })) };

  await quarantine.hold(report, 'unknown site', '192.0.2.7');

  const row = await db.db.selectFrom('report_quarantine').select(['report_json', 'size_bytes']).executeTakeFirstOrThrow();
  assert.equal(row.report_json, '');
  assert.ok(row.size_bytes < JSON.stringify(report).length / 5, `${row.size_bytes} bytes stored`);
  await db.close();
});

const senders = [
  ['192.0.2.7', '192.0.2.7'],
  ['::ffff:192.0.2.7', '192.0.2.7'],
  ['2001:db8:1:2:aaaa::1', '2001:db8:1:2::/64'],
  ['2001:db8:1:2:bbbb:cccc:dddd:eeee', '2001:db8:1:2::/64'],
  ['2001:db8::1', '2001:db8:0:0::/64'],
  ['1::2:3:4:5:6.7.8.9', '1:0:2:3::/64'],
  ['fe80::1%eth0', 'fe80:0:0:0::/64'],
  [undefined, 'unknown'],
  ['not an address', 'unknown'],
] as const;
for (const [address, want] of senders) {
  test(`senderKey(${address}) is ${want}`, () => assert.equal(senderKey(address), want));
}

test('over HTTP: a Pakiti client over its bound gets ERROR with the reason, a JSON sender 429 problem+json; refusals are counted', async () => {
  // Passed through testApp to createServices (testConfig does not list the quarantine keys).
  const config = { trustProxy: false as const, quarantineSenderMaxReports: 1, quarantineMaxReports: 2 };
  const t = await testApp({ config });
  const feed = (host: string, remoteAddress: string) => t.app.inject({ method: 'POST', url: '/feed/', headers: form, payload: lost(host), remoteAddress });
  const json = JSON.parse(readFileSync(fixture('reports/vigil-report-debian12.json'), 'utf8')) as Record<string, unknown>;
  const post = (host: string, remoteAddress: string) =>
    t.app.inject({ method: 'POST', url: '/api/v1/reports', payload: { ...json, host, site: 'NO-SUCH-SITE' }, remoteAddress });

  const first = await feed('wn1.lost.example.org', '192.0.2.10');
  const second = await feed('wn2.lost.example.org', '192.0.2.10');
  const jsonOk = await post('ui1.lost.example.org', '192.0.2.11');
  const jsonSender = await post('ui2.lost.example.org', '192.0.2.11');
  const jsonFull = await post('ui3.lost.example.org', '192.0.2.12');
  const metrics = await t.app.inject({ method: 'GET', url: '/metrics' });

  assert.equal(first.body, 'OK\n');
  assert.equal(second.statusCode, 500);
  assert.match(second.body, /^ERROR: quarantine full for this sender: 1 reports held in the last 24 hours; report not kept\n$/);
  assert.equal(jsonOk.json().outcome, 'quarantined');
  assert.equal(jsonSender.statusCode, 429);
  assert.equal(jsonSender.headers['content-type'], 'application/problem+json; charset=utf-8');
  assert.ok(Number(jsonSender.headers['retry-after']) > 0);
  assert.equal(jsonFull.statusCode, 507);
  assert.match(jsonFull.json().detail, /quarantine full: 2 reports await review/);
  const held = await t.db.db.selectFrom('report_quarantine').select('hostname').orderBy('hostname').execute();
  assert.deepEqual(
    held.map((r) => r.hostname),
    ['ui1.lost.example.org', 'wn1.lost.example.org'],
  );
  assert.match(metrics.body, /vigil_quarantine_refused_total\{reason="sender-reports"\} 2/);
  assert.match(metrics.body, /vigil_quarantine_refused_total\{reason="total-reports"\} 1/);
  await t.close();
});
