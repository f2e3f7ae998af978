// The evaluation engine: host (OS, arch, packages, running kernel) → findings. Fast because
// ranges are indexed by package name with pre-computed order keys, verdicts are cached per
// (name, version, arch), and the findings of a whole package list are reused for every host
// with an identical list (most hosts of a site share one image).
import { POLICIES } from '../vuln-model/policies.js';
import { rewriteElSuffix } from './el-suffix.js';
import { versionKey, type CompiledFeed, type CompiledRelease, type CompiledRange } from './compile.js';
import { isKernelPackage, isLivepatchedKernel, isRunningKernel } from './kernel.js';
import { matchRanges, type MatchContext } from './match.js';
import type { EvaluatorOptions, Finding, HostEvaluation, HostInput, InstalledPackage } from './types.js';

const REBUILD = /^(?:centos|centos-stream|almalinux|rocky|scientific|oracle):(\d+)$/;
const NONE: readonly Finding[] = Object.freeze([]);

interface SetResult {
  readonly findings: readonly Finding[];
  /** Installed kernel packages of the list (the running-kernel rule is per host). */
  readonly kernels: readonly InstalledPackage[];
  readonly livepatched: readonly string[];
}

interface Target {
  readonly ctx: MatchContext;
  readonly release: CompiledRelease;
  /** name → `version\tarch` → findings. */
  readonly verdicts: Map<string, Map<string, readonly Finding[]>>;
  verdictCount: number;
  readonly sets: Map<string, SetResult>;
}

/** What the engine did, for benchmarks and metrics. */
export interface EvaluatorStats {
  hosts: number;
  setsEvaluated: number;
  setsReused: number;
  verdictsComputed: number;
  verdictsReused: number;
}

/** An evaluator over one compiled feed. */
export interface Evaluator {
  evaluate(host: HostInput): HostEvaluation;
  readonly stats: EvaluatorStats;
}

function setKeyOf(packages: readonly InstalledPackage[]): string {
  let key = '';
  for (const p of packages) key += p.name + '\t' + p.version + '\t' + p.arch + '\n';
  return key;
}

/**
 * Creates an evaluator. Evaluation is deterministic: the same host gives the same findings
 * with or without the caches (`caching: false` turns them off for comparison).
 *
 * @example
 * const ev = createEvaluator(compileFeed(definitions));
 * const { findings } = ev.evaluate({ os: 'almalinux:9', packages: [{ name: 'openssl-libs', version: '1:3.0.7-24.el9', arch: 'x86_64' }] });
 */
export function createEvaluator(feed: CompiledFeed, options: EvaluatorOptions & { caching?: boolean } = {}): Evaluator {
  const caching = options.caching ?? true;
  const maxSets = options.maxCachedSets ?? 20_000;
  const maxVerdicts = options.maxCachedVerdicts ?? 2_000_000;
  const targets = new Map<string, Target | null>();
  const stats: EvaluatorStats = { hosts: 0, setsEvaluated: 0, setsReused: 0, verdictsComputed: 0, verdictsReused: 0 };

  function targetFor(os: string): Target | null {
    const known = targets.get(os);
    if (known !== undefined) return known;
    let feedRelease = os;
    let rebuild = false;
    let release = feed.releases.get(os);
    const m = REBUILD.exec(os);
    if (!release && m) {
      feedRelease = `rhel:${m[1]}`;
      release = feed.releases.get(feedRelease);
      rebuild = true;
    }
    const target = release ? { ctx: { feedRelease, rebuild, scheme: release.scheme }, release, verdicts: new Map(), verdictCount: 0, sets: new Map() } : null;
    targets.set(os, target);
    return target;
  }

  function rangesFor(t: Target, name: string): { ranges: readonly CompiledRange[]; notes: readonly string[] } | undefined {
    const direct = t.release.byBinary.get(name);
    if (t.release.bySource.size === 0) return direct && { ranges: direct, notes: [] };
    const mapped = options.sourceOf?.(t.ctx.feedRelease, name);
    const viaSource = t.release.bySource.get(mapped ?? name);
    if (!viaSource) return direct && { ranges: direct, notes: [] };
    const notes = mapped === undefined ? [POLICIES.sourceNameFallback] : [];
    return { ranges: direct ? [...direct, ...viaSource] : viaSource, notes };
  }

  function verdict(t: Target, pkg: InstalledPackage): readonly Finding[] {
    const found = rangesFor(t, pkg.name);
    if (!found) return NONE;
    const sub = pkg.version + '\t' + pkg.arch;
    let byVersion = t.verdicts.get(pkg.name);
    const hit = byVersion?.get(sub);
    if (hit !== undefined) {
      stats.verdictsReused++;
      return hit;
    }
    stats.verdictsComputed++;
    let result: readonly Finding[];
    try {
      const key = versionKey(t.ctx.scheme, pkg.version);
      const rewritten = t.ctx.rebuild ? versionKey('rpm', rewriteElSuffix(pkg.version)) : undefined;
      const findings = matchRanges(t.ctx, found.ranges, pkg, key, rewritten, found.notes, new Set());
      result = findings.length ? findings : NONE;
    } catch {
      // A version the package manager would refuse cannot be compared; it yields no finding.
      result = NONE;
    }
    if (caching) {
      if (t.verdictCount >= maxVerdicts) {
        t.verdicts.clear();
        t.verdictCount = 0;
      }
      if (!byVersion) t.verdicts.set(pkg.name, (byVersion = new Map()));
      byVersion.set(sub, result);
      t.verdictCount++;
    }
    return result;
  }

  function evaluateSet(t: Target, packages: readonly InstalledPackage[]): SetResult {
    const findings: Finding[] = [];
    const kernels: InstalledPackage[] = [];
    const livepatched: string[] = [];
    for (const pkg of packages) {
      if (isKernelPackage(pkg.name)) {
        kernels.push(pkg);
        if (isLivepatchedKernel(pkg.version)) {
          livepatched.push(`${pkg.name}-${pkg.version}`);
          continue;
        }
      }
      const v = verdict(t, pkg);
      for (let i = 0; i < v.length; i++) findings.push(v[i] as Finding);
    }
    return { findings, kernels, livepatched };
  }

  function evaluate(host: HostInput): HostEvaluation {
    stats.hosts++;
    const t = targetFor(host.os);
    if (!t) return { feedRelease: undefined, findings: NONE, notes: [`no loaded feed covers ${host.os}`], reused: false };
    const setKey = caching ? (host.packageSetId ?? setKeyOf(host.packages)) : '';
    let set = caching ? t.sets.get(setKey) : undefined;
    const reused = set !== undefined;
    if (set) {
      stats.setsReused++;
    } else {
      stats.setsEvaluated++;
      set = evaluateSet(t, host.packages);
      if (caching) {
        if (t.sets.size >= maxSets) t.sets.delete(t.sets.keys().next().value as string);
        t.sets.set(setKey, set);
      }
    }
    const notes: string[] = set.livepatched.map((p) => `${POLICIES.kernelLivepatch}: ${p}`);
    if (set.kernels.length === 0) return { feedRelease: t.ctx.feedRelease, findings: set.findings, notes, reused };
    return { feedRelease: t.ctx.feedRelease, findings: applyKernelRule(set, host.runningKernel, notes), notes, reused };
  }

  return { evaluate, stats };
}

/** Keeps kernel findings of the running kernel only (or all, noted, when it is unknown). */
function applyKernelRule(set: SetResult, uname: string | undefined, notes: string[]): readonly Finding[] {
  const running = uname ? set.kernels.filter((k) => isRunningKernel(k, uname)) : [];
  if (running.length === 0) {
    notes.push(POLICIES.kernelRunningUnknown);
    return set.findings.map((f) => (isKernelPackage(f.package) ? { ...f, notes: [...f.notes, POLICIES.kernelRunningUnknown] } : f));
  }
  const keep = new Set(running.map((k) => `${k.name}\t${k.version}\t${k.arch}`));
  const out: Finding[] = [];
  for (const f of set.findings) {
    if (!isKernelPackage(f.package)) out.push(f);
    else if (keep.has(`${f.package}\t${f.installedVersion}\t${f.arch}`)) out.push({ ...f, notes: [...f.notes, POLICIES.runningKernelOnly] });
  }
  if (set.kernels.length > running.length) notes.push(POLICIES.runningKernelOnly);
  return out;
}
