// Ubuntu OVAL carries each package's status only in the criterion comment (docs/matching.md). The
// wording changed once (pakiti-server #170: Pakiti then found no CVEs at all), so every known
// phrasing is listed, and anything else is counted as unrecognised for the drift alarm.
import type { FixState } from '../vuln-model/types.js';

export type CommentStatus = FixState | 'not-affected' | 'unrecognised';

const RULES: ReadonlyArray<readonly [RegExp, CommentStatus]> = [
  [/decision has been made to ignore|will not fix|won't fix/i, 'wont-fix'],
  [/has been fixed, but no release version available/i, 'not-affected'],
  [/has been fixed|was vulnerable but has been fixed/i, 'fixed'],
  [/is not affected|does not exist|not vulnerable/i, 'not-affected'],
  [/needs fixing|needs triage|pending publication|decision has been made to defer|is affected|is vulnerable/i, 'unfixed'],
];

/**
 * Reads the status a Ubuntu OVAL criterion comment states.
 *
 * @example
 * commentStatus("curl package in jammy was vulnerable but has been fixed (note: '7.81.0-1ubuntu1.16')."); // 'fixed'
 * commentStatus('libtiff5 package in jammy is affected and needs fixing.'); // 'unfixed'
 * commentStatus('vim package in jammy is related to the CVE in some way, but a decision has been made to ignore this issue.'); // 'wont-fix'
 */
export function commentStatus(comment: string): CommentStatus {
  for (const [pattern, status] of RULES) if (pattern.test(comment)) return status;
  return 'unrecognised';
}
