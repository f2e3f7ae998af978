// Oracle test: 100,000 generated pairs per order, hostile shapes included, compared with the
// package managers' own code: rpm's `rpm.labelCompare` (python3-rpm) and apt's
// `apt_pkg.version_compare` (python3-apt), each in one batched Python process. Skips, saying
// why, when an oracle is not installed (`apt-get install python3-rpm python3-apt`).
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { test } from 'node:test';
import { debVersionKey } from './dpkg-key.js';
import { compareDebVersions, compareValidDebVersions, debVersionBounds } from './dpkg-vercmp.js';
import { compareKeys } from './order-key.js';
import { rpmEvrKey } from './rpm-key.js';
import { compareRpmEvr, type Evr } from './rpm-vercmp.js';

const PAIRS = 100_000;
const PYTHONS = ['/usr/bin/python3', 'python3'];

const RPM_ORACLE = `
import sys, json, rpm
out = []
for e1, v1, r1, e2, v2, r2 in json.load(sys.stdin):
    out.append(rpm.labelCompare((e1, v1, r1), (e2, v2, r2)))
json.dump(out, sys.stdout)
`;
const APT_ORACLE = `
import sys, json, apt_pkg
apt_pkg.init_system()
out = []
for a, b in json.load(sys.stdin):
    r = apt_pkg.version_compare(a, b)
    out.append((r > 0) - (r < 0))
json.dump(out, sys.stdout)
`;

/** Runs `script` on `input` with the first Python that can import `module`, or says why not. */
function runOracle(module: string, script: string, input: unknown): { results: number[] } | { missing: string } {
  let why = 'no python3 found';
  for (const python of PYTHONS) {
    const probe = spawnSync(python, ['-c', `import ${module}`], { encoding: 'utf8' });
    if (probe.error) continue;
    if (probe.status !== 0) {
      why = `${python}: ${probe.stderr.trim().split('\n').pop()}`;
      continue;
    }
    const run = spawnSync(python, ['-c', script], { input: JSON.stringify(input), encoding: 'utf8', maxBuffer: 1 << 28 });
    assert.equal(run.status, 0, `oracle failed: ${run.stderr}`);
    return { results: JSON.parse(run.stdout) as number[] };
  }
  return { missing: why };
}

/** A small seeded generator (mulberry32) so every run checks the same pairs. */
function prng(seed: number): (n: number) => number {
  let s = seed >>> 0;
  return (n) => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return Math.floor((((t ^ (t >>> 14)) >>> 0) / 4294967296) * n);
  };
}

const COMMON = ['0', '00', '1', '2', '9', '10', '010', '99', 'a', 'b', 'Z', 'rc', 'el9', 'el9_4', 'git', 'p', 'beta', 'fc39'];
const RPM_SEPS = ['.', '_', '+', '-', '~', '^', '~~', '^^', '..', '%', '~^', '^~', 'é', 'α', '', ''];
const DEB_SEPS = ['.', '+', '~', '~~', '..', '-', ':', '_', '%', '', '', ''];

function piece(rand: (n: number) => number, seps: string[]): string {
  const k = rand(10);
  if (k < 5) return COMMON[rand(COMMON.length)] as string;
  if (k < 6) return String(rand(10)).repeat(1 + rand(60));
  if (k < 7) return `${1 + rand(9)}${'0'.repeat(rand(40))}${rand(10)}`;
  return seps[rand(seps.length)] as string;
}

function generate(rand: (n: number) => number, seps: string[], max: number): string {
  let s = '';
  for (let n = rand(max); n >= 0; n--) s += piece(rand, seps);
  return s;
}

/** Half the time `b` is a small edit of `a`, so comparisons run deep into both strings. */
function mutate(rand: (n: number) => number, a: string, seps: string[]): string {
  const at = rand(a.length + 1);
  return a.slice(0, at) + (rand(2) ? piece(rand, seps) : '') + a.slice(at + rand(3));
}

test('rpm order agrees with rpm.labelCompare on 100,000 generated pairs', (t) => {
  const rand = prng(4);
  const evr = (): Evr => ({
    epoch: rand(4) ? '0' : String(rand(3)).padStart(1 + rand(3), '0'),
    version: generate(rand, RPM_SEPS, 8),
    release: rand(10) ? generate(rand, RPM_SEPS, 5) : undefined,
  });
  const pairs: Array<[Evr, Evr]> = [];
  while (pairs.length < PAIRS) {
    const a = evr();
    const b = rand(2)
      ? evr()
      : { ...a, version: mutate(rand, a.version, RPM_SEPS), release: a.release === undefined ? undefined : mutate(rand, a.release, RPM_SEPS) };
    // rpm.labelCompare refuses an empty version, as rpm's EVR parser does.
    if (a.version !== '' && b.version !== '') pairs.push([a, b]);
  }

  const oracle = runOracle(
    'rpm',
    RPM_ORACLE,
    pairs.map(([a, b]) => [a.epoch, a.version, a.release ?? null, b.epoch, b.version, b.release ?? null]),
  );
  if ('missing' in oracle) return t.skip(`python3-rpm not installed: ${oracle.missing}`);

  const wrong = pairs.flatMap(([a, b], i) => {
    const want = oracle.results[i];
    const direct = compareRpmEvr(a, b);
    const keyed = compareKeys(rpmEvrKey(a), rpmEvrKey(b));
    return direct === want && keyed === want ? [] : [{ a, b, want, direct, keyed }];
  });
  assert.deepEqual(wrong.slice(0, 5), []);
});

test('dpkg order agrees with apt_pkg.version_compare on 100,000 generated pairs', (t) => {
  const rand = prng(5);
  const valid = (v: string) => {
    try {
      debVersionBounds(v);
      return true;
    } catch {
      return false;
    }
  };
  const version = (): string => {
    for (;;) {
      const epoch = rand(3) ? '' : `${String(rand(12)).padStart(1 + rand(2), '0')}:`;
      const rev = rand(3) ? `-${generate(rand, DEB_SEPS, 4)}` : '';
      const v = epoch + generate(rand, DEB_SEPS, 7) + rev;
      if (valid(v)) return v;
    }
  };
  const pairs: Array<[string, string]> = [];
  while (pairs.length < PAIRS) {
    const a = version();
    const b = rand(2) ? version() : mutate(rand, a, DEB_SEPS);
    if (valid(b)) pairs.push([a, b]);
  }

  const oracle = runOracle('apt_pkg', APT_ORACLE, pairs);
  if ('missing' in oracle) return t.skip(`python3-apt not installed: ${oracle.missing}`);

  const wrong = pairs.flatMap(([a, b], i) => {
    const want = oracle.results[i];
    const direct = compareDebVersions(a, b);
    const unchecked = compareValidDebVersions(a, b);
    const keyed = compareKeys(debVersionKey(a), debVersionKey(b));
    return direct === want && unchecked === want && keyed === want ? [] : [{ a, b, want, direct, unchecked, keyed }];
  });
  assert.deepEqual(wrong.slice(0, 5), []);
});
