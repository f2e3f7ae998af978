import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';
import { InvalidError, TooLargeError } from '../../core/errors.js';
import { parseJsonReport } from './json-report.js';
import { parseProtocol5 } from './protocol5.js';

const load = (): Record<string, unknown> =>
  JSON.parse(readFileSync(new URL('../../../test/fixtures/reports/vigil-report-debian12.json', import.meta.url), 'utf8'));

test('a vigil.report/1 document gives the same packages as the protocol 5 report of the same host', () => {
  const json = parseJsonReport(load());

  const p5 = parseProtocol5(readFileSync(new URL('../../../test/fixtures/reports/debian12-ui.txt', import.meta.url)));
  assert.deepEqual(json.packages, p5.packages);
  assert.deepEqual(
    [json.host, json.site, json.tag, json.kernel, json.packager, json.agent, json.source],
    [p5.host, p5.site, p5.tag, p5.kernel, p5.packager, { name: 'vigil-agent', version: '1.0.0' }, 'json'],
  );
});

test('unknown top-level members are ignored', () => {
  const r = parseJsonReport({ ...load(), collectedAt: '2026-11-23T10:00:00Z' });

  assert.equal(r.host, 'ui01.example.org');
});

test('an empty package list flags packagesMissing', () => {
  const r = parseJsonReport({ ...load(), packages: [] });

  assert.equal(r.packagesMissing, true);
});

test('rpm versions are kept as sent, as in protocol 5 (issue 10)', () => {
  const r = parseJsonReport({ ...load(), packager: 'rpm', packages: [{ name: 'bash', version: '5.1.8-6.el9_1', arch: 'x86_64' }] });

  assert.equal(r.packages[0]?.version, '5.1.8-6.el9_1');
});

test('the os-release and oracle-release signs are read', () => {
  const r = parseJsonReport({
    ...load(),
    osRelease: { id: 'ol', versionId: '8.9', name: 'Oracle Linux Server' },
    oracleRelease: 'Oracle Linux Server release 8.9',
  });

  assert.deepEqual([r.osRelease, r.oracleRelease], [{ id: 'ol', versionId: '8.9', name: 'Oracle Linux Server' }, 'Oracle Linux Server release 8.9']);
});

const bad: ReadonlyArray<[string, unknown, RegExp]> = [
  ['an array', [], /not an object/],
  ['another schema', { schema: 'vigil.report/2' }, /expected 'vigil.report\/1'/],
  ['a package name with a blank', { packages: [{ name: 'a b', version: '1', arch: 'all' }] }, /\/packages\/0\/name/],
  ['a NUL in the host', { host: 'h\u0000' }, /\/host/],
  ['a packager other than rpm or dpkg', { packager: 'pkg' }, /\/packager/],
  ['a missing kernel', { kernel: undefined }, /\/kernel/],
];
for (const [what, patch, message] of bad) {
  test(`a report with ${what} is refused naming the member`, () => {
    const value = Array.isArray(patch) ? patch : { ...load(), ...(patch as object) };

    assert.throws(
      () => parseJsonReport(value),
      (err: unknown) => err instanceof InvalidError && message.test(err.message),
    );
  });
}

test('more packages than the limit is TooLargeError', () => {
  const packages = Array.from({ length: 11 }, (_, i) => ({ name: `p${i}`, version: '1.0', arch: 'all' }));

  assert.throws(() => parseJsonReport({ ...load(), packages }, { maxPackages: 10 }), TooLargeError);
});
