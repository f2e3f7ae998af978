// Query fragments over the registry's sites, NGIs and people, for the modules that show or filter
// by them (patching and identity now; advisories, incidents, tasks and notifications next). The registry owns
// these tables: other modules read them only through what this file and reach.ts export, so a
// change of the registry's columns is made here once (issue 9 §3).
//
// The derived tables (`siteNames`, `siteAndNgiNames`) are plain projections without grouping,
// ordering or limits: PostgreSQL pulls them up and SQLite flattens them into the outer query,
// so `innerJoin(siteNames(db).as('s'), 's.site_id', 'host.site_id')` is planned exactly as a
// join to `site` written in place (checked with EXPLAIN on both engines).
import type { Executor } from '../../db/database.js';
import { idsOrNone } from '../../db/filters.js';
import type { RoleGrant } from '../../core/access.js';
import { isRole, type ScopeType } from '../../core/roles.js';

/** A site's id, name and NGI, to join as a derived table: `.innerJoin(siteNames(db).as('s'), 's.site_id', 'x.site_id')`. */
export const siteNames = (db: Executor) => db.selectFrom('site').select(['site.site_id', 'site.name as site_name', 'site.ngi_id']);

/** As `siteNames`, with the NGI's name (`ngi_name`) and when the site was removed (`site_removed_at`, null while it exists): every site has its NGI, so inner-joining it drops no site.
 *  `ngi_id` is the NGI's own key, so PostgreSQL knows `ngi_name` depends on it (grouping by both is grouping by one). */
export const siteAndNgiNames = (db: Executor) =>
  db
    .selectFrom('site')
    .innerJoin('ngi', 'ngi.ngi_id', 'site.ngi_id')
    .select(['site.site_id', 'site.name as site_name', 'site.removed_at as site_removed_at', 'ngi.ngi_id', 'ngi.name as ngi_name']);

/** The ids of the sites of these NGIs and (or) of this name, as a sub-select (`x.site_id in siteIdsWhere(…)`). */
export const siteIdsWhere = (db: Executor, f: { ngiIds?: readonly string[] | undefined; name?: string | undefined }) =>
  db
    .selectFrom('site')
    .select('site.site_id')
    .$if(!!f.ngiIds, (qb) => qb.where('site.ngi_id', 'in', idsOrNone(f.ngiIds!)))
    .$if(f.name !== undefined, (qb) => qb.where('site.name', '=', f.name!));

/** The names a report may give the sites of these NGIs by (their names and their ids), as a
 *  one-column sub-select. An empty list matches nothing. */
export const siteNamesOfNgis = (db: Executor, ngiIds: readonly string[]) => {
  const ids = idsOrNone(ngiIds);
  return db
    .selectFrom('site')
    .select('site.name')
    .where('site.ngi_id', 'in', ids)
    .union(db.selectFrom('site').select('site.site_id as name').where('site.ngi_id', 'in', ids));
};

/** The id of the site of that name (removed ones included), or undefined. */
export async function siteIdByName(db: Executor, name: string): Promise<string | undefined> {
  return (await db.selectFrom('site').select('site_id').where('name', '=', name).executeTakeFirst())?.site_id;
}

/** The site of that name, removed ones included (`removedAt` says so); undefined when there is none. */
export async function findSiteByName(
  db: Executor,
  name: string,
): Promise<{ siteId: string; name: string; ngiId: string; removedAt: string | null } | undefined> {
  const row = await db.selectFrom('site').select(['site_id', 'name', 'ngi_id', 'removed_at']).where('name', '=', name).executeTakeFirst();
  return row ? { siteId: row.site_id, name: row.name, ngiId: row.ngi_id, removedAt: row.removed_at } : undefined;
}

/**
 * Whom to tell about these sites: per site id, the site's security e-mail, then the e-mails of
 * its site security officers, without repeats or blanks. Sites that do not exist are absent;
 * a site without any address maps to an empty list.
 */
export async function siteSecurityContacts(db: Executor, siteIds: readonly string[]): Promise<Map<string, string[]>> {
  if (siteIds.length === 0) return new Map();
  const ids = [...siteIds];
  const [sites, officers] = await Promise.all([
    db.selectFrom('site').select(['site_id', 'security_email']).where('site_id', 'in', ids).execute(),
    db
      .selectFrom('role_assignment')
      .innerJoin('person', 'person.person_id', 'role_assignment.person_id')
      .select(['role_assignment.scope_id', 'person.email'])
      .where('role_assignment.role', '=', 'site-security-officer')
      .where('role_assignment.scope_type', '=', 'site')
      .where('role_assignment.scope_id', 'in', ids)
      .execute(),
  ]);
  return new Map(
    sites.map((s) => [
      s.site_id,
      [...new Set([s.security_email, ...officers.filter((o) => o.scope_id === s.site_id).map((o) => o.email)].filter((e): e is string => !!e))],
    ]),
  );
}

/** A person's id and name, to join as a derived table: `.innerJoin(personNames(db).as('p'), 'p.person_id', 'x.person_id')`. */
export const personNames = (db: Executor) => db.selectFrom('person').select(['person.person_id', 'person.name as person_name']);

/** The person of that id with their name, or undefined. */
export async function findPersonName(db: Executor, personId: string): Promise<{ personId: string; name: string } | undefined> {
  const row = await db.selectFrom('person').select(['person_id', 'name']).where('person_id', '=', personId).executeTakeFirst();
  return row ? { personId: row.person_id, name: row.name } : undefined;
}

/** A person's role grants, with each site grant's NGI so NGI-level reach needs no query. Rows
 *  naming a role this version does not know are left out (default deny). */
export async function listRoleGrants(db: Executor, personId: string): Promise<RoleGrant[]> {
  const rows = await db
    .selectFrom('role_assignment')
    .leftJoin('site', (j) => j.onRef('site.site_id', '=', 'role_assignment.scope_id').on('role_assignment.scope_type', '=', 'site'))
    .select(['role_assignment.role', 'role_assignment.scope_type', 'role_assignment.scope_id', 'site.ngi_id'])
    .where('role_assignment.person_id', '=', personId)
    .execute();
  return rows
    .filter((r) => isRole(r.role))
    .map((r) => ({
      role: r.role as RoleGrant['role'],
      scopeType: r.scope_type as ScopeType,
      scopeId: r.scope_id,
      ngiId: r.ngi_id ?? undefined,
    }));
}

/**
 * The sites (with their NGIs) that registered a service endpoint on this host: its hostname, or
 * its host certificate's DN (GOCDB's HOST_DN). Removed sites and endpoints of removed sites
 * are not counted. Who a host belongs to decides who may enrol its certificate.
 */
export async function endpointOwners(
  db: Executor,
  host: { hostname?: string | undefined; dn?: string | undefined },
): Promise<Array<{ siteId: string; ngiId: string }>> {
  const hostname = host.hostname?.toLowerCase();
  if (!hostname && !host.dn) return [];
  const rows = await db
    .selectFrom('service_endpoint')
    .innerJoin('site', 'site.site_id', 'service_endpoint.site_id')
    .select(['site.site_id', 'site.ngi_id'])
    .distinct()
    .where('site.removed_at', 'is', null)
    .where((eb) =>
      eb.or([...(hostname ? [eb('service_endpoint.hostname', '=', hostname)] : []), ...(host.dn ? [eb('service_endpoint.host_dn', '=', host.dn)] : [])]),
    )
    .execute();
  return rows.map((r) => ({ siteId: r.site_id, ngiId: r.ngi_id }));
}
