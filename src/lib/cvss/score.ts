// CVSS base scores from vectors, for feeds that give only the vector (OSV `severity`), and the
// `score/vector` spelling of Red Hat's OVAL (`cvss3="7.5/CVSS:3.1/AV:N/…"`).
// CVSS v3.1 specification, section 7.1 (base metrics equations) and Appendix A (Roundup).
import type { Cvss } from '../vuln-model/types.js';

const W = {
  AV: { N: 0.85, A: 0.62, L: 0.55, P: 0.2 },
  AC: { L: 0.77, H: 0.44 },
  UI: { N: 0.85, R: 0.62 },
  CIA: { H: 0.56, L: 0.22, N: 0 },
} as const;

/** CVSS v3.1 Roundup: the smallest number with one decimal that is >= the input. */
function roundUp(x: number): number {
  const i = Math.round(x * 100000);
  return i % 10000 === 0 ? i / 100000 : (Math.floor(i / 10000) + 1) / 10;
}

/**
 * The base score of a CVSS v3.0/v3.1 vector, or undefined when it is not one (v2, v4, malformed).
 *
 * @example
 * cvss3BaseScore('CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H') // 9.8
 */
export function cvss3BaseScore(vector: string): number | undefined {
  const parts = vector.trim().split('/');
  if (!/^CVSS:3\.[01]$/.test(parts[0] ?? '')) return undefined;
  const m = new Map(parts.slice(1).map((p) => p.split(':') as [string, string]));
  const get = <T extends Record<string, number>>(table: T, key: string): number | undefined => {
    const v = m.get(key);
    return v !== undefined && v in table ? table[v as keyof T] : undefined;
  };
  const scope = m.get('S');
  if (scope !== 'U' && scope !== 'C') return undefined;
  const pr = { N: 0.85, L: scope === 'C' ? 0.68 : 0.62, H: scope === 'C' ? 0.5 : 0.27 } as Record<string, number>;
  const av = get(W.AV, 'AV');
  const ac = get(W.AC, 'AC');
  const ui = get(W.UI, 'UI');
  const p = get(pr, 'PR');
  const [c, i, a] = [get(W.CIA, 'C'), get(W.CIA, 'I'), get(W.CIA, 'A')];
  if (av === undefined || ac === undefined || ui === undefined || p === undefined || c === undefined || i === undefined || a === undefined) return undefined;
  const iss = 1 - (1 - c) * (1 - i) * (1 - a);
  const impact = scope === 'U' ? 6.42 * iss : 7.52 * (iss - 0.029) - 3.25 * Math.pow(iss - 0.02, 15);
  if (impact <= 0) return 0;
  const exploitability = 8.22 * av * ac * p * ui;
  return scope === 'U' ? roundUp(Math.min(impact + exploitability, 10)) : roundUp(Math.min(1.08 * (impact + exploitability), 10));
}

/**
 * A rating from what a feed writes: a vector, a score, or Red Hat's `score/vector`; undefined
 * when neither a score in 0-10 nor a v3 vector can be read.
 *
 * @example
 * parseCvss('7.5/CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:N/I:N/A:H') // { score: 7.5, vector: 'CVSS:3.1/…' }
 */
export function parseCvss(text: string | undefined, vector?: string): Cvss | undefined {
  if (!text && !vector) return undefined;
  const [head, ...rest] = (text ?? '').trim().split('/');
  const v = vector?.trim() || (head?.startsWith('CVSS:') ? (text ?? '').trim() : rest.join('/')) || undefined;
  const given = head && /^\d{1,2}(\.\d+)?$/.test(head) ? Number(head) : undefined;
  const score = given !== undefined && given <= 10 ? given : v ? cvss3BaseScore(v) : undefined;
  if (score === undefined) return undefined;
  return v && v.length <= 200 ? { score, vector: v } : { score };
}
