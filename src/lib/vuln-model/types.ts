// The normalized form every feed (OVAL, OSV, CSAF VEX) is read into, so that a definition's
// origin never matters to evaluation.

export type FeedFormat = 'oval' | 'osv' | 'csaf';
export type VersionScheme = 'rpm' | 'deb';
export type Severity = 'critical' | 'high' | 'medium' | 'low' | 'negligible' | 'unknown';

/**
 * Whether a fix exists: `fixed` (a fixed version is named), `unfixed` (affected, no fix yet:
 * "Affected", "needs fixing", "deferred", OSV without a `fixed` event), `wont-fix` (the vendor
 * decided not to fix: "Will not fix", "a decision has been made to ignore this issue").
 */
export type FixState = 'fixed' | 'unfixed' | 'wont-fix';

/** One affected version range of one package in one OS release. */
export interface AffectedRange {
  /** Feed release key, e.g. `rhel:9`, `almalinux:9`, `debian:12`, `ubuntu:22.04`. */
  readonly release: string;
  /** The package as the feed names it. */
  readonly package: string;
  /** Debian data and Ubuntu OSV name source packages; hosts report binary packages. */
  readonly nameKind: 'binary' | 'source';
  /** Binary packages built from a source package, when the feed says (Ubuntu OSV). */
  readonly binaries?: readonly string[];
  readonly scheme: VersionScheme;
  /** First affected version (inclusive); absent: every version from the first. */
  readonly introduced?: string;
  /** First fixed version (exclusive bound); absent when no fix exists. */
  readonly fixed?: string;
  /** Last affected version (inclusive bound, OSV `last_affected`). */
  readonly lastAffected?: string;
  readonly fixState: FixState;
  /** Architectures the range applies to (OVAL arch states); absent: all. */
  readonly arches?: readonly string[];
  /** Module stream that must be enabled, `name:stream` (RHEL 8+ modular content). */
  readonly module?: string;
  /** Signing keys the definition requires (OVAL `signature_keyid`). */
  readonly signatureKeyIds?: readonly string[];
}

/** OVAL criteria kept as written: AND / OR, negation, tests and extended definitions. */
export type Criteria =
  | { readonly kind: 'and' | 'or'; readonly negate: boolean; readonly children: readonly Criteria[]; readonly comment?: string }
  | { readonly kind: 'test'; readonly negate: boolean; readonly testRef: string; readonly comment: string }
  | { readonly kind: 'extend'; readonly negate: boolean; readonly definitionRef: string; readonly comment: string };

/** One advisory or vulnerability definition, whatever its feed. */
export interface Definition {
  /** Source definition id: OVAL definition id, OSV id, CSAF document id. */
  readonly id: string;
  readonly format: FeedFormat;
  /** Who published it: `redhat`, `almalinux`, `rocky`, `debian`, `ubuntu`. */
  readonly vendor: string;
  /** RHSA-/ALSA-/DSA-/USN- id when there is one. */
  readonly advisoryId?: string;
  readonly title?: string;
  readonly cves: readonly string[];
  readonly severity: Severity;
  /** The vendor's own severity word, kept for display. */
  readonly vendorSeverity?: string;
  readonly affected: readonly AffectedRange[];
  readonly criteria?: Criteria;
  /** Policies applied while normalizing (see POLICIES). */
  readonly notes: readonly string[];
}

/** What a parser read, kept and skipped; a feed that suddenly yields nothing is an alarm. */
export interface FeedStats {
  definitions: number;
  affected: number;
  /** Skipped items by reason (e.g. `policy:never-true-range`, `unsupported-test:textfilecontent54_test`). */
  skipped: Record<string, number>;
}

/** A parsed feed: normalized definitions plus the record of what was skipped. */
export interface ParsedFeed {
  readonly definitions: Definition[];
  readonly stats: FeedStats;
}
