// Query fragments over the registry's tables that other modules filter with: which sites, NGIs
// and VOs lie inside a reader's reach (core/access `reach`). The registry owns these tables, so
// the rule "site inside reach" is written here once.
import type { Executor } from '../../db/database.js';
import { idsOrNone } from '../../db/filters.js';
import type { Reach, Target } from '../../core/access.js';

/** The ids of the sites inside the reach, as a sub-select (`x.site_id in sitesInReach(…)`). */
export const sitesInReach = (db: Executor, r: Reach) =>
  db
    .selectFrom('site')
    .select('site.site_id')
    .where((eb) => eb.or([eb('site.ngi_id', 'in', idsOrNone(r.ngiIds)), eb('site.site_id', 'in', idsOrNone(r.siteIds))]));

/** The ids of the NGIs inside the reach, and those holding a site inside it. */
export const ngisInReach = (db: Executor, r: Reach) =>
  db
    .selectFrom('site')
    .select('site.ngi_id as ngi_id')
    .where('site.site_id', 'in', idsOrNone(r.siteIds))
    .union(db.selectFrom('ngi').select('ngi.ngi_id').where('ngi.ngi_id', 'in', idsOrNone(r.ngiIds)));

/** The scope of a site, for the access check; undefined when there is no such site. */
export async function siteScope(db: Executor, siteId: string): Promise<Target | undefined> {
  const row = await db.selectFrom('site').select(['site_id', 'ngi_id']).where('site_id', '=', siteId).executeTakeFirst();
  return row ? { type: 'site', siteId: row.site_id, ngiId: row.ngi_id } : undefined;
}
