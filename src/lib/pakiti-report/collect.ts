// What every report parser shares: line checks, bounded warnings, and the package list with
// its version normalisation, de-duplication and count limit.
import { InvalidError, TooLargeError } from '../../core/errors.js';
import { formatRpmEvr, parseDebVersion, parseRpmEvr } from '../versions/index.js';
import type { ReportedPackage, ReportLimits, ReportMode } from './types.js';

/** Warnings, bounded: past the limit only a count is kept. */
export function createWarnings(max: number): { add(message: string): void; list(): string[] } {
  const kept: string[] = [];
  let dropped = 0;
  return {
    add(message) {
      if (kept.length < max) kept.push(message);
      else dropped++;
    },
    list: () => (dropped > 0 ? [...kept, `${dropped} more warnings not shown`] : [...kept]),
  };
}

/**
 * Rejects a line a real client never sends: over the length limit, a control character
 * (NUL included; TAB allowed) or a byte sequence that is not UTF-8 (decoded as U+FFFD).
 */
export function checkLine(line: string, where: string, limits: ReportLimits): void {
  if (line.length > limits.maxLineLength) throw new TooLargeError(`${where} is longer than ${limits.maxLineLength} characters`, { where });
  for (let i = 0; i < line.length; i++) {
    const c = line.charCodeAt(i);
    if ((c < 0x20 && c !== 0x09) || c === 0x7f) {
      throw new InvalidError(`${where}: control character 0x${c.toString(16).padStart(2, '0')} at column ${i + 1}`, { where, column: i + 1 });
    }
    if (c === 0xfffd) throw new InvalidError(`${where}: invalid UTF-8 at column ${i + 1}`, { where, column: i + 1 });
  }
}

/**
 * Puts a version in the form the matching core compares: rpm as `epoch:version-release` with
 * `0:` when there is no epoch (`(none):` too); dpkg unchanged. Returns a warning for a version
 * rpm or dpkg would refuse; the version is then kept as sent.
 */
export function normaliseVersion(packager: string | undefined, version: string): { version: string; problem?: string } {
  try {
    if (packager === 'rpm') return { version: formatRpmEvr(parseRpmEvr(version)) };
    if (packager === 'dpkg') parseDebVersion(version);
    return { version };
  } catch (err) {
    if (err instanceof InvalidError) return { version, problem: err.message };
    throw err;
  }
}

const HAS_TAB_OR_NEWLINE = /[\t\r\n]/;

/**
 * Collects unique packages up to `limits.maxPackages`; fields with a tab or line break are skipped.
 * Versions are kept as reported (`1.2-3` stays `1.2-3`: that is what the host page and exports
 * show, issue 10 class 10); the evaluator compares them as rpm/dpkg do. Two spellings of one
 * version (`1.2-3`, `0:1.2-3`) are one package: the first is kept.
 */
export function createPackageList(packager: string | undefined, limits: ReportLimits, warn: (m: string) => void) {
  const seen = new Set<string>();
  const packages: ReportedPackage[] = [];
  let duplicates = 0;
  return {
    add(name: string, rawVersion: string, arch: string, where: string): void {
      if (name === '' || rawVersion === '' || arch === '') {
        warn(`${where}: empty name, version or arch, skipped`);
        return;
      }
      // Stored package lists are tab-separated lines: a field holding one could not be told apart.
      if (HAS_TAB_OR_NEWLINE.test(name) || HAS_TAB_OR_NEWLINE.test(rawVersion) || HAS_TAB_OR_NEWLINE.test(arch)) {
        warn(`${where}: a tab or line break inside a field, skipped`);
        return;
      }
      const { version, problem } = normaliseVersion(packager, rawVersion);
      if (problem !== undefined) warn(`${where}: ${problem}; kept as sent`);
      const key = `${name}\0${version}\0${arch}`;
      if (seen.has(key)) {
        duplicates++;
        return;
      }
      if (packages.length >= limits.maxPackages) throw new TooLargeError(`more than ${limits.maxPackages} packages at ${where}`, { where });
      seen.add(key);
      // rpm's `(none):` only says "no epoch": shown without one.
      packages.push({ name, version: rawVersion.startsWith('(none):') ? rawVersion.slice(7) : rawVersion, arch });
    },
    finish(): ReportedPackage[] {
      if (duplicates > 0) warn(`${duplicates} duplicate package lines dropped`);
      return packages;
    },
  };
}

const LEGACY_MODES: Record<string, ReportMode> = { '0': 'store-only', '1': 'store-and-report', '2': 'report-only' };

/**
 * Reads a feed mode: the names, or Pakiti's legacy `report` numbers 0/1/2; undefined when absent.
 *
 * @example
 * parseReportMode('1'); // 'store-and-report'
 * parseReportMode('report-only'); // 'report-only'
 */
export function parseReportMode(value: string | undefined): ReportMode | undefined {
  if (value === undefined || value.trim() === '') return undefined;
  const v = value.trim();
  if (v === 'store-only' || v === 'store-and-report' || v === 'report-only') return v;
  const legacy = LEGACY_MODES[v];
  if (legacy) return legacy;
  throw new InvalidError(`unknown report mode '${v.slice(0, 40)}'`, { field: 'mode' });
}

/** Empty or absent becomes undefined; otherwise trimmed with inner whitespace collapsed, as the Pakiti client's strip(). */
export function cleanValue(value: string | undefined): string | undefined {
  if (value === undefined) return undefined;
  const v = value.trim().replace(/\s+/g, ' ');
  return v === '' ? undefined : v;
}
