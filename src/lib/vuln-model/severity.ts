// Vendors' severity words mapped onto one scale.
import type { Severity } from './types.js';

const WORDS: Record<string, Severity> = {
  critical: 'critical',
  important: 'high',
  high: 'high',
  moderate: 'medium',
  medium: 'medium',
  low: 'low',
  negligible: 'negligible',
  unimportant: 'negligible',
  none: 'negligible',
};

/**
 * Maps a vendor severity (Red Hat "Important", Ubuntu "Medium", Debian "unimportant", CVSS
 * rating words) onto Vigil's scale; anything else is `unknown`.
 *
 * @example
 * normalizeSeverity('Important'); // 'high'
 * normalizeSeverity('not yet assigned'); // 'unknown'
 */
export function normalizeSeverity(word: string | undefined): Severity {
  if (!word) return 'unknown';
  return WORDS[word.trim().toLowerCase()] ?? 'unknown';
}

const RANK: Record<Severity, number> = { critical: 5, high: 4, medium: 3, low: 2, negligible: 1, unknown: 0 };

/**
 * Orders severities, worst first when used with `sort`.
 *
 * @example
 * ['low', 'critical'].sort(compareSeverity); // ['critical', 'low']
 */
export function compareSeverity(a: Severity, b: Severity): number {
  return RANK[b] - RANK[a];
}
