// Second stage of the OVAL reader: the collected tables into normalized definitions. Package
// tests are flattened into affected ranges with the conditions that guard them in the same
// AND group (module stream, signing key); the criteria tree itself is kept as written.
import { POLICIES } from '../vuln-model/policies.js';
import { normalizeSeverity } from '../vuln-model/severity.js';
import { recordSkip } from '../vuln-model/stats.js';
import type { AffectedRange, Criteria, Definition, FeedStats, FixState, VersionScheme } from '../vuln-model/types.js';
import type { RawDefinition, RawState, RawTest } from './collect.js';
import type { OvalTableStore } from './store.js';
import { commentStatus } from './status-comment.js';

/** How to read one OVAL file. */
export interface OvalContext {
  /** Feed release key the file covers (`rhel:9`, `debian:12`, `ubuntu:22.04`). */
  readonly release: string;
  /** Publisher; guessed from definition ids (`oval:com.redhat...`) when absent. */
  readonly vendor?: string;
  /** Keep the criteria tree on each definition (default true). */
  readonly keepCriteria?: boolean;
}

const ADVISORY_SOURCES = /^(?:RHSA|RHBA|RHEA|ALSA|ALBA|ALEA|RLSA|DSA|DLA|USN|ELSA)$/i;
const MODULE_ENABLED = /^Module (\S+:\S+) is enabled$/;
const NEVER = new Set(['0:0', '0', '0:0-0']);

function vendorOf(id: string): string {
  const ns = /^oval:([^:]+):/.exec(id)?.[1] ?? '';
  if (ns.startsWith('com.redhat')) return 'redhat';
  if (ns.startsWith('org.almalinux')) return 'almalinux';
  if (ns.startsWith('org.rockylinux')) return 'rocky';
  if (ns.startsWith('org.debian')) return 'debian';
  if (ns.startsWith('com.ubuntu')) return 'ubuntu';
  return ns || 'unknown';
}

interface Guard {
  module: string | undefined;
  keys: string[];
}

interface Walk {
  readonly t: OvalTableStore;
  readonly ctx: OvalContext;
  readonly vendor: string;
  readonly stats: FeedStats;
  readonly ranges: AffectedRange[];
  readonly notes: Set<string>;
  readonly wontFixTitle: boolean;
}

function packageStates(t: OvalTableStore, test: RawTest): RawState[] {
  return test.stateRefs.map((r) => t.findState(r)).filter((s): s is RawState => s !== undefined);
}

function isPackageTest(test: RawTest | undefined): test is RawTest {
  return test !== undefined && (test.kind === 'rpminfo_test' || test.kind === 'dpkginfo_test');
}

function guardOf(w: Walk, children: readonly Criteria[], outer: Guard): Guard {
  const g: Guard = { module: outer.module, keys: [...outer.keys] };
  for (const c of children) {
    if (c.kind !== 'test') continue;
    const m = MODULE_ENABLED.exec(c.comment);
    if (m) g.module = m[1];
    const test = w.t.findTest(c.testRef);
    if (!isPackageTest(test)) continue;
    for (const s of packageStates(w.t, test)) if (s.signatureKeyId && !s.evr) g.keys.push(s.signatureKeyId);
  }
  return g;
}

function addRanges(w: Walk, c: Extract<Criteria, { kind: 'test' }>, test: RawTest, guard: Guard): void {
  const states = packageStates(w.t, test);
  if (states.length > 0 && states.every((s) => s.signatureKeyId && !s.evr)) return;
  const object = test.objectRef ? w.t.findObject(test.objectRef) : undefined;
  const names = object?.varRef ? (w.t.findVariable(object.varRef) ?? []) : object?.name ? [object.name] : [];
  if (names.length === 0) return recordSkip(w.stats, 'unresolved-package-object');
  if (c.negate) return recordSkip(w.stats, 'unsupported:negated-package-test');
  const evr = states.find((s) => s.evr)?.evr;
  if (evr && evr.op !== 'less than') return recordSkip(w.stats, evr.op === 'pattern match' ? 'os-check' : `unsupported-evr-operation:${evr.op}`);
  if (evr && NEVER.has(evr.value)) return recordSkip(w.stats, POLICIES.neverTrueRange, names.length);

  let fixState: FixState = evr ? 'fixed' : w.wontFixTitle ? 'wont-fix' : 'unfixed';
  if (w.vendor === 'ubuntu') {
    const status = commentStatus(c.comment);
    if (status === 'unrecognised') return recordSkip(w.stats, 'unrecognised-status-comment');
    if (status === 'not-affected') return recordSkip(w.stats, 'not-affected');
    if (!evr && status === 'fixed') return recordSkip(w.stats, 'fixed-without-version');
    if (!evr) fixState = status;
  }
  const arch = states.find((s) => s.arch)?.arch;
  const arches = arch && (arch.op === 'equals' || (arch.op === 'pattern match' && /^[\w|]+$/.test(arch.value))) ? arch.value.split('|') : undefined;
  const scheme: VersionScheme = test.kind === 'rpminfo_test' ? 'rpm' : 'deb';
  const nameKind = w.vendor === 'debian' ? 'source' : 'binary';
  for (const name of names) {
    w.ranges.push({
      release: w.ctx.release,
      package: name,
      nameKind,
      scheme,
      fixState,
      ...(evr ? { fixed: evr.value } : {}),
      ...(arches ? { arches } : {}),
      ...(guard.module ? { module: guard.module } : {}),
      ...(guard.keys.length ? { signatureKeyIds: [...new Set(guard.keys)] } : {}),
    });
  }
}

function walk(w: Walk, c: Criteria, guard: Guard): void {
  if (c.kind === 'extend') return;
  if (c.kind === 'test') {
    const test = w.t.findTest(c.testRef);
    if (/must be installed/i.test(c.comment) && test?.kind === 'rpmverifyfile_test') {
      w.notes.add(POLICIES.rhelInstalledIgnored);
      return;
    }
    if (isPackageTest(test)) addRanges(w, c, test, guard);
    else if (!test) recordSkip(w.stats, 'missing-test');
    return;
  }
  const inner = c.kind === 'and' ? guardOf(w, c.children, guard) : guard;
  for (const child of c.children) walk(w, child, inner);
}

function advisoryOf(d: RawDefinition): string | undefined {
  return d.references.find((r) => ADVISORY_SOURCES.test(r.source))?.id ?? /^([A-Z]+SA-\d{4}:\d+)/.exec(d.title)?.[1];
}

/**
 * Turns one raw definition into its normalized form using the tables of tests, objects, states
 * and variables, or undefined (counted in `stats`) when it is skipped.
 *
 * @example
 * const def = normalizeDefinition(raw, store, { release: 'rhel:9' }, stats);
 */
export function normalizeDefinition(d: RawDefinition, t: OvalTableStore, ctx: OvalContext, stats: FeedStats): Definition | undefined {
  if (d.klass === 'inventory' || d.klass === 'miscellaneous') {
    recordSkip(stats, `${d.klass}-definition`);
    return undefined;
  }
  const vendor = ctx.vendor ?? vendorOf(d.id);
  const w: Walk = { t, ctx, vendor, stats, ranges: [], notes: new Set(), wontFixTitle: /will not fix|won't fix/i.test(d.title) };
  if (d.criteria) walk(w, d.criteria, { module: undefined, keys: [] });
  if (w.ranges.length === 0) {
    recordSkip(stats, 'definition-without-affected-package');
    return undefined;
  }
  const cves = [...new Set([...d.references.filter((r) => r.source.toUpperCase() === 'CVE').map((r) => r.id), ...d.cves])];
  const severityWord = d.severity ?? / - (\w+)$/.exec(d.title)?.[1];
  const advisoryId = advisoryOf(d);
  stats.definitions++;
  stats.affected += w.ranges.length;
  return {
    id: d.id,
    format: 'oval',
    vendor,
    ...(advisoryId ? { advisoryId } : {}),
    title: d.title,
    cves,
    severity: normalizeSeverity(severityWord),
    ...(severityWord ? { vendorSeverity: severityWord } : {}),
    affected: w.ranges,
    ...(ctx.keepCriteria !== false && d.criteria ? { criteria: d.criteria } : {}),
    notes: [...w.notes],
  };
}
