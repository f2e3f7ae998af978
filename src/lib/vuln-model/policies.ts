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
