// Issue 10, class 4: ranges without module criteria (older OVAL, most OSV) whose fix is itself a
// module build (policy:module-stream-from-fix).
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';
import { parseOsvRecord } from '../osv/parse.js';
import { POLICIES } from '../vuln-model/policies.js';
import type { Definition } from '../vuln-model/types.js';
import { compileFeed } from './compile.js';
import { createEvaluator } from './engine.js';
import { streamsOfModularFix } from './module-stream.js';

const osv = (name: string): Definition => {
  const d = parseOsvRecord(JSON.parse(readFileSync(new URL(`../../../test/fixtures/feeds/osv/${name}`, import.meta.url), 'utf8')));
  assert.ok(d);
  return d;
};
const PG13 = osv('ALSA-2024-1000.json');
const findingsOn = (defs: Definition[], os: string, name: string, version: string) =>
  createEvaluator(compileFeed(defs)).evaluate({ os, packages: [{ name, version, arch: 'x86_64' }] }).findings;

test('an OSV fix that is a module build applies to a module build of its stream, noted', () => {
  const f = findingsOn([PG13], 'almalinux:8', 'postgresql-server', '0:13.11-1.module_el8.8.0+3567+1a2b3c4d');

  assert.deepEqual(
    f.map((x) => [x.definitionId, x.fixedVersion, x.cves, x.notes]),
    [['ALSA-2024:1000', '13.14-1.module_el8.9.0+3750+7d1a3c3e', ['CVE-2024-0985'], [POLICIES.moduleStreamFromFix]]],
  );
});

test('a module build of the stream that has the fix is not found', () => {
  assert.deepEqual(findingsOn([PG13], 'almalinux:8', 'postgresql', '0:13.14-1.module_el8.9.0+3750+7d1a3c3e'), []);
});

test('an OSV modular fix does not apply to another stream of the module', () => {
  assert.deepEqual(findingsOn([PG13], 'almalinux:8', 'postgresql', '0:12.17-1.module_el8.9.0+3700+aaaa1111'), []);
});

test('an OSV modular fix does not apply to a non-modular build', () => {
  assert.deepEqual(findingsOn([PG13], 'almalinux:8', 'postgresql', '0:10.23-2.el8'), []);
});

test('a package of the module whose version is not the stream (pgaudit) takes the fix major as the stream', () => {
  const f = findingsOn([PG13], 'almalinux:8', 'pgaudit', '0:1.5.0-0.module_el8.6.0+2100+aaaa2222');

  assert.deepEqual(
    f.map((x) => x.notes),
    [[POLICIES.moduleStreamFromFix]],
  );
});

// Red Hat OVAL v1 before module criteria were written: the title names the stream.
const rhsa = (title: string | undefined, fixed: string): Definition => ({
  id: 'oval:com.redhat.rhsa:def:20191234',
  format: 'oval',
  vendor: 'redhat',
  advisoryId: 'RHSA-2019:1234',
  ...(title === undefined ? {} : { title }),
  cves: ['CVE-2019-1234'],
  severity: 'high',
  affected: [{ release: 'rhel:8', package: 'php', nameKind: 'binary', scheme: 'rpm', fixed, fixState: 'fixed' }],
  notes: [],
});

test('a title naming php:7.4 keeps the fix from a php:7.3 module build', () => {
  const d = rhsa('RHSA-2019:1234: php:7.4 security update (Moderate)', '0:7.4.19-4.module+el8.6.0+15222+4a9b7c31');

  assert.deepEqual(findingsOn([d], 'rhel:8', 'php', '0:7.3.20-1.module+el8.2.0+7373+b272fdef'), []);
  assert.equal(findingsOn([d], 'rhel:8', 'php', '0:7.4.6-4.module+el8.3.0+7685+72d5e8a6').length, 1);
});

test('without a stream in the title the fix major decides', () => {
  const d = rhsa(undefined, '1:18.19.0-1.module+el8.9.0+21001+d7bfc1f1');

  assert.equal(findingsOn([d], 'rhel:8', 'php', '1:18.14.2-3.module+el8.8.0+18860+e5c5a2e1').length, 1);
  assert.deepEqual(findingsOn([d], 'rhel:8', 'php', '1:16.20.2-1.module+el8.8.0+19810+a2b3c4d5'), []);
});

test('advisory ids in a title are not streams', () => {
  assert.deepEqual(streamsOfModularFix('0:13.13-1.module+el8.9.0+20843+c2d4c8b5', 'RHSA-2024:0974: postgresql:13 security update'), ['13']);
  assert.deepEqual(streamsOfModularFix('0:2024.1-1.module+el8.9.0+1+c2d4c8b5', 'RHSA-2024:0974: thing update'), ['2024']);
  assert.equal(streamsOfModularFix('1:3.0.7-27.el9', 'openssl security update'), undefined);
});
