// Pakiti protocol 4 (Pakiti2 clients): a form POST, urlencoded or multipart, with one-letter
// aliases from the Pakiti2 server (CESNET/pakiti-server FeederModule; wdpypere/pakiti2@3599b90:www/feed/index.php).
import { InvalidError, TooLargeError } from '../../core/errors.js';
import { checkLine, cleanValue, createPackageList, createWarnings, parseReportMode } from './collect.js';
import { checkHostname } from './hostname.js';
import { DEFAULT_LIMITS, type HostReport, type ReportLimits } from './types.js';

// Pakiti2 reads the one-letter name first; note `a` is the tag (it was "admin") and `m` the arch.
const FIELDS = {
  host: ['h', 'host'],
  tag: ['a', 'tag'],
  kernel: ['k', 'kernel'],
  pkgs: ['p', 'pkgs', 'rpms'],
  version: ['v', 'version'],
  os: ['o', 'os'],
  arch: ['m', 'arch'],
  site: ['s', 'site'],
  type: ['t', 'type'],
  report: ['r', 'report'],
} as const;

type Field = keyof typeof FIELDS;

/**
 * Splits `'NAME' 'EPOCH:VERSION' 'RELEASE' 'ARCH'` into its four fields; a `' '` inside a field
 * goes to the name, as the greedy `'(.*)' '(.*)' '(.*)' '(.*)'` of the server would put it.
 *
 * @example
 * splitQuotedLine("'bash' '0:4.2.46' '35.el7_9' 'x86_64'"); // ['bash', '0:4.2.46', '35.el7_9', 'x86_64']
 * splitQuotedLine("'libc6' '2.36-9+deb12u4' '' 'amd64'"); // ['libc6', '2.36-9+deb12u4', '', 'amd64']
 */
export function splitQuotedLine(line: string): [string, string, string, string] | undefined {
  if (line.length < 2 || !line.startsWith("'") || !line.endsWith("'")) return undefined;
  const parts = line.slice(1, -1).split("' '");
  if (parts.length < 4) return undefined;
  const tail = parts.slice(-3) as [string, string, string];
  return [parts.slice(0, -3).join("' '"), ...tail];
}

/**
 * Parses a Pakiti protocol 4 form (field names as sent: `type host os arch tag kernel version
 * report site pkgs`, or the aliases `t h o m a k v r s p`). Package lines are
 * `'NAME' 'EPOCH:VERSION' 'RELEASE' 'ARCH'` (rpm) or `'Package' 'Version' '' 'Arch'` (dpkg);
 * `%2b` stands for `+` (the client pre-encodes it, and multipart forms keep it literal). The
 * `report` field (0/1/2) becomes `mode`. Throws `InvalidError`/`TooLargeError` naming the line.
 *
 * @example
 * const r = parseProtocol4({ type: 'rpm', host: 'wn7.example.org', os: 'CentOS Linux release 7.9.2009 (Core)', version: '4',
 *   pkgs: "'bash' '0:4.2.46' '35.el7_9' 'x86_64'\n'gcc-c%2b%2b' '0:4.8.5' '44.el7' 'x86_64'" });
 * r.packages[1]; // { name: 'gcc-c++', version: '0:4.8.5-44.el7', arch: 'x86_64' }
 */
export function parseProtocol4(form: Record<string, string>, limits: Partial<ReportLimits> = {}): HostReport {
  const lim: ReportLimits = { ...DEFAULT_LIMITS, ...limits };
  let bytes = 0;
  for (const v of Object.values(form)) bytes += typeof v === 'string' ? Buffer.byteLength(v) : 0;
  if (bytes > lim.maxBytes) throw new TooLargeError(`report is over ${lim.maxBytes} bytes`, { bytes });

  const get = (field: Field): string | undefined => {
    for (const name of FIELDS[field]) {
      const v = Object.hasOwn(form, name) ? form[name] : undefined;
      if (typeof v === 'string') {
        if (field !== 'pkgs') checkLine(v, `field ${name}`, lim);
        // Multipart (`curl -F`) keeps the client's pre-encoded `%2b`; urlencoded forms have decoded it already.
        return v.replace(/%2b/gi, '+');
      }
    }
    return undefined;
  };

  const version = cleanValue(get('version'));
  if (version !== undefined && version !== '4') throw new InvalidError(`protocol 4 form has version '${version.slice(0, 20)}'`, { field: 'version' });
  const host = cleanValue(get('host'));
  if (host === undefined) throw new InvalidError('report has no host field', { field: 'host' });
  checkHostname(host, 'host field');
  const packager = cleanValue(get('type')) ?? 'rpm';
  const warnings = createWarnings(lim.maxWarnings);
  const list = createPackageList(packager, lim, warnings.add);

  const pkgs = get('pkgs');
  for (let pos = 0, lineNo = 1; pkgs !== undefined && pos < pkgs.length; lineNo++) {
    let end = pkgs.indexOf('\n', pos);
    if (end < 0) end = pkgs.length;
    const where = `pkgs line ${lineNo}`;
    if (end - pos > lim.maxLineLength + 1) throw new TooLargeError(`${where} is longer than ${lim.maxLineLength} characters`, { where });
    const raw = pkgs.slice(pos, end);
    pos = end + 1;
    checkLine(raw.endsWith('\r') ? raw.slice(0, -1) : raw, where, lim);
    const line = raw.trim().replaceAll('\\', '');
    if (line === '') continue;
    const f = splitQuotedLine(line);
    if (!f) {
      warnings.add(`${where}: not a 'name' 'version' 'release' 'arch' line, skipped`);
      continue;
    }
    const [name, ver, rel, arch] = f;
    list.add(name.trim(), rel === '' ? ver.trim() : `${ver.trim()}-${rel.trim()}`, arch.trim(), where);
  }
  const packages = list.finish();
  if (pkgs === undefined) warnings.add('no pkgs field: the client could not list packages');
  else if (packages.length === 0) warnings.add('pkgs field holds no package');

  return {
    source: 'protocol4',
    host,
    site: cleanValue(get('site')),
    tag: cleanValue(get('tag')),
    system: cleanValue(get('os')),
    kernel: cleanValue(get('kernel')),
    arch: cleanValue(get('arch')),
    cpu: undefined,
    packager,
    agent: undefined,
    mode: parseReportMode(get('report')),
    packages,
    packagesMissing: packages.length === 0,
    warnings: warnings.list(),
  };
}
