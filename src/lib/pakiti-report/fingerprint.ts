// Cheap change detection: most daily reports repeat the previous one byte for byte in content,
// so the server compares two hashes before doing any work (Pakiti does the same with md5,
// CESNET/pakiti-server FeederModule). Hashes are over the normalised report, so field order, duplicates and
// `(none):` epochs do not make a report look new.
import { createHash } from 'node:crypto';
import type { HostReport } from './types.js';

export interface ReportFingerprint {
  /** SHA-256 hex of the sorted unique `name version arch` list; null when the report has no package list. */
  readonly packages: string | null;
  /** SHA-256 hex of the identity headers: host, site, tag, system, kernel, arch, packager. */
  readonly identity: string;
}

const byCodeUnit = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);

/**
 * Hashes a report's package list and its identity headers. Reports whose package sets are
 * equal get the same `packages` hash whatever order they listed them in, so hosts built from
 * one image share it.
 *
 * @example
 * const a = reportFingerprint(parseProtocol5(body));
 * a.packages; // '3b1f…' (64 hex digits), equal for every host with the same package set
 */
export function reportFingerprint(report: HostReport): ReportFingerprint {
  // Fields never hold NUL or LF (parsers reject control characters), so these separators are unambiguous.
  const identity = createHash('sha256')
    .update([report.host, report.site, report.tag, report.system, report.kernel, report.arch, report.packager].map((v) => v ?? '').join('\0'))
    .digest('hex');
  if (report.packagesMissing) return { packages: null, identity };
  const lines = [...new Set(report.packages.map((p) => `${p.name}\0${p.version}\0${p.arch}\n`))].sort(byCodeUnit);
  const hash = createHash('sha256');
  for (const line of lines) hash.update(line);
  return { packages: hash.digest('hex'), identity };
}
