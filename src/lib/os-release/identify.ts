// OS identification from what a Pakiti report carries: its `system` header (the content of
// /etc/redhat-release, or "$NAME $VERSION_ID" from /etc/os-release, or /etc/issue.net on old
// clients) and its `packager`. An unrecognised system stays unknown: guessing a release would
// apply the wrong feed and silently hide or invent findings.
import type { VersionScheme } from '../vuln-model/types.js';

export type OsFamily = 'rhel' | 'debian';

/** A recognised OS release. */
export interface KnownOs {
  readonly known: true;
  /** Feed release key: `<distro>:<major>` (`ubuntu:<major>.<minor>`). */
  readonly key: string;
  readonly distro: string;
  readonly version: string;
  readonly family: OsFamily;
  readonly scheme: VersionScheme;
  /** For RHEL rebuilds: the Red Hat release whose data applies (`rhel:7`). */
  readonly rebuildOf?: string;
}

export interface UnknownOs {
  readonly known: false;
  readonly reason: string;
}

interface Rule {
  readonly pattern: RegExp;
  readonly distro: string;
  readonly family: OsFamily;
  readonly rebuild: boolean;
}

const RULES: readonly Rule[] = [
  {
    pattern: /^Red Hat Enterprise Linux(?: (?:Server|Workstation|Client|ComputeNode))? release (\d+)(?:\.\d+)*\b/i,
    distro: 'rhel',
    family: 'rhel',
    rebuild: false,
  },
  { pattern: /^Red Hat Enterprise Linux (\d+)(?:\.\d+)*$/i, distro: 'rhel', family: 'rhel', rebuild: false },
  { pattern: /^CentOS Stream release (\d+)\b/i, distro: 'centos-stream', family: 'rhel', rebuild: true },
  { pattern: /^CentOS(?: Linux)? release (\d+)(?:\.\d+)*\b/i, distro: 'centos', family: 'rhel', rebuild: true },
  { pattern: /^AlmaLinux release (\d+)(?:\.\d+)*\b/i, distro: 'almalinux', family: 'rhel', rebuild: true },
  { pattern: /^AlmaLinux (\d+)(?:\.\d+)*$/i, distro: 'almalinux', family: 'rhel', rebuild: true },
  { pattern: /^Rocky Linux release (\d+)(?:\.\d+)*\b/i, distro: 'rocky', family: 'rhel', rebuild: true },
  { pattern: /^Rocky Linux (\d+)(?:\.\d+)*$/i, distro: 'rocky', family: 'rhel', rebuild: true },
  { pattern: /^Scientific Linux(?: CERN SLC)? release (\d+)(?:\.\d+)*\b/i, distro: 'scientific', family: 'rhel', rebuild: true },
  { pattern: /^Oracle Linux Server release (\d+)(?:\.\d+)*\b/i, distro: 'oracle', family: 'rhel', rebuild: true },
  // `$NAME $VERSION_ID` from /etc/os-release, as the Pakiti client sends it without /etc/redhat-release.
  { pattern: /^Oracle Linux Server (\d+)(?:\.\d+)*$/i, distro: 'oracle', family: 'rhel', rebuild: true },
  { pattern: /^CentOS Stream (\d+)$/i, distro: 'centos-stream', family: 'rhel', rebuild: true },
  { pattern: /^CentOS Linux (\d+)(?:\.\d+)*$/i, distro: 'centos', family: 'rhel', rebuild: true },
  { pattern: /^Scientific Linux (\d+)(?:\.\d+)*$/i, distro: 'scientific', family: 'rhel', rebuild: true },
  { pattern: /^Debian GNU\/Linux (\d+)(?:\.\d+)*(?: \(\w+\))?$/i, distro: 'debian', family: 'debian', rebuild: false },
  { pattern: /^Ubuntu (\d+\.\d+)(?:\.\d+)?(?: LTS)?(?: \([^)]*\))?$/i, distro: 'ubuntu', family: 'debian', rebuild: false },
];

const PACKAGER: Record<OsFamily, string> = { rhel: 'rpm', debian: 'dpkg' };

/**
 * Identifies the OS release of a report from its `system` string and `packager`.
 *
 * @example
 * identifyOs('CentOS Linux release 7.9.2009 (Core)', 'rpm'); // { known: true, key: 'centos:7', rebuildOf: 'rhel:7', ... }
 * identifyOs('Ubuntu 22.04.4 LTS', 'dpkg'); // { known: true, key: 'ubuntu:22.04', ... }
 * identifyOs('Gentoo Base System release 2.14', 'pkg'); // { known: false, reason: ... }
 */
export function identifyOs(system: string, packager?: string): KnownOs | UnknownOs {
  const text = system.trim().replace(/\s+/g, ' ');
  for (const rule of RULES) {
    const m = rule.pattern.exec(text);
    if (!m) continue;
    const expected = PACKAGER[rule.family];
    if (packager !== undefined && packager !== '' && packager !== expected) {
      return { known: false, reason: `system '${text}' is ${rule.distro} but the packager is '${packager}', not '${expected}'` };
    }
    const version = m[1] as string;
    const key = `${rule.distro}:${version}`;
    const scheme = rule.family === 'rhel' ? 'rpm' : 'deb';
    return rule.rebuild
      ? { known: true, key, distro: rule.distro, version, family: rule.family, scheme, rebuildOf: `rhel:${version}` }
      : { known: true, key, distro: rule.distro, version, family: rule.family, scheme };
  }
  return { known: false, reason: `unrecognised system '${text.slice(0, 120)}'` };
}
