import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';
import { InvalidError } from '../../core/errors.js';
import { compileFeed } from '../evaluate/compile.js';
import { createEvaluator } from '../evaluate/engine.js';
import { POLICIES } from '../vuln-model/policies.js';
import { parseCsafVex } from './parse.js';
import { cpeRelease, parseRpmPurl } from './product-tree.js';

const doc = (): unknown => JSON.parse(readFileSync(new URL('../../../test/fixtures/feeds/csaf/cve-2023-3446.json', import.meta.url), 'utf8'));

test('fixed products become one definition per advisory, arches merged, source rpms left out', () => {
  const feed = parseCsafVex(doc());
  const fixed = feed.definitions.find((d) => d.advisoryId === 'RHSA-2024:3061');

  assert.deepEqual(fixed?.affected, [
    {
      release: 'rhel:9',
      package: 'openssl-libs',
      nameKind: 'binary',
      scheme: 'rpm',
      fixState: 'fixed',
      fixed: '1:3.0.7-27.el9',
      arches: ['x86_64', 'aarch64'],
    },
  ]);
  assert.deepEqual([fixed?.id, fixed?.cves, fixed?.severity], ['CVE-2023-3446#RHSA-2024:3061', ['CVE-2023-3446'], 'low']);
});

test('known_affected is unfixed, or will-not-fix when no fix is planned', () => {
  const feed = parseCsafVex(doc());
  const open = feed.definitions.find((d) => d.advisoryId === undefined);

  assert.deepEqual(
    open?.affected.map((a) => [a.release, a.package, a.fixState, a.nameKind]),
    [
      ['rhel:8', 'openssl', 'unfixed', 'source'],
      ['rhel:7', 'openssl098e', 'wont-fix', 'source'],
    ],
  );
});

test('known_not_affected products and fixed source rpms are counted, not matched', () => {
  assert.deepEqual(parseCsafVex(doc()).stats.skipped, { 'source-rpm': 1, 'known-not-affected': 1 });
});

test('a CSAF definition evaluates like any other: an unfixed CVE on RHEL 8 has no fix to apply', () => {
  const ev = createEvaluator(compileFeed(parseCsafVex(doc()).definitions));

  const f = ev.evaluate({ os: 'rhel:8', packages: [{ name: 'openssl', version: '1:1.1.1k-12.el8_9', arch: 'x86_64' }] }).findings[0];

  assert.deepEqual([f?.fixAvailable, f?.fixedVersion, f?.notes], [false, null, [POLICIES.unfixed, POLICIES.sourceToBinary, POLICIES.sourceNameFallback]]);
});

test('the purl gives name, epoch:version-release, arch and module stream', () => {
  assert.deepEqual(
    parseRpmPurl('pkg:rpm/redhat/postgresql@13.13-1.module%2Bel8.9.0%2B20843%2Bc2d4c8b5?arch=x86_64&rpmmod=postgresql:13:8090020231114162256:a75119d5'),
    {
      name: 'postgresql',
      version: '0:13.13-1.module+el8.9.0+20843+c2d4c8b5',
      arch: 'x86_64',
      module: 'postgresql:13',
    },
  );
});

test('CPEs map to the main stream or an EUS stream of its own', () => {
  assert.deepEqual(
    [
      cpeRelease('cpe:/a:redhat:enterprise_linux:8::appstream'),
      cpeRelease('cpe:/a:redhat:rhel_eus:9.2::appstream'),
      cpeRelease('cpe:/a:redhat:jboss_core_services:1'),
    ],
    ['rhel:8', 'rhel-eus:9.2', undefined],
  );
});

test('a document that is not CSAF is refused naming the field', () => {
  assert.throws(
    () => parseCsafVex({ document: { tracking: {} }, vulnerabilities: [] }),
    (err: unknown) => err instanceof InvalidError && err.message.includes('$.document.tracking.id'),
  );
});
