// OVAL criteria as logic (docs/matching.md, "Criteria logic"): which tests identify the
// platform rather than a package, which release a platform test names, and whether a
// definition's affected ranges alone decide it or its whole tree must be evaluated per host.
import type { Logic, OvalCheck, OvalExistence, VersionScheme } from '../vuln-model/types.js';
import type { RawState, RawTest } from './collect.js';

const EXISTENCE = new Set<OvalExistence>(['all_exist', 'any_exist', 'at_least_one_exists', 'none_exist', 'only_one_exists']);
const CHECKS: Record<string, OvalCheck> = {
  all: 'all',
  'at least one': 'at least one',
  'none satisfy': 'none satisfy',
  'none exist': 'none satisfy',
  'only one': 'only one',
};

/** The test's `check_existence` (OVAL default `at_least_one_exists`). */
export function existenceOf(test: RawTest): OvalExistence {
  const e = test.existence as OvalExistence | undefined;
  return e && EXISTENCE.has(e) ? e : 'at_least_one_exists';
}

/** The test's `check` (OVAL default `all`; `none exist` is the deprecated spelling of `none satisfy`). */
export function checkOf(test: RawTest): OvalCheck {
  return CHECKS[test.check ?? 'all'] ?? 'all';
}

/** Release packages: a test on one of these with a version or arch pattern identifies the platform. */
export const RELEASE_PACKAGE =
  /^(?:redhat|oraclelinux|almalinux|rocky|centos|centos-stream|enterprise|sl|fedora)-release(?:-server|-client|-workstation|-computenode)?$/;

const DISTRO_BY_PACKAGE: Record<string, string> = {
  'redhat-release': 'rhel',
  'redhat-release-server': 'rhel',
  'redhat-release-client': 'rhel',
  'redhat-release-workstation': 'rhel',
  'redhat-release-computenode': 'rhel',
  'oraclelinux-release': 'oracle',
  'enterprise-release': 'oracle',
  'almalinux-release': 'almalinux',
  'rocky-release': 'rocky',
  'centos-release': 'centos',
  'centos-stream-release': 'centos-stream',
  'sl-release': 'scientific',
};

const DISTRO_BY_NAME: ReadonlyArray<readonly [RegExp, string]> = [
  [/^Red Hat Enterprise Linux\b/i, 'rhel'],
  [/^Oracle Linux\b/i, 'oracle'],
  [/^AlmaLinux\b/i, 'almalinux'],
  [/^Rocky Linux\b/i, 'rocky'],
  [/^CentOS Stream\b/i, 'centos-stream'],
  [/^CentOS\b/i, 'centos'],
  [/^Debian\b/i, 'debian'],
];

/** `Oracle Linux 8 is installed`, `Debian GNU/Linux 12 is installed`, `Red Hat Enterprise Linux 9 is installed`. */
const RELEASE_COMMENT = /^(.+?)\s+(\d+)\s+is installed\.?$/i;
/** `Oracle Linux arch is x86_64`, `Installed architecture is all`, `... architecture is aarch64`. */
const ARCH_COMMENT = /\barch(?:itecture)? is\b/i;

/**
 * The release key a platform test names (`oracle:8`), from its comment or from a version
 * pattern on a release package (`oraclelinux-release` `^8`); undefined when it names none.
 */
export function releaseOfPlatformTest(comment: string, packageName: string | undefined, version: RawState['version']): string | undefined {
  const m = RELEASE_COMMENT.exec(comment.trim());
  if (m) {
    const distro = DISTRO_BY_NAME.find(([re]) => re.test(m[1] as string))?.[1];
    if (distro) return `${distro}:${m[2]}`;
  }
  const distro = packageName ? DISTRO_BY_PACKAGE[packageName] : undefined;
  const major = version ? /^\^?(\d+)/.exec(version.value)?.[1] : undefined;
  return distro && major ? `${distro}:${major}` : undefined;
}

/** Whether a test's comment says it identifies the platform (release or architecture). */
export function isPlatformComment(comment: string): boolean {
  return RELEASE_COMMENT.test(comment.trim()) || ARCH_COMMENT.test(comment);
}

/**
 * Maps a release named by the file to the key its ranges are filed under: the file's own key
 * when the reader was told a release of another distribution (Red Hat data read as `centos:8`
 * keeps `centos:8`, major from the test), else the named release itself (one Oracle file gives
 * `oracle:7`, `oracle:8`, `oracle:9`).
 */
export function effectiveRelease(named: string, given: string | undefined): string {
  if (!given) return named;
  const [gd] = given.split(':');
  const [nd, major] = named.split(':');
  return gd === nd ? named : `${gd}:${major}`;
}

/** A leaf's or node's negation flag as the Logic type spells it. */
export const neg = (negate: boolean): { negate?: true } => (negate ? { negate: true } : {});

/**
 * Whether a definition's affected ranges alone decide it, as the flat evaluation assumes: no
 * negation, only AND/OR, each AND with at most one child that names vulnerable packages (its
 * other children platform checks, signatures or constants that hold), every range test an
 * "at least one installed instance is below the fix" test. Otherwise the tree is evaluated.
 */
export function rangesDecide(node: Logic, scheme: VersionScheme | undefined): boolean {
  if (node.negate) return false;
  switch (node.k) {
    case 'const':
    case 'platform':
      return true;
    case 'pkg': {
      if (node.platformArch || node.version) return false;
      if (node.exist !== 'at_least_one_exists' && node.exist !== 'all_exist') return false;
      // An rpm test that wants every installed instance below the fix couples the instances.
      if (node.check !== 'at least one' && !(node.check === 'all' && scheme === 'deb')) return false;
      if (node.id < 0) return !node.evr && !node.arch;
      return node.evr === undefined || node.evr.op === 'less than';
    }
    case 'one':
    case 'xor':
      return false;
    case 'or':
      return node.c.every((c) => rangesDecide(c, scheme));
    case 'and': {
      let withRanges = 0;
      for (const c of node.c) {
        if (!rangesDecide(c, scheme)) return false;
        if (hasRanges(c)) withRanges++;
        else if (c.k === 'const' && !c.value) return false;
      }
      return withRanges <= 1;
    }
  }
}

function hasRanges(node: Logic): boolean {
  if (node.k === 'pkg') return node.id >= 0;
  if (node.k === 'and' || node.k === 'or' || node.k === 'one' || node.k === 'xor') return node.c.some(hasRanges);
  return false;
}
