// Issue 10, item 12: a Debian/Ubuntu feed whose release has no binary → source index says so.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { fixedClock } from '../../core/clock.js';
import { createServices } from '../../server/services.js';
import { testDatabase } from '../../../test/support/db.js';
import { admin } from '../../../test/support/seed.js';
import { MISSING_INDEX } from './index-coverage.js';

const fixture = (path: string) => new URL(`../../../test/fixtures/${path}`, import.meta.url).pathname;

async function setup() {
  const db = await testDatabase();
  const s = createServices(db, { sessionTtlHours: 1, loginMaxFailures: 5, loginWindowMinutes: 15 }, fixedClock(new Date('2026-06-01T00:00:00Z')));
  return { db, s };
}
const indexWarnings = (f: { warnings: string[] }) => f.warnings.filter((w) => w.startsWith(MISSING_INDEX));

test('a Debian OVAL feed without a debian-index feed for its release carries a warning, in the list and on import', async () => {
  const { db, s } = await setup();

  const imported = await s.feeds.importFrom(admin, {
    name: 'debian-12-tiff',
    format: 'oval',
    source: fixture('feeds/debian-12-tiff.oval.xml'),
    release: 'debian:12',
  });
  const listed = (await s.feeds.list()).find((f) => f.name === 'debian-12-tiff');

  assert.equal(indexWarnings(imported).length, 1);
  assert.match(indexWarnings(imported)[0]!, /^no debian-index feed for debian:12: .*libtiff6.*--format debian-index --release debian:12/);
  assert.deepEqual(indexWarnings(listed!), indexWarnings(imported));
  await db.close();
});

test('the warning goes once the release has an index with names, and Ubuntu OVAL (which lists binaries) never carries it', async () => {
  const { db, s } = await setup();
  await s.feeds.importFrom(admin, { name: 'debian-12-tiff', format: 'oval', source: fixture('feeds/debian-12-tiff.oval.xml'), release: 'debian:12' });
  await s.feeds.importFrom(admin, { name: 'ubuntu-22.04', format: 'oval', source: fixture('feeds/ubuntu-jammy.cve.oval.xml'), release: 'ubuntu:22.04' });

  await s.feeds.importFrom(admin, {
    name: 'debian-12-sources',
    format: 'debian-index',
    source: fixture('debian-index/bookworm-main-Sources'),
    release: 'debian:12',
  });
  const list = await s.feeds.list();

  assert.deepEqual(
    list.map((f) => [f.name, indexWarnings(f).length]),
    [
      ['debian-12-sources', 0],
      ['debian-12-tiff', 0],
      ['ubuntu-22.04', 0],
    ],
  );
  await db.close();
});
