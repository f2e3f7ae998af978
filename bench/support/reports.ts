// Realistic host reports for the patch-monitoring benches and the crash test: protocol-5 bodies
// of ~1,500 packages, rpm (Rocky Linux 9) and dpkg (Debian 12), deterministic from a seed.
//
// dpkg names and versions come from this machine's Debian package index (`apt-cache
// dumpavail`, bookworm); rpm lists are a core of real EL9 packages with their real versions,
// filled with EL-shaped packages (`0:<upstream>-<n>.el9`) named after the same upstream
// projects. Every image carries the packages the feed fixtures (test/fixtures/feeds) match on,
// at vulnerable versions, so each report is evaluated into findings.
import { spawnSync } from 'node:child_process';

export interface Pkg {
  name: string;
  version: string;
  arch: string;
}

/** Deterministic PRNG (mulberry32). */
export function rng(seed: number): (n: number) => number {
  let a = seed >>> 0;
  return (n: number) => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) % n;
  };
}

let debianCache: { pool: Pkg[]; origin: string } | undefined;

/** Binary packages of Debian 12 (one version per name), from the apt index when present. */
export function debianPool(): { pool: Pkg[]; origin: string } {
  if (debianCache) return debianCache;
  const r = spawnSync('apt-cache', ['dumpavail'], { encoding: 'utf8', maxBuffer: 1 << 30 });
  const byName = new Map<string, Pkg>();
  if (r.status === 0) {
    for (const para of r.stdout.split('\n\n')) {
      let name = '';
      let version = '';
      let arch = 'amd64';
      for (const line of para.split('\n')) {
        if (line.startsWith('Package: ')) name = line.slice(9);
        else if (line.startsWith('Version: ')) version = line.slice(9);
        else if (line.startsWith('Architecture: ')) arch = line.slice(14);
      }
      if (name && version && (arch === 'amd64' || arch === 'all') && !byName.has(name)) byName.set(name, { name, version, arch });
    }
  }
  if (byName.size > 10_000) {
    debianCache = { pool: [...byName.values()], origin: `Debian 12 package index (${byName.size} packages)` };
  } else {
    const rand = rng(99);
    const pool = Array.from({ length: 20_000 }, (_, i) => ({
      name: `lib${['ssl', 'xml', 'gtk', 'perl', 'py'][i % 5]}-${i}`,
      version: `${1 + rand(5)}.${rand(30)}.${rand(9)}-${1 + rand(4)}`,
      arch: 'amd64',
    }));
    debianCache = { pool, origin: 'synthetic Debian-shaped names (apt-cache dumpavail unavailable)' };
  }
  return debianCache;
}

// Real EL9 packages (Rocky 9.3 era) with their real epoch:version-release.
const EL9_CORE: Array<[string, string, string]> = [
  ['bash', '0:5.1.8-6.el9_1', 'x86_64'],
  ['glibc', '0:2.34-83.el9_3.7', 'x86_64'],
  ['glibc-common', '0:2.34-83.el9_3.7', 'x86_64'],
  ['openssl', '1:3.0.7-24.el9', 'x86_64'],
  ['openssl-libs', '1:3.0.7-24.el9', 'x86_64'],
  ['kernel-core', '0:5.14.0-362.8.1.el9_3', 'x86_64'],
  ['kernel-core', '0:5.14.0-284.30.1.el9_2', 'x86_64'],
  ['kernel-modules', '0:5.14.0-362.8.1.el9_3', 'x86_64'],
  ['systemd', '0:252-18.el9', 'x86_64'],
  ['systemd-libs', '0:252-18.el9', 'x86_64'],
  ['curl', '0:7.76.1-26.el9_3.2', 'x86_64'],
  ['libcurl', '0:7.76.1-26.el9_3.2', 'x86_64'],
  ['dnf', '0:4.14.0-8.el9', 'noarch'],
  ['rpm', '0:4.16.1.3-25.el9', 'x86_64'],
  ['rpm-libs', '0:4.16.1.3-25.el9', 'x86_64'],
  ['python3', '0:3.9.18-1.el9_3', 'x86_64'],
  ['python3-libs', '0:3.9.18-1.el9_3', 'x86_64'],
  ['openssh', '0:8.7p1-34.el9', 'x86_64'],
  ['openssh-server', '0:8.7p1-34.el9', 'x86_64'],
  ['openssh-clients', '0:8.7p1-34.el9', 'x86_64'],
  ['sudo', '0:1.9.5p2-9.el9', 'x86_64'],
  ['ca-certificates', '0:2023.2.60_v7.0.306-90.1.el9_2', 'noarch'],
  ['ca-policy-egi-core', '0:1.124-1', 'noarch'],
  ['cvmfs', '0:2.11.2-1.el9', 'x86_64'],
  ['apptainer', '0:1.2.5-1.el9', 'x86_64'],
  ['glib2', '0:2.68.4-11.el9', 'x86_64'],
  ['zlib', '0:1.2.11-40.el9', 'x86_64'],
  ['libxml2', '0:2.9.13-5.el9_3', 'x86_64'],
  ['krb5-libs', '0:1.21.1-1.el9', 'x86_64'],
  ['nss', '0:3.90.0-4.el9_3', 'x86_64'],
  ['gnutls', '0:3.7.6-23.el9', 'x86_64'],
  ['sqlite-libs', '0:3.34.1-6.el9_1', 'x86_64'],
  ['xz-libs', '0:5.2.5-8.el9_0', 'x86_64'],
  ['expat', '0:2.5.0-1.el9', 'x86_64'],
  ['perl-interpreter', '4:5.32.1-480.el9', 'x86_64'],
  ['vim-minimal', '2:8.2.2637-20.el9_1', 'x86_64'],
  ['tzdata', '0:2023c-1.el9', 'noarch'],
  ['selinux-policy', '0:38.1.23-1.el9', 'noarch'],
  ['shadow-utils', '2:4.9-8.el9', 'x86_64'],
  ['util-linux', '0:2.37.4-15.el9', 'x86_64'],
  ['coreutils', '0:8.32-34.el9', 'x86_64'],
  ['NetworkManager', '1:1.44.0-3.el9', 'x86_64'],
];

/** EL9-shaped packages: the real core above, then one package per upstream project of the Debian index. */
export function rpmPool(): Pkg[] {
  const seen = new Set<string>();
  const out: Pkg[] = [];
  for (const [name, version, arch] of EL9_CORE) out.push({ name, version, arch });
  for (const p of out) seen.add(p.name);
  const rand = rng(7);
  for (const d of debianPool().pool) {
    // Debian lib-foo1.2 / foo-dev / python3-foo → EL-style foo, foo-devel, python3-foo.
    const name = d.name.replace(/-dev$/, '-devel').replace(/^lib(.+?)\d[\d.]*$/, 'lib$1');
    if (seen.has(name) || !/^[a-zA-Z][\w+.-]*$/.test(name)) continue;
    seen.add(name);
    const upstream =
      d.version
        .replace(/^\d+:/, '')
        .replace(/-[^-]*$/, '')
        .replace(/[+~].*$/, '') || '1.0';
    const el = rand(10) === 0 ? `el9_${1 + rand(3)}` : 'el9';
    out.push({ name, version: `${rand(30) === 0 ? 1 + rand(2) : 0}:${upstream}-${1 + rand(12)}.${el}`, arch: d.arch === 'all' ? 'noarch' : 'x86_64' });
  }
  return out;
}

/** A package list: `must` first, then `size - must` distinct names drawn from the pool. */
export function drawList(pool: readonly Pkg[], must: readonly Pkg[], size: number, rand: (n: number) => number): Pkg[] {
  const names = new Set(must.map((p) => p.name));
  const list: Pkg[] = [...must];
  while (list.length < size) {
    const p = pool[rand(pool.length)]!;
    if (names.has(p.name)) continue;
    names.add(p.name);
    list.push({ ...p });
  }
  return list;
}

/** The image with `k` packages changed (a version bumped, a package added, or one removed). */
export function variantOf(image: readonly Pkg[], pool: readonly Pkg[], k: number, rand: (n: number) => number, packager: 'rpm' | 'dpkg'): Pkg[] {
  const list = image.map((p) => ({ ...p }));
  const names = new Set(list.map((p) => p.name));
  for (let i = 0; i < k; i++) {
    const what = rand(3);
    if (what === 0) {
      const j = 10 + rand(list.length - 10);
      const p = list[j]!;
      list[j] = { ...p, version: packager === 'rpm' ? p.version.replace(/-(\d+)\./, (_m, n: string) => `-${Number(n) + 1 + i}.`) : `${p.version}+b${1 + i}` };
    } else if (what === 1) {
      for (;;) {
        const p = pool[rand(pool.length)]!;
        if (names.has(p.name)) continue;
        names.add(p.name);
        list.push({ ...p });
        break;
      }
    } else {
      list.splice(10 + rand(list.length - 10), 1);
    }
  }
  return list;
}

export interface ReportHeader {
  host: string;
  site: string;
  packager: 'rpm' | 'dpkg';
  system: string;
  kernel: string;
  arch: string;
}

/** A protocol-5 body as the Pakiti client 3.0.x writes it. */
export function protocol5(h: ReportHeader, packages: readonly Pkg[]): string {
  const lines = [
    '#',
    `arch: ${h.arch}`,
    'cpu: Intel(R) Xeon(R) Gold 6248 CPU @ 2.50GHz',
    `host: ${h.host}`,
    `kernel: ${h.kernel}`,
    `packager: ${h.packager}`,
    `site: ${h.site}`,
    `system: ${h.system}`,
    'version: 1',
    '#',
  ];
  for (const p of packages) lines.push(`${p.name}\t${p.version}\t${p.arch}`);
  return lines.join('\n') + '\n';
}

const ROCKY: Omit<ReportHeader, 'host' | 'site'> = {
  packager: 'rpm',
  system: 'Rocky Linux release 9.3 (Blue Onyx)',
  kernel: '5.14.0-362.8.1.el9_3.x86_64',
  arch: 'x86_64',
};
const DEBIAN: Omit<ReportHeader, 'host' | 'site'> = { packager: 'dpkg', system: 'Debian GNU/Linux 12', kernel: '6.1.0-18-amd64', arch: 'x86_64' };
const DEBIAN_MUST: Pkg[] = [
  { name: 'openssl', version: '3.0.11-1~deb12u2', arch: 'amd64' },
  { name: 'libssl3', version: '3.0.11-1~deb12u2', arch: 'amd64' },
  { name: 'libc6', version: '2.36-9+deb12u4', arch: 'amd64' },
  { name: 'bash', version: '5.2.15-2+b2', arch: 'amd64' },
  { name: 'linux-image-6.1.0-18-amd64', version: '6.1.76-1', arch: 'amd64' },
  { name: 'openssh-server', version: '1:9.2p1-2+deb12u2', arch: 'amd64' },
];

export type Scenario = 'mix' | 'distinct';

/** A population of hosts: report i of a scenario, deterministic from (scenario, prefix, seed, i). */
export function population(opts: { site: string; prefix: string; scenario: Scenario; seed: number; packages?: number; images?: number }) {
  const size = opts.packages ?? 1500;
  const images = opts.images ?? 6;
  const rpm = rpmPool();
  const deb = debianPool().pool;
  const rpmMust = EL9_CORE.map(([name, version, arch]) => ({ name, version, arch }));
  // Images are shared by every population (same seed 1): hosts of one site run a few images.
  const imageRand = rng(1);
  const imageLists = Array.from({ length: images }, (_, k) =>
    k % 2 === 0
      ? { header: ROCKY, list: drawList(rpm, rpmMust, size, imageRand), pool: rpm }
      : { header: DEBIAN, list: drawList(deb, DEBIAN_MUST, size, imageRand), pool: deb },
  );

  return {
    /** The body of host i's report and the packages it lists. */
    report(i: number): { host: string; body: string; packager: 'rpm' | 'dpkg'; system: string; kernel: string; arch: string; packages: Pkg[] } {
      const img = imageLists[i % images]!;
      const rand = rng(opts.seed * 1_000_003 + i);
      let packages: Pkg[];
      if (opts.scenario === 'distinct') {
        packages = drawList(img.pool, img.header.packager === 'rpm' ? rpmMust : DEBIAN_MUST, size, rand);
      } else if (i % 10 < 7) {
        packages = img.list; // 70 % of hosts: the image, unchanged
      } else {
        packages = variantOf(img.list, img.pool, 1 + rand(20), rand, img.header.packager);
      }
      const host = `${opts.prefix}${String(i).padStart(6, '0')}.${opts.site.toLowerCase()}.example.org`;
      return { host, ...img.header, packages, body: protocol5({ ...img.header, host, site: opts.site }, packages) };
    },
  };
}
