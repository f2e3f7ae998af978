// docs/matching.md, trap 4: rebuilds spell the RHEL release suffix their own way (`.el7.centos`,
// `.el8_4.rocky`, `.sl6`); future-architect/vuls (oval/util.go `rhelRebuildOSVersionToRHEL`)
// rewrites `.[es]lN[_M][.centos|.rocky|.alma]` to `.elN` on both sides before comparing.
const REBUILD_SUFFIX = /\.[es]l(\d+)(?:_\d+)?(?:\.(?:centos|rocky|alma))?/g;

/**
 * Rewrites rebuild and z-stream release suffixes to the plain `.elN` form.
 *
 * @example
 * rewriteElSuffix('1.el6_7.8'); // '1.el6.8'
 * rewriteElSuffix('1.el6.centos.7'); // '1.el6.7'
 */
export function rewriteElSuffix(version: string): string {
  return version.includes('l') ? version.replace(REBUILD_SUFFIX, '.el$1') : version;
}
