// Issue 10, class 6: a report carries several signs of its distribution, and on Oracle Linux the
// one Pakiti reads first (/etc/redhat-release) says "Red Hat Enterprise Linux release 8.x".
// Every sign is read; they must agree, or the host stays unknown (never a guess).
import { identifyOs, type KnownOs, type OsFamily, type UnknownOs } from './identify.js';

/** What a report may say about its system. */
export interface OsSignals {
  /** The `system` header: /etc/redhat-release, `$NAME $VERSION_ID`, /etc/issue.net. */
  readonly system?: string | undefined;
  readonly packager?: string | undefined;
  /** /etc/os-release fields (Vigil's agent sends them). */
  readonly osRelease?: { readonly id?: string | undefined; readonly versionId?: string | undefined; readonly name?: string | undefined } | undefined;
  /** First line of /etc/oracle-release (Vigil's agent sends it). */
  readonly oracleRelease?: string | undefined;
  /** Installed packages; only the distribution release packages are read (`releasePackagesOf`). */
  readonly packages?: readonly { readonly name: string; readonly version: string }[] | undefined;
}

interface Candidate {
  readonly distro: string;
  readonly version: string;
  readonly family: OsFamily;
  /** Where it came from, for the reason of a conflict. */
  readonly from: string;
  /** Says RHEL: rebuilds (Oracle Linux) write that too, so a rebuild's own sign outranks it. */
  readonly rhelClaim: boolean;
}

/** Packages that only a distribution's own release ships, and the distribution they name. */
const RELEASE_PACKAGES: ReadonlyMap<string, string> = new Map([
  ['oraclelinux-release', 'oracle'],
  ['almalinux-release', 'almalinux'],
  ['rocky-release', 'rocky'],
  ['centos-release', 'centos'],
  ['centos-linux-release', 'centos'],
  ['centos-stream-release', 'centos-stream'],
  ['sl-release', 'scientific'],
  ['redhat-release', 'rhel'],
  ['redhat-release-server', 'rhel'],
  ['redhat-release-workstation', 'rhel'],
  ['redhat-release-client', 'rhel'],
  ['redhat-release-computenode', 'rhel'],
]);

const OS_RELEASE_IDS: Readonly<Record<string, { distro: string; family: OsFamily }>> = {
  rhel: { distro: 'rhel', family: 'rhel' },
  centos: { distro: 'centos', family: 'rhel' },
  almalinux: { distro: 'almalinux', family: 'rhel' },
  rocky: { distro: 'rocky', family: 'rhel' },
  ol: { distro: 'oracle', family: 'rhel' },
  scientific: { distro: 'scientific', family: 'rhel' },
  debian: { distro: 'debian', family: 'debian' },
  ubuntu: { distro: 'ubuntu', family: 'debian' },
};

const PACKAGER: Record<OsFamily, string> = { rhel: 'rpm', debian: 'dpkg' };

/**
 * The distribution release packages of a package list (a handful of names; one map lookup per package).
 *
 * @example
 * releasePackagesOf([{ name: 'oraclelinux-release', version: '8:8.9-1.0.8.el8', arch: 'x86_64' }, { name: 'bash', ... }]);
 * // [{ name: 'oraclelinux-release', version: '8:8.9-1.0.8.el8' }]
 */
export function releasePackagesOf(packages: readonly { readonly name: string; readonly version: string }[]): Array<{ name: string; version: string }> {
  const out: Array<{ name: string; version: string }> = [];
  for (const p of packages) if (RELEASE_PACKAGES.has(p.name)) out.push({ name: p.name, version: p.version });
  return out;
}

const fromKnown = (os: KnownOs, from: string): Candidate => ({
  distro: os.distro,
  version: os.version,
  family: os.family,
  from,
  rhelClaim: os.distro === 'rhel',
});

function osReleaseCandidate(r: NonNullable<OsSignals['osRelease']>): Candidate | string | undefined {
  const id = r.id?.trim().toLowerCase();
  if (!id) return undefined;
  const known = OS_RELEASE_IDS[id];
  if (!known) return `os-release ID '${id.slice(0, 40)}' is not a followed distribution`;
  const m = (known.distro === 'ubuntu' ? /^(\d+\.\d+)/ : /^(\d+)/).exec(r.versionId?.trim() ?? '');
  if (!m) return `os-release ID '${id}' without a usable VERSION_ID`;
  // CentOS Stream and CentOS Linux share ID=centos; NAME tells them apart.
  const distro = known.distro === 'centos' && /stream/i.test(r.name ?? '') ? 'centos-stream' : known.distro;
  return { distro, version: m[1] as string, family: known.family, from: `os-release ID=${id} VERSION_ID=${r.versionId?.trim()}`, rhelClaim: distro === 'rhel' };
}

function candidatesOf(s: OsSignals): { candidates: Candidate[]; problems: string[] } {
  const candidates: Candidate[] = [];
  const problems: string[] = [];
  const system = s.system?.trim() ?? '';
  if (system !== '') {
    const os = identifyOs(system);
    if (os.known) candidates.push(fromKnown(os, `system '${system.slice(0, 120)}'`));
    else problems.push(os.reason);
  }
  if (s.oracleRelease?.trim()) {
    const os = identifyOs(s.oracleRelease);
    if (os.known && os.distro === 'oracle') candidates.push(fromKnown(os, `/etc/oracle-release '${s.oracleRelease.trim().slice(0, 120)}'`));
    else problems.push(`unrecognised /etc/oracle-release '${s.oracleRelease.trim().slice(0, 120)}'`);
  }
  if (s.osRelease) {
    const c = osReleaseCandidate(s.osRelease);
    if (typeof c === 'string') problems.push(c);
    else if (c) candidates.push(c);
  }
  for (const p of releasePackagesOf(s.packages ?? [])) {
    const distro = RELEASE_PACKAGES.get(p.name) as string;
    const colon = p.version.indexOf(':');
    const major = /^\d+/.exec(p.version.slice(colon + 1))?.[0];
    if (major) candidates.push({ distro, version: major, family: 'rhel', from: `package ${p.name} ${p.version}`, rhelClaim: distro === 'rhel' });
  }
  return { candidates, problems };
}

/**
 * Identifies a host's release from every sign its report carries: the `system` header, its
 * /etc/os-release and /etc/oracle-release (Vigil's agent), the distribution release packages
 * in its package list, and the packager. A sign that says RHEL yields to a RHEL rebuild's own
 * sign of the same major release (Oracle Linux's /etc/redhat-release says "Red Hat Enterprise
 * Linux"); any other disagreement — two distributions, two releases, an unfollowed
 * distribution, a packager of the other family — leaves the host unknown, naming both signs.
 *
 * @example
 * identifyHost({ system: 'Red Hat Enterprise Linux release 8.9 (Ootpa)', packager: 'rpm',
 *   packages: [{ name: 'oraclelinux-release', version: '8:8.9-1.0.8.el8' }] }); // { known: true, key: 'oracle:8', ... }
 * identifyHost({ system: 'Rocky Linux release 9.3 (Blue Onyx)', osRelease: { id: 'almalinux', versionId: '9.3' } }); // { known: false, reason: ... }
 */
export function identifyHost(s: OsSignals): KnownOs | UnknownOs {
  const { candidates, problems } = candidatesOf(s);
  if (problems.length > 0 && candidates.length > 0) return { known: false, reason: `${problems[0]}, while ${candidates[0]!.from} is known` };
  if (candidates.length === 0) return { known: false, reason: problems[0] ?? 'the report names no system' };
  const own = candidates.filter((c) => !c.rhelClaim);
  const decided = own[0] ?? candidates[0]!;
  for (const c of candidates) {
    const yields = c.rhelClaim && !decided.rhelClaim && decided.family === 'rhel';
    if ((c.distro !== decided.distro && !yields) || c.version !== decided.version || c.family !== decided.family) {
      return { known: false, reason: `${c.from} disagrees with ${decided.from}` };
    }
  }
  const expected = PACKAGER[decided.family];
  if (s.packager !== undefined && s.packager !== '' && s.packager !== expected) {
    return { known: false, reason: `${decided.from} is ${decided.distro} but the packager is '${s.packager}', not '${expected}'` };
  }
  const key = `${decided.distro}:${decided.version}`;
  const scheme = decided.family === 'rhel' ? 'rpm' : 'deb';
  const base = { known: true as const, key, distro: decided.distro, version: decided.version, family: decided.family, scheme } as const;
  return decided.family === 'rhel' && decided.distro !== 'rhel' ? { ...base, rebuildOf: `rhel:${decided.version}` } : base;
}
