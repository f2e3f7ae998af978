// OSV JSON records (Debian, Ubuntu, AlmaLinux, Rocky Linux, Red Hat ecosystems) into the
// normalized form: ECOSYSTEM ranges become affected ranges (introduced / fixed /
// last_affected), withdrawn records and empty ranges are skipped and counted.
import { InvalidError } from '../../core/errors.js';
import { POLICIES } from '../vuln-model/policies.js';
import { normalizeSeverity } from '../vuln-model/severity.js';
import { createFeedStats, recordSkip } from '../vuln-model/stats.js';
import type { AffectedRange, Definition, FeedStats, ParsedFeed } from '../vuln-model/types.js';
import { osvEcosystem, type EcosystemInfo } from './ecosystem.js';
import { parseCvss } from '../cvss/score.js';

type Json = Record<string, unknown>;

const isObject = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);
const ADVISORY = /^(?:DSA|DLA|USN|ALSA|ALBA|RLSA|RHSA|RXSA)-/;

function field<T>(o: Json, key: string, path: string, check: (v: unknown) => v is T, what: string, optional: true): T | undefined;
function field<T>(o: Json, key: string, path: string, check: (v: unknown) => v is T, what: string, optional?: false): T;
function field<T>(o: Json, key: string, path: string, check: (v: unknown) => v is T, what: string, optional = false): T | undefined {
  const v = o[key];
  if (v === undefined && optional) return undefined;
  if (!check(v)) throw new InvalidError(`OSV record: ${path}.${key} is not ${what}`, { path: `${path}.${key}` });
  return v;
}
const isString = (v: unknown): v is string => typeof v === 'string';
const isArray = (v: unknown): v is unknown[] => Array.isArray(v);

function rangesOf(eco: EcosystemInfo, name: string, binaries: string[] | undefined, ranges: unknown[], path: string, stats: FeedStats): AffectedRange[] {
  const out: AffectedRange[] = [];
  const base = { release: eco.release, package: name, nameKind: eco.nameKind, scheme: eco.scheme, ...(binaries?.length ? { binaries } : {}) } as const;
  ranges.forEach((r, i) => {
    if (!isObject(r)) throw new InvalidError(`OSV record: ${path}.ranges[${i}] is not an object`);
    if (r.type !== 'ECOSYSTEM') return recordSkip(stats, `unsupported-range-type:${String(r.type)}`);
    const events = field(r, 'events', `${path}.ranges[${i}]`, isArray, 'an array');
    let introduced: string | undefined;
    let open = false;
    for (const e of events) {
      if (!isObject(e)) throw new InvalidError(`OSV record: ${path}.ranges[${i}].events has a non-object event`);
      if (isString(e.introduced)) {
        introduced = e.introduced === '0' ? undefined : e.introduced;
        open = true;
      } else if (isString(e.fixed) || isString(e.last_affected)) {
        const bound = isString(e.fixed) ? { fixed: e.fixed } : { lastAffected: e.last_affected as string };
        out.push({ ...base, ...(introduced ? { introduced } : {}), ...bound, fixState: isString(e.fixed) ? 'fixed' : 'unfixed' });
        open = false;
      }
    }
    if (open) out.push({ ...base, ...(introduced ? { introduced } : {}), fixState: 'unfixed' });
    else if (events.length === 0) recordSkip(stats, POLICIES.neverTrueRange);
  });
  return out;
}

function severityOf(rec: Json, affected: unknown[]): string | undefined {
  const sev = isArray(rec.severity) ? rec.severity.find((s) => isObject(s) && s.type === 'Ubuntu') : undefined;
  if (isObject(sev) && isString(sev.score)) return sev.score;
  for (const a of affected) {
    if (!isObject(a)) continue;
    for (const k of ['ecosystem_specific', 'database_specific'] as const) {
      const v = a[k];
      if (isObject(v) && isString(v.severity)) return v.severity;
    }
  }
  return isObject(rec.database_specific) && isString(rec.database_specific.severity) ? rec.database_specific.severity : undefined;
}

/** Links kept per record: a bound against a hostile feed. */
const MAX_REFERENCES = 100;

/** The record's `references` (http(s) URLs only) and its CVSS v3 rating, for each of its CVEs. */
function linksOf(rec: Json, cves: readonly string[]): Pick<Definition, 'references' | 'cvss'> {
  const references = (isArray(rec.references) ? rec.references : [])
    .filter((r): r is Json => isObject(r) && isString(r.url) && /^https?:\/\//.test(r.url) && r.url.length <= 2000)
    .slice(0, MAX_REFERENCES)
    .map((r) => ({ url: r.url as string, ...(isString(r.type) ? { source: r.type } : {}) }));
  const vector = isArray(rec.severity)
    ? rec.severity.find((s): s is Json => isObject(s) && (s.type === 'CVSS_V3' || s.type === 'CVSS_V31') && isString(s.score))
    : undefined;
  const rating = vector ? parseCvss(undefined, vector.score as string) : undefined;
  return {
    ...(references.length ? { references } : {}),
    ...(rating && cves.length ? { cvss: Object.fromEntries(cves.map((c) => [c, rating])) } : {}),
  };
}

/**
 * Reads one OSV record (already JSON-parsed) into zero or one normalized definition.
 * Throws `InvalidError` naming the JSON path of a malformed field.
 *
 * @example
 * const def = parseOsvRecord(JSON.parse(text), stats);
 */
export function parseOsvRecord(rec: unknown, stats: FeedStats = createFeedStats()): Definition | undefined {
  if (!isObject(rec)) throw new InvalidError('OSV record: not a JSON object');
  const id = field(rec, 'id', '$', isString, 'a string');
  if (rec.withdrawn !== undefined) {
    recordSkip(stats, POLICIES.withdrawn);
    return undefined;
  }
  const affected = field(rec, 'affected', '$', isArray, 'an array', true) ?? [];
  const ranges: AffectedRange[] = [];
  let vendor = '';
  affected.forEach((a, i) => {
    const path = `$.affected[${i}]`;
    if (!isObject(a)) throw new InvalidError(`OSV record: ${path} is not an object`);
    const pkg = field(a, 'package', path, isObject, 'an object');
    const ecosystem = field(pkg, 'ecosystem', `${path}.package`, isString, 'a string');
    const name = field(pkg, 'name', `${path}.package`, isString, 'a string');
    const eco = osvEcosystem(ecosystem);
    if (!eco) return recordSkip(stats, `unsupported-ecosystem:${ecosystem.split(':')[0]}`);
    vendor ||= eco.vendor;
    const spec = isObject(a.ecosystem_specific) && isArray(a.ecosystem_specific.binaries) ? a.ecosystem_specific.binaries : undefined;
    const binaries = spec?.map((b) => (isObject(b) && isString(b.binary_name) ? b.binary_name : isString(b) ? b : '')).filter(Boolean);
    const rs = field(a, 'ranges', path, isArray, 'an array', true);
    if (!rs) return recordSkip(stats, 'versions-only-affected');
    ranges.push(...rangesOf(eco, name, binaries, rs, path, stats));
  });
  if (ranges.length === 0) return undefined;
  // AlmaLinux, Rocky, Red Hat and Ubuntu USN records are advisories (`id` ALSA-/RLSA-/RHSA-/USN-)
  // that name their CVEs in `related` (USN also as `UBUNTU-CVE-…`), Red Hat also in `upstream`.
  const ids = [id, ...(['aliases', 'upstream', 'related'] as const).flatMap((k) => field(rec, k, '$', isArray, 'an array', true) ?? [])];
  const cves = [
    ...new Set(
      ids
        .filter(isString)
        .map((s) => /CVE-\d{4}-\d+/.exec(s)?.[0])
        .filter((s): s is string => s !== undefined),
    ),
  ];
  const severityWord = severityOf(rec, affected);
  stats.definitions++;
  stats.affected += ranges.length;
  return {
    id,
    format: 'osv',
    vendor,
    ...(ADVISORY.test(id) ? { advisoryId: id } : {}),
    ...(isString(rec.summary) ? { title: rec.summary } : {}),
    cves,
    ...linksOf(rec, cves),
    severity: normalizeSeverity(severityWord),
    ...(severityWord ? { vendorSeverity: severityWord } : {}),
    affected: ranges,
    notes: [],
  };
}

/**
 * Reads many OSV records (e.g. the files of an ecosystem's `all.zip`, parsed by the caller).
 *
 * @example
 * const feed = parseOsvRecords(records); feed.stats.skipped['policy:withdrawn'];
 */
export function parseOsvRecords(records: Iterable<unknown>): ParsedFeed {
  const stats = createFeedStats();
  const definitions: Definition[] = [];
  for (const rec of records) {
    const d = parseOsvRecord(rec, stats);
    if (d) definitions.push(d);
  }
  return { definitions, stats };
}
