// What the server writes after `OK\n` when a client asked for results (CESNET/pakiti-server FeederModule):
// one `name<TAB>version-release<TAB>arch<TAB>CVE<TAB>tag` line per vulnerable package,
// tagged CVE and tag.

export interface ResultLine {
  readonly name: string;
  /** The version as the host reported it (rpm `epoch:version-release`, dpkg full version). */
  readonly version: string;
  readonly arch: string;
  readonly cve: string;
  readonly tag: string;
}

// A tab or line break inside a field would shift the client's columns; no real value has one.
const clean = (s: string): string => s.replace(/[\t\r\n]+/g, ' ');

/**
 * Formats tagged findings as Pakiti result lines, each ending in LF, duplicates dropped,
 * in the order given.
 *
 * @example
 * formatResultLines([{ name: 'openssl-libs', version: '1:3.0.7-24.el9', arch: 'x86_64', cve: 'CVE-2023-5678', tag: 'EGI-Critical' }]);
 * // 'openssl-libs\t1:3.0.7-24.el9\tx86_64\tCVE-2023-5678\tEGI-Critical\n'
 */
export function formatResultLines(findings: readonly ResultLine[]): string {
  const lines = new Set<string>();
  for (const f of findings) lines.add(`${[f.name, f.version, f.arch, f.cve, f.tag].map(clean).join('\t')}\n`);
  return [...lines].join('');
}
