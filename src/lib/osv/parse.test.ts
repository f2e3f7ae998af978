import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';
import { InvalidError } from '../../core/errors.js';
import { compileFeed } from '../evaluate/compile.js';
import { createEvaluator } from '../evaluate/engine.js';
import { POLICIES } from '../vuln-model/policies.js';
import { osvEcosystem } from './ecosystem.js';
import { parseOsvRecord, parseOsvRecords } from './parse.js';

const load = (name: string): unknown => JSON.parse(readFileSync(new URL(`../../../test/fixtures/feeds/osv/${name}`, import.meta.url), 'utf8'));

test('a Debian DSA names the source package with its epoch-bearing fix', () => {
  const d = parseOsvRecord(load('DSA-5621-1.json'));

  assert.deepEqual(
    [d?.advisoryId, d?.cves.length, d?.affected],
    ['DSA-5621-1', 6, [{ release: 'debian:12', package: 'bind9', nameKind: 'source', scheme: 'deb', fixed: '1:9.18.24-1', fixState: 'fixed' }]],
  );
});

test('Ubuntu OSV keeps the binaries of the source package and its severity', () => {
  const d = parseOsvRecord(load('UBUNTU-CVE-2024-2398.json'));

  assert.deepEqual(d?.affected[0]?.binaries, ['curl', 'libcurl3-gnutls', 'libcurl4']);
  assert.deepEqual([d?.cves, d?.severity, d?.advisoryId], [['CVE-2024-2398'], 'medium', undefined]);
});

test('policy:unfixed: a range without a fixed event is affected with no fix; Ubuntu Pro gets its own key', () => {
  const d = parseOsvRecord(load('UBUNTU-CVE-2024-2398.json'));

  assert.deepEqual([d?.affected[1]?.release, d?.affected[1]?.fixState, d?.affected[1]?.fixed], ['ubuntu-pro:16.04', 'unfixed', undefined]);
});

test('AlmaLinux OSV omits a zero epoch and Rocky writes it; both compare the same', () => {
  const feed = parseOsvRecords([load('ALSA-2024-3061.json'), load('RLSA-2024-3061.json')]);
  const ev = createEvaluator(compileFeed(feed.definitions));
  const packages = [{ name: 'libxml2', version: '0:2.9.13-5.el9_3', arch: 'x86_64' }];

  const alma = ev.evaluate({ os: 'almalinux:9', packages }).findings;
  const rocky = ev.evaluate({ os: 'rocky:9', packages }).findings;

  assert.deepEqual([alma.map((f) => f.fixedVersion), rocky.map((f) => f.fixedVersion)], [['2.9.13-6.el9_4'], ['0:2.9.13-6.el9_4']]);
});

test('policy:withdrawn: a withdrawn record yields nothing and is counted', () => {
  const feed = parseOsvRecords([load('DEBIAN-CVE-2021-3999-withdrawn.json')]);

  assert.deepEqual([feed.definitions.length, feed.stats.skipped[POLICIES.withdrawn]], [0, 1]);
});

test('policy:never-true-range: a range with no events is skipped and counted', () => {
  const stats = { definitions: 0, affected: 0, skipped: {} };

  parseOsvRecord(
    { id: 'DEBIAN-CVE-2024-1', affected: [{ package: { ecosystem: 'Debian:12', name: 'zlib' }, ranges: [{ type: 'ECOSYSTEM', events: [] }] }] },
    stats,
  );

  assert.deepEqual(stats.skipped, { [POLICIES.neverTrueRange]: 1 });
});

test('introduced and last_affected bound the range on both sides', () => {
  const d = parseOsvRecord({
    id: 'X',
    affected: [
      {
        package: { ecosystem: 'Debian:12', name: 'zlib' },
        ranges: [{ type: 'ECOSYSTEM', events: [{ introduced: '1:1.2.11' }, { last_affected: '1:1.2.13.dfsg-1' }] }],
      },
    ],
  });

  assert.deepEqual([d?.affected[0]?.introduced, d?.affected[0]?.lastAffected], ['1:1.2.11', '1:1.2.13.dfsg-1']);
});

test('a malformed record is refused naming the JSON path', () => {
  assert.throws(
    () => parseOsvRecord({ id: 'X', affected: [{ package: { ecosystem: 'Debian:12', name: 'zlib' }, ranges: [{ type: 'ECOSYSTEM', events: 'nope' }] }] }),
    (err: unknown) => err instanceof InvalidError && err.message.includes('$.affected[0].ranges[0].events'),
  );
});

test('ecosystems outside the followed distributions are skipped and counted', () => {
  const feed = parseOsvRecords([{ id: 'GHSA-x', affected: [{ package: { ecosystem: 'npm', name: 'left-pad' }, ranges: [] }] }]);

  assert.deepEqual(feed.stats.skipped, { 'unsupported-ecosystem:npm': 1 });
});

test('Red Hat OSV streams map to keys; the main stream is the release itself', () => {
  assert.deepEqual(
    [osvEcosystem('Red Hat:enterprise_linux:9::baseos')?.release, osvEcosystem('Red Hat:rhel_eus:9.2::appstream')?.release],
    ['rhel:9', 'rhel-eus:9.2'],
  );
});

// Issue 10, class 1: advisory records (ALSA-/RLSA-/RHSA-/USN-) name their CVEs in `related`
// (and `aliases`, Red Hat also `upstream`); every finding must carry exactly those CVEs.
const CVE_RECORDS = [
  'ALSA-2024-4312.json',
  'RLSA-2024-4312.json',
  'RHSA-2024-4312.json',
  'USN-6859-1.json',
  'ALSA-2024-3061.json',
  'RLSA-2024-3061.json',
  'DSA-5621-1.json',
  'UBUNTU-CVE-2024-2398.json',
];
const cveIdsOf = (rec: Record<string, unknown>): string[] => {
  const listed = ['aliases', 'related', 'upstream'].flatMap((k) => (Array.isArray(rec[k]) ? (rec[k] as string[]) : []));
  return [...new Set([String(rec.id), ...listed].map((s) => /^(?:[A-Z]+-)?(CVE-\d{4}-\d+)$/.exec(s)?.[1]).filter((s): s is string => !!s))].sort();
};

for (const name of CVE_RECORDS) {
  test(`every finding of ${name} carries the CVEs of its aliases and related`, () => {
    const rec = load(name) as Record<string, unknown>;
    const def = parseOsvRecord(rec);
    assert.ok(def);
    const ev = createEvaluator(compileFeed([def]));
    const byRelease = new Map<string, Array<{ name: string; version: string; arch: string }>>();
    for (const r of def.affected) {
      const pkgName = r.binaries?.[0] ?? r.package;
      const version = r.scheme === 'rpm' ? '0:0.1-1.el9' : '0.1-1';
      byRelease.set(r.release, [...(byRelease.get(r.release) ?? []), { name: pkgName, version, arch: 'x86_64' }]);
    }

    const findings = [...byRelease].flatMap(([os, packages]) => ev.evaluate({ os: os.replace(/^rhel-[a-z-]+:/, 'rhel:'), packages }).findings);

    const want = cveIdsOf(rec);
    assert.ok(want.length > 0, 'the fixture names CVEs');
    assert.ok(findings.length > 0, 'an old version is found vulnerable');
    for (const f of findings) assert.deepEqual([...f.cves].sort(), want, `${f.package} on ${f.feedRelease}`);
  });
}
