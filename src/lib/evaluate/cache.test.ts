// The caches must never change a result: every host is evaluated with and without them.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import type { Definition } from '../vuln-model/types.js';
import { compileFeed } from './compile.js';
import { createEvaluator } from './engine.js';

const NAMES = ['bash', 'glibc', 'openssl-libs', 'kernel-core', 'sudo', 'curl'];
const versions = fc
  .tuple(fc.integer({ min: 0, max: 1 }), fc.integer({ min: 1, max: 4 }), fc.integer({ min: 1, max: 4 }), fc.constantFrom('el9', 'el9_3', 'el9_4'))
  .map(([e, v, r, d]) => `${e}:${v}.0-${r}.${d}`);
const definitions = fc.array(fc.tuple(fc.constantFrom(...NAMES), versions, fc.boolean()), { minLength: 1, maxLength: 12 }).map((rs) =>
  rs.map(([name, fixed, hasFix], i): Definition => ({
    id: `def-${i}`,
    format: 'oval',
    vendor: 'redhat',
    cves: [`CVE-2024-${i}`],
    severity: 'medium',
    notes: [],
    affected: [{ release: 'rhel:9', package: name, nameKind: 'binary', scheme: 'rpm', fixState: hasFix ? 'fixed' : 'unfixed', ...(hasFix ? { fixed } : {}) }],
  })),
);
const host = fc.record({
  os: fc.constantFrom('rhel:9', 'rocky:9'),
  packages: fc.array(fc.record({ name: fc.constantFrom(...NAMES), version: versions, arch: fc.constantFrom('x86_64', 'i686') }), { maxLength: 8 }),
  runningKernel: fc.option(fc.constantFrom('1.0-1.el9.x86_64', '2.0-2.el9_4.x86_64'), { nil: undefined }),
});

test('cached and uncached evaluation give the same findings for every host', () => {
  fc.assert(
    fc.property(definitions, fc.array(host, { minLength: 1, maxLength: 20 }), (defs, hosts) => {
      const feed = compileFeed(defs);
      const cached = createEvaluator(feed);
      const plain = createEvaluator(feed, { caching: false });
      for (const h of [...hosts, ...hosts]) assert.deepEqual(cached.evaluate(h).findings, plain.evaluate(h).findings);
    }),
    { numRuns: 300 },
  );
});

test('an identical package list is evaluated once and reused', () => {
  const bash: Definition = {
    id: 'd',
    format: 'oval',
    vendor: 'redhat',
    cves: [],
    severity: 'low',
    notes: [],
    affected: [{ release: 'rhel:9', package: 'bash', nameKind: 'binary', scheme: 'rpm', fixed: '0:5.1.8-9.el9', fixState: 'fixed' }],
  };
  const ev = createEvaluator(compileFeed([bash]));
  const packages = [{ name: 'bash', version: '0:5.1.8-6.el9', arch: 'x86_64' }];

  const first = ev.evaluate({ os: 'rhel:9', packages });
  const second = ev.evaluate({ os: 'rhel:9', packages: packages.map((p) => ({ ...p })) });

  assert.deepEqual([first.reused, second.reused, second.findings.length], [false, true, 1]);
  assert.deepEqual([ev.stats.setsEvaluated, ev.stats.setsReused], [1, 1]);
});
