// Taking in one host report. An unchanged report (same package set, same headers) costs one
// read and one update; a changed one stores a new set only if no other host has it yet, records
// the package and finding history, and evaluates only a (release, set, kernel) never seen.
// One transaction per report and no global lock: different hosts proceed in parallel (on SQLite,
// reports arriving together share one commit: src/db/group-commit.ts).
// A protocol-5 package section byte-identical to one already stored is not even parsed: its
// hash names the set (most hosts of a site send the same list every day).
import { createHash } from 'node:crypto';
import type { Db, Executor } from '../../db/database.js';
import type { GroupCommit } from '../../db/group-commit.js';
import type { Clock } from '../../core/clock.js';
import { newId } from '../../core/ids.js';
import { identifyHost, releasePackagesOf } from '../../lib/os-release/index.js';
import { parseProtocol5Head, type HostReport, type ReportLimits, type ReportMode } from '../../lib/pakiti-report/index.js';
import type { InstalledPackage } from '../../lib/evaluate/index.js';
import type { HostTable } from '../../db/schema.js';
import type { EvaluatorCache } from './evaluator-cache.js';
import { ensureEvaluation, prepareEvaluation, syncHostFindings } from './evaluation.js';
import { ensureSet, normalizeSet, setExists, setMembers } from './package-sets.js';
import { encodePackageSet } from './package-set-codec.js';
import { recordLifecycleHits } from './lifecycle.js';
import type { ReporterCredential, ReporterService } from './reporters.js';
import type { QuarantineStore } from './quarantine-store.js';
import { notExcepted } from './exceptions.js';
import { tagApplies } from './tags.js';

export interface IngestResult {
  outcome: 'stored' | 'unchanged' | 'report-only' | 'quarantined';
  hostId?: string;
  /** Why a report was held for review, told to its sender (a typo in the site name must not look like success). */
  reason?: string;
  /** Tagged CVEs on the host's packages, for clients that asked for results. */
  tagged: Array<{ name: string; version: string; arch: string; cve: string; tag: string }>;
}

const MAX_HOSTNAME = 253;
/** Package sections remembered per process (~200 bytes each). */
const SECTION_CACHE_SIZE = 8192;

/** The set a report carries: its packages when parsed, only its id (and its distribution release
 *  packages, issue 10 class 6) when the section was known. */
type ReportedSet = { setId: string; packages: InstalledPackage[] | undefined; releasePackages?: ReadonlyArray<{ name: string; version: string }> };
type KnownSection = { setId: string; releasePackages: ReadonlyArray<{ name: string; version: string }> };

/** The host's release from every sign of its report (system header, os-release, release packages). */
const osOf = (report: HostReport, packager: string | undefined, set: ReportedSet | undefined) =>
  identifyHost({
    system: report.system,
    packager,
    osRelease: report.osRelease,
    oracleRelease: report.oracleRelease,
    packages: set ? (set.packages ?? set.releasePackages) : report.packages,
  });

/** Least-recently-used map of package-section hash → set id. */
function sectionCache(max: number) {
  const map = new Map<string, KnownSection>();
  return {
    get(key: string): KnownSection | undefined {
      const v = map.get(key);
      if (v !== undefined) {
        map.delete(key);
        map.set(key, v);
      }
      return v;
    },
    set(key: string, setId: KnownSection): void {
      map.delete(key);
      map.set(key, setId);
      if (map.size > max) map.delete(map.keys().next().value!);
    },
    delete: (key: string) => map.delete(key),
  };
}

/** A stored set went missing under a remembered section: parse the report after all. */
class UnknownSetError extends Error {}

function headerHash(r: HostReport, client: string): string {
  const h = createHash('sha256').update([r.system, r.kernel, r.arch, r.packager, r.tag, client].map((v) => v ?? '').join('\n'));
  // Only when sent, so the hashes of reports without them stay as they were.
  if (r.osRelease || r.oracleRelease) h.update(`\n${JSON.stringify([r.osRelease?.id, r.osRelease?.versionId, r.osRelease?.name, r.oracleRelease])}`);
  return h.digest('hex');
}

export function createIntakeService(deps: {
  db: Db;
  writes: GroupCommit;
  clock: Clock;
  cache: EvaluatorCache;
  reporters: ReporterService;
  held: QuarantineStore;
}) {
  const { db, writes, clock, cache, reporters, held } = deps;

  /** Tagged CVEs on the host's findings, less those a site exception covers. */
  async function taggedFor(ex: Executor, evalKey: string | null, arch: string, siteId: string, hostId: string, osKey: string | null) {
    if (!evalKey) return [];
    const rows = await ex
      .selectFrom('finding')
      .innerJoin('cve_tag', 'cve_tag.cve_id', 'finding.cve_id')
      .select(['finding.package_name', 'finding.installed_version', 'finding.arch', 'finding.cve_id', 'cve_tag.tag'])
      .where('finding.eval_key', '=', evalKey)
      .where((eb) => tagApplies(eb, arch))
      .where((eb) => notExcepted(eb as never, clock.now().toISOString(), { siteId, hostId, osKey }))
      .distinct()
      .orderBy('finding.package_name')
      .orderBy('finding.cve_id')
      .execute();
    return rows.map((r) => ({ name: r.package_name, version: r.installed_version, arch: r.arch, cve: r.cve_id, tag: r.tag }));
  }

  async function quarantine(report: HostReport, verdict: { reason: string; toSender?: string }, credential: ReporterCredential): Promise<IngestResult> {
    await held.hold(report, verdict.reason, credential.address);
    return { outcome: 'quarantined', reason: verdict.toSender ?? verdict.reason, tagged: [] };
  }

  /** Evaluates without storing anything (`mode=report-only`). The CSIRT's risk tags go back only
   *  to enrolled reporters: anyone else is told nothing but that the report arrived. */
  async function reportOnly(report: HostReport, credential: ReporterCredential): Promise<IngestResult> {
    if (!(await reporters.isEnrolled(credential))) return { outcome: 'report-only', tagged: [] };
    const os = osOf(report, report.packager, undefined);
    if (!os.known) return { outcome: 'report-only', tagged: [] };
    const { evaluator } = await cache.get();
    const result = await evaluator.evaluateInSlices({ os: os.key, packages: report.packages, runningKernel: report.kernel });
    const cves = [...new Set(result.findings.flatMap((f) => f.cves))];
    if (cves.length === 0) return { outcome: 'report-only', tagged: [] };
    const tags = await db.selectFrom('cve_tag').select(['cve_id', 'tag', 'arch']).where('cve_id', 'in', cves).execute();
    const tagged = result.findings.flatMap((f) =>
      tags
        .filter((t) => f.cves.includes(t.cve_id) && (t.arch === '' || t.arch === report.arch))
        .map((t) => ({ name: f.package, version: f.installedVersion, arch: f.arch, cve: t.cve_id, tag: t.tag })),
    );
    return { outcome: 'report-only', tagged };
  }

  const known = sectionCache(SECTION_CACHE_SIZE);

  /** Stores a report for a site: one transaction; the set is written only when new. */
  async function store(report: HostReport, siteId: string, mode: ReportMode, client: string, set: ReportedSet | undefined): Promise<IngestResult> {
    const hostname = report.host.toLowerCase().slice(0, MAX_HOSTNAME);
    const packager = report.packager ?? 'unknown';
    const hHash = headerHash(report, client);
    const now = clock.now().toISOString();
    const current = await cache.get();
    // A new set is compressed before the transaction: on SQLite the writer (shared by a batch of
    // reports) must not wait for it.
    const encoded = set?.packages && !(await setExists(db, set.setId)) ? await encodePackageSet(set.packages) : undefined;
    const os = osOf(report, packager, set);
    const kernel = report.kernel ?? '';
    // So is judging a list never seen (the evaluator keeps the result for the transaction).
    if (os.known && set?.packages) await prepareEvaluation(db, current, { osKey: os.key, setId: set.setId, kernel }, set.packages);

    // Only `trx` inside: on SQLite the work shares a transaction with other reports (group commit).
    return writes.run(async (trx): Promise<IngestResult> => {
      const existing = await trx.selectFrom('host').selectAll().where('site_id', '=', siteId).where('hostname', '=', hostname).executeTakeFirst();
      // The common case: nothing changed since the last report.
      if (existing && set && existing.set_id === set.setId && existing.header_hash === hHash) {
        await trx
          .updateTable('host')
          .set((eb) => ({ last_report_at: now, report_count: eb('report_count', '+', 1), report_flags: '' }))
          .where('host_id', '=', existing.host_id)
          .execute();
        return {
          outcome: 'unchanged',
          hostId: existing.host_id,
          tagged: mode === 'store-only' ? [] : await taggedFor(trx, existing.eval_key, existing.arch, existing.site_id, existing.host_id, existing.os_key),
        };
      }

      const flags: string[] = [];
      let setId = existing?.set_id ?? null;
      // The set's packages, once known (decoded at most once when only the set id came in).
      let packages = set?.packages;
      if (set) {
        if (set.packages) {
          if (await ensureSet(trx, set.setId, packager, set.packages, now, encoded)) await recordLifecycleHits(trx, set.setId, packager, set.packages);
        } else if (!(await trx.selectFrom('package_set').select('set_id').where('set_id', '=', set.setId).executeTakeFirst())) {
          throw new UnknownSetError();
        }
        if (existing?.set_id && existing.set_id !== set.setId) {
          packages ??= await setMembers(trx, set.setId);
          await recordPackageChanges(trx, existing.host_id, existing.set_id, packages, now, packager);
        }
        setId = set.setId;
      } else {
        // The client's package tool failed: keep what we knew, and say so.
        flags.push('packages-missing');
      }
      if (!os.known) flags.push('unknown-os');
      const evalKey = os.known && setId ? (await ensureEvaluation(trx, current, { osKey: os.key, setId, kernel }, now, packages)).evalKey : null;

      const row: HostTable = {
        host_id: existing?.host_id ?? newId(),
        site_id: siteId,
        hostname,
        set_id: setId,
        eval_key: evalKey,
        os_system: report.system ?? '',
        os_key: os.known ? os.key : null,
        arch: report.arch ?? '',
        kernel,
        packager,
        tag: report.tag ?? null,
        client,
        header_hash: hHash,
        report_flags: flags.join(','),
        report_count: (existing?.report_count ?? 0) + 1,
        first_report_at: existing?.first_report_at ?? now,
        last_report_at: now,
      };
      if (existing) await trx.updateTable('host').set(row).where('host_id', '=', row.host_id).execute();
      else await trx.insertInto('host').values(row).execute();
      if (existing?.eval_key !== evalKey) await syncHostFindings(trx, row.host_id, evalKey, now, !existing);
      return {
        outcome: 'stored',
        hostId: row.host_id,
        tagged: mode === 'store-only' ? [] : await taggedFor(trx, evalKey, row.arch, row.site_id, row.host_id, row.os_key),
      };
    });
  }

  async function siteFor(report: HostReport, credential: ReporterCredential, assignedSiteId: string | undefined) {
    return assignedSiteId ? { kind: 'site' as const, siteId: assignedSiteId } : reporters.resolve(report.site, credential, report.host);
  }

  const parsedSet = (report: HostReport): ReportedSet | undefined =>
    report.packagesMissing ? undefined : normalizeSet(report.packager ?? 'unknown', report.packages);

  async function acceptParsed(
    report: HostReport,
    credential: ReporterCredential,
    mode: ReportMode,
    client: string,
    assignedSiteId: string | undefined,
    set = parsedSet(report),
  ): Promise<IngestResult> {
    if (mode === 'report-only') return reportOnly(report, credential);
    const verdict = await siteFor(report, credential, assignedSiteId);
    if (verdict.kind === 'quarantine') return quarantine(report, verdict, credential);
    return store(report, verdict.siteId, mode, client, set);
  }

  return {
    /** Stores a report. `assignedSiteId` skips the credential check: a reviewer (CSIRT or NGI
     *  security officer) releasing a quarantined report to the site it belongs to. `setId`:
     *  normalizeSet's id when the parser already normalized `report.packages` (off the event
     *  loop, src/server/parse-tasks.ts), so it is not sorted and hashed again here. */
    accept: (
      report: HostReport,
      credential: ReporterCredential,
      mode: ReportMode,
      client: string,
      assignedSiteId?: string,
      setId?: string,
    ): Promise<IngestResult> =>
      acceptParsed(report, credential, mode, client, assignedSiteId, setId && !report.packagesMissing ? { setId, packages: [...report.packages] } : undefined),

    /** A raw protocol-5 body: parsed in full only when its package section is not one already
     *  stored by this process. */
    async acceptProtocol5(
      body: Buffer | string,
      limits: Partial<ReportLimits>,
      credential: ReporterCredential,
      mode: ReportMode,
      clientOf: (report: HostReport) => string,
    ): Promise<{ report: HostReport; result: IngestResult }> {
      const head = parseProtocol5Head(body, limits);
      const sectionKey =
        head.packageSection === ''
          ? undefined
          : createHash('sha256')
              .update(`${head.report.packager ?? ''}\n`)
              .update(head.packageSection)
              .digest('hex');
      const section = sectionKey && mode !== 'report-only' ? known.get(sectionKey) : undefined;
      if (section) {
        const verdict = await siteFor(head.report, credential, undefined);
        if (verdict.kind !== 'quarantine') {
          try {
            const reported = { setId: section.setId, packages: undefined, releasePackages: section.releasePackages };
            return { report: head.report, result: await store(head.report, verdict.siteId, mode, clientOf(head.report), reported) };
          } catch (err) {
            if (!(err instanceof UnknownSetError)) throw err;
            known.delete(sectionKey!);
          }
        }
      }
      const report = head.readPackages();
      const set = parsedSet(report);
      const result = await acceptParsed(report, credential, mode, clientOf(report), undefined, set);
      if (sectionKey && set?.packages && (result.outcome === 'stored' || result.outcome === 'unchanged'))
        known.set(sectionKey, { setId: set.setId, releasePackages: releasePackagesOf(set.packages) });
      return { report, result };
    },
  };
}
export type IntakeService = ReturnType<typeof createIntakeService>;

/** Package versions that left or arrived since the host's previous set. The first report is
 *  the baseline (present since first_report_at), so only changes are written. */
async function recordPackageChanges(ex: Executor, hostId: string, oldSetId: string, now: readonly InstalledPackage[], at: string, packager: string) {
  const before = await setMembers(ex, oldSetId);
  // Versions are stored as reported: `1.2-3` and `0:1.2-3` (an older set, another client) are no change.
  const key = (p: { name: string; version: string; arch: string }) =>
    `${p.name}\t${packager === 'rpm' && p.version.startsWith('0:') ? p.version.slice(2) : p.version}\t${p.arch}`;
  const was = new Set(before.map(key));
  const is = new Set(now.map(key));
  const appeared = now.filter((p) => !was.has(key(p))).map((p) => ({ host_id: hostId, ...p, appeared_at: at, disappeared_at: null }));
  for (let i = 0; i < appeared.length; i += 500)
    await ex
      .insertInto('host_package_event')
      .values(appeared.slice(i, i + 500))
      .onConflict((oc) => oc.doNothing())
      .execute();
  // Set-based, a few hundred packages per statement: a host that swaps 50,000 packages must not
  // cost 50,000 statements inside the shared transaction.
  const gone = before.filter((b) => !is.has(key(b)));
  if (gone.length === 0) return;
  const openRows = await ex
    .selectFrom('host_package_event')
    .select(['name', 'version', 'arch'])
    .where('host_id', '=', hostId)
    .where('disappeared_at', 'is', null)
    .execute();
  const open = new Map(openRows.map((r) => [key(r), r]));
  // Closed as the open row spells it.
  const closing = gone.flatMap((p) => open.get(key(p)) ?? []);
  for (let i = 0; i < closing.length; i += 300) {
    const chunk = closing.slice(i, i + 300);
    await ex
      .updateTable('host_package_event')
      .set({ disappeared_at: at })
      .where('host_id', '=', hostId)
      .where('disappeared_at', 'is', null)
      .where((eb) =>
        eb(
          eb.refTuple('name', 'version', 'arch'),
          'in',
          chunk.map((p) => eb.tuple(p.name, p.version, p.arch)),
        ),
      )
      .execute();
  }
  // Present since the baseline: record its whole stay at once.
  const stays = gone.filter((p) => !open.has(key(p))).map((p) => ({ host_id: hostId, ...p, appeared_at: '', disappeared_at: at }));
  for (let i = 0; i < stays.length; i += 500)
    await ex
      .insertInto('host_package_event')
      .values(stays.slice(i, i + 500))
      .onConflict((oc) => oc.doNothing())
      .execute();
}
