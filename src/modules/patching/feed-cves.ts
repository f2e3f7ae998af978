// What each feed says of each CVE, for the CVE list (issue 11, item 1): collected from the
// definitions as a feed is stored, replaced with them, read back per page of the list.
import type { Executor } from '../../db/database.js';
import { compareSeverity, normalizeSeverity } from '../../lib/vuln-model/severity.js';
import type { Cvss, Definition, Reference, Severity } from '../../lib/vuln-model/types.js';

/** Links kept per CVE and feed: the advisories naming it and its own pages. */
const MAX_LINKS = 20;

interface CveInfo {
  title: string | null;
  severity: Severity;
  cvss: Cvss | null;
  references: Reference[];
}

/** The links of a definition that concern one CVE: its advisory pages, and the CVE's own pages. */
function linksFor(cve: string, d: Definition): Reference[] {
  return (d.references ?? []).filter((r) => (r.id ? r.id === cve || r.source?.toUpperCase() !== 'CVE' : true));
}

/** Collects, CVE by CVE, the title, worst severity, highest CVSS and links over a feed's definitions. */
export function createFeedCveCollector() {
  const byCve = new Map<string, CveInfo>();
  return {
    add(d: Definition) {
      for (const cve of d.cves) {
        const info = byCve.get(cve) ?? { title: null, severity: 'unknown', cvss: null, references: [] };
        info.title ??= d.title && d.title !== cve ? d.title.slice(0, 500) : null;
        if (compareSeverity(d.severity, info.severity) < 0) info.severity = d.severity;
        const rating = d.cvss?.[cve];
        if (rating && (!info.cvss || rating.score > info.cvss.score)) info.cvss = rating;
        for (const r of linksFor(cve, d)) {
          if (info.references.length >= MAX_LINKS) break;
          if (!info.references.some((x) => x.url === r.url)) info.references.push(r);
        }
        byCve.set(cve, info);
      }
    },
    /** Adds a stored definition (its JSON as in `feed_definition`). */
    addJson(bodyJson: string) {
      this.add(JSON.parse(bodyJson) as Definition);
    },
    get size() {
      return byCve.size;
    },
    entries: () => byCve.entries(),
  };
}
export type FeedCveCollector = ReturnType<typeof createFeedCveCollector>;

/** Replaces the feed's per-CVE rows with what was collected (inside the feed's store transaction). */
export async function replaceFeedCves(trx: Executor, feedId: string, collected: FeedCveCollector): Promise<void> {
  await trx.deleteFrom('feed_cve').where('feed_id', '=', feedId).execute();
  const rows = [...collected.entries()].map(([cve, i]) => ({
    feed_id: feedId,
    cve_id: cve,
    title: i.title,
    severity: i.severity,
    cvss_score: i.cvss?.score ?? null,
    cvss_vector: i.cvss?.vector ?? null,
    references_json: JSON.stringify(i.references),
  }));
  for (let k = 0; k < rows.length; k += 500)
    await trx
      .insertInto('feed_cve')
      .values(rows.slice(k, k + 500))
      .execute();
}

export const hasFeedCves = async (ex: Executor, feedId: string) =>
  !!(await ex.selectFrom('feed_cve').select('cve_id').where('feed_id', '=', feedId).limit(1).executeTakeFirst());

/** What the enabled feeds say of these CVEs: one entry per CVE (worst severity, highest CVSS, links of every feed). */
export async function feedCveInfo(ex: Executor, cves: readonly string[]): Promise<Map<string, CveInfo>> {
  const out = new Map<string, CveInfo>();
  if (cves.length === 0) return out;
  const rows = await ex
    .selectFrom('feed_cve')
    .innerJoin('feed', 'feed.feed_id', 'feed_cve.feed_id')
    .select(['feed_cve.cve_id', 'feed_cve.title', 'feed_cve.severity', 'feed_cve.cvss_score', 'feed_cve.cvss_vector', 'feed_cve.references_json'])
    .where('feed.is_enabled', '=', 1)
    .where('feed_cve.cve_id', 'in', [...cves])
    .orderBy('feed.name')
    .execute();
  for (const r of rows) {
    const info = out.get(r.cve_id) ?? { title: null, severity: 'unknown' as Severity, cvss: null, references: [] };
    info.title ??= r.title;
    const severity = normalizeSeverity(r.severity);
    if (compareSeverity(severity, info.severity) < 0) info.severity = severity;
    if (r.cvss_score !== null && (!info.cvss || r.cvss_score > info.cvss.score))
      info.cvss = { score: Number(r.cvss_score), ...(r.cvss_vector ? { vector: r.cvss_vector } : {}) };
    for (const ref of JSON.parse(r.references_json) as Reference[]) if (!info.references.some((x) => x.url === ref.url)) info.references.push(ref);
    out.set(r.cve_id, info);
  }
  return out;
}
