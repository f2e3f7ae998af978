// Version comparison throughput on 1,000,000 pairs: Vigil's rpm and dpkg orders, raw and
// pre-tokenised, beside librpm's C rpmvercmp() and libapt-pkg's C++ debVS.CmpVersion()
// compiled at bench time (bench/harness/) and run on the very same pairs.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { compareDebVersions, compareValidDebVersions } from '../src/lib/versions/dpkg-vercmp.js';
import { compareKeys } from '../src/lib/versions/order-key.js';
import { debVersionKey } from '../src/lib/versions/dpkg-key.js';
import { parseRpmEvr } from '../src/lib/versions/parse.js';
import { rpmEvrKey } from '../src/lib/versions/rpm-key.js';
import { compareRpmEvr, type Evr } from '../src/lib/versions/rpm-vercmp.js';

const N = 1_000_000;
const ROUNDS = 5;
const here = new URL('.', import.meta.url).pathname;
let seed = 42;
const rand = (n: number) => {
  seed = (Math.imul(seed, 1103515245) + 12345) & 0x7fffffff;
  return (seed >>> 8) % n;
};

function rpmVersion(): string {
  const v = `${rand(10)}.${rand(40)}.${rand(300)}`;
  const r = `${1 + rand(500)}.el${8 + rand(2)}${rand(3) ? `_${rand(10)}` : ''}${rand(4) ? '' : `.${rand(20)}`}`;
  return `${rand(8) ? 0 : 1 + rand(2)}:${v}${rand(6) ? '' : `~rc${rand(5)}`}-${r}`;
}
function debVersion(): string {
  const up = `${rand(10)}.${rand(40)}${rand(3) ? `.${rand(300)}` : ''}${rand(8) ? '' : `~rc${rand(5)}`}${rand(10) ? '' : '+dfsg'}`;
  const rev = `${1 + rand(9)}${rand(3) ? '' : `+deb12u${1 + rand(9)}`}${rand(6) ? '' : `ubuntu${rand(5)}.${rand(30)}`}`;
  return `${rand(10) ? '' : `${1 + rand(2)}:`}${up}-${rev}`;
}
/** A fresh flat string with the same characters. */
const flat = (s: string) => Buffer.from(s, 'latin1').toString('latin1');

/** The left and right sides of the pairs, as the C harnesses hold them: two arrays. */
interface Pairs<T> {
  readonly a: readonly T[];
  readonly b: readonly T[];
}

/**
 * Half the pairs are close (same version, other release) so comparisons run deep. Versions
 * are held as flat strings, as the service holds them (read from SQLite or from a parsed
 * report), not as the concatenation ropes the generator builds, which V8 reads through an
 * indirection at every `charCodeAt`; and they are allocated pair after pair, as the C
 * harnesses' vectors hold them, so that neither side pays for a scattered heap.
 */
function pairs(gen: () => string): Pairs<string> {
  const a: string[] = [];
  const b: string[] = [];
  for (let i = 0; i < N; i++) {
    const x = gen();
    const y = rand(2) ? gen() : x.replace(/\d+$/, (d) => String(Number(d) + rand(3) - 1).replace('-', ''));
    a.push(flat(x));
    b.push(flat(y));
  }
  return { a, b };
}

const mapPairs = <T, U>(p: Pairs<T>, fn: (v: T) => U): Pairs<U> => ({ a: p.a.map(fn), b: p.b.map(fn) });

function loop<T>(p: Pairs<T>, cmp: (a: T, b: T) => number): number {
  const { a, b } = p;
  let sum = 0;
  for (let i = 0; i < a.length; i++) sum += cmp(a[i] as T, b[i] as T);
  return sum;
}

// A full collection before each timed mode, so that no earlier garbage is collected (on helper
// threads, whose CPU time the process pays) while a mode is timed.
setFlagsFromString('--expose-gc');
const gc = runInNewContext('gc') as () => void;

/**
 * CPU time of this process, as the C harnesses measure theirs: on a shared machine, wall time
 * counts whatever else runs. (It also counts V8's helper threads, against Vigil.)
 */
function cpuMs(since?: NodeJS.CpuUsage): number {
  const u = process.cpuUsage(since);
  return (u.user + u.system) / 1000;
}

function time(fn: () => number): { ms: number; sum: number } {
  let best = Infinity;
  let sum = 0;
  gc();
  for (let round = 0; round < ROUNDS; round++) {
    const t0 = process.cpuUsage();
    sum = fn();
    best = Math.min(best, cpuMs(t0));
  }
  return { ms: best, sum };
}

function harness(kind: 'c' | 'cxx', source: string, libs: string[], file: string, dir: string): { ms: number; sum: number } | string {
  const bin = join(dir, kind === 'c' ? 'rpmvercmp-bench' : 'apt-vercmp-bench');
  const cc = kind === 'c' ? 'gcc' : 'g++';
  const build = spawnSync(cc, ['-O2', '-o', bin, join(here, 'harness', source), ...libs], { encoding: 'utf8' });
  if (build.error || build.status !== 0)
    return `skipped: cannot build ${source} (${build.error?.message ?? build.stderr.trim().split('\n')[0]}); install ${kind === 'c' ? 'gcc librpm-dev pkg-config' : 'g++ libapt-pkg-dev'}`;
  let best: { ms: number; sum: number } | undefined;
  for (let round = 0; round < ROUNDS; round++) {
    const run = spawnSync(bin, [file], { encoding: 'utf8' });
    if (run.status !== 0) return `skipped: ${source} failed: ${run.stderr.trim()}`;
    const [, ns, sum] = run.stdout.trim().split(' ').map(Number) as [number, number, number];
    if (!best || ns / 1e6 < best.ms) best = { ms: ns / 1e6, sum };
  }
  return best as { ms: number; sum: number };
}

const rate = (ms: number) => `${(((N / ms) * 1000) / 1e6).toFixed(1)} M pairs/s (${ms.toFixed(0)} ms)`;
function report(label: string, mine: { ms: number; sum: number }, base: { ms: number; sum: number } | string, baseLabel: string): void {
  if (typeof base === 'string') {
    console.log(`${label}: ${rate(mine.ms)}; ${baseLabel} ${base}`);
    return;
  }
  const agree = mine.sum === base.sum ? 'results agree' : `RESULTS DIFFER (sum ${mine.sum} vs ${base.sum})`;
  console.log(`${label}: ${rate(mine.ms)} vs ${baseLabel} ${rate(base.ms)} → Vigil/C time ratio ${(mine.ms / base.ms).toFixed(2)}× (${agree})`);
}

const dir = mkdtempSync(join(tmpdir(), 'vigil-vercmp-'));
try {
  const rpm = pairs(rpmVersion);
  const deb = pairs(debVersion);
  writeFileSync(join(dir, 'rpm.tsv'), rpm.a.map((a, i) => `${a}\t${rpm.b[i]}`).join('\n') + '\n');
  writeFileSync(join(dir, 'deb.tsv'), deb.a.map((a, i) => `${a}\t${deb.b[i]}`).join('\n') + '\n');
  console.log(`${N.toLocaleString('en')} pairs each; best of ${ROUNDS} runs, CPU time; parsing/splitting done before timing in every mode`);

  const rpmCflags = spawnSync('pkg-config', ['--cflags', '--libs', 'rpm'], { encoding: 'utf8' });
  const rpmLibs = rpmCflags.status === 0 ? rpmCflags.stdout.trim().split(/\s+/) : ['-lrpm', '-lrpmio'];
  const cRpm = harness('c', 'rpmvercmp-bench.c', rpmLibs, join(dir, 'rpm.tsv'), dir);
  const evrs: Pairs<Evr> = mapPairs(rpm, parseRpmEvr);
  const rpmKeys = mapPairs(rpm, (v) => rpmEvrKey(parseRpmEvr(v)));
  report(
    'rpm raw (compareRpmEvr on split EVRs)',
    time(() => loop(evrs, compareRpmEvr)),
    cRpm,
    'librpm rpmvercmp',
  );
  report(
    'rpm pre-tokenised (order keys)',
    time(() => loop(rpmKeys, compareKeys)),
    cRpm,
    'librpm rpmvercmp',
  );

  const cApt = harness('cxx', 'apt-vercmp-bench.cc', ['-lapt-pkg'], join(dir, 'deb.tsv'), dir);
  const debKeys = mapPairs(deb, debVersionKey);
  report(
    'dpkg raw strings, validating both (compareDebVersions)',
    time(() => loop(deb, compareDebVersions)),
    cApt,
    'libapt-pkg debVS.CmpVersion',
  );
  report(
    'dpkg raw strings, checked once when stored, as apt compares (compareValidDebVersions)',
    time(() => loop(deb, compareValidDebVersions)),
    cApt,
    'libapt-pkg debVS.CmpVersion',
  );
  report(
    'dpkg pre-tokenised (order keys)',
    time(() => loop(debKeys, compareKeys)),
    cApt,
    'libapt-pkg debVS.CmpVersion',
  );
  for (const [label, fn] of [
    ['rpm EVR', (v: string) => rpmEvrKey(parseRpmEvr(v))],
    ['dpkg version', debVersionKey],
  ] as const) {
    const { a, b } = label === 'rpm EVR' ? rpm : deb;
    const t0 = process.cpuUsage();
    for (let i = 0; i < N; i++) (fn(a[i] as string), fn(b[i] as string));
    console.log(`(tokenising cost, paid once per distinct version in the evaluator: ${((cpuMs(t0) * 1e6) / (2 * N)).toFixed(0)} ns per ${label})`);
  }
} finally {
  rmSync(dir, { recursive: true, force: true });
}
