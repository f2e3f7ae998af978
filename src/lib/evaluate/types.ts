// Inputs and outputs of the evaluation engine.
import type { FixState, Severity } from '../vuln-model/types.js';

/** One installed package as reported (rpm versions as `epoch:version-release`). */
export interface InstalledPackage {
  readonly name: string;
  readonly version: string;
  readonly arch: string;
}

/** A host to evaluate. */
export interface HostInput {
  /** The host's OS release key from `identifyOs` (`centos:7`, `debian:12`). */
  readonly os: string;
  readonly packages: readonly InstalledPackage[];
  /** `uname -r` (the report's `kernel:` header); only this kernel's packages count. */
  readonly runningKernel?: string;
  /**
   * Identity of the package list when the caller already has one (e.g. the hash of a stored
   * package set): hosts with the same id share one evaluation. Computed from the list otherwise.
   */
  readonly packageSetId?: string;
}

/** One vulnerable installed package, for one definition. */
export interface Finding {
  readonly package: string;
  readonly installedVersion: string;
  readonly arch: string;
  /** The version that fixes it, or null when no fix exists. */
  readonly fixedVersion: string | null;
  readonly fixAvailable: boolean;
  readonly fixState: FixState;
  readonly cves: readonly string[];
  readonly severity: Severity;
  /** Source definition (OVAL definition id, OSV id, CSAF document id). */
  readonly definitionId: string;
  readonly advisoryId: string | undefined;
  readonly vendor: string;
  /** Feed release whose data produced the finding (`rhel:7` for a CentOS 7 host). */
  readonly feedRelease: string;
  /** Policies that shaped this finding (`policy:el-suffix-rewrite`, ...). */
  readonly notes: readonly string[];
}

/** The evaluation of one host. */
export interface HostEvaluation {
  /** Feed release used, or undefined when no loaded feed covers the host's OS. */
  readonly feedRelease: string | undefined;
  readonly findings: readonly Finding[];
  /** Host-level policy notes (kernel rule, unsupported OS, ...). */
  readonly notes: readonly string[];
  /** Whether the result was reused from an identical package list. */
  readonly reused: boolean;
}

/** Knobs of the engine. */
export interface EvaluatorOptions {
  /**
   * Binary → source package name for Debian-family releases (from the distribution's
   * Packages index); feeds name source packages (docs/matching.md, trap 5).
   */
  readonly sourceOf?: (release: string, binary: string) => string | undefined;
  /** Most package lists whose findings are kept for reuse (oldest dropped first). */
  readonly maxCachedSets?: number;
  /** Most (package, version, arch) verdicts kept per release. */
  readonly maxCachedVerdicts?: number;
}
