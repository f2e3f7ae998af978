// Evaluation of 10,000 hosts x ~1,500 packages (70% of hosts on identical lists) against
// more than 5,000 definitions: hosts/s on one core and memory, beside two baselines from the
// same run: the same engine hashing each list itself (no stored set id), and the engine with
// its caches off (the naive per-host evaluation). Package names, versions and source packages
// come from this machine's Debian package index (`apt-cache dumpavail`).
//
// As in the service (src/modules/patching: ingest stores each package set under the SHA-256 of
// its content, evaluation passes it as `packageSetId`), each host's list is built and hashed
// once outside the timed loop, in batches, and only `evaluate` is timed.
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { compileFeed } from '../src/lib/evaluate/compile.js';
import { createEvaluator } from '../src/lib/evaluate/engine.js';
import type { HostInput, InstalledPackage } from '../src/lib/evaluate/types.js';
import type { Definition } from '../src/lib/vuln-model/types.js';

const HOSTS = 10_000;
const PACKAGES = 1_500;
const IMAGES = 10;
const DEFINITIONS = 6_000;
const BASELINE_HOSTS = 300;
let seed = 7;
const rand = (n: number) => {
  seed = (Math.imul(seed, 1103515245) + 12345) & 0x7fffffff;
  return (seed >>> 8) % n;
};

interface IndexEntry extends InstalledPackage {
  source: string;
}

function debianIndex(): { entries: IndexEntry[]; origin: string } {
  const r = spawnSync('apt-cache', ['dumpavail'], { encoding: 'utf8', maxBuffer: 1 << 30 });
  if (r.status === 0 && r.stdout.length > 0) {
    const entries: IndexEntry[] = [];
    for (const para of r.stdout.split('\n\n')) {
      const f = Object.fromEntries(
        para
          .split('\n')
          .filter((l) => /^[A-Z][\w-]*: /.test(l))
          .map((l) => [l.slice(0, l.indexOf(':')), l.slice(l.indexOf(':') + 2)]),
      );
      if (f.Package && f.Version)
        entries.push({ name: f.Package, version: f.Version, arch: f.Architecture ?? 'amd64', source: (f.Source ?? f.Package).split(' ')[0] as string });
    }
    if (entries.length > 5 * PACKAGES) return { entries, origin: `Debian package index (${entries.length} packages)` };
  }
  const entries = Array.from({ length: 40_000 }, (_, i) => ({
    name: `pkg${i}`,
    version: `${rand(9)}.${rand(30)}-${1 + rand(9)}`,
    arch: 'amd64',
    source: `src${i >> 2}`,
  }));
  return { entries, origin: 'synthetic names (apt-cache dumpavail unavailable)' };
}

const { entries, origin } = debianIndex();
const pool = Array.from({ length: 8_000 }, () => entries[rand(entries.length)] as IndexEntry);
const sourceByBinary = new Map(entries.map((e) => [e.name, e.source]));
const images = Array.from({ length: IMAGES }, () => {
  const seen = new Set<string>();
  const list: InstalledPackage[] = [];
  while (list.length < PACKAGES) {
    const e = pool[rand(pool.length)] as IndexEntry;
    if (!seen.has(e.name)) (seen.add(e.name), list.push({ name: e.name, version: e.version, arch: e.arch }));
  }
  return list;
});
// Reports arrive as fresh objects: each host's list is built when it is evaluated (as a parsed
// report would be) and dropped after, so the figures measure the engine, not 15 million
// generated objects held at once.
function hostAt(i: number): HostInput {
  const image = images[i % IMAGES] as InstalledPackage[];
  if (i < HOSTS * 0.7) return { os: 'debian:12', packages: image.map((p) => ({ ...p })) };
  let s = i * 2654435761;
  const r = (n: number) => {
    s = (Math.imul(s, 1103515245) + 12345) & 0x7fffffff;
    return (s >>> 8) % n;
  };
  const packages = image.map((p) => (r(20) === 0 ? { ...p, version: `${p.version}~old${r(3)}` } : { ...p }));
  for (let k = 0; k < 20; k++) {
    const e = pool[r(pool.length)] as IndexEntry;
    packages.push({ name: e.name, version: e.version, arch: e.arch });
  }
  return { os: 'debian:12', packages };
}
const definitions: Definition[] = Array.from({ length: DEFINITIONS }, (_, i) => {
  const e = pool[rand(pool.length)] as IndexEntry;
  // As in real feeds, most definitions were fixed in versions older than those installed.
  const kind = rand(20);
  const fixed = kind < 2 ? `${e.version}+deb12u${1 + rand(9)}` : kind < 19 ? `0.${rand(5)}-1` : undefined;
  return {
    id: `oval:org.debian:def:${1e6 + i}`,
    format: 'oval',
    vendor: 'debian',
    cves: [`CVE-2024-${10000 + i}`],
    severity: 'medium',
    notes: [],
    affected: [
      { release: 'debian:12', package: e.source, nameKind: 'source', scheme: 'deb', fixState: fixed ? 'fixed' : 'unfixed', ...(fixed ? { fixed } : {}) },
    ],
  };
});
const sourceOf = (_: string, binary: string) => sourceByBinary.get(binary);

const BATCH = 1_000;
// The collections below happen however the bench is started (`npm run bench` passes
// --expose-gc, a plain `node --import tsx` does not).
setFlagsFromString('--expose-gc');
const gc = runInNewContext('gc') as () => void;

/** What ingest does once per report: the SHA-256 of the list, stored as the package-set id. */
function ingestHash(packages: readonly InstalledPackage[]): string {
  const h = createHash('sha256');
  for (const p of packages) h.update(`${p.name}\t${p.version}\t${p.arch}\n`);
  return h.digest('hex');
}

console.log(
  `${HOSTS} hosts x ~${PACKAGES} packages (${IMAGES} images; 70% of hosts on identical lists, 30% with 5% of versions changed and 20 extra packages), ${DEFINITIONS} definitions; names from ${origin}`,
);
gc();
const heapBefore = process.memoryUsage().heapUsed;
const t0 = process.hrtime.bigint();
const feed = compileFeed(definitions);
const compileMs = Number(process.hrtime.bigint() - t0) / 1e6;

// Vigil as the service runs it: lists hashed at ingest, the id passed in.
const withId = createEvaluator(feed, { sourceOf });
// Same-run baseline 1: the same engine given bare lists (it hashes and confirms each one).
const bare = createEvaluator(feed, { sourceOf });
let findingsWithId = 0;
let findingsBare = 0;
let msWithId = 0;
let msBare = 0;
// CPU time beside wall time: on a shared machine, wall time also counts whatever else runs.
let cpuWithId = 0;
let cpuBare = 0;
let msIngest = 0;
let peakHeap = 0;
const ms = (t: bigint) => Number(process.hrtime.bigint() - t) / 1e6;
const cpuMs = (since: NodeJS.CpuUsage) => {
  const u = process.cpuUsage(since);
  return (u.user + u.system) / 1000;
};
for (let from = 0; from < HOSTS; from += BATCH) {
  // Ingest (untimed for the engine, timed apart): fresh report objects and their set hash.
  const batch = Array.from({ length: Math.min(BATCH, HOSTS - from) }, (_, k) => hostAt(from + k));
  const ti = process.hrtime.bigint();
  const ids = batch.map((h) => ingestHash(h.packages));
  msIngest += ms(ti);
  // The service evaluates one report at a time; holding a batch of 1,000 fresh lists would
  // charge their promotion out of the young generation to the engine, so collect it first.
  gc();
  // Alternate which engine goes first, so neither always meets a warmer or a dirtier heap.
  const runWithId = () => {
    const t = process.hrtime.bigint();
    const c = process.cpuUsage();
    for (let k = 0; k < batch.length; k++) findingsWithId += withId.evaluate({ ...(batch[k] as HostInput), packageSetId: ids[k] as string }).findings.length;
    msWithId += ms(t);
    cpuWithId += cpuMs(c);
  };
  const runBare = () => {
    const t = process.hrtime.bigint();
    const c = process.cpuUsage();
    for (let k = 0; k < batch.length; k++) findingsBare += bare.evaluate(batch[k] as HostInput).findings.length;
    msBare += ms(t);
    cpuBare += cpuMs(c);
  };
  if ((from / BATCH) % 2 === 0) (runWithId(), runBare());
  else (runBare(), runWithId());
  peakHeap = Math.max(peakHeap, process.memoryUsage().heapUsed);
}

// Baseline 2: the same engine without caches (each host evaluated package by package, every
// version tokenised again), on a sample of hosts taken from both the shared and the unique ones.
const plain = createEvaluator(feed, { sourceOf, caching: false });
const sample = Array.from({ length: BASELINE_HOSTS }, (_, i) => hostAt(Math.floor((i * HOSTS) / BASELINE_HOSTS)));
let mismatches = 0;
const t2 = process.hrtime.bigint();
const c2 = process.cpuUsage();
const plainResults = sample.map((h) => plain.evaluate({ ...h, packages: h.packages.map((p) => ({ ...p })) }).findings);
const plainMs = ms(t2);
const plainCpu = cpuMs(c2);
sample.forEach((h, i) => {
  const expected = JSON.stringify(plainResults[i]);
  if (
    JSON.stringify(withId.evaluate({ ...h, packageSetId: ingestHash(h.packages) }).findings) !== expected ||
    JSON.stringify(bare.evaluate(h).findings) !== expected
  )
    mismatches++;
});
gc();
const heapAfter = process.memoryUsage().heapUsed;

const perSec = (n: number, t: number) => Math.round((n / t) * 1000).toLocaleString('en');
const s = withId.stats;
console.log(`feed compiled in ${compileMs.toFixed(0)} ms (${feed.releases.get('debian:12')?.bySource.size ?? 0} source packages indexed)`);
console.log(`ingest (outside the timed loop, as in the service): SHA-256 of each list ${((msIngest / HOSTS) * 1000).toFixed(0)} µs per host`);
console.log(
  `Vigil (index + verdict cache + list reuse, stored set id passed as packageSetId): ${perSec(HOSTS, msWithId)} hosts/s on one core, ${perSec(HOSTS, cpuWithId)} hosts/s of CPU time (${(msWithId / 1000).toFixed(2)} s wall, ${(cpuWithId / 1000).toFixed(2)} s CPU for ${HOSTS} hosts, ${findingsWithId.toLocaleString('en')} findings; ${s.setsEvaluated} lists evaluated, ${s.setsReused} reused; ${s.verdictsComputed.toLocaleString('en')} verdicts computed, ${s.verdictsReused.toLocaleString('en')} reused)`,
);
console.log(
  `baseline 1 (same engine, bare lists hashed and confirmed by the engine): ${perSec(HOSTS, msBare)} hosts/s, ${perSec(HOSTS, cpuBare)} hosts/s of CPU time (${(msBare / 1000).toFixed(2)} s wall, ${(cpuBare / 1000).toFixed(2)} s CPU, ${findingsBare.toLocaleString('en')} findings) → ${(cpuBare / cpuWithId).toFixed(1)}× the CPU time of the run with the stored id`,
);
console.log(
  `baseline 2 (same engine, caches off): ${perSec(BASELINE_HOSTS, plainMs)} hosts/s, ${perSec(BASELINE_HOSTS, plainCpu)} hosts/s of CPU time (${BASELINE_HOSTS} sampled hosts in ${(plainMs / 1000).toFixed(2)} s wall, ${(plainCpu / 1000).toFixed(2)} s CPU) → speed-up ${(plainCpu / BASELINE_HOSTS / (cpuWithId / HOSTS)).toFixed(1)}× in CPU time; results identical on the sample (cached with id, cached bare, uncached): ${mismatches === 0 && findingsBare === findingsWithId ? 'yes' : `NO (${mismatches} differ)`}`,
);
console.log(
  `memory: heap held by feed index + both evaluators' caches after GC ${((heapAfter - heapBefore) / 1048576).toFixed(0)} MB, peak heap ${(peakHeap / 1048576).toFixed(0)} MB (including one batch of ${BATCH} fresh reports), peak RSS ${(process.resourceUsage().maxRSS / 1024).toFixed(0)} MB (the process, including the parsed Debian index)`,
);
