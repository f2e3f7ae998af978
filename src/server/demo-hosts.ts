// Demo patch monitoring: small OVAL feeds shipped in demo/feeds, ~150 synthetic hosts on 12
// demo sites reporting through the ordinary intake (some patched, some not, a few silent), and
// two CSIRT risk tags, so a newcomer sees every patching page populated.
import { fileURLToPath } from 'node:url';
import { systemActor } from '../core/access.js';
import { demoFederation } from '../lib/demo/federation.js';
import type { HostReport } from '../lib/pakiti-report/index.js';
import { createIntakeService } from '../modules/patching/intake.js';
import { createGroupCommit } from '../db/group-commit.js';
import type { Services } from './services.js';

type Distro = 'rocky' | 'alma' | 'debian' | 'ubuntu';
type Patching = 'patched' | 'vulnerable' | 'mixed';
interface Pkg {
  name: string;
  version: string;
  arch: string;
}

// Debian's OVAL names source packages (`tiff`); the bookworm Sources index tells the evaluator
// that `libtiff6` is built from it (docs/matching.md, binary → source names).
const FEEDS = [
  { file: 'rhel-9.oval.xml', format: 'oval', release: 'rhel:9', name: 'Red Hat Enterprise Linux 9 (demo)' },
  { file: 'almalinux-9.oval.xml', format: 'oval', release: 'almalinux:9', name: 'AlmaLinux 9 (demo)' },
  { file: 'debian-12.oval.xml', format: 'oval', release: 'debian:12', name: 'Debian 12 (demo)' },
  { file: 'bookworm-main-Sources', format: 'debian-index', release: 'debian:12', name: 'Debian 12 package index (demo)' },
  { file: 'ubuntu-jammy.cve.oval.xml', format: 'oval', release: 'ubuntu:22.04', name: 'Ubuntu 22.04 (demo)' },
] as const;

// 150 hosts on 12 sites of the 4 demo NGIs; NOR-TROMSO-GRID is the `site-admin` account's site.
const SITES: Array<{ name: string; distro: Distro; hosts: number; patching: Patching }> = [
  { name: 'NOR-TROMSO-GRID', distro: 'rocky', hosts: 16, patching: 'mixed' },
  { name: 'NOR-UPPSALA-CLOUD', distro: 'ubuntu', hosts: 14, patching: 'vulnerable' },
  { name: 'NOR-BERGEN-HPC', distro: 'alma', hosts: 12, patching: 'patched' },
  { name: 'NOR-LUND-T2', distro: 'alma', hosts: 12, patching: 'vulnerable' },
  { name: 'ALP-UNIBERN-HPC', distro: 'rocky', hosts: 14, patching: 'patched' },
  { name: 'ALP-GRAZ-T2', distro: 'debian', hosts: 12, patching: 'vulnerable' },
  { name: 'ALP-BASEL-CLOUD', distro: 'ubuntu', hosts: 12, patching: 'mixed' },
  { name: 'IBE-PORTO-GRID', distro: 'alma', hosts: 12, patching: 'mixed' },
  { name: 'IBE-VALENCIA-HPC', distro: 'debian', hosts: 12, patching: 'patched' },
  { name: 'IBE-MESETA-CLOUD', distro: 'ubuntu', hosts: 10, patching: 'vulnerable' },
  { name: 'DAN-BUDA-GRID', distro: 'rocky', hosts: 12, patching: 'vulnerable' },
  { name: 'DAN-KOSICE-T2', distro: 'debian', hosts: 12, patching: 'mixed' },
];

const OLD_EL_KERNEL = '5.14.0-362.18.1.el9_3';
const NEW_EL_KERNEL = '5.14.0-427.16.1.el9_4';

/** name, version before the demo advisories, version after (same when not affected). */
const EL_PACKAGES: Array<[string, string, string]> = [
  ['bash', '0:5.1.8-9.el9', '0:5.1.8-9.el9'],
  ['coreutils', '0:8.32-35.el9', '0:8.32-35.el9'],
  ['systemd', '0:252-18.el9', '0:252-32.el9_4'],
  ['systemd-libs', '0:252-18.el9', '0:252-32.el9_4'],
  ['glibc', '0:2.34-83.el9_3.12', '0:2.34-100.el9_4.2'],
  ['glibc-common', '0:2.34-83.el9_3.12', '0:2.34-100.el9_4.2'],
  ['glibc-minimal-langpack', '0:2.34-83.el9_3.12', '0:2.34-100.el9_4.2'],
  ['openssl', '1:3.0.7-24.el9', '1:3.0.7-27.el9'],
  ['openssl-libs', '1:3.0.7-24.el9', '1:3.0.7-27.el9'],
  ['openssh', '0:8.7p1-34.el9', '0:8.7p1-38.el9_4.1'],
  ['openssh-clients', '0:8.7p1-34.el9', '0:8.7p1-38.el9_4.1'],
  ['openssh-server', '0:8.7p1-34.el9', '0:8.7p1-38.el9_4.1'],
  ['sudo', '0:1.9.5p2-9.el9', '0:1.9.5p2-10.el9_3'],
  ['libxml2', '0:2.9.13-5.el9_3', '0:2.9.13-6.el9_4'],
  ['krb5-libs', '0:1.21.1-1.el9', '0:1.21.1-2.el9_4'],
  ['rpm', '0:4.16.1.3-27.el9_3', '0:4.16.1.3-29.el9'],
  ['dnf', '0:4.14.0-8.el9', '0:4.14.0-9.el9'],
  ['python3', '0:3.9.18-1.el9_3.1', '0:3.9.18-3.el9_4.1'],
  ['curl', '0:7.76.1-26.el9_3.3', '0:7.76.1-29.el9_4'],
  ['libcurl', '0:7.76.1-26.el9_3.3', '0:7.76.1-29.el9_4'],
  ['chrony', '0:4.3-1.el9', '0:4.5-1.el9'],
  ['rsyslog', '0:8.2102.0-117.el9', '0:8.2310.0-4.el9'],
  ['audit', '0:3.0.7-104.el9', '0:3.1.2-2.el9'],
  ['firewalld', '0:1.2.5-2.el9', '0:1.3.4-1.el9'],
  ['tar', '2:1.34-6.el9_1', '2:1.34-6.el9_1'],
  ['vim-minimal', '2:8.2.2637-20.el9_1', '2:8.2.2637-20.el9_1'],
  ['zlib', '0:1.2.11-40.el9', '0:1.2.11-40.el9'],
  ['xz-libs', '0:5.2.5-8.el9_0', '0:5.2.5-8.el9_0'],
  ['tzdata', '0:2023c-1.el9', '0:2024a-1.el9'],
  ['ca-policy-egi-core', '0:1.126-1', '0:1.128-1'],
  ['fetch-crl', '0:3.0.22-1.el9', '0:3.0.23-1.el9'],
  ['cvmfs', '0:2.11.2-1.el9', '0:2.11.3-1.el9'],
  ['apptainer', '0:1.2.5-1.el9', '0:1.3.2-1.el9'],
  ['xrootd-client-libs', '1:5.6.4-1.el9', '1:5.6.9-1.el9'],
  ['nordugrid-arc-arex', '0:6.18.0-1.el9', '0:6.19.0-1.el9'],
];
const EL_NOARCH = new Set(['tzdata', 'ca-policy-egi-core', 'fetch-crl']);

const DEB_PACKAGES: Array<[string, string, string]> = [
  ['base-files', '12.4+deb12u4', '12.4+deb12u6'],
  ['bash', '5.2.15-2+b2', '5.2.15-2+b7'],
  ['coreutils', '9.1-1', '9.1-1'],
  ['libc6', '2.36-9+deb12u3', '2.36-9+deb12u7'],
  ['libtiff6', '4.5.0-6', '4.5.0-6+deb12u1'],
  ['openssl', '3.0.11-1~deb12u2', '3.0.13-1~deb12u1'],
  ['libssl3', '3.0.11-1~deb12u2', '3.0.13-1~deb12u1'],
  ['sudo', '1.9.13p3-1', '1.9.13p3-1+deb12u1'],
  ['curl', '7.88.1-10+deb12u5', '7.88.1-10+deb12u6'],
  ['libcurl4', '7.88.1-10+deb12u5', '7.88.1-10+deb12u6'],
  ['git', '1:2.39.2-1.1', '1:2.39.5-0+deb12u1'],
  ['less', '590-2.1~deb12u1', '590-2.1~deb12u2'],
  ['openssh-server', '1:9.2p1-2+deb12u2', '1:9.2p1-2+deb12u3'],
  ['openssh-client', '1:9.2p1-2+deb12u2', '1:9.2p1-2+deb12u3'],
  ['systemd', '252.19-1~deb12u1', '252.26-1~deb12u2'],
  ['apt', '2.6.1', '2.6.1'],
  ['dpkg', '1.21.22', '1.21.22'],
  ['ca-certificates', '20230311', '20230311'],
  ['tzdata', '2024a-0+deb12u1', '2024a-0+deb12u1'],
  ['python3', '3.11.2-1+b1', '3.11.2-1+b1'],
  ['vim', '2:9.0.1378-2', '2:9.0.1378-2'],
  ['rsyslog', '8.2302.0-1', '8.2302.0-1'],
  ['chrony', '4.3-2+deb12u1', '4.3-2+deb12u1'],
  ['linux-image-6.1.0-18-amd64', '6.1.76-1', '6.1.76-1'],
  ['ca-policy-egi-core', '1.126-1', '1.128-1'],
  ['cvmfs', '2.11.2~1+debian12', '2.11.3~1+debian12'],
];
const UBU_PACKAGES: Array<[string, string, string]> = [
  ['base-files', '12ubuntu4.4', '12ubuntu4.6'],
  ['bash', '5.1-6ubuntu1.1', '5.1-6ubuntu1.1'],
  ['coreutils', '8.32-4.1ubuntu1.1', '8.32-4.1ubuntu1.2'],
  ['libc6', '2.35-0ubuntu3.6', '2.35-0ubuntu3.8'],
  ['libc-bin', '2.35-0ubuntu3.6', '2.35-0ubuntu3.8'],
  ['locales', '2.35-0ubuntu3.6', '2.35-0ubuntu3.8'],
  ['openssl', '3.0.2-0ubuntu1.12', '3.0.2-0ubuntu1.16'],
  ['libssl3', '3.0.2-0ubuntu1.12', '3.0.2-0ubuntu1.16'],
  ['openssh-server', '1:8.9p1-3ubuntu0.6', '1:8.9p1-3ubuntu0.10'],
  ['openssh-client', '1:8.9p1-3ubuntu0.6', '1:8.9p1-3ubuntu0.10'],
  ['openssh-sftp-server', '1:8.9p1-3ubuntu0.6', '1:8.9p1-3ubuntu0.10'],
  ['curl', '7.81.0-1ubuntu1.15', '7.81.0-1ubuntu1.16'],
  ['libcurl4', '7.81.0-1ubuntu1.15', '7.81.0-1ubuntu1.16'],
  ['tmux', '3.2a-4ubuntu0.2', '3.2a-4ubuntu0.2'],
  ['systemd', '249.11-0ubuntu3.11', '249.11-0ubuntu3.12'],
  ['apt', '2.4.11', '2.4.12'],
  ['sudo', '1.9.9-1ubuntu2.4', '1.9.9-1ubuntu2.4'],
  ['vim', '2:8.2.3995-1ubuntu2.15', '2:8.2.3995-1ubuntu2.16'],
  ['python3', '3.10.6-1~22.04', '3.10.6-1~22.04'],
  ['linux-image-5.15.0-107-generic', '5.15.0-107.117', '5.15.0-107.117'],
  ['cloud-init', '23.4.4-0ubuntu0~22.04.1', '24.1.3-0ubuntu1~22.04.1'],
];
/** Extras some hosts carry on top of the site's image (the 30 % that differ by a few packages). */
const EL_EXTRAS: Pkg[] = [
  { name: 'htop', version: '0:3.3.0-1.el9', arch: 'x86_64' },
  { name: 'tmux', version: '0:3.2a-5.el9', arch: 'x86_64' },
  { name: 'git-core', version: '0:2.43.0-1.el9', arch: 'x86_64' },
  { name: 'gcc', version: '0:11.4.1-3.el9', arch: 'x86_64' },
  { name: 'emacs-nox', version: '1:27.2-9.el9', arch: 'x86_64' },
];
const DEB_EXTRAS: Pkg[] = [
  { name: 'htop', version: '3.2.2-2', arch: 'amd64' },
  { name: 'tmux', version: '3.3a-3', arch: 'amd64' },
  { name: 'gcc-12', version: '12.2.0-14', arch: 'amd64' },
  { name: 'rsync', version: '3.2.7-1', arch: 'amd64' },
  { name: 'screen', version: '4.9.0-4', arch: 'amd64' },
];
const UBU_EXTRAS: Pkg[] = [
  { name: 'htop', version: '3.0.5-7build2', arch: 'amd64' },
  { name: 'git', version: '1:2.34.1-1ubuntu1.11', arch: 'amd64' },
  { name: 'gcc-11', version: '11.4.0-1ubuntu1~22.04', arch: 'amd64' },
  { name: 'rsync', version: '3.2.7-0ubuntu0.22.04.2', arch: 'amd64' },
  { name: 'screen', version: '4.9.0-1', arch: 'amd64' },
];

const SYSTEM: Record<Distro, string> = {
  rocky: 'Rocky Linux release 9.4 (Blue Onyx)',
  alma: 'AlmaLinux release 9.4 (Seafoam Ocelot)',
  debian: 'Debian GNU/Linux 12',
  ubuntu: 'Ubuntu 22.04.4 LTS',
};
const ROLES = ['wn', 'wn', 'wn', 'wn', 'ce', 'se', 'ui', 'argus', 'bdii', 'squid'];
const DAY = 86_400_000;

/** `sshOnly`: the host got the emergency openssh update and nothing else. */
function packageList(distro: Distro, patched: boolean, machine: string, kernels: 'old' | 'both' | 'new', sshOnly = false): Pkg[] {
  const pick = (table: Array<[string, string, string]>, arch: (name: string) => string) =>
    table.map(([name, before, after]) => ({ name, version: patched || (sshOnly && name.startsWith('openssh')) ? after : before, arch: arch(name) }));
  if (distro === 'debian') return pick(DEB_PACKAGES, () => 'amd64');
  if (distro === 'ubuntu') return pick(UBU_PACKAGES, () => (machine === 'aarch64' ? 'arm64' : 'amd64'));
  const list = pick(EL_PACKAGES, (n) => (EL_NOARCH.has(n) ? 'noarch' : machine));
  if (kernels !== 'new') list.push({ name: 'kernel-core', version: `0:${OLD_EL_KERNEL}`, arch: machine });
  if (kernels !== 'old') list.push({ name: 'kernel-core', version: `0:${NEW_EL_KERNEL}`, arch: machine });
  return list;
}

function report(host: string, site: string, distro: Distro, machine: string, kernel: string, packages: Pkg[], missing = false): HostReport {
  return {
    source: 'json',
    host,
    site,
    tag: 'demo',
    system: SYSTEM[distro],
    kernel,
    arch: machine,
    cpu: machine === 'aarch64' ? 'Neoverse-N1' : 'AMD EPYC 7313 16-Core Processor',
    packager: distro === 'debian' || distro === 'ubuntu' ? 'dpkg' : 'rpm',
    agent: { name: 'vigil-agent', version: '1.0.0' },
    mode: undefined,
    packages: missing ? [] : packages,
    packagesMissing: missing,
    warnings: [],
  };
}

/** Seeds feeds, hosts and tags for the demo; called once at the end of the demo seed. */
export async function seedDemoHosts(s: Services): Promise<void> {
  const actor = systemActor('demo set-up');
  for (const f of FEEDS) {
    const source = fileURLToPath(new URL(`../../demo/feeds/${f.file}`, import.meta.url));
    await s.feeds.importFrom(actor, { format: f.format, source, release: f.release, name: f.name });
  }

  // Reports arrive "in the past" through the ordinary intake with a shifted clock, so findings
  // have a history: first seen weeks ago, fixed days ago on the hosts that were patched.
  const now = s.clock.now().getTime();
  let at = now;
  const ingest = createIntakeService({
    db: s.dbHandle.db,
    writes: createGroupCommit(s.dbHandle),
    clock: { now: () => new Date(at) },
    cache: s.evaluators,
    reporters: s.reporters,
    held: s.quarantine,
  });
  const domains = new Map(demoFederation().sites.map((site) => [site.name, new URL(site.homeUrl!).hostname.replace(/^www\./, '')]));

  for (const [n, site] of SITES.entries()) {
    const siteId = await s.registry.resolveScopeId('site', site.name);
    await s.reporters.setAnonymous(actor, siteId, true);
    const shared = Math.round(site.hosts * 0.7);
    for (let i = 0; i < site.hosts; i++) {
      const k = n * 100 + i;
      const role = ROLES[i % ROLES.length]!;
      const host = `${role}${String(i + 1).padStart(2, '0')}.${domains.get(site.name) ?? 'example.org'}`;
      const machine = site.distro === 'rocky' && i >= site.hosts - 3 ? 'aarch64' : 'x86_64';
      const patched = site.patching === 'patched' || (site.patching === 'mixed' && i % 2 === 0);
      // A few patched EL hosts have the new kernel installed but still run the old one.
      const notRebooted = patched && (site.distro === 'rocky' || site.distro === 'alma') && i % 5 === 1;
      const extras = (site.distro === 'debian' ? DEB_EXTRAS : site.distro === 'ubuntu' ? UBU_EXTRAS : EL_EXTRAS).map((p) => ({
        ...p,
        arch: p.arch === 'x86_64' ? machine : p.arch,
      }));
      const differ = i >= shared ? extras.slice(0, 1 + (k % extras.length)) : [];
      const kernelOf = (kernels: 'old' | 'new') =>
        site.distro === 'debian'
          ? '6.1.0-18-amd64'
          : site.distro === 'ubuntu'
            ? '5.15.0-107-generic'
            : `${kernels === 'old' ? OLD_EL_KERNEL : NEW_EL_KERNEL}.${machine}`;

      at = now - (21 + (k % 17)) * DAY - (k % 24) * 3_600_000;
      const send = (kernel: string, packages: Pkg[], missing = false) =>
        ingest.accept(report(host, site.name, site.distro, machine, kernel, [...packages, ...differ], missing), {}, 'store-only', 'demo');
      await send(kernelOf('old'), packageList(site.distro, false, machine, 'old'));
      const silent = k % 23 === 5;
      if (silent) continue;
      at = patched ? now - (2 + (k % 9)) * DAY - (k % 13) * 3_600_000 : now - (k % 20) * 3_600_000;
      const missing = k % 37 === 11;
      const kernels = patched ? 'both' : 'old';
      const sshOnly = !patched && k % 3 === 0;
      await send(kernelOf(notRebooted || !patched ? 'old' : 'new'), packageList(site.distro, patched, machine, kernels, sshOnly), missing);
      if (patched) {
        // The daily report since: nothing changed, only the last-report time moves.
        at = now - (k % 20) * 3_600_000;
        await send(kernelOf(notRebooted ? 'old' : 'new'), packageList(site.distro, patched, machine, kernels), missing);
      }
    }
  }

  const csirt = systemActor('Federation CSIRT (demo)');
  await s.lifecycle.create(csirt, {
    name: 'IGTF trust anchors 1.128',
    kind: 'minimum-version',
    packagePattern: 'ca-policy-egi-core',
    version: '1.128-1',
    message: 'Install the current IGTF distribution (ca-policy-egi-core 1.128-1 or later): older bundles lack the renewed CA certificates.',
  });
  await s.tags.tag(csirt, {
    cve: 'CVE-2024-6387',
    tag: 'EGI-Critical',
    reason:
      'regreSSHion: unauthenticated remote code execution as root in sshd on glibc systems; exploit published. Patch or apply LoginGraceTime 0 within 7 days (SEC03).',
  });
  await s.tags.tag(csirt, {
    cve: 'CVE-2024-2961',
    tag: 'EGI-High',
    reason: 'glibc iconv ISO-2022-CN-EXT out-of-bounds write, remotely reachable through PHP and other services on grid UIs and portals.',
  });
}
