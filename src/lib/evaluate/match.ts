// Matching one installed package version against the ranges indexed under its name.
import { POLICIES } from '../vuln-model/policies.js';
import type { CompiledRange } from './compile.js';
import { moduleVerdict } from './module-stream.js';
import type { Finding } from './types.js';

/** The range a candidate finding of a definition judged by its logic came from. */
export const LOGIC_RANGE = new WeakMap<Finding, CompiledRange>();

/** How the ranges of one release are applied to one host OS. */
export interface MatchContext {
  readonly feedRelease: string;
  /** RHEL data on a rebuild: compare with the el-suffix rewrite, note it. */
  readonly rebuild: boolean;
  readonly scheme: 'rpm' | 'deb';
}

interface Bounds {
  readonly introducedKey?: string | undefined;
  readonly fixedKey?: string | undefined;
  readonly lastAffectedKey?: string | undefined;
}

function inRange(b: Bounds, key: string): boolean {
  if (b.introducedKey !== undefined && key < b.introducedKey) return false;
  if (b.fixedKey !== undefined) return key < b.fixedKey;
  if (b.lastAffectedKey !== undefined) return key <= b.lastAffectedKey;
  return true;
}

/**
 * The findings for one installed (name, version, arch) against `ranges`; `key` and `rewrittenKey`
 * are the installed version's order keys (plain, and after the el-suffix rewrite).
 */
export function matchRanges(
  ctx: MatchContext,
  ranges: readonly CompiledRange[],
  pkg: { name: string; version: string; arch: string },
  key: string,
  rewrittenKey: string | undefined,
  extraNotes: readonly string[],
  seen: Set<string>,
): Finding[] {
  const out: Finding[] = [];
  for (const r of ranges) {
    const { range, definition } = r;
    // A definition judged by its logic keeps every candidate range: which one counts is known
    // only once its tree is evaluated for the whole list (tree.ts, engine.ts).
    const byLogic = definition.logic !== undefined;
    if (!byLogic && seen.has(definition.id)) continue;
    if (range.arches && !range.arches.includes(pkg.arch)) continue;
    let moduleNote: string | false = '';
    if (ctx.scheme === 'rpm') {
      moduleNote = moduleVerdict(range.module, pkg.version, r.fixStreams);
      if (moduleNote === false) continue;
    }
    const notes = [...r.notes, ...extraNotes];
    if (moduleNote) notes.push(moduleNote);
    if (ctx.rebuild && rewrittenKey !== undefined) {
      const affected = inRange(r.rewritten, rewrittenKey);
      if (affected !== inRange(r, key)) notes.push(POLICIES.elSuffixRewrite);
      if (!affected) continue;
      notes.push(POLICIES.rhelDataOnRebuild);
    } else if (!inRange(r, key)) {
      continue;
    }
    seen.add(definition.id);
    const finding: Finding = {
      package: pkg.name,
      installedVersion: pkg.version,
      arch: pkg.arch,
      fixedVersion: range.fixed ?? null,
      // A fix released without a version (policy:fixed-version-unknown) is still a fix to apply.
      fixAvailable: range.fixState === 'fixed',
      fixState: range.fixState,
      cves: definition.cves,
      severity: definition.severity,
      definitionId: definition.id,
      advisoryId: definition.advisoryId,
      vendor: definition.vendor,
      feedRelease: ctx.feedRelease,
      notes: [...new Set(notes)],
    };
    if (byLogic) LOGIC_RANGE.set(finding, r);
    out.push(finding);
  }
  return out;
}
