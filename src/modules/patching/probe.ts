// A site's patch status as a Nagios/ARGO plugin answer: one status line with perfdata and the
// exit code (0 OK, 1 WARNING, 2 CRITICAL, 3 UNKNOWN).
import { NotFoundError } from '../../core/errors.js';
import type { Actor } from '../../core/access.js';
import type { PatchingViews } from './views.js';

export interface ProbeResult {
  code: 0 | 1 | 2 | 3;
  text: string;
}

const STATUS = ['OK', 'WARNING', 'CRITICAL', 'UNKNOWN'] as const;
const STALE_DAYS = 7;

/** Throws NotFoundError for a site that does not exist or whose patch data the actor does not
 *  read (the two must look alike); the route answers 404. */
export async function probeSite(views: PatchingViews, actor: Actor, siteName: string, now = new Date()): Promise<ProbeResult> {
  await views.requireSiteByName(actor, siteName);
  try {
    const all = [];
    for (let offset = 0; ; offset += 200) {
      const page = await views.listHosts(actor, { limit: 200, offset, order: 'asc' }, { siteName });
      all.push(...page.items);
      if (page.items.length < 200) break;
    }
    if (all.length === 0) return { code: 3, text: `UNKNOWN: no hosts report for site ${siteName}` };
    const tagged = await views.taggedHostCounts(
      actor,
      all.map((h) => h.hostId),
    );
    const critical = tagged.filter((t) => /critical/i.test(t.tag)).reduce((n, t) => Math.max(n, t.hosts), 0);
    const high = tagged.filter((t) => !/critical/i.test(t.tag)).reduce((n, t) => Math.max(n, t.hosts), 0);
    const staleBefore = new Date(now.getTime() - STALE_DAYS * 86_400_000).toISOString();
    const stale = all.filter((h) => h.lastReportAt < staleBefore).length;
    const vulnerable = all.filter((h) => h.findingCount > 0).length;
    const code = critical > 0 ? 2 : high > 0 || stale > 0 ? 1 : 0;
    const parts = [`${all.length} hosts`, `${critical} with critical-tagged CVEs`, `${high} with high-tagged CVEs`, `${stale} silent for ${STALE_DAYS}+ days`];
    const perf = `'hosts'=${all.length};;;0 'critical'=${critical};;1;0 'high'=${high};1;;0 'stale'=${stale};1;;0 'vulnerable'=${vulnerable};;;0`;
    return { code, text: `${STATUS[code]}: ${siteName}: ${parts.join(', ')} | ${perf}` };
  } catch (err) {
    if (err instanceof NotFoundError) return { code: 3, text: `UNKNOWN: ${err.message}` };
    throw err;
  }
}
