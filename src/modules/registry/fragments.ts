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

/** Who is told about a scope's security matters: the scope's own security address (a list,
 *  without a person) and the people holding the scope's security role. */
export interface SecurityContact {
  personId: string | null;
  name: string | null;
  email: string;
  /** For a site's people: the site's notification flag (GOCDB's NOTIFICATIONS), their default. */
  siteNotifies: boolean;
}

export type ContactScope = { type: 'site'; siteId: string } | { type: 'ngi'; ngiId: string } | { type: 'vo'; voId: string } | { type: 'federation' };

/** The role whose holders are a scope's security contacts. */
const SECURITY_ROLE = { site: 'site-security-officer', ngi: 'ngi-security-officer', vo: 'vo-manager', federation: 'csirt' } as const;

/**
 * Security contacts of each scope asked for, keyed `site:<id>`, `ngi:<id>`, `vo:<id>` or
 * `federation`: the site's CSIRT e-mail and site security officers; the NGI's security e-mail
 * and NGI security officers; the VO's security list and managers; the CSIRT's members. One query
 * per kind of scope, however many scopes (a task for 500 sites reads its addressees at once).
 */
export async function securityContacts(db: Executor, scopes: readonly ContactScope[]): Promise<Map<string, SecurityContact[]>> {
  const out = new Map<string, SecurityContact[]>();
  const add = (key: string, c: SecurityContact) => {
    const list = out.get(key) ?? [];
    if (!list.some((x) => x.email.toLowerCase() === c.email.toLowerCase())) list.push(c);
    out.set(key, list);
  };
  const idOf = (s: ContactScope) => (s.type === 'site' ? s.siteId : s.type === 'ngi' ? s.ngiId : s.type === 'vo' ? s.voId : '');
  const ids = (type: 'site' | 'ngi' | 'vo') => [...new Set(scopes.filter((s) => s.type === type).map(idOf))];
  const people = (role: string, scopeType: string, scopeIds: string[] | undefined) =>
    db
      .selectFrom('role_assignment')
      .innerJoin('person', 'person.person_id', 'role_assignment.person_id')
      .select(['role_assignment.scope_id', 'person.person_id', 'person.name', 'person.email'])
      .where('role_assignment.role', '=', role)
      .where('role_assignment.scope_type', '=', scopeType)
      .$if(scopeIds !== undefined, (q) => q.where('role_assignment.scope_id', 'in', idsOrNone(scopeIds!)))
      .where('person.email', 'is not', null)
      .execute();

  const siteIds = ids('site');
  if (siteIds.length > 0) {
    const sites = await db.selectFrom('site').select(['site_id', 'security_email', 'is_notified']).where('site_id', 'in', siteIds).execute();
    const notifies = new Map(sites.map((s) => [s.site_id, s.is_notified === 1]));
    for (const s of sites)
      if (s.security_email) add(`site:${s.site_id}`, { personId: null, name: null, email: s.security_email, siteNotifies: s.is_notified === 1 });
    for (const p of await people(SECURITY_ROLE.site, 'site', siteIds))
      add(`site:${p.scope_id}`, { personId: p.person_id, name: p.name, email: p.email!, siteNotifies: notifies.get(p.scope_id) ?? true });
  }
  const ngiIds = ids('ngi');
  if (ngiIds.length > 0) {
    for (const n of await db.selectFrom('ngi').select(['ngi_id', 'security_email']).where('ngi_id', 'in', ngiIds).execute())
      if (n.security_email) add(`ngi:${n.ngi_id}`, { personId: null, name: null, email: n.security_email, siteNotifies: true });
    for (const p of await people(SECURITY_ROLE.ngi, 'ngi', ngiIds))
      add(`ngi:${p.scope_id}`, { personId: p.person_id, name: p.name, email: p.email!, siteNotifies: true });
  }
  const voIds = ids('vo');
  if (voIds.length > 0) {
    for (const v of await db.selectFrom('vo').select(['vo_id', 'security_email']).where('vo_id', 'in', voIds).execute())
      if (v.security_email) add(`vo:${v.vo_id}`, { personId: null, name: null, email: v.security_email, siteNotifies: true });
    for (const p of await people(SECURITY_ROLE.vo, 'vo', voIds))
      add(`vo:${p.scope_id}`, { personId: p.person_id, name: p.name, email: p.email!, siteNotifies: true });
  }
  if (scopes.some((s) => s.type === 'federation'))
    for (const p of await people(SECURITY_ROLE.federation, 'federation', undefined))
      add('federation', { personId: p.person_id, name: p.name, email: p.email!, siteNotifies: true });
  return out;
}

/** People whose e-mail address is this one (case-insensitive), to recognise the sender of a reply. */
export async function peopleByEmail(db: Executor, email: string): Promise<Array<{ personId: string; name: string }>> {
  const rows = await db
    .selectFrom('person')
    .select(['person_id', 'name'])
    .where((eb) => eb(eb.fn('lower', ['email']), '=', email.toLowerCase()))
    .limit(20)
    .execute();
  return rows.map((r) => ({ personId: r.person_id, name: r.name }));
}

/** A scope as other parts address things to it: a site, an NGI, a VO, or the federation. */
export type ScopeRef = { type: 'site' | 'ngi' | 'vo' | 'federation'; id: string };

/**
 * Names of scopes for display, keyed `<type>:<id>`: the site's name with its NGI's, the NGI's,
 * the VO's. Scopes that do not exist are absent (an access check treats them as not found).
 */
export async function scopeNames(
  db: Executor,
  refs: readonly ScopeRef[],
): Promise<Map<string, { name: string; ngiId: string | null; ngiName: string | null }>> {
  const ids = (type: ScopeRef['type']) => [...new Set(refs.filter((r) => r.type === type).map((r) => r.id))];
  const out = new Map<string, { name: string; ngiId: string | null; ngiName: string | null }>();
  const [siteIds, ngiIds, voIds] = [ids('site'), ids('ngi'), ids('vo')];
  for (let i = 0; i < siteIds.length; i += 1000) {
    const rows = await siteAndNgiNames(db)
      .where('site.site_id', 'in', siteIds.slice(i, i + 1000))
      .execute();
    for (const r of rows) out.set(`site:${r.site_id}`, { name: r.site_name, ngiId: r.ngi_id, ngiName: r.ngi_name });
  }
  if (ngiIds.length)
    for (const r of await db.selectFrom('ngi').select(['ngi_id', 'name']).where('ngi_id', 'in', ngiIds).execute())
      out.set(`ngi:${r.ngi_id}`, { name: r.name, ngiId: r.ngi_id, ngiName: r.name });
  if (voIds.length)
    for (const r of await db.selectFrom('vo').select(['vo_id', 'name']).where('vo_id', 'in', voIds).execute())
      out.set(`vo:${r.vo_id}`, { name: r.name, ngiId: null, ngiName: null });
  if (refs.some((r) => r.type === 'federation')) out.set('federation:', { name: 'The federation (CSIRT)', ngiId: null, ngiName: null });
  return out;
}
