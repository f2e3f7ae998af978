// Every matching policy has a name that appears on the findings it affects, so a CSIRT member
// can see why a host was (or was not) flagged. Rationale for each: docs/matching.md.

export const POLICIES = {
  /** docs/matching.md, trap 1: reports carry no signing keys; packages are assumed vendor-signed. */
  signatureAssumed: 'policy:signature-assumed-vendor',
  /** Trap 2: the enabled module stream is inferred from the installed package's release. */
  moduleStreamInferred: 'policy:module-stream-inferred',
  /** Trap 2: a non-numeric stream (e.g. `container-tools:rhel8`) cannot be checked against the version. */
  moduleStreamUnverified: 'policy:module-stream-unverified',
  /** Trap 2: a range without module criteria whose fix is a module build applies to module builds of that fix's stream only. */
  moduleStreamFromFix: 'policy:module-stream-from-fix',
  /** Trap 3: Red Hat OVAL's "Red Hat Enterprise Linux must be installed" branch is not evaluated. */
  rhelInstalledIgnored: 'policy:rhel-installed-check-ignored',
  /** Trap 3: Red Hat data applied to a rebuild (CentOS, Scientific Linux, ...) on purpose. */
  rhelDataOnRebuild: 'policy:rhel-data-on-rebuild',
  /** Trap 4: `.elN_M[.centos|.rocky|.alma]` rewritten to `.elN` before comparing (vuls' rule). */
  elSuffixRewrite: 'policy:el-suffix-rewrite',
  /** Trap 5: a binary package matched through its source package. */
  sourceToBinary: 'policy:source-to-binary',
  /** Trap 5: no binary→source mapping known; the binary name was taken as the source name. */
  sourceNameFallback: 'policy:source-name-fallback',
  /** Trap 6: "less than 0:0" and empty OSV ranges mean "not affected"; skipped, counted. */
  neverTrueRange: 'policy:never-true-range',
  /** Trap 6: withdrawn OSV records are skipped, counted. */
  withdrawn: 'policy:withdrawn',
  /** Trap 7: vulnerable with no fix available. */
  unfixed: 'policy:unfixed',
  /** Trap 7: the vendor will not fix it. */
  wontFix: 'policy:wont-fix',
  /** Trap 7: fixed, but the vendor names no version (Ubuntu "released" without one); every installed version matches. */
  fixedVersionUnknown: 'policy:fixed-version-unknown',
  /** Trap 7: the fix is published only to Ubuntu Pro (ESM) subscribers. */
  ubuntuProFix: 'policy:fix-needs-ubuntu-pro',
  /** Trap 8: of several installed kernels only the running one is evaluated. */
  runningKernelOnly: 'policy:running-kernel-only',
  /** Trap 8: the running kernel is unknown, so every installed kernel was evaluated. */
  kernelRunningUnknown: 'policy:kernel-running-unknown',
  /** Trap 8: live-patched kernels (ksplice, SUSE TDC) are not comparable with plain builds. */
  kernelLivepatch: 'policy:kernel-livepatch-incomparable',
  /** Issue 10, class 2: a test that identifies the platform ("Oracle Linux 8 is installed") is a platform check, never a package. */
  platformTest: 'policy:platform-test',
  /** Issue 10, class 2: an architecture test on the release package, judged true because the report lacks that package. */
  platformArchAssumed: 'policy:platform-arch-assumed',
  /** Issue 10, class 3: the definition was judged by its whole criteria tree (OVAL existence, check, negation, operators). */
  ovalLogic: 'policy:oval-logic',
  /** Trap 9: a feed that yields far fewer results than before raises an alarm. */
  formatDrift: 'policy:format-drift-alarm',
} as const;

export type PolicyName = (typeof POLICIES)[keyof typeof POLICIES];

/** Each policy as the reader of a host page needs it: what Vigil did, and what it means for the finding. */
const POLICY_SENTENCES: Record<PolicyName, string> = {
  'policy:signature-assumed-vendor': 'Reports carry no signing keys, so the installed package is assumed to be signed by the vendor.',
  'policy:module-stream-inferred': "The module stream was inferred from the installed package's release, not read from the host.",
  'policy:module-stream-unverified': 'The module stream has no version number to check, so any modular build of the package matches.',
  'policy:module-stream-from-fix': "The fix is a module build, so it applies only to builds of that fix's stream.",
  'policy:rhel-installed-check-ignored':
    'The branch "Red Hat Enterprise Linux must be installed" was not evaluated: read literally, it is true on every other system and would fire every definition.',
  'policy:rhel-data-on-rebuild': "Red Hat's data was applied to this rebuild (no data of the rebuild's own is loaded).",
  'policy:el-suffix-rewrite': "The rebuild's release suffix (such as .el9_4.alma) was compared as plain .el9, as the vendor builds it.",
  'policy:source-to-binary': 'The vendor names the source package; the fix applies to this binary package built from it.',
  'policy:source-name-fallback':
    'No source package is known for this binary (no index is loaded for the release, or it does not list the binary), so its own name was taken as the source name.',
  'policy:never-true-range': 'A range that can never match ("less than 0") means "not affected" and was skipped.',
  'policy:withdrawn': 'The advisory was withdrawn by its publisher and was skipped.',
  'policy:unfixed': 'The vendor has published no fix yet: the host stays affected until one exists.',
  'policy:wont-fix': 'The vendor will not fix this in this release: mitigate or upgrade the release.',
  'policy:fixed-version-unknown': 'The vendor says it is fixed but names no version, so every installed version is counted as affected.',
  'policy:fix-needs-ubuntu-pro': 'The fix is published only to Ubuntu Pro (ESM) subscribers.',
  'policy:running-kernel-only': 'Several kernels are installed; only the running one was judged.',
  'policy:kernel-running-unknown': 'The report does not say which kernel runs, so every installed kernel was judged.',
  'policy:kernel-livepatch-incomparable': 'The kernel is live-patched (ksplice), and such builds cannot be compared with plain kernel versions.',
  'policy:platform-test': 'A test that identifies the operating system was judged as a platform check, not as a package.',
  'policy:platform-arch-assumed': 'An architecture test on the release package was taken as met: the report does not list that package.',
  'policy:oval-logic': 'The definition was judged by its whole OVAL criteria tree (existence checks, negations, operators).',
  'policy:format-drift-alarm': 'The feed yielded far less than before: its format may have changed.',
};

/**
 * A note of a finding or an evaluation as a sentence. A policy note may carry a detail after its
 * name (`policy:format-drift-alarm: no definitions read`); a note that is not a policy's is
 * already a sentence (`no loaded feed covers …`).
 */
export function explainNote(note: string): string {
  const m = /^(policy:[a-z-]+)(?::\s*(.*))?$/.exec(note);
  if (!m) return asSentence(note);
  const sentence = POLICY_SENTENCES[m[1] as PolicyName] as string | undefined;
  if (!sentence) return note; // a policy this version does not know (stored by a newer one): its key says most
  return m[2] ? `${sentence} ${asSentence(m[2])}` : sentence;
}

const asSentence = (text: string) => text.charAt(0).toUpperCase() + text.slice(1) + (/[.!?)]$/.test(text) ? '' : '.');
