// Compiling normalized definitions into the evaluator's index: per feed release, per package
// name, the ranges with their versions turned into order keys once.
import { debVersionKey } from '../versions/dpkg-key.js';
import { parseRpmEvr } from '../versions/parse.js';
import { rpmEvrKey } from '../versions/rpm-key.js';
import { POLICIES } from '../vuln-model/policies.js';
import type { AffectedRange, Definition, VersionScheme } from '../vuln-model/types.js';
import { rewriteElSuffix } from './el-suffix.js';
import { streamsOfModularFix } from './module-stream.js';

/** A range ready for matching. */
export interface CompiledRange {
  readonly definition: Definition;
  readonly range: AffectedRange;
  readonly introducedKey: string | undefined;
  readonly fixedKey: string | undefined;
  readonly lastAffectedKey: string | undefined;
  /** The same bounds after the el-suffix rewrite (RHEL data on rebuilds). */
  readonly rewritten: { introducedKey?: string; fixedKey?: string; lastAffectedKey?: string };
  /** Notes every finding from this range carries. */
  readonly notes: readonly string[];
  /** A range without module criteria whose fix is a module build: the streams it is for (`streamsOfModularFix`). */
  readonly fixStreams: readonly string[] | undefined;
}

/** Ranges of one feed release. */
export interface CompiledRelease {
  readonly scheme: VersionScheme;
  /** By binary package name (binary ranges, and source ranges whose binaries are listed). */
  readonly byBinary: Map<string, CompiledRange[]>;
  /** By source package name, for ranges that name only a source package. */
  readonly bySource: Map<string, CompiledRange[]>;
}

/** The evaluator's view of a set of feeds. */
export interface CompiledFeed {
  readonly releases: Map<string, CompiledRelease>;
  /** Ranges refused while compiling, by reason. */
  readonly skipped: Record<string, number>;
}

/**
 * The order key of a version in a scheme; throws `InvalidError` when the version is not one.
 *
 * @example
 * versionKey('rpm', '0:1.2-3.el9') < versionKey('rpm', '0:1.2-10.el9'); // true
 */
export function versionKey(scheme: VersionScheme, version: string): string {
  return scheme === 'rpm' ? rpmEvrKey(parseRpmEvr(version)) : debVersionKey(version);
}

function keyOf(scheme: VersionScheme, v: string | undefined, rewrite: boolean): string | undefined {
  if (v === undefined) return undefined;
  return versionKey(scheme, rewrite ? rewriteElSuffix(v) : v);
}

function staticNotes(definition: Definition, range: AffectedRange): string[] {
  const notes = [...definition.notes];
  if (range.signatureKeyIds?.length) notes.push(POLICIES.signatureAssumed);
  if (range.fixState === 'unfixed') notes.push(POLICIES.unfixed);
  if (range.fixState === 'wont-fix') notes.push(POLICIES.wontFix);
  if (range.fixState === 'fixed' && range.fixed === undefined) notes.push(POLICIES.fixedVersionUnknown);
  if (range.fixState === 'fixed' && range.fixChannel === 'ubuntu-pro') notes.push(POLICIES.ubuntuProFix);
  if (range.nameKind === 'source') notes.push(POLICIES.sourceToBinary);
  return [...new Set(notes)];
}

function push(map: Map<string, CompiledRange[]>, name: string, r: CompiledRange): void {
  const list = map.get(name);
  if (list) list.push(r);
  else map.set(name, [r]);
}

/**
 * Builds the index the evaluator matches against. Ranges whose versions do not parse are
 * skipped and counted under `invalid-version`.
 *
 * @example
 * const feed = compileFeed(parsedOval.definitions);
 * feed.releases.get('rhel:9')?.byBinary.get('openssl-libs');
 */
export function compileFeed(definitions: Iterable<Definition>): CompiledFeed {
  const releases = new Map<string, CompiledRelease>();
  const skipped: Record<string, number> = {};
  for (const definition of definitions) {
    for (const range of definition.affected) {
      let compiled: CompiledRange;
      try {
        const s = range.scheme;
        const rw = s === 'rpm';
        compiled = {
          definition,
          range,
          introducedKey: keyOf(s, range.introduced, false),
          fixedKey: keyOf(s, range.fixed, false),
          lastAffectedKey: keyOf(s, range.lastAffected, false),
          rewritten: rw
            ? { introducedKey: keyOf(s, range.introduced, true), fixedKey: keyOf(s, range.fixed, true), lastAffectedKey: keyOf(s, range.lastAffected, true) }
            : {},
          notes: staticNotes(definition, range),
          fixStreams: rw && range.module === undefined ? streamsOfModularFix(range.fixed ?? range.lastAffected, definition.title) : undefined,
        };
      } catch {
        skipped['invalid-version'] = (skipped['invalid-version'] ?? 0) + 1;
        continue;
      }
      let rel = releases.get(range.release);
      if (!rel) {
        rel = { scheme: range.scheme, byBinary: new Map(), bySource: new Map() };
        releases.set(range.release, rel);
      }
      if (range.nameKind === 'binary') push(rel.byBinary, range.package, compiled);
      else if (range.binaries?.length) for (const b of range.binaries) push(rel.byBinary, b, compiled);
      else push(rel.bySource, range.package, compiled);
    }
  }
  return { releases, skipped };
}
