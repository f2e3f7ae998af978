// What the CSIRT and the sites read: hosts, a host's packages and findings, who is exposed to a
// CVE and who to call. Every query is limited to the reader's reach (site roles: their NGI).
import { sql, type ExpressionBuilder } from 'kysely';
import type { Db } from '../../db/database.js';
import type { Database } from '../../db/schema.js';
import type { Clock } from '../../core/clock.js';
import { NotFoundError } from '../../core/errors.js';
import { abilities, reach as reachOf, requireAccess, type Actor, type Reach } from '../../core/access.js';
import { siteAndNgiNames, siteIdsWhere, siteIdByName, siteNames, siteSecurityContacts, sitesInReach } from '../registry/index.js';
import { hostKind, patchSiteKind } from './access.js';
import { sortColumn, type PageQuery } from '../../core/paging.js';
import { containsCi } from '../../db/filters.js';
import { coveringExceptions, notExcepted, sitesExceptingCve } from './exceptions.js';
import { tagApplies } from './tags.js';
import { setMembers } from './package-sets.js';
import { csvCell } from '../../lib/csv/cell.js';
import { explainNote } from '../../lib/vuln-model/index.js';

/** Map.groupBy, which Node 20 lacks. */
function groupBy<T, K>(items: readonly T[], key: (item: T) => K): Map<K, T[]> {
  const groups = new Map<K, T[]>();
  for (const item of items) {
    const k = key(item);
    const group = groups.get(k);
    if (group) group.push(item);
    else groups.set(k, [item]);
  }
  return groups;
}

/** Days without a report after which a host counts as silent. */
const SILENT_DAYS = 7;
/** Whether a site's hosts report: none ever did, all went silent, or some still do. */
type SiteReporting = 'none' | 'silent' | 'yes';

export interface HostFilter {
  reportedBefore?: string | undefined;
  siteName?: string | undefined;
  siteId?: string | undefined;
  ngiId?: string | undefined;
  cve?: string | undefined;
  tag?: string | undefined;
  activeSince?: string | undefined;
}

/** Who may be exposed to a CVE: the evaluations with a finding for it, and the sites holding an
 *  active exception for it. */
interface Exposure {
  cve: string;
  now: string;
  evalKeys: string[];
  exceptedSiteIds: string[];
}

// The evaluation keys are sent as parameters: PostgreSQL then plans with their frequencies and
// filters a scan through a hash of them (with a sub-select instead, it joins, and on a loaded
// machine in parallel, several times slower). Beyond this many, a sub-select keeps the statement
// under the parameter limits and planning short.
const MAX_LISTED_KEYS = 1000;

export function createPatchingViews({ db, clock }: { db: Db; clock: Clock }) {
  // Hosts exposed to a CVE are those on an evaluation with a finding for it, unless their site's
  // active exceptions cover every such finding. Few sites hold an exception for a given CVE, so
  // the exposed hosts are counted in two parts: those of the other sites from the
  // (eval_key, site_id) index alone, and those of the sites holding one finding by finding.
  // (As one `or`, PostgreSQL prices the finding check for every host, and past jit_above_cost
  // spends ~80 ms compiling the query.)

  async function exposureTo(cve: string): Promise<Exposure> {
    const now = clock.now().toISOString();
    const [keys, exceptedSiteIds] = await Promise.all([
      db.selectFrom('finding').select('eval_key').distinct().where('cve_id', '=', cve).execute(),
      sitesExceptingCve(db, cve, now),
    ]);
    return { cve, now, evalKeys: keys.map((k) => k.eval_key), exceptedSiteIds };
  }
  /** On an evaluation with a finding for the CVE. `walk` hides the column from index selection
   *  (`|| ''`), see hostQuery. */
  const onEvaluationWith =
    (e: Exposure, walk = false) =>
    (eb: ExpressionBuilder<Database, 'host'>) => {
      const evalKey = walk ? sql<string>`${eb.ref('host.eval_key')} || ''` : eb.ref('host.eval_key');
      return e.evalKeys.length > MAX_LISTED_KEYS
        ? eb(evalKey, 'in', db.selectFrom('finding').select('finding.eval_key').where('finding.cve_id', '=', e.cve))
        : eb(evalKey, 'in', e.evalKeys);
    };
  /** Some finding of the host for the CVE is covered by no active exception. */
  const notAllExcepted = (e: Exposure) => (eb: ExpressionBuilder<Database, 'host'>) =>
    eb.exists(
      eb
        .selectFrom('finding')
        .select(sql<number>`1`.as('one'))
        .whereRef('finding.eval_key', '=', 'host.eval_key')
        .where('finding.cve_id', '=', e.cve)
        .where((w) => notExcepted(w, e.now)),
    );

  /** Hosts matching the filters (all but the CVE), on the host table alone (site and NGI conditions as
   *  sub-selects), so counting 50,000 matches needs no join. `walk` hides the site column from
   *  index selection (`|| ''`), as onEvaluationWith does the evaluation: the planner then walks the
   *  host-name index in order and stops at the page instead of sorting every match. */
  function hostQuery(reach: Reach, f: HostFilter, q: string | undefined, walk = false) {
    const now = clock.now().toISOString();
    const siteId = (eb: ExpressionBuilder<Database, 'host'>) => (walk ? sql<string>`${eb.ref('host.site_id')} || ''` : eb.ref('host.site_id'));
    return db
      .selectFrom('host')
      .$if(!reach.all, (qb) => qb.where((eb) => eb(siteId(eb), 'in', sitesInReach(db, reach))))
      .$if(!!f.siteId, (qb) => qb.where('host.site_id', '=', f.siteId!))
      .$if(!!f.siteName, (qb) => qb.where((eb) => eb(siteId(eb), 'in', siteIdsWhere(db, { name: f.siteName! }))))
      .$if(!!f.ngiId, (qb) => qb.where((eb) => eb(siteId(eb), 'in', siteIdsWhere(db, { ngiIds: [f.ngiId!] }))))
      .$if(!!f.activeSince, (qb) => qb.where('host.last_report_at', '>=', f.activeSince!))
      .$if(!!f.tag, (qb) =>
        qb.where((eb) =>
          eb.exists(
            eb
              .selectFrom('finding')
              .innerJoin('cve_tag', 'cve_tag.cve_id', 'finding.cve_id')
              .select('finding.eval_key')
              .whereRef('finding.eval_key', '=', 'host.eval_key')
              .where('cve_tag.tag', '=', f.tag!)
              .where((w) => tagApplies(w, w.ref('host.arch')))
              .where((w) => notExcepted(w as never, now)),
          ),
        ),
      )
      .$if(!!f.reportedBefore, (qb) => qb.where('host.last_report_at', '<', f.reportedBefore!))
      .$if(!!q, (qb) => qb.where((eb) => eb.or([containsCi(eb.ref('host.hostname'), q!), containsCi(eb.ref('host.os_system'), q!)])));
  }

  type HostQuery = ReturnType<typeof hostQuery>;
  /** The exposed hosts among `hosts`, measured in the two parts above (at once). */
  async function measureExposed<R>(hosts: HostQuery, e: Exposure, measure: (qb: HostQuery) => Promise<R[]>): Promise<R[]> {
    if (e.evalKeys.length === 0) return [];
    const onEvaluation = hosts.where(onEvaluationWith(e));
    const parts = await Promise.all([
      measure(e.exceptedSiteIds.length ? onEvaluation.where('host.site_id', 'not in', e.exceptedSiteIds) : onEvaluation),
      e.exceptedSiteIds.length ? measure(onEvaluation.where('host.site_id', 'in', e.exceptedSiteIds).where(notAllExcepted(e))) : [],
    ]);
    return parts.flat();
  }
  /** The exposed hosts, for a page (a few rows: one condition will do). */
  const exposedOnPage = (hosts: HostQuery, e: Exposure, walk: boolean) =>
    hosts
      .where(onEvaluationWith(e, walk))
      .$if(e.exceptedSiteIds.length > 0, (qb) => qb.where((eb) => eb.or([eb('host.site_id', 'not in', e.exceptedSiteIds), notAllExcepted(e)(eb)])));

  // Tagged CVEs on the host, counting an architecture-specific tag only on that architecture, and
  // no finding an exception in effect covers (the one rule, exceptions.ts).
  const taggedCount = (eb: ExpressionBuilder<Database, 'host'>, now: string) =>
    eb
      .selectFrom('finding')
      .innerJoin('cve_tag', 'cve_tag.cve_id', 'finding.cve_id')
      .select((e) => e.fn.count<number>('finding.cve_id').distinct().as('n'))
      .whereRef('finding.eval_key', '=', 'host.eval_key')
      .where((w) => tagApplies(w, w.ref('host.arch')))
      .where((w) => notExcepted(w as never, now));

  const views = {
    /** The site of that name, if the actor reads its patch data. */
    async requireSiteByName(actor: Actor, siteName: string): Promise<string> {
      const siteId = await siteIdByName(db, siteName);
      if (!siteId) throw new NotFoundError('site', siteName);
      // Out of reach reads exactly as unknown: the message names what was asked, never the id.
      await requireAccess(actor, 'patching:read', { kind: patchSiteKind(db), id: siteId }).catch((err: unknown) => {
        throw err instanceof NotFoundError ? new NotFoundError('site', siteName) : err;
      });
      return siteId;
    },

    async listHosts(actor: Actor, page: PageQuery, f: HostFilter) {
      const reach = reachOf(actor, 'patching:read');
      // Naming a site whose patch data the reader may not see is asking about it: not found.
      if (f.siteId && !reach.all) await requireAccess(actor, 'patching:read', { kind: patchSiteKind(db), id: f.siteId });
      const sort = sortColumn(
        {
          hostname: 'host.hostname',
          siteName: 's.site_name',
          lastReportAt: 'host.last_report_at',
          os: 'host.os_system',
          findings: 'evaluation.finding_count',
        } as const,
        page.sort,
      );
      const hosts = (walk = false) => hostQuery(reach, f, page.q, walk);
      const countOf = (qb: HostQuery) => qb.select((eb) => eb.fn.countAll<number>().as('n')).execute();
      const exposure = f.cve ? await exposureTo(f.cve) : undefined;
      const counts = exposure ? await measureExposed(hosts(), exposure, countOf) : await countOf(hosts());
      const total = counts.reduce((sum, r) => sum + Number(r.n), 0);
      // The page's hosts first, on the host table (joined only to what the sort needs), then their
      // details: the tagged-CVE count and the joins are worked out for one page, not every match.
      const walk = !!exposure && sort === 'host.hostname' && walkBeatsSort(total, page.offset + page.limit);
      const ids = (exposure ? exposedOnPage(hosts(walk), exposure, walk) : hosts())
        .$if(sort === 's.site_name', (qb) => qb.innerJoin(siteNames(db).as('s'), 's.site_id', 'host.site_id'))
        .$if(sort === 'evaluation.finding_count', (qb) => qb.leftJoin('evaluation', 'evaluation.eval_key', 'host.eval_key'))
        .select('host.host_id')
        .orderBy(sql.ref(sort), page.order)
        .orderBy('host.host_id')
        .limit(page.limit)
        .offset(page.offset);
      const rows =
        total <= page.offset
          ? []
          : await db
              .selectFrom('host')
              .where('host.host_id', 'in', ids)
              .innerJoin(siteAndNgiNames(db).as('s'), 's.site_id', 'host.site_id')
              .leftJoin('evaluation', 'evaluation.eval_key', 'host.eval_key')
              .select([
                'host.host_id',
                'host.hostname',
                'host.site_id',
                's.site_name',
                's.ngi_name',
                'host.os_system',
                'host.os_key',
                'host.arch',
                'host.kernel',
                'host.last_report_at',
                'host.report_flags',
                'evaluation.finding_count',
                (eb) => taggedCount(eb, clock.now().toISOString()).as('tagged_count'),
              ])
              .orderBy(sort, page.order)
              .orderBy('host.host_id')
              .execute();
      return {
        items: rows.map((r) => ({
          hostId: r.host_id,
          hostname: r.hostname,
          siteId: r.site_id,
          siteName: r.site_name,
          ngiName: r.ngi_name,
          os: r.os_system,
          osKey: r.os_key,
          arch: r.arch,
          kernel: r.kernel,
          lastReportAt: r.last_report_at,
          flags: r.report_flags ? r.report_flags.split(',') : [],
          findingCount: Number(r.finding_count ?? 0),
          taggedCveCount: Number(r.tagged_count ?? 0),
        })),
        total,
        limit: page.limit,
        offset: page.offset,
      };
    },

    async hostsCsv(actor: Actor, f: HostFilter & { q?: string | undefined }): Promise<string> {
      const rows: string[] = ['host,site,ngi,os,arch,kernel,last_report,findings,tagged_cves,flags'];
      for (let offset = 0; offset < 100_000; offset += 200) {
        const page = await views.listHosts(actor, { limit: 200, offset, order: 'asc', sort: 'hostname', q: f.q }, f);
        for (const h of page.items)
          rows.push(
            [h.hostname, h.siteName, h.ngiName, h.os, h.arch, h.kernel, h.lastReportAt, String(h.findingCount), String(h.taggedCveCount), h.flags.join(' ')]
              .map(csvCell)
              .join(','),
          );
        if (page.items.length < 200) break;
      }
      return rows.join('\n') + '\n';
    },

    async getHost(actor: Actor, hostId: string) {
      await requireAccess(actor, 'patching:read', { kind: hostKind(db), id: hostId });
      const host = await db
        .selectFrom('host')
        .innerJoin(siteNames(db).as('s'), 's.site_id', 'host.site_id')
        .selectAll('host')
        .select(['s.site_name', 's.ngi_id'])
        .where('host.host_id', '=', hostId)
        .executeTakeFirst();
      if (!host) throw new NotFoundError('host', hostId);
      const now = clock.now().toISOString();
      const onHost = { siteId: host.site_id, hostId: host.host_id, osKey: host.os_key };
      const [packages, findings, history, events, evaluation] = await Promise.all([
        host.set_id ? setMembers(db, host.set_id) : [],
        host.eval_key
          ? db
              .selectFrom('finding')
              .select([
                'finding.cve_id',
                'finding.package_name',
                'finding.installed_version',
                'finding.arch',
                'finding.fixed_version',
                'finding.is_fix_available',
                'finding.severity',
                'finding.definition_id',
                'finding.advisory_id',
                'finding.notes_json',
                // The exception covering the finding, by the one rule (exceptions.ts), if any.
                (eb) =>
                  coveringExceptions(eb as never, now, onHost)
                    .select('e.justification')
                    .orderBy('e.expires_at', 'desc')
                    .limit(1)
                    .as('exception_justification'),
                (eb) =>
                  coveringExceptions(eb as never, now, onHost)
                    .select('e.expires_at')
                    .orderBy('e.expires_at', 'desc')
                    .limit(1)
                    .as('exception_expires_at'),
                // One waiting for the CSIRT's review: shown, but it excepts nothing yet.
                (eb) =>
                  coveringExceptions(eb as never, now, onHost, 'pending')
                    .select('e.justification')
                    .orderBy('e.expires_at', 'desc')
                    .limit(1)
                    .as('pending_justification'),
              ])
              .where('finding.eval_key', '=', host.eval_key)
              .orderBy('finding.cve_id')
              .execute()
          : [],
        db.selectFrom('host_finding').selectAll().where('host_id', '=', hostId).orderBy('first_seen_at', 'desc').limit(1000).execute(),
        db.selectFrom('host_package_event').selectAll().where('host_id', '=', hostId).orderBy('appeared_at', 'desc').limit(1000).execute(),
        host.eval_key
          ? db.selectFrom('evaluation').select(['feed_release', 'notes_json', 'evaluated_at']).where('eval_key', '=', host.eval_key).executeTakeFirst()
          : undefined,
      ]);
      // One tag per finding: the host's architecture's own tag wins over an all-architecture one.
      const tagRows = host.eval_key
        ? await db
            .selectFrom('cve_tag')
            .select(['cve_id', 'tag', 'arch'])
            .where('cve_id', 'in', (eb) => eb.selectFrom('finding').select('finding.cve_id').where('finding.eval_key', '=', host.eval_key!))
            .where((eb) => tagApplies(eb, host.arch))
            .execute()
        : [];
      const tagOf = (cve: string) => (tagRows.find((t) => t.cve_id === cve && t.arch !== '') ?? tagRows.find((t) => t.cve_id === cve))?.tag ?? null;
      const since = new Map(history.filter((h) => !h.fixed_at).map((h) => [`${h.cve_id}\t${h.package_name}`, h.first_seen_at]));
      const evaluationNotes = evaluation ? (JSON.parse(evaluation.notes_json) as string[]) : [];
      const findingNotes = findings.map((f) => JSON.parse(f.notes_json) as string[]);
      return {
        hostId: host.host_id,
        hostname: host.hostname,
        siteId: host.site_id,
        siteName: host.site_name,
        os: host.os_system,
        osKey: host.os_key,
        arch: host.arch,
        kernel: host.kernel,
        packager: host.packager,
        tag: host.tag,
        client: host.client,
        flags: host.report_flags ? host.report_flags.split(',') : [],
        firstReportAt: host.first_report_at,
        lastReportAt: host.last_report_at,
        reportCount: host.report_count,
        abilities: abilities(actor, { type: 'site', siteId: host.site_id, ngiId: host.ngi_id }, ['exception:manage', 'exception:review']),
        feedRelease: evaluation?.feed_release ?? null,
        evaluationNotes,
        /** Each note above as a sentence (the notes stay as keys for scripts). */
        noteSentences: Object.fromEntries([...new Set([...evaluationNotes, ...findingNotes.flat()])].map((n) => [n, explainNote(n)])),
        packages,
        findings: findings.map((f, i) => ({
          cve: f.cve_id,
          package: f.package_name,
          installedVersion: f.installed_version,
          arch: f.arch,
          fixedVersion: f.fixed_version,
          fixAvailable: f.is_fix_available === 1,
          severity: f.severity,
          definitionId: f.definition_id,
          advisoryId: f.advisory_id,
          tag: tagOf(f.cve_id),
          notes: findingNotes[i]!,
          since: since.get(`${f.cve_id}\t${f.package_name}`) ?? null,
          exception: f.exception_justification ? { justification: f.exception_justification, expiresAt: f.exception_expires_at! } : null,
          pendingException: !f.exception_justification && f.pending_justification ? { justification: f.pending_justification } : null,
        })),
        findingHistory: history.map((h) => ({ cve: h.cve_id, package: h.package_name, firstSeenAt: h.first_seen_at, fixedAt: h.fixed_at })),
        packageEvents: events.map((e) => ({
          name: e.name,
          version: e.version,
          arch: e.arch,
          appearedAt: e.appeared_at || null,
          disappearedAt: e.disappeared_at,
        })),
      };
    },

    /** Counts for the drill-down: per NGI (or per site of one NGI): hosts, vulnerable, silent, and hosts per risk tag. */
    /**
     * The drill-down: every NGI in reach, or every site of one NGI, with its hosts. Sites count
     * whether they report or not: "which of my sites do not run the client?" is the NGI
     * officer's first question, so sites with no host, then those whose hosts are all silent,
     * come first. A removed site appears only while it still has hosts, marked removed.
     */
    async summary(actor: Actor, f: { ngiId?: string | undefined }) {
      const reach = reachOf(actor, 'patching:read');
      const silentBefore = new Date(clock.now().getTime() - SILENT_DAYS * 86_400_000).toISOString();
      const byNgi = !f.ngiId;
      const perSite = db
        .selectFrom('host')
        .leftJoin('evaluation', 'evaluation.eval_key', 'host.eval_key')
        .select([
          'host.site_id',
          (eb) => eb.fn.countAll<number>().as('hosts'),
          sql<number>`sum(case when evaluation.finding_count > 0 then 1 else 0 end)`.as('vulnerable'),
          sql<number>`sum(case when host.last_report_at < ${silentBefore} then 1 else 0 end)`.as('silent'),
        ])
        .groupBy('host.site_id');
      const sites = (
        await db
          .selectFrom(siteAndNgiNames(db).as('s'))
          .leftJoin(perSite.as('h'), 'h.site_id', 's.site_id')
          .$if(!reach.all, (qb) => qb.where('s.site_id', 'in', sitesInReach(db, reach)))
          .$if(!!f.ngiId, (qb) => qb.where('s.ngi_id', '=', f.ngiId!))
          .select(['s.site_id', 's.site_name', 's.site_removed_at', 's.ngi_id', 's.ngi_name', 'h.hosts', 'h.vulnerable', 'h.silent'])
          .execute()
      )
        .map((r) => ({ ...r, hosts: Number(r.hosts ?? 0), vulnerable: Number(r.vulnerable ?? 0), silent: Number(r.silent ?? 0) }))
        .filter((r) => !r.site_removed_at || r.hosts > 0);
      const reporting = (r: { hosts: number; silent: number }): SiteReporting => (r.hosts === 0 ? 'none' : r.silent === r.hosts ? 'silent' : 'yes');
      const groups = byNgi
        ? [...groupBy(sites, (r) => r.ngi_id).values()].map((rows) => {
            const live = rows.filter((r) => !r.site_removed_at);
            return {
              group_id: rows[0]!.ngi_id,
              group_name: rows[0]!.ngi_name,
              hosts: rows.reduce((n, r) => n + r.hosts, 0),
              vulnerable: rows.reduce((n, r) => n + r.vulnerable, 0),
              silent: rows.reduce((n, r) => n + r.silent, 0),
              sites: live.length,
              sitesNotReporting: live.filter((r) => reporting(r) !== 'yes').length,
              reporting: undefined,
              removed: false,
            };
          })
        : sites.map((r) => ({
            group_id: r.site_id,
            group_name: r.site_name,
            hosts: r.hosts,
            vulnerable: r.vulnerable,
            silent: r.silent,
            sites: 1,
            sitesNotReporting: !r.site_removed_at && reporting(r) !== 'yes' ? 1 : 0,
            reporting: reporting(r),
            removed: !!r.site_removed_at,
          }));
      const rank = { none: 0, silent: 1, yes: 2 } as const;
      groups.sort((x, y) => (x.reporting && y.reporting ? rank[x.reporting] - rank[y.reporting] : 0) || x.group_name.localeCompare(y.group_name));
      const tagged = await db
        .selectFrom('host')
        .innerJoin(siteNames(db).as('s'), 's.site_id', 'host.site_id')
        .innerJoin('finding', 'finding.eval_key', 'host.eval_key')
        .innerJoin('cve_tag', 'cve_tag.cve_id', 'finding.cve_id')
        .$if(!reach.all, (qb) => qb.where('s.site_id', 'in', sitesInReach(db, reach)))
        .$if(!!f.ngiId, (qb) => qb.where('s.ngi_id', '=', f.ngiId!))
        .where((eb) => tagApplies(eb, eb.ref('host.arch')))
        .where((eb) => notExcepted(eb as never, clock.now().toISOString()))
        .select([byNgi ? 's.ngi_id as group_id' : 's.site_id as group_id', 'cve_tag.tag', (eb) => eb.fn.count<number>('host.host_id').distinct().as('hosts')])
        .groupBy([byNgi ? 's.ngi_id' : 's.site_id', 'cve_tag.tag'])
        .execute();
      // Lifecycle rules in force, through the sets that break them (lifecycle_set_hit).
      const nowIso = clock.now().toISOString();
      const flagged = await db
        .selectFrom('host')
        .innerJoin(siteNames(db).as('s'), 's.site_id', 'host.site_id')
        .innerJoin('lifecycle_set_hit as hit', 'hit.set_id', 'host.set_id')
        .innerJoin('lifecycle_rule as rule', 'rule.rule_id', 'hit.rule_id')
        .where('rule.is_enabled', '=', 1)
        .where('rule.effective_from', '<=', nowIso)
        .$if(!reach.all, (qb) => qb.where('s.site_id', 'in', sitesInReach(db, reach)))
        .$if(!!f.ngiId, (qb) => qb.where('s.ngi_id', '=', f.ngiId!))
        .select([byNgi ? 's.ngi_id as group_id' : 's.site_id as group_id', 'rule.name', (eb) => eb.fn.countAll<number>().as('hosts')])
        .groupBy([byNgi ? 's.ngi_id' : 's.site_id', 'rule.name'])
        .execute();
      return {
        groupedBy: byNgi ? 'ngi' : 'site',
        items: groups.map((g) => ({
          id: g.group_id,
          name: g.group_name,
          hosts: g.hosts,
          vulnerable: g.vulnerable,
          silent: g.silent,
          sites: g.sites,
          sitesNotReporting: g.sitesNotReporting,
          ...(g.reporting ? { reporting: g.reporting } : {}),
          ...(g.removed ? { removed: true } : {}),
          byTag: Object.fromEntries(tagged.filter((t) => t.group_id === g.group_id).map((t) => [t.tag, Number(t.hosts)])),
          byLifecycleRule: Object.fromEntries(flagged.filter((r) => r.group_id === g.group_id).map((r) => [r.name, Number(r.hosts)])),
        })),
      };
    },

    /** Per risk tag, how many of these hosts carry a CVE with it (for the probe). */
    async taggedHostCounts(actor: Actor, hostIds: string[]): Promise<Array<{ tag: string; hosts: number }>> {
      if (hostIds.length === 0) return [];
      const reach = reachOf(actor, 'patching:read');
      const rows = await db
        .selectFrom('host')
        .innerJoin(siteNames(db).as('s'), 's.site_id', 'host.site_id')
        .innerJoin('finding', 'finding.eval_key', 'host.eval_key')
        .innerJoin('cve_tag', 'cve_tag.cve_id', 'finding.cve_id')
        .$if(!reach.all, (qb) => qb.where('s.site_id', 'in', sitesInReach(db, reach)))
        .where('host.host_id', 'in', hostIds)
        .where((eb) => tagApplies(eb, eb.ref('host.arch')))
        .where((eb) => notExcepted(eb as never, clock.now().toISOString()))
        .select(['cve_tag.tag', (eb) => eb.fn.count<number>('host.host_id').distinct().as('hosts')])
        .groupBy('cve_tag.tag')
        .execute();
      return rows.map((r) => ({ tag: r.tag, hosts: Number(r.hosts) }));
    },

    /** The CSIRT's question: which sites and hosts are exposed, and whom to tell. */
    async cve(actor: Actor, cveId: string) {
      const reach = reachOf(actor, 'patching:read');
      // A host has one evaluation: hosts per site need no count(distinct) and no join to findings.
      // Counted per (evaluation, site) first, in the order of the (eval_key, site_id) index, then
      // summed per site: SQLite sorts a few thousand groups instead of every exposed host.
      const perSite = (qb: HostQuery) =>
        db
          .selectFrom(
            qb
              .select(['host.site_id', (eb) => eb.fn.countAll<number>().as('hosts')])
              .groupBy(['host.eval_key', 'host.site_id'])
              .as('per_evaluation'),
          )
          .select(['per_evaluation.site_id', (eb) => eb.fn.sum<number>('per_evaluation.hosts').as('hosts')])
          .groupBy('per_evaluation.site_id')
          .execute();
      const [tags, tagHistory, packages, exposure] = await Promise.all([
        db.selectFrom('cve_tag').selectAll().where('cve_id', '=', cveId).execute(),
        db.selectFrom('cve_tag_change').selectAll().where('cve_id', '=', cveId).orderBy('changed_at', 'desc').orderBy('change_id', 'desc').limit(200).execute(),
        db
          .selectFrom('finding')
          .select(['package_name', 'fixed_version', 'severity', 'advisory_id'])
          .distinct()
          .where('cve_id', '=', cveId)
          // Only packages of hosts the reader sees: which packages are vulnerable elsewhere is
          // other sites' patch data.
          .$if(!reach.all, (qb) =>
            qb.where('finding.eval_key', 'in', (eb) => eb.selectFrom('host').select('host.eval_key').where('host.site_id', 'in', sitesInReach(db, reach))),
          )
          .orderBy('package_name')
          .limit(200)
          .execute(),
        exposureTo(cveId),
      ]);
      const counts = await measureExposed(hostQuery(reach, {}, undefined), exposure, perSite);
      const hostsBySite = new Map(counts.map((c) => [c.site_id, Number(c.hosts)]));
      const siteIds = [...hostsBySite.keys()];
      const [siteRows, contacts] =
        siteIds.length === 0
          ? [[], new Map<string, string[]>()]
          : await Promise.all([
              db
                .selectFrom(siteAndNgiNames(db).as('s'))
                .$if(!reach.all, (qb) => qb.where('s.site_id', 'in', sitesInReach(db, reach)))
                .where('s.site_id', 'in', siteIds)
                .select(['s.site_id', 's.site_name', 's.ngi_name'])
                .orderBy('s.site_name')
                .execute(),
              siteSecurityContacts(db, siteIds),
            ]);
      const items = siteRows.map((x) => ({
        siteId: x.site_id,
        siteName: x.site_name,
        ngiName: x.ngi_name,
        hosts: hostsBySite.get(x.site_id)!,
        securityContacts: contacts.get(x.site_id) ?? [],
      }));
      return {
        cve: cveId,
        tags: tags.map((t) => ({ tag: t.tag, arch: t.arch || null, reason: t.reason, taggedAt: t.tagged_at, taggedBy: t.tagged_by })),
        tagHistory: tagHistory.map((c) => ({
          action: c.action,
          arch: c.arch || null,
          tagBefore: c.tag_before,
          tagAfter: c.tag_after,
          reasonBefore: c.reason_before,
          reasonAfter: c.reason_after,
          changedBy: c.changed_by,
          changedAt: c.changed_at,
        })),
        packages: packages.map((p) => ({ package: p.package_name, fixedVersion: p.fixed_version, severity: p.severity, advisoryId: p.advisory_id })),
        sites: items,
        hostCount: items.reduce((a, b) => a + b.hosts, 0),
        allContacts: [...new Set(items.flatMap((i) => i.securityContacts))].sort(),
      };
    },

    /** Pakiti's `api/hosts.php` CSV (tag,cve,site,host,os,arch,last_report), read by the ARGO probe. */
    async pakitiHostsCsv(
      actor: Actor,
      f: { hostGroup?: string | undefined; cveName?: string | undefined; tag?: string | undefined; activity?: string | undefined },
    ): Promise<string> {
      const reach = reachOf(actor, 'patching:read');
      const since = activitySince(f.activity, clock.now());
      const rows = await db
        .selectFrom('finding')
        .innerJoin('cve_tag', 'cve_tag.cve_id', 'finding.cve_id')
        .innerJoin('host', 'host.eval_key', 'finding.eval_key')
        .innerJoin(siteNames(db).as('s'), 's.site_id', 'host.site_id')
        .$if(!reach.all, (qb) => qb.where('s.site_id', 'in', sitesInReach(db, reach)))
        .$if(!!f.hostGroup, (qb) => qb.where('s.site_name', '=', f.hostGroup!))
        .$if(!!f.cveName, (qb) => qb.where('finding.cve_id', '=', f.cveName!))
        .$if(!!f.tag, (qb) => qb.where('cve_tag.tag', '=', f.tag!))
        .$if(!!since, (qb) => qb.where('host.last_report_at', since!.newer ? '>=' : '<', since!.at))
        .where((eb) => tagApplies(eb, eb.ref('host.arch')))
        .where((eb) => notExcepted(eb as never, clock.now().toISOString()))
        .select(['cve_tag.tag', 'finding.cve_id', 's.site_name', 'host.hostname', 'host.os_system', 'host.arch', 'host.last_report_at'])
        .distinct()
        .orderBy('s.site_name')
        .orderBy('host.hostname')
        .orderBy('finding.cve_id')
        .execute();
      return (
        [
          'tag,cve,site,host,os,arch,last_report',
          ...rows.map((r) => [r.tag, r.cve_id, r.site_name, r.hostname, r.os_system, r.arch, r.last_report_at].map(csvCell).join(',')),
        ].join('\n') + '\n'
      );
    },
  };
  return views;
}
export type PatchingViews = ReturnType<typeof createPatchingViews>;

/**
 * Whether walking host names in order beats sorting the matches. The walk reads about
 * (offset + limit) × hosts / matches rows, the sort reads every match; with the share of
 * matching hosts unknown, walk only when the page lies in the first eighth of a long list, so a
 * walk never reads more than an eighth of the hosts.
 */
const walkBeatsSort = (matches: number, end: number) => matches >= 1000 && end * 8 <= matches;

/** Pakiti's activity syntax `[+|-]<n>[s|m|h|d|w|y]` (default unit day; `-` = older than). */
function activitySince(activity: string | undefined, now: Date): { at: string; newer: boolean } | undefined {
  if (!activity) return undefined;
  const m = /^([+-]?)(\d{1,6})([smhdwy]?)$/.exec(activity.trim());
  if (!m) return undefined;
  const unit = { s: 1, m: 60, h: 3600, d: 86400, w: 604800, y: 31536000 }[(m[3] || 'd') as 's'];
  return { at: new Date(now.getTime() - Number(m[2]) * unit * 1000).toISOString(), newer: m[1] !== '-' };
}
