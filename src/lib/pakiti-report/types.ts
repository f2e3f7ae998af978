// The normalized host report every wire form (Pakiti protocol 5, protocol 4, Vigil JSON) parses into.
import type { ReportedPackage } from '../versions/index.js';

/** The wire form a report arrived in. */
export type ReportSource = 'protocol5' | 'protocol4' | 'json';

/** Pakiti feed modes (query `mode`, or legacy `report` = 0/1/2). */
export type ReportMode = 'store-only' | 'store-and-report' | 'report-only';

/** One host's report, whatever form it came in. */
export interface HostReport {
  readonly source: ReportSource;
  /** Reported host name (`hostname -f`); hosts are keyed on it plus the site, never on the sender's IP. */
  readonly host: string;
  readonly site: string | undefined;
  readonly tag: string | undefined;
  /** `/etc/redhat-release` text or `$NAME $VERSION_ID` (`Debian GNU/Linux 12`). */
  readonly system: string | undefined;
  /** /etc/os-release `ID`, `VERSION_ID`, `NAME` (Vigil's agent; Pakiti clients do not send them). */
  readonly osRelease?: { readonly id?: string | undefined; readonly versionId?: string | undefined; readonly name?: string | undefined } | undefined;
  /** First line of /etc/oracle-release (Vigil's agent): on Oracle Linux /etc/redhat-release says RHEL. */
  readonly oracleRelease?: string | undefined;
  /** `uname -r`; only this kernel's packages count. */
  readonly kernel: string | undefined;
  /** `uname -m`. */
  readonly arch: string | undefined;
  /** `/proc/cpuinfo` model name (client 3.0.4 and later only). */
  readonly cpu: string | undefined;
  /** `rpm`, `dpkg`, `pkg`, `svmon`, … as reported. */
  readonly packager: string | undefined;
  /** The sending agent, when it said (JSON reports). */
  readonly agent: { readonly name: string; readonly version: string } | undefined;
  /** Mode carried inside the report itself (protocol 4 `report` field); the query string wins. */
  readonly mode: ReportMode | undefined;
  /** Unique packages, in report order; versions as reported (compared as rpm/dpkg do, `1.2-3` = `0:1.2-3`). */
  readonly packages: readonly ReportedPackage[];
  /**
   * True when the report carried no usable package list (the client's package tool failed):
   * store the host and flag the report, but never replace its stored packages with nothing.
   */
  readonly packagesMissing: boolean;
  /** Odd lines skipped or kept with doubt, one line each, at most `limits.maxWarnings`. */
  readonly warnings: readonly string[];
}

/** Bounds on what a single report may hold. */
export interface ReportLimits {
  /** Whole body, bytes. */
  readonly maxBytes: number;
  readonly maxPackages: number;
  /** One line (header or package), characters. */
  readonly maxLineLength: number;
  readonly maxHeaders: number;
  /** Warnings kept (later ones are counted in the last). */
  readonly maxWarnings: number;
}

/**
 * Defaults: 8 MiB, 50,000 packages, 4 KiB lines, 64 headers, 50 warnings. Parsers take a partial override.
 *
 * @example
 * parseProtocol5(body, { maxPackages: 10_000 });
 */
export const DEFAULT_LIMITS: ReportLimits = {
  maxBytes: 8 * 1024 * 1024,
  maxPackages: 50_000,
  maxLineLength: 4096,
  maxHeaders: 64,
  maxWarnings: 50,
};

export type { ReportedPackage };
