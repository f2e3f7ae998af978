// Ubuntu OVAL carries each package's status only in the criterion comment (docs/matching.md). The
// wording changed once (pakiti-server #170: Pakiti then found no CVEs at all), so every known
// phrasing is listed, and anything else is counted as unrecognised for the drift alarm.
//
// Canonical writes two files per release. The CVE OVAL (`com.ubuntu.<release>.cve.oval.xml`)
// states a status: "(CVE-2024-2398) curl package in jammy was vulnerable but has been fixed (note:
// '7.81.0-1ubuntu1.16')." The USN OVAL (`com.ubuntu.<release>.usn.oval.xml`) states none: every
// criterion's comment is the pocket the fix was published to ("Long Term Support", "Interim
// Release", "Available with Ubuntu Pro: https://ubuntu.com/pro"), and the status is the test's own
// `less than` state (ubuntu-cve-tracker `scripts/oval_lib.py`, `OvalGeneratorUSN`).
import type { FixState } from '../vuln-model/types.js';

export type CommentStatus = FixState | 'fixed-version-unknown' | 'not-affected' | 'unrecognised';

const RULES: ReadonlyArray<readonly [RegExp, CommentStatus]> = [
  [/decision has been made to ignore|will not fix|won't fix/i, 'wont-fix'],
  // Canonical's "released" with no version: its own OVAL then tests only that a binary is installed.
  [/has been fixed,? but no release version available|released \(no version\)/i, 'fixed-version-unknown'],
  [/has been fixed|was vulnerable but has been fixed|is earlier than/i, 'fixed'],
  [/is not affected|does not exist|not vulnerable/i, 'not-affected'],
  [/needs fixing|needs triage|may need fixing|pending publication|decision has been made to defer|is affected|is vulnerable/i, 'unfixed'],
];

// Ubuntu Pro (formerly Ubuntu Advantage, "UA Infra"/"UA Apps") and its ESM pockets.
const PRO = /Ubuntu Pro|Ubuntu Advantage|\bUA (?:Infra|Apps|Desktop)\b|ubuntu\.com\/(?:pro|advantage)\b|\bESM\b|\besm-(?:infra|apps)\b/i;
// The pockets open to every host of the release, as the USN generator names them.
const PUBLIC = /^\s*\(?(?:Long Term Support|Interim Release)\)?\.?\s*$/i;
// Canonical versions its ESM uploads `+esmN` / `~esmN`; they are published only to Pro.
const ESM_VERSION = /[+~]esm\d/;

/**
 * Reads the status a Ubuntu OVAL criterion comment states.
 *
 * @example
 * commentStatus("curl package in jammy was vulnerable but has been fixed (note: '7.81.0-1ubuntu1.16')."); // 'fixed'
 * commentStatus('libtiff5 package in jammy is affected and needs fixing.'); // 'unfixed'
 * commentStatus('vim package in jammy is related to the CVE in some way, but a decision has been made to ignore this issue.'); // 'wont-fix'
 * commentStatus("sudo package in jammy was vulnerable and has been fixed, but no release version available for it."); // 'fixed-version-unknown'
 */
export function commentStatus(comment: string): CommentStatus {
  for (const [pattern, status] of RULES) if (pattern.test(comment)) return status;
  return 'unrecognised';
}

/**
 * Where a Ubuntu criterion says its fix is published: `ubuntu-pro` (Ubuntu Pro / ESM, by its
 * wording or an `+esmN` fixed version), `public` (a USN pocket open to every host: "Long Term
 * Support", "Interim Release"), or undefined when the comment names no pocket.
 *
 * @example
 * fixPocket('Available with Ubuntu Pro: https://ubuntu.com/pro'); // 'ubuntu-pro'
 * fixPocket('Long Term Support'); // 'public'
 * fixPocket("curl package in xenial was vulnerable but has been fixed (note: '7.47.0-1ubuntu2.19+esm7').", '0:7.47.0-1ubuntu2.19+esm7'); // 'ubuntu-pro'
 */
export function fixPocket(comment: string, fixedVersion?: string): 'ubuntu-pro' | 'public' | undefined {
  if (PRO.test(comment) || (fixedVersion !== undefined && ESM_VERSION.test(fixedVersion))) return 'ubuntu-pro';
  return PUBLIC.test(comment) ? 'public' : undefined;
}

/** What one Ubuntu criterion says: a fix state (and where the fix is published), or why it is skipped. */
export type UbuntuCriterion = { readonly fixState: FixState; readonly fixChannel?: 'ubuntu-pro' } | { readonly skip: string };

/**
 * Reads one Ubuntu criterion (CVE or USN OVAL) from its comment and, when its test has one, its
 * `less than` version. A `less than` test is a fixed range whatever its comment says (OVAL's own
 * semantics; USN comments name a pocket, not a status). An existence-only test takes its status
 * from the comment; a fix released with no version is `fixed` without one
 * (`policy:fixed-version-unknown`); an unknown wording is skipped as `unrecognised-status-comment`.
 *
 * @example
 * readUbuntuCriterion('Available with Ubuntu Pro: https://ubuntu.com/pro', '0:2.4.52-1ubuntu4.9+esm1'); // { fixState: 'fixed', fixChannel: 'ubuntu-pro' }
 * readUbuntuCriterion('tmux package in jammy is affected and needs fixing.'); // { fixState: 'unfixed' }
 */
export function readUbuntuCriterion(comment: string, lessThan?: string): UbuntuCriterion {
  const status = commentStatus(comment);
  if (lessThan === undefined) {
    if (status === 'unrecognised') return { skip: 'unrecognised-status-comment' };
    if (status === 'not-affected') return { skip: 'not-affected' };
  }
  const fixState: FixState = lessThan !== undefined || status === 'fixed' || status === 'fixed-version-unknown' ? 'fixed' : (status as FixState);
  return fixState === 'fixed' && fixPocket(comment, lessThan) === 'ubuntu-pro' ? { fixState, fixChannel: 'ubuntu-pro' } : { fixState };
}
