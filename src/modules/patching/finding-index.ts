// The CVEs of each evaluation, held in memory for the CVE list (issue 11, item 1). Ranking 20,000
// CVEs by hosts and sites means, for every (evaluation, site) group of hosts in reach, adding
// the group to each of its evaluation's CVEs: millions of additions, a few milliseconds in typed
// arrays, far more as a join in SQL. Evaluations are written once and recomputed only when their
// feed data or package set changes, so each process keeps their CVEs and, on every use, reloads
// only those whose `evaluated_at` moved (one short scan of `evaluation`): several processes stay
// exact without telling each other anything.
import type { Executor } from '../../db/database.js';

/** Severity ranks, as stored in a pair's flags (bits 0-2); bit 3: a fix is available. */
export const SEVERITY_RANK: Record<string, number> = { unknown: 0, negligible: 1, low: 2, medium: 3, high: 4, critical: 5 };
export const SEVERITY_OF_RANK = ['unknown', 'negligible', 'low', 'medium', 'high', 'critical'] as const;
export const FIX_AVAILABLE = 8;

export interface EvaluationCves {
  /** The OS release the evaluation judged (`rocky:9`). */
  osKey: string;
  /** CVE ordinals (into `cveIds`), one per CVE of the evaluation. */
  cves: Int32Array;
  /** Per CVE: worst severity rank of its findings | FIX_AVAILABLE when one has a fix. */
  flags: Uint8Array;
}

/** Evaluations whose findings are read per query (keeps statements under the parameter limits). */
const LOAD_CHUNK = 500;

export function createFindingIndex() {
  const cveIds: string[] = [];
  const ordinal = new Map<string, number>();
  const byEval = new Map<string, { at: string; value: EvaluationCves }>();
  let loading: Promise<void> | undefined;

  const ord = (cve: string) => {
    let n = ordinal.get(cve);
    if (n === undefined) {
      n = cveIds.length;
      cveIds.push(cve);
      ordinal.set(cve, n);
    }
    return n;
  };

  async function load(db: Executor) {
    const current = await db.selectFrom('evaluation').select(['eval_key', 'evaluated_at', 'os_key']).execute();
    const seen = new Set<string>();
    const stale: string[] = [];
    for (const e of current) {
      seen.add(e.eval_key);
      if (byEval.get(e.eval_key)?.at !== e.evaluated_at) stale.push(e.eval_key);
    }
    for (const key of byEval.keys()) if (!seen.has(key)) byEval.delete(key);
    const at = new Map(current.map((e) => [e.eval_key, e]));
    for (let i = 0; i < stale.length; i += LOAD_CHUNK) {
      const keys = stale.slice(i, i + LOAD_CHUNK);
      const rows = await db
        .selectFrom('finding')
        .select(['eval_key', 'cve_id', 'severity', 'is_fix_available'])
        .where('eval_key', 'in', keys)
        .orderBy('eval_key')
        .orderBy('cve_id')
        .execute();
      const grouped = new Map<string, Map<number, number>>(keys.map((k) => [k, new Map()]));
      for (const r of rows) {
        const m = grouped.get(r.eval_key)!;
        const o = ord(r.cve_id);
        const before = m.get(o) ?? 0;
        const rank = Math.max(before & 7, SEVERITY_RANK[r.severity] ?? 0);
        m.set(o, rank | (before & FIX_AVAILABLE) | (Number(r.is_fix_available) === 1 ? FIX_AVAILABLE : 0));
      }
      for (const [key, m] of grouped) {
        const cves = Int32Array.from(m.keys());
        const flags = Uint8Array.from(m.values());
        const e = at.get(key)!;
        byEval.set(key, { at: e.evaluated_at, value: { osKey: e.os_key, cves, flags } });
      }
    }
  }

  return {
    /** Brings the index up to date with the database (one load at a time per process). */
    async refresh(db: Executor): Promise<void> {
      while (loading) await loading;
      loading = load(db).finally(() => (loading = undefined));
      await loading;
    },
    get: (evalKey: string): EvaluationCves | undefined => byEval.get(evalKey)?.value,
    cveId: (n: number): string => cveIds[n]!,
    ordinalOf: (cve: string): number | undefined => ordinal.get(cve),
    get cveCount() {
      return cveIds.length;
    },
  };
}
export type FindingIndex = ReturnType<typeof createFindingIndex>;
