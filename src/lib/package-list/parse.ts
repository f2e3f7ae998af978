// A host's package list in the forms operators have at hand, for `vigil evaluate`: a Pakiti
// report (protocol 5), Vigil's JSON report, `rpm -qa` (plain, or with a query format giving
// name, epoch:version-release and arch), `dpkg-query -W` (name and version, or with a format
// giving the architecture too). The format is recognised from the text unless given.
import { InvalidError, TooLargeError } from '../../core/errors.js';
import { DEFAULT_LIMITS, parseJsonReport, parseProtocol5 } from '../pakiti-report/index.js';
import type { ReportedPackage } from '../versions/index.js';

export type PackageListFormat = 'pakiti' | 'json' | 'rpm-qa' | 'dpkg-query';
export const PACKAGE_LIST_FORMATS: readonly PackageListFormat[] = ['pakiti', 'json', 'rpm-qa', 'dpkg-query'];

export interface PackageList {
  format: PackageListFormat;
  packager: 'rpm' | 'dpkg';
  packages: ReportedPackage[];
  /** What the list says of its host, when it says (reports only). */
  host?: string | undefined;
  system?: string | undefined;
  kernel?: string | undefined;
  /** Doubts worth telling the operator, one line each. */
  warnings: string[];
}

export const PACKAGE_LIST_LIMITS = { maxBytes: DEFAULT_LIMITS.maxBytes, maxPackages: DEFAULT_LIMITS.maxPackages, maxLineLength: 4096 };

const RPM_ARCHES = /^(?:x86_64|noarch|i[3-6]86|aarch64|ppc64le|ppc64|s390x|armv7hl|src)$/;
const DEB_ARCHES = /^(?:amd64|all|arm64|i386|armhf|armel|ppc64el|s390x|riscv64|mips64el)$/;
// Printable ASCII without blanks, as rpm and dpkg names, versions and arches are.
const TOKEN = /^[\x21-\x7e]{1,256}$/;

/** The format of a list, from its first lines. */
export function detectPackageListFormat(text: string): PackageListFormat {
  const start = text.trimStart();
  if (start.startsWith('{')) return 'json';
  if (/^#\r?\n[a-z]+: /.test(start)) return 'pakiti';
  // The first line with a version decides (dpkg-query -W prints a name alone for a package not installed).
  const head = start
    .split('\n', 50)
    .map((l) => l.trim().split(/[ \t]+/))
    .filter((f) => f[0] !== '');
  const first = head.find((f) => f.length > 1) ?? head[0] ?? [''];
  if (first.length === 1) return 'rpm-qa';
  if (first.length === 2) return 'dpkg-query';
  if (first.length === 3) {
    if (first[1]!.startsWith('(none):') || (RPM_ARCHES.test(first[2]!) && !DEB_ARCHES.test(first[2]!))) return 'rpm-qa';
    if (DEB_ARCHES.test(first[2]!)) return 'dpkg-query';
  }
  throw new InvalidError('line 1: not a package list Vigil knows (a Pakiti report, a vigil.report/1 JSON report, rpm -qa or dpkg-query -W output)');
}

/** `openssl-libs-3.0.7-27.el9.x86_64` → name, version-release, arch (no epoch: rpm -qa prints none). */
function splitNevra(s: string, lineNo: number): ReportedPackage {
  const dot = s.lastIndexOf('.');
  const rel = s.lastIndexOf('-', dot);
  const ver = rel > 0 ? s.lastIndexOf('-', rel - 1) : -1;
  if (dot < 0 || rel < 0 || ver <= 0) throw new InvalidError(`line ${lineNo}: expected name-version-release.arch`);
  return { name: s.slice(0, ver), version: `0:${s.slice(ver + 1, dot)}`, arch: s.slice(dot + 1) };
}

function lines(text: string): Array<[number, string[]]> {
  const out: Array<[number, string[]]> = [];
  const all = text.split('\n');
  for (const [i, raw] of all.entries()) {
    const line = raw.trim();
    if (line === '') continue;
    if (line.length > PACKAGE_LIST_LIMITS.maxLineLength) throw new TooLargeError(`line ${i + 1}: over ${PACKAGE_LIST_LIMITS.maxLineLength} characters`);
    const fields = line.split(/[ \t]+/);
    for (const f of fields) if (!TOKEN.test(f)) throw new InvalidError(`line ${i + 1}: a field holds characters outside printable ASCII`);
    out.push([i + 1, fields]);
  }
  return out;
}

/**
 * Parses a package list. Throws `InvalidError` naming the line, or `TooLargeError` over the limits.
 *
 * @example
 * parsePackageList('bash 0:5.1.8-6.el9_1 x86_64\n').packages; // [{ name: 'bash', version: '0:5.1.8-6.el9_1', arch: 'x86_64' }]
 * parsePackageList('libc6:amd64\t2.36-9+deb12u4\n').packages; // [{ name: 'libc6', version: '2.36-9+deb12u4', arch: 'amd64' }]
 */
export function parsePackageList(text: string, format: PackageListFormat = detectPackageListFormat(text)): PackageList {
  if (Buffer.byteLength(text) > PACKAGE_LIST_LIMITS.maxBytes) throw new TooLargeError(`the package list is over ${PACKAGE_LIST_LIMITS.maxBytes} bytes`);
  if (format === 'pakiti' || format === 'json') {
    let value: unknown;
    if (format === 'json') {
      try {
        value = JSON.parse(text);
      } catch (err) {
        const at = /position (\d+)/.exec((err as Error).message)?.[1];
        throw new InvalidError(`not a JSON document${at ? ` (syntax error at character ${at})` : ''}`);
      }
    }
    const r = format === 'json' ? parseJsonReport(value) : parseProtocol5(text);
    if (r.packager !== 'rpm' && r.packager !== 'dpkg')
      throw new InvalidError(`the report's packager is ${r.packager ?? 'missing'}: only rpm and dpkg lists can be evaluated`);
    if (r.packagesMissing) throw new InvalidError('the report carries no packages');
    return { format, packager: r.packager, packages: [...r.packages], host: r.host, system: r.system, kernel: r.kernel, warnings: [...r.warnings] };
  }
  const rows = lines(text);
  if (rows.length === 0) throw new InvalidError('the package list is empty');
  if (rows.length > PACKAGE_LIST_LIMITS.maxPackages) throw new TooLargeError(`over ${PACKAGE_LIST_LIMITS.maxPackages} packages`);
  const packages: ReportedPackage[] = [];
  const warnings: string[] = [];
  let noEpoch = false;
  let unversioned = 0;
  for (const [n, f] of rows) {
    if (format === 'rpm-qa') {
      if (f.length === 1) {
        noEpoch = true;
        packages.push(splitNevra(f[0]!, n));
      } else if (f.length === 3) {
        const version = f[1]!.startsWith('(none):') ? `0:${f[1]!.slice(7)}` : /^\d+:/.test(f[1]!) ? f[1]! : `0:${f[1]!}`;
        if (!/^\d+:.+-[^-]+$/.test(version)) throw new InvalidError(`line ${n}: expected EPOCH:VERSION-RELEASE in the second field`);
        packages.push({ name: f[0]!, version, arch: f[2]! });
      } else throw new InvalidError(`line ${n}: expected name-version-release.arch or NAME EPOCH:VERSION-RELEASE ARCH`);
    } else {
      if (f.length === 1) {
        unversioned++;
        continue;
      }
      if (f.length !== 2 && f.length !== 3) throw new InvalidError(`line ${n}: expected NAME VERSION [ARCH] (dpkg-query -W)`);
      const [name, qualifier] = f[0]!.split(':', 2) as [string, string | undefined];
      packages.push({ name, version: f[1]!, arch: f[2] ?? qualifier ?? 'unknown' });
    }
  }
  if (noEpoch)
    warnings.push(
      "plain rpm -qa output has no epochs: a package with a non-zero epoch may show as vulnerable when it is not; use rpm -qa --qf '%{NAME} %{EPOCH}:%{VERSION}-%{RELEASE} %{ARCH}\\n'",
    );
  if (unversioned > 0) warnings.push(`${unversioned} packages without a version (not installed) skipped`);
  if (packages.length === 0) throw new InvalidError('the package list names no installed package');
  // One entry per (name, version, arch), as the report parsers keep them.
  const seen = new Set<string>();
  const unique = packages.filter((p) => {
    const k = `${p.name}\t${p.version}\t${p.arch}`;
    return seen.has(k) ? false : (seen.add(k), true);
  });
  return { format, packager: format === 'rpm-qa' ? 'rpm' : 'dpkg', packages: unique, warnings };
}
