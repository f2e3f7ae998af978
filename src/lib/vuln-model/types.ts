// The normalized form every feed (OVAL, OSV, CSAF VEX) is read into, so that a definition's
// origin never matters to evaluation.

export type FeedFormat = 'oval' | 'osv' | 'csaf';
export type VersionScheme = 'rpm' | 'deb';
export type Severity = 'critical' | 'high' | 'medium' | 'low' | 'negligible' | 'unknown';

/**
 * Whether a fix exists: `fixed` (a fixed version is named; or none when the vendor says fixed
 * but names no version, `policy:fixed-version-unknown`), `unfixed` (affected, no fix yet:
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
  /** Where the fix is published when not to every host of the release: `ubuntu-pro` (Ubuntu Pro / ESM). */
  readonly fixChannel?: 'ubuntu-pro';
  /** The OVAL test this range came from (`id` of a `pkg` leaf of the definition's `logic`), when the logic decides. */
  readonly leaf?: number;
}

/** OVAL criteria kept as written: AND / OR / ONE / XOR, negation, tests and extended definitions. */
export type Criteria =
  | { readonly kind: 'and' | 'or' | 'one' | 'xor'; readonly negate: boolean; readonly children: readonly Criteria[]; readonly comment?: string }
  | { readonly kind: 'test'; readonly negate: boolean; readonly testRef: string; readonly comment: string }
  | { readonly kind: 'extend'; readonly negate: boolean; readonly definitionRef: string; readonly comment: string };

/** OVAL `check_existence` of a test (how many collected items must exist). */
export type OvalExistence = 'all_exist' | 'any_exist' | 'at_least_one_exists' | 'none_exist' | 'only_one_exists';
/** OVAL `check` of a test (how many existing items must satisfy its states). */
export type OvalCheck = 'all' | 'at least one' | 'none satisfy' | 'only one';
/** One entity of an OVAL state: `operation` and value (`less than` `1:3.0.7-27.el9`, `pattern match` `^8`). */
export interface OvalEntity {
  readonly op: string;
  readonly value: string;
}

/**
 * An OVAL criteria tree resolved into what evaluation needs (docs/matching.md, "Criteria logic").
 * `pkg`: an rpminfo/dpkginfo test over the installed instances of `names`; `id` >= 0 marks a test
 * that gave affected ranges (`AffectedRange.leaf`), -1 one that never names a vulnerable package
 * (signature, architecture of the release package, "not installed"). `platform`: "Oracle Linux 8
 * is installed", true when the host is judged with that release's data. `const`: a test judged once
 * while reading (`why` names the policy or the reason).
 */
export type Logic =
  | { readonly k: 'and' | 'or' | 'one' | 'xor'; readonly negate?: true; readonly c: readonly Logic[] }
  | {
      readonly k: 'pkg';
      readonly negate?: true;
      readonly id: number;
      readonly names: readonly string[];
      readonly exist: OvalExistence;
      readonly check: OvalCheck;
      readonly evr?: OvalEntity;
      readonly arch?: OvalEntity;
      readonly version?: OvalEntity;
      /** An architecture test on the release package: assumed true when the report lacks that package. */
      readonly platformArch?: true;
    }
  | { readonly k: 'platform'; readonly negate?: true; readonly release: string }
  | { readonly k: 'const'; readonly negate?: true; readonly value: boolean; readonly why: string };

/** A link a feed gives: `source` as the feed names it (`RHSA`, `CVE`, `ADVISORY`, `WEB`), `id` when it has one. */
export interface Reference {
  readonly url: string;
  readonly source?: string;
  readonly id?: string;
}

/** A CVSS rating: the base score (0-10) and, when given, the vector (`CVSS:3.1/AV:N/…`). */
export interface Cvss {
  readonly score: number;
  readonly vector?: string;
}

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
  /** Where to read more, as the feed links it: vendor advisories, CVE pages (OVAL `reference`
   *  and `cve` links, OSV `references`). At most a few dozen. */
  readonly references?: readonly Reference[];
  /** CVSS per CVE id where the feed gives it (OVAL `cve` attributes, OSV `severity`). */
  readonly cvss?: Readonly<Record<string, Cvss>>;
  readonly severity: Severity;
  /** The vendor's own severity word, kept for display. */
  readonly vendorSeverity?: string;
  readonly affected: readonly AffectedRange[];
  readonly criteria?: Criteria;
  /**
   * Present when the affected ranges alone do not decide (negation, "not installed", ONE/XOR,
   * several packages required together, architecture tests): the definition is then true on a
   * host only when this tree is, and only ranges whose test makes it true give findings.
   */
  readonly logic?: Logic;
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
