// Second stage of the OVAL reader: the collected tables into normalized definitions. Package
// tests are flattened into affected ranges with the conditions that guard them in the same
// AND group (module stream, signing key); the criteria tree itself is kept as written.
import { POLICIES } from '../vuln-model/policies.js';
import { normalizeSeverity } from '../vuln-model/severity.js';
import { createFeedStats, recordSkip } from '../vuln-model/stats.js';
import type { AffectedRange, Criteria, Cvss, Definition, FeedStats, FixState, Logic, Reference, VersionScheme } from '../vuln-model/types.js';
import { parseCvss } from '../cvss/score.js';
import type { RawDefinition, RawState, RawTest } from './collect.js';
import { checkOf, effectiveRelease, existenceOf, isPlatformComment, neg, rangesDecide, RELEASE_PACKAGE, releaseOfPlatformTest } from './logic.js';
import type { OvalTableStore } from './store.js';
import { readUbuntuCriterion } from './status-comment.js';

/** How to read one OVAL file. */
export interface OvalContext {
  /**
   * Feed release key the file covers (`rhel:9`, `debian:12`, `ubuntu:22.04`): the default for
   * definitions whose platform tests name no release. A file covering several releases (Oracle's
   * one ELSA file) files each definition under the release its "Oracle Linux N is installed" names.
   */
  readonly release?: string;
  /** Inventory definitions read so far (`extend_definition` targets), by id; filled by the reader. */
  readonly inventory?: Map<string, Logic>;
  /** Publisher; guessed from definition ids (`oval:com.redhat...`) when absent. */
  readonly vendor?: string;
  /** Keep the criteria tree on each definition (default true). */
  readonly keepCriteria?: boolean;
}

/** Links kept per definition (a Red Hat advisory links each of up to a few hundred CVEs): a bound against a hostile feed. */
const MAX_REFERENCES = 500;
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
  /** Release named by a platform test in an enclosing AND. */
  release?: string | undefined;
  /** Under an odd number of negations: tests here never name a vulnerable package. */
  negated?: boolean;
  /** Id of the package test whose ranges are being added. */
  leaf?: number;
}

interface Walk {
  readonly t: OvalTableStore;
  readonly ctx: OvalContext;
  readonly vendor: string;
  readonly stats: FeedStats;
  readonly ranges: AffectedRange[];
  readonly notes: Set<string>;
  readonly wontFixTitle: boolean;
  nextLeaf: number;
  scheme: VersionScheme | undefined;
}

function packageStates(t: OvalTableStore, test: RawTest): RawState[] {
  return test.stateRefs.map((r) => t.findState(r)).filter((s): s is RawState => s !== undefined);
}

function isPackageTest(test: RawTest | undefined): test is RawTest {
  return test !== undefined && (test.kind === 'rpminfo_test' || test.kind === 'dpkginfo_test');
}

function guardOf(w: Walk, children: readonly Criteria[], outer: Guard): Guard {
  const g: Guard = { module: outer.module, keys: [...outer.keys], release: outer.release, negated: outer.negated };
  for (const c of children) {
    if (c.kind !== 'test') continue;
    const platform = c.negate ? undefined : platformRelease(w, w.t.findTest(c.testRef), c.comment);
    if (platform) g.release = platform;
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
  if (c.negate || guard.negated) return recordSkip(w.stats, 'negated-package-test');
  if (existenceOf(test) === 'none_exist') return recordSkip(w.stats, 'not-installed-test');
  const release = guard.release ?? w.ctx.release;
  if (!release) return recordSkip(w.stats, 'release-unknown');
  const evr = states.find((s) => s.evr)?.evr;
  if (evr && evr.op !== 'less than') return recordSkip(w.stats, evr.op === 'pattern match' ? 'os-check' : `unsupported-evr-operation:${evr.op}`);
  if (evr && NEVER.has(evr.value)) return recordSkip(w.stats, POLICIES.neverTrueRange, names.length);

  let fixState: FixState = evr ? 'fixed' : w.wontFixTitle ? 'wont-fix' : 'unfixed';
  let fixChannel: 'ubuntu-pro' | undefined;
  if (w.vendor === 'ubuntu') {
    // CVE and USN OVAL alike (status-comment.ts); Pro-only fixes are marked on the range.
    const u = readUbuntuCriterion(c.comment, evr?.value);
    if ('skip' in u) return recordSkip(w.stats, u.skip);
    ({ fixState, fixChannel } = u);
  }
  const arch = states.find((s) => s.arch)?.arch;
  const arches = arch && (arch.op === 'equals' || (arch.op === 'pattern match' && /^[\w|]+$/.test(arch.value))) ? arch.value.split('|') : undefined;
  const scheme: VersionScheme = test.kind === 'rpminfo_test' ? 'rpm' : 'deb';
  const nameKind = w.vendor === 'debian' ? 'source' : 'binary';
  for (const name of names) {
    w.ranges.push({
      release,
      package: name,
      nameKind,
      scheme,
      fixState,
      ...(evr ? { fixed: evr.value } : {}),
      ...(arches ? { arches } : {}),
      ...(guard.module ? { module: guard.module } : {}),
      ...(guard.keys.length ? { signatureKeyIds: [...new Set(guard.keys)] } : {}),
      ...(fixChannel ? { fixChannel } : {}),
      ...(guard.leaf !== undefined ? { leaf: guard.leaf } : {}),
    });
  }
}

/** The release a platform test names, mapped to the key ranges are filed under (logic.ts). */
function platformRelease(w: Walk, test: RawTest | undefined, comment: string): string | undefined {
  if (!test) return undefined;
  const states = packageStates(w.t, test);
  const object = isPackageTest(test) && test.objectRef ? w.t.findObject(test.objectRef) : undefined;
  if (isPackageTest(test) && (states.some((s) => s.evr) || !RELEASE_PACKAGE.test(object?.name ?? ''))) return undefined;
  const named = releaseOfPlatformTest(test.comment ?? comment, object?.name, states.find((s) => s.version)?.version);
  return named ? effectiveRelease(named, w.ctx.release) : undefined;
}

/** One criterion as logic; package tests that can name a vulnerable package also give ranges. */
function leafOf(w: Walk, c: Extract<Criteria, { kind: 'test' }>, guard: Guard): Logic {
  const n = neg(c.negate);
  const test = w.t.findTest(c.testRef);
  if (!test) {
    recordSkip(w.stats, 'missing-test');
    return { k: 'const', ...n, value: true, why: 'missing-test' };
  }
  if (/must be installed/i.test(c.comment) && test.kind === 'rpmverifyfile_test') {
    w.notes.add(POLICIES.rhelInstalledIgnored);
    return { k: 'const', ...n, value: false, why: POLICIES.rhelInstalledIgnored };
  }
  // The module stream is judged per installed build, on the range (policy:module-stream-inferred).
  if (MODULE_ENABLED.test(c.comment)) return { k: 'const', ...n, value: true, why: POLICIES.moduleStreamInferred };
  const release = platformRelease(w, test, c.comment);
  if (release) {
    if (isPackageTest(test)) w.notes.add(POLICIES.platformTest);
    return { k: 'platform', ...n, release };
  }
  const testComment = test.comment ?? c.comment;
  if (!isPackageTest(test)) {
    // Platform checks Vigil cannot read from a package list (uname, os-release files) and
    // running-kernel tests (the kernel rule applies instead) are taken as true, as before.
    return { k: 'const', ...n, value: true, why: isPlatformComment(testComment) ? POLICIES.platformTest : `unevaluated:${(test as RawTest).kind}` };
  }
  const states = packageStates(w.t, test);
  const object = test.objectRef ? w.t.findObject(test.objectRef) : undefined;
  const names = object?.varRef ? (w.t.findVariable(object.varRef) ?? []) : object?.name ? [object.name] : [];
  w.scheme ??= test.kind === 'rpminfo_test' ? 'rpm' : 'deb';
  const evr = states.find((s) => s.evr)?.evr;
  const arch = states.find((s) => s.arch)?.arch;
  const version = states.find((s) => s.version)?.version;
  const base = {
    k: 'pkg' as const,
    ...n,
    names: [...names],
    exist: existenceOf(test),
    check: checkOf(test),
    ...(evr ? { evr } : {}),
    ...(arch ? { arch } : {}),
    ...(version ? { version } : {}),
  };
  // An architecture (or other non-version) test on the release package: a platform check.
  if (!evr && (arch || version) && names.length > 0 && names.every((x) => RELEASE_PACKAGE.test(x))) {
    w.notes.add(POLICIES.platformTest);
    return { ...base, id: -1, ...(arch ? { platformArch: true as const } : {}) };
  }
  if (states.length > 0 && states.every((s) => s.signatureKeyId && !s.evr))
    return { k: 'pkg', ...n, id: -1, names: [...names], exist: existenceOf(test), check: checkOf(test) };
  const id = w.nextLeaf++;
  addRanges(w, c, test, { ...guard, leaf: id });
  return { ...base, id };
}

function walk(w: Walk, c: Criteria, guard: Guard): Logic {
  if (c.kind === 'extend') {
    const known = w.ctx.inventory?.get(c.definitionRef);
    if (known) return c.negate ? { k: 'and', negate: true, c: [known] } : known;
    // Ubuntu's "Ubuntu 22.04 LTS (jammy) is installed." applicability check: the feed's release.
    return { k: 'const', ...neg(c.negate), value: true, why: POLICIES.platformTest };
  }
  if (c.kind === 'test') return leafOf(w, c, guard);
  const outer = c.negate ? { ...guard, negated: !guard.negated } : guard;
  const inner = c.kind === 'and' ? guardOf(w, c.children, outer) : outer;
  return { k: c.kind, ...neg(c.negate), c: c.children.map((child) => walk(w, child, inner)) };
}

/** The definition's links (references with a URL, each CVE's page) and CVSS ratings, as given. */
function linksOf(d: RawDefinition): Pick<Definition, 'references' | 'cvss'> {
  const refs = new Map<string, Reference>();
  for (const r of d.references) if (r.url && !refs.has(r.url)) refs.set(r.url, { url: r.url, source: r.source, id: r.id });
  const cvss: Record<string, Cvss> = {};
  for (const c of d.cveAttributes ?? []) {
    if (c.href && !refs.has(c.href)) refs.set(c.href, { url: c.href, source: 'CVE', id: c.id });
    const rating = parseCvss(c.cvss, c.cvssVector);
    if (rating) cvss[c.id] = rating;
  }
  const references = [...refs.values()].slice(0, MAX_REFERENCES);
  return { ...(references.length ? { references } : {}), ...(Object.keys(cvss).length ? { cvss } : {}) };
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
  const vendor = ctx.vendor ?? vendorOf(d.id);
  const w: Walk = {
    t,
    ctx,
    vendor,
    stats,
    ranges: [],
    notes: new Set(),
    wontFixTitle: /will not fix|won't fix/i.test(d.title),
    nextLeaf: 0,
    scheme: undefined,
  };
  if (d.klass === 'inventory' || d.klass === 'miscellaneous') {
    // Kept (as logic only) for the definitions that extend it.
    if (d.klass === 'inventory' && d.criteria && ctx.inventory)
      ctx.inventory.set(d.id, walk({ ...w, stats: createFeedStats(), notes: new Set() }, d.criteria, { module: undefined, keys: [] }));
    recordSkip(stats, `${d.klass}-definition`);
    return undefined;
  }
  const logic = d.criteria ? walk(w, d.criteria, { module: undefined, keys: [] }) : undefined;
  // Most definitions are decided by their ranges alone (the fast path); the others carry their
  // tree, and their ranges the test they came from.
  const decide = logic === undefined || rangesDecide(logic, w.scheme);
  const ranges = decide ? w.ranges.map(({ leaf: _leaf, ...r }) => r) : w.ranges;
  if (!decide) w.notes.add(POLICIES.ovalLogic);
  if (ranges.length === 0) {
    recordSkip(stats, 'definition-without-affected-package');
    return undefined;
  }
  const cves = [...new Set([...d.references.filter((r) => r.source.toUpperCase() === 'CVE').map((r) => r.id), ...d.cves])];
  const severityWord = d.severity ?? / - (\w+)$/.exec(d.title)?.[1];
  const advisoryId = advisoryOf(d);
  stats.definitions++;
  stats.affected += ranges.length;
  return {
    id: d.id,
    format: 'oval',
    vendor,
    ...(advisoryId ? { advisoryId } : {}),
    title: d.title,
    cves,
    ...linksOf(d),
    severity: normalizeSeverity(severityWord),
    ...(severityWord ? { vendorSeverity: severityWord } : {}),
    affected: ranges,
    ...(ctx.keepCriteria !== false && d.criteria ? { criteria: d.criteria } : {}),
    ...(decide ? {} : { logic }),
    notes: [...w.notes],
  };
}
