// How fast the federation patches a tagged CVE: vulnerable hosts over time, per site, the median
// time to fix after tagging, and the sites still exposed after the deadline. SEC03 gives 7
// calendar days for a critical vulnerability; SVG's target for High is 6 weeks.
import { idsOrNone } from '../../db/filters.js';
import type { Db } from '../../db/database.js';
import type { Clock } from '../../core/clock.js';
import { NotFoundError } from '../../core/errors.js';
import { reach as reachOf, type Actor } from '../../core/access.js';
import { siteAndNgiNames, sitesInReach } from '../registry/index.js';
import { notExcepted } from './exceptions.js';

const DAY = 86_400_000;
/** Days allowed after tagging, by tag: critical-like tags follow SEC03, others SVG's High target. */
export const deadlineDays = (tag: string) => (/critical/i.test(tag) ? 7 : 42);

const median = (xs: number[]) => {
  if (xs.length === 0) return null;
  const s = [...xs].sort((a, b) => a - b);
  const mid = Math.floor(s.length / 2);
  return s.length % 2 ? s[mid]! : (s[mid - 1]! + s[mid]!) / 2;
};

/** At most this many days are drawn: the most recent ones. */
export const MAX_SERIES_DAYS = 400;

interface Exposure {
  siteId: string;
  /** Still open, but every finding of it is covered by an exception in effect (exceptions.ts). */
  excepted?: boolean;
  from: number;
  to: number | null;
}

/** Hosts vulnerable at the end of each UTC day from `start` to `now` (today: at `now`), in one
 *  pass over the exposure intervals sorted by their ends. */
function dailySeries(exposures: Exposure[], start: number, now: number) {
  const first = Math.max(Math.floor(start / DAY) * DAY, Math.floor(now / DAY) * DAY - (MAX_SERIES_DAYS - 1) * DAY);
  const froms = exposures.map((h) => h.from).sort((a, b) => a - b);
  const tos = exposures.flatMap((h) => (h.to === null ? [] : [h.to])).sort((a, b) => a - b);
  const series: Array<{ date: string; vulnerableHosts: number }> = [];
  let opened = 0;
  let closed = 0;
  for (let d = first; d <= now; d += DAY) {
    const at = Math.min(d + DAY - 1, now);
    while (opened < froms.length && froms[opened]! <= at) opened++;
    while (closed < tos.length && tos[closed]! <= at) closed++;
    series.push({ date: new Date(d).toISOString().slice(0, 10), vulnerableHosts: opened - closed });
  }
  return series;
}

export function createTimeToPatch({ db, clock }: { db: Db; clock: Clock }) {
  return async function timeToPatch(actor: Actor, cveId: string) {
    const tags = await db.selectFrom('cve_tag').selectAll().where('cve_id', '=', cveId).orderBy('tagged_at').execute();
    if (tags.length === 0) throw new NotFoundError('tagged CVE', cveId);
    const reach = reachOf(actor, 'patching:read');
    const tag = tags.find((t) => /critical/i.test(t.tag)) ?? tags[0]!;
    // The first tagging: an edit of the level or reason keeps it (tags.ts), so the deadline never restarts.
    const taggedAt = Date.parse(tags[0]!.tagged_at);
    const deadline = taggedAt + deadlineDays(tag.tag) * DAY;
    const rows = await db
      .selectFrom('host_finding')
      .innerJoin('host', 'host.host_id', 'host_finding.host_id')
      .innerJoin(siteAndNgiNames(db).as('s'), 's.site_id', 'host.site_id')
      .$if(!reach.all, (qb) => qb.where('s.site_id', 'in', sitesInReach(db, reach)))
      .where('host_finding.cve_id', '=', cveId)
      .select(['host.host_id', 's.site_id', 's.site_name', 's.ngi_name', 'host_finding.first_seen_at', 'host_finding.fixed_at'])
      .execute();

    // One exposure interval per host: from its first sighting to its last fix (open if any row is open).
    const hosts = new Map<string, Exposure>();
    const siteNames = new Map<string, { siteName: string; ngiName: string }>();
    for (const r of rows) {
      const from = Date.parse(r.first_seen_at);
      const to = r.fixed_at ? Date.parse(r.fixed_at) : null;
      siteNames.set(r.site_id, { siteName: r.site_name, ngiName: r.ngi_name });
      const h = hosts.get(r.host_id);
      if (!h) hosts.set(r.host_id, { siteId: r.site_id, from, to });
      else {
        h.from = Math.min(h.from, from);
        h.to = h.to === null || to === null ? null : Math.max(h.to, to);
      }
    }
    const now = clock.now().getTime();
    // Hosts still open whose findings an accepted exception covers count as excepted, not vulnerable.
    const exposedNow = new Set(
      (
        await db
          .selectFrom('host')
          .innerJoin('finding', 'finding.eval_key', 'host.eval_key')
          .$if(!reach.all, (qb) => qb.where('host.site_id', 'in', sitesInReach(db, reach)))
          .where('finding.cve_id', '=', cveId)
          .where((eb) => notExcepted(eb as never, new Date(now).toISOString()))
          .select('host.host_id')
          .distinct()
          .execute()
      ).map((r) => r.host_id),
    );
    for (const [hostId, h] of hosts) if (h.to === null && !exposedNow.has(hostId)) h.excepted = true;
    const exposures = [...hosts.values()];
    const open = (h: Exposure) => h.to === null && !h.excepted;
    const start = exposures.reduce((min, h) => Math.min(min, h.from), taggedAt);
    const fixHours = (hs: Exposure[]) => hs.filter((h) => h.to !== null && h.to >= taggedAt).map((h) => (h.to! - Math.max(h.from, taggedAt)) / 3_600_000);
    const bySite = new Map<string, Exposure[]>();
    for (const h of exposures) {
      const list = bySite.get(h.siteId);
      if (list) list.push(h);
      else bySite.set(h.siteId, [h]);
    }
    const sites = [...bySite]
      .map(([siteId, hs]) => ({
        siteId,
        ...siteNames.get(siteId)!,
        vulnerableNow: hs.filter(open).length,
        excepted: hs.filter((h) => h.excepted).length,
        fixed: hs.filter((h) => h.to !== null).length,
        medianHoursToFix: median(fixHours(hs)),
      }))
      .sort((a, b) => b.vulnerableNow - a.vulnerableNow || a.siteName.localeCompare(b.siteName));
    return {
      cve: cveId,
      tag: tag.tag,
      taggedAt: tags[0]!.tagged_at,
      deadline: new Date(deadline).toISOString(),
      deadlineDays: deadlineDays(tag.tag),
      asOf: new Date(now).toISOString(),
      vulnerableNow: exposures.filter(open).length,
      exceptedNow: exposures.filter((h) => h.excepted).length,
      medianHoursToFix: median(fixHours(exposures)),
      // An excepted host leaves today's count, as it leaves every other view's (exceptions.ts).
      series: dailySeries(
        exposures.map((h) => (h.excepted ? { ...h, to: now } : h)),
        start,
        now,
      ),
      sites,
      overdueSites: now > deadline ? sites.filter((s) => s.vulnerableNow > 0) : [],
    };
  };
}
