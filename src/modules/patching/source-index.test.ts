import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fixedClock } from '../../core/clock.js';
import { InvalidError } from '../../core/errors.js';
import type { HostReport } from '../../lib/pakiti-report/index.js';
import { createServices } from '../../server/services.js';
import { testDatabase } from '../../../test/support/db.js';
import { admin } from '../../../test/support/seed.js';
import { feedGeneration } from './feeds.js';
import { reevaluateStale } from './evaluation.js';

const fixture = (path: string) => new URL(`../../../test/fixtures/${path}`, import.meta.url).pathname;
const sources = readFileSync(fixture('debian-index/bookworm-main-Sources'));
const scratch = mkdtempSync(join(tmpdir(), 'vigil-source-index-'));
const write = (name: string, bytes: Buffer | string) => {
  const path = join(scratch, name);
  writeFileSync(path, bytes);
  return path;
};
const debianHost = (packages: HostReport['packages']): HostReport => ({
  source: 'json',
  host: 'ui01.example.org',
  site: 'SITE-D',
  tag: undefined,
  system: 'Debian GNU/Linux 12 (bookworm)',
  kernel: '6.1.0-21-amd64',
  arch: 'x86_64',
  cpu: undefined,
  packager: 'dpkg',
  agent: undefined,
  mode: undefined,
  packagesMissing: false,
  warnings: [],
  packages,
});

async function setup() {
  const db = await testDatabase();
  const clock = fixedClock(new Date('2026-06-01T00:00:00Z'));
  const s = createServices(db, { sessionTtlHours: 1, loginMaxFailures: 5, loginWindowMinutes: 15 }, clock);
  const ngi = await s.registry.createNgi(admin, { name: 'NGI_D' });
  const site = await s.registry.createSite(admin, { name: 'SITE-D', ngiId: ngi.ngiId });
  await s.reporters.setAnonymous(admin, site.siteId, true);
  const reevaluate = () =>
    reevaluateStale(
      db.db,
      s.evaluators,
      () => clock.now().toISOString(),
      async () => undefined,
    );
  return { db, s, reevaluate };
}

test('a Debian 12 host with libtiff6 meets the tiff definition once the Sources index is imported', async () => {
  const { db, s, reevaluate } = await setup();
  await s.feeds.importFrom(admin, { name: 'debian-12-tiff', format: 'oval', source: fixture('feeds/debian-12-tiff.oval.xml'), release: 'debian:12' });
  const { hostId } = await s.intake.accept(debianHost([{ name: 'libtiff6', version: '4.5.0-6', arch: 'amd64' }]), {}, 'store-only', 'test');
  const before = await s.patchingViews.getHost(admin, hostId!);

  const index = await s.feeds.importFrom(admin, {
    name: 'debian-12-sources',
    format: 'debian-index',
    source: write('Sources.xz', execFileSync('xz', ['-c'], { input: sources })),
    release: 'debian:12',
  });
  const done = await reevaluate();
  const after = await s.patchingViews.getHost(admin, hostId!);

  assert.deepEqual(before.findings, []);
  assert.deepEqual([index.mappingCount, index.definitionCount, index.cveCount, index.warnings], [16, 0, 0, []]);
  assert.deepEqual(done, { evaluations: 1, hosts: 1 });
  assert.deepEqual(
    after.findings.map((f) => [f.cve, f.package, f.installedVersion, f.fixedVersion]),
    [['CVE-2023-52356', 'libtiff6', '4.5.0-6', '0:4.5.0-6+deb12u1']],
  );
  assert.ok(!after.findings[0]!.notes.includes('policy:source-name-fallback'), 'the index knew the source');
  assert.equal(
    after.noteSentences['policy:source-to-binary'],
    'The vendor names the source package; the fix applies to this binary package built from it.',
    'each note of the host page comes with its sentence',
  );
  await db.close();
});

test('a refresh that reads the same names from new bytes keeps the generation; a new name moves it', async () => {
  const { db, s } = await setup();
  const path = write('Sources', sources);
  const feed = await s.feeds.importFrom(admin, { name: 'debian-12-sources', format: 'debian-index', source: path, release: 'debian:12' });
  const generation = await feedGeneration(db.db);
  // A new upload changes versions and checksums, not which binaries a source builds.
  writeFileSync(path, sources.toString('utf8').replace('Version: 4.5.0-6+deb12u1', 'Version: 4.5.0-6+deb12u2'));

  const again = await s.feeds.refresh(admin, feed.feedId);
  const sameGeneration = await feedGeneration(db.db);
  writeFileSync(path, `${sources.toString('utf8')}\nPackage: libtiff-extra\nSource: tiff (4.5.0-6+deb12u1)\n`);
  const grown = await s.feeds.refresh(admin, feed.feedId);

  assert.equal(sameGeneration, generation);
  assert.equal(again.mappingCount, 16);
  assert.equal(grown.mappingCount, 17);
  assert.equal(await feedGeneration(db.db), generation + 1);
  const maps = await s.feeds.sourceMaps();
  assert.equal(maps.get('debian:12')?.get('libtiff-extra'), 'tiff');
  assert.equal(maps.get('debian:12')?.get('xsltproc'), 'libxslt');
  await db.close();
});

test('an index that yields no pairs fails the refresh and the feed says why', async () => {
  const { db, s } = await setup();

  const attempt = s.feeds.importFrom(admin, { name: 'empty', format: 'debian-index', source: write('empty-Sources', '\n\n'), release: 'debian:12' });

  await assert.rejects(attempt, /this index yielded no binary → source pairs/);
  const feed = (await s.feeds.list()).find((f) => f.name === 'empty')!;
  assert.deepEqual([feed.lastStatus, feed.mappingCount], ['error', 0]);
  assert.match(feed.lastError ?? '', /is it a Sources or Packages file/);
  await db.close();
});

test('a directory gives the names of every index in it, Packages without Source included', async () => {
  const { db, s } = await setup();
  const dir = mkdtempSync(join(scratch, 'lists-'));
  writeFileSync(join(dir, 'main_source_Sources'), sources);
  writeFileSync(join(dir, 'main_binary-amd64_Packages'), readFileSync(fixture('debian-index/jammy-main-amd64-Packages')));
  writeFileSync(join(dir, 'Release'), 'Origin: Ubuntu\n');

  const feed = await s.feeds.importFrom(admin, { name: 'jammy', format: 'debian-index', source: dir, release: 'ubuntu:22.04' });
  const maps = await s.feeds.sourceMaps();

  assert.equal(feed.mappingCount, 18);
  assert.deepEqual([maps.get('ubuntu:22.04')?.get('libjpeg-turbo8'), maps.get('ubuntu:22.04')?.get('bash')], ['libjpeg-turbo', 'bash']);
  await db.close();
});

test('a debian-index feed needs a Debian or Ubuntu release', async () => {
  const { db, s } = await setup();

  const attempt = s.feeds.add(admin, { name: 'rhel', format: 'debian-index', source: '/dev/null', release: 'rhel:9' });

  await assert.rejects(attempt, InvalidError);
  await db.close();
});
