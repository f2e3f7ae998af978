// Pakiti protocol 5 (clients 3.x): `#`, `key: value` headers, `#`, one package line each, `#`.
// Layout: the Pakiti client's format_report (CESNET/pakiti-client); server rules: its FeederModule (CESNET/pakiti-server).
import { InvalidError, TooLargeError } from '../../core/errors.js';
import { checkLine, cleanValue, createPackageList, createWarnings } from './collect.js';
import { checkHostname } from './hostname.js';
import { DEFAULT_LIMITS, type HostReport, type ReportLimits } from './types.js';

/** What checkLine refuses (control characters but TAB; DEL; U+FFFD from invalid UTF-8), and CR:
 *  a CRLF section is checked line by line. */
const SUSPECT_CHARACTER = /[\x00-\x08\x0b-\x1f\x7f\ufffd]/;

// The Pakiti client's keys, and what Vigil's agent adds to tell the distribution (a Pakiti server
// ignores keys it does not know).
const HEADER_KEYS = new Set([
  'arch',
  'cpu',
  'host',
  'kernel',
  'oracle-release',
  'os-release-id',
  'os-release-name',
  'os-release-version-id',
  'packager',
  'site',
  'system',
  'tag',
  'version',
]);

const isBlank = (c: number): boolean => c === 0x20 || c === 0x09;

function lastBlank(s: string, before: number): number {
  for (let i = before - 1; i >= 0; i--) if (isBlank(s.charCodeAt(i))) return i;
  return -1;
}

/**
 * Splits a package line exactly where the Pakiti server's two regexes split it (CESNET/pakiti-server FeederModule),
 * in linear time instead of by backtracking:
 * `(.*)[ \t](.*)-([^-]*)[ \t](.*)` puts the arch after the last blank, the release after the
 * last `-` before it and the name before the last blank preceding that `-`; failing that,
 * `(.*)[ \t](.*)[ \t](.*)` splits at the last two blanks. Backslashes are removed first, as
 * Pakiti does. The version is kept whole (`version-release`), fields are trimmed.
 *
 * @example
 * splitPackageLine('openssh-server\t1:9.2p1-2+deb12u2\tamd64'); // ['openssh-server', '1:9.2p1-2+deb12u2', 'amd64']
 * splitPackageLine('base-files 12.4+deb12u5 amd64'); // ['base-files', '12.4+deb12u5', 'amd64']
 * splitPackageLine('lonely'); // undefined
 */
export function splitPackageLine(raw: string): [name: string, version: string, arch: string] | undefined {
  const line = raw.includes('\\') ? raw.replaceAll('\\', '') : raw;
  const s2 = lastBlank(line, line.length);
  if (s2 <= 0) return undefined;
  const dash = line.lastIndexOf('-', s2 - 1);
  let s1 = dash > 0 ? lastBlank(line, dash) : -1;
  if (s1 < 0) s1 = lastBlank(line, s2);
  if (s1 < 0) return undefined;
  return [line.slice(0, s1).trim(), line.slice(s1 + 1, s2).trim(), line.slice(s2 + 1).trim()];
}

/** The agent's os-release / oracle-release headers, when sent. */
function osSigns(headers: Map<string, string>): Pick<HostReport, 'osRelease' | 'oracleRelease'> {
  const id = cleanValue(headers.get('os-release-id'));
  const versionId = cleanValue(headers.get('os-release-version-id'));
  const name = cleanValue(headers.get('os-release-name'));
  const oracleRelease = cleanValue(headers.get('oracle-release'));
  return {
    ...(id || versionId || name ? { osRelease: { id, versionId, name } } : {}),
    ...(oracleRelease ? { oracleRelease } : {}),
  };
}

/** A protocol-5 report read up to its package section, which is left unparsed. */
export interface Protocol5Head {
  /** The report with no packages yet: `packagesMissing` is true only when no section follows. */
  readonly report: HostReport;
  /** The raw package section (everything after the header's closing `#`); '' when there is none. */
  readonly packageSection: string;
  /** Parses the package section, from where the header ended (call it once): the whole report, as `parseProtocol5` gives it. */
  readPackages(): HostReport;
}

interface HeaderState {
  text: string;
  lim: ReportLimits;
  pos: number;
  lineNo: number;
  warnings: ReturnType<typeof createWarnings>;
}

function nextLine(st: HeaderState): string | undefined {
  const { text, lim } = st;
  if (st.pos >= text.length) return undefined;
  let end = text.indexOf('\n', st.pos);
  if (end < 0) end = text.length;
  if (end - st.pos > lim.maxLineLength + 1)
    throw new TooLargeError(`line ${st.lineNo + 1} is longer than ${lim.maxLineLength} characters`, { line: st.lineNo + 1 });
  let line = text.slice(st.pos, end);
  if (line.endsWith('\r')) line = line.slice(0, -1);
  st.pos = end + 1;
  st.lineNo++;
  return line;
}

/**
 * Reads a protocol 5 body's header and finds its package section without parsing it: the
 * server hashes the section and parses it only when no byte-identical section is known (most
 * hosts of a site send the same list every day). Same checks and errors as `parseProtocol5`
 * for the header.
 */
export function parseProtocol5Head(body: Buffer | string, limits: Partial<ReportLimits> = {}): Protocol5Head {
  const lim: ReportLimits = { ...DEFAULT_LIMITS, ...limits };
  const size = typeof body === 'string' ? Buffer.byteLength(body) : body.length;
  if (size > lim.maxBytes) throw new TooLargeError(`report is over ${lim.maxBytes} bytes`, { bytes: size });
  let text = typeof body === 'string' ? body : body.toString('utf8');
  if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
  const st: HeaderState = { text, lim, pos: 0, lineNo: 0, warnings: createWarnings(lim.maxWarnings) };

  if (!/\S/.test(text)) throw new InvalidError('report is empty');
  let first = nextLine(st);
  while (first !== undefined && first.trim() === '') first = nextLine(st);
  if (first?.trim() !== '#') throw new InvalidError(`line ${st.lineNo}: expected '#' to open the header`, { line: st.lineNo });

  const headers = new Map<string, string>();
  let headerLines = 0;
  let sectionClosed = false;
  for (let line = nextLine(st); line !== undefined; line = nextLine(st)) {
    const where = `line ${st.lineNo}`;
    checkLine(line, where, lim);
    const t = line.trim();
    if (t === '#') {
      sectionClosed = true;
      break;
    }
    if (t === '') continue;
    if (++headerLines > lim.maxHeaders) throw new TooLargeError(`more than ${lim.maxHeaders} header lines at ${where}`, { line: st.lineNo });
    const colon = t.indexOf(':');
    if (colon < 0) {
      st.warnings.add(`${where}: header line without ':' ignored`);
      continue;
    }
    const key = t.slice(0, colon).trim().toLowerCase();
    if (HEADER_KEYS.has(key)) headers.set(key, t.slice(colon + 1));
  }
  if (!sectionClosed) st.warnings.add('no package section: the client could not list packages');

  const host = cleanValue(headers.get('host'));
  if (host === undefined) throw new InvalidError('report has no host header', { field: 'host' });
  checkHostname(host, 'host header');
  const report: HostReport = {
    source: 'protocol5',
    host,
    site: cleanValue(headers.get('site')),
    tag: cleanValue(headers.get('tag')),
    system: cleanValue(headers.get('system')),
    ...osSigns(headers),
    kernel: cleanValue(headers.get('kernel')),
    arch: cleanValue(headers.get('arch')),
    cpu: cleanValue(headers.get('cpu')),
    packager: cleanValue(headers.get('packager')),
    agent: undefined,
    mode: undefined,
    packages: [],
    packagesMissing: !sectionClosed,
    warnings: st.warnings.list(),
  };
  const packageSection = sectionClosed ? text.slice(st.pos) : '';
  return { report, packageSection, readPackages: () => readPackages(report, packageSection, st) };
}

/**
 * Parses a Pakiti protocol 5 report body. Header keys are split at the first `:` and trimmed;
 * unknown keys are ignored; CRLF is tolerated. A body with headers only (the client's package
 * tool failed) gives `packagesMissing: true`. versions are kept as sent
 * (rpm `(none):` dropped), and checked: one rpm or dpkg would refuse gives a warning.
 *
 * Throws `InvalidError` (empty body, no leading `#`, no `host` or one that is no RFC 1123 host name, control characters or invalid
 * UTF-8, each naming its line) or `TooLargeError` (over `limits`).
 *
 * @example
 * const r = parseProtocol5('#\nhost: wn1.example.org\nkernel: 6.1.0-18-amd64\npackager: dpkg\n#\nlibssl3\t3.0.11-1~deb12u2\tamd64\n#\n');
 * r.packages; // [{ name: 'libssl3', version: '3.0.11-1~deb12u2', arch: 'amd64' }]
 */
export function parseProtocol5(body: Buffer | string, limits: Partial<ReportLimits> = {}): HostReport {
  return parseProtocol5Head(body, limits).readPackages();
}

function readPackages(head: HostReport, packageSection: string, st: HeaderState): HostReport {
  if (head.packagesMissing) return head;
  const { lim } = st;
  const list = createPackageList(head.packager, lim, st.warnings.add);
  // One native scan of the whole section; lines are checked one by one only to name the bad one.
  const clean = !SUSPECT_CHARACTER.test(packageSection);
  let packageLines = 0;
  for (let line = nextLine(st); line !== undefined; line = nextLine(st)) {
    const t = line.trim();
    if (t === '' || t === '#') continue;
    const where = `line ${st.lineNo}`;
    if (!clean || line.length > lim.maxLineLength) checkLine(line, where, lim);
    packageLines++;
    const fields = splitPackageLine(t);
    if (!fields) {
      st.warnings.add(`${where}: not a package line, skipped`);
      continue;
    }
    if (fields.some((f) => /[ \t]/.test(f))) st.warnings.add(`${where}: a field contains blanks (split as the Pakiti server does)`);
    list.add(fields[0], fields[1], fields[2], where);
  }
  const packages = list.finish();
  if (packages.length === 0) st.warnings.add(packageLines === 0 ? 'package section is empty' : 'no usable package line');
  return { ...head, packages, packagesMissing: packages.length === 0, warnings: st.warnings.list() };
}
