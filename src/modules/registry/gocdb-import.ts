// GOCDB import: one or more parsed PI documents applied in one transaction. Keyed on GOCDB
// primary keys (falling back to names for records created before their first import), so a
// re-import updates and never duplicates. Returns what was added, changed and removed.
import type { Db, Executor } from '../../db/database.js';
import type { Clock } from '../../core/clock.js';
import type { Audit, AuditEntry } from '../../core/audit.js';
import { newId } from '../../core/ids.js';
import { createPacer } from '../../core/pace.js';
import { FEDERATION, requireAccess, type Actor } from '../../core/access.js';
import { ROLE_SCOPES } from '../../core/roles.js';
import type { NgiTable, PersonTable, ServiceEndpointTable, SiteTable } from '../../db/schema.js';
import { mapGocdbRole, type GocdbContact, type GocdbSkipped, type ParsedGocdb } from '../../lib/gocdb/index.js';
import { diffFields } from './rules.js';
import { mergeDocuments, type GocdbBatch } from './gocdb-merge.js';

type Kind = 'ngis' | 'sites' | 'endpoints' | 'people' | 'roles';
export type KindCounts = Record<Kind, number>;
export interface ImportSummary {
  dryRun: boolean;
  added: KindCounts;
  changed: KindCounts;
  removed: KindCounts;
  unchanged: KindCounts;
  /** What the import removes (or, dry run, would remove), by name: the first MAX_REMOVALS_LISTED. */
  removals: Removal[];
  skipped: GocdbSkipped[];
  warnings: string[];
}

/** One removed record, named as people know it. */
export interface Removal {
  kind: 'sites' | 'endpoints' | 'roles';
  /** The site's name; the endpoint's hostname and service type; the person's name and role. */
  name: string;
  /** Where it was: the endpoint's site, the role's site or NGI. */
  scope?: string;
}
const MAX_REMOVALS_LISTED = 500;

const zero = (): KindCounts => ({ ngis: 0, sites: 0, endpoints: 0, people: 0, roles: 0 });
const bit = (v: boolean | undefined, fallback: boolean) => ((v ?? fallback) ? 1 : 0) as 0 | 1;
const MAX_SKIPPED_LISTED = 200;
/** Audit events written per call: the hash chain of a large import is seconds of work. */
const AUDIT_CHUNK = 250;
/** On SQLite every statement is synchronous: an import yields the event loop every 10 ms so
 *  that the server keeps answering (issue 9). One pacer for the module: it measures how long
 *  imports, whichever they are, have held the loop. */
const pace = createPacer(10);

/** Thrown inside the transaction to roll a dry run back; carries the summary out. */
class DryRunRollback extends Error {
  constructor(readonly summary: ImportSummary) {
    super('dry run');
  }
}

export function createGocdbImport({ db, clock, audit }: { db: Db; clock: Clock; audit: Audit }) {
  return async function importGocdb(actor: Actor, docs: ParsedGocdb[], options: { dryRun?: boolean; source?: string } = {}): Promise<ImportSummary> {
    await requireAccess(actor, 'import:gocdb', FEDERATION);
    const batch = mergeDocuments(docs);
    try {
      return await db.transaction().execute(async (trx) => {
        const summary = await apply(trx, actor, batch, clock.now().toISOString(), !!options.dryRun, options.source);
        if (options.dryRun) throw new DryRunRollback(summary);
        return summary;
      });
    } catch (err) {
      if (err instanceof DryRunRollback) return err.summary;
      throw err;
    }
  };

  async function apply(trx: Executor, actor: Actor, batch: GocdbBatch, now: string, dryRun: boolean, source?: string): Promise<ImportSummary> {
    const s: ImportSummary = {
      dryRun,
      added: zero(),
      changed: zero(),
      removed: zero(),
      unchanged: zero(),
      removals: [],
      skipped: [...batch.skipped],
      warnings: [...batch.warnings],
    };
    const events: AuditEntry[] = [];
    const log = (kind: Kind, action: 'add' | 'change' | 'remove', objectType: string, objectId: string, before?: unknown, after?: unknown) => {
      s[action === 'add' ? 'added' : action === 'change' ? 'changed' : 'removed'][kind]++;
      events.push({ actor, action: `gocdb.${objectType}.${action}`, objectType, objectId, before, after });
    };
    const skip = (element: string, reason: string) => s.skipped.push({ element, reason });
    const removal = (r: Removal) => void (s.removals.length < MAX_REMOVALS_LISTED && s.removals.push(r));
    const pending: Pending = new Map();

    // ---- NGIs (and NGIs that sites name but no NGI record describes). NGIs are never removed
    // by an import: a file holding some NGIs says nothing of the others. ----
    const ngis = await trx.selectFrom('ngi').selectAll().execute();
    const ngiByKey = new Map(ngis.filter((n) => n.gocdb_key).map((n) => [n.gocdb_key!, n]));
    const ngiByName = new Map(ngis.map((n) => [n.name, n]));
    const batchNgiKeys = new Set(batch.ngis.map((n) => n.key));
    for (const n of batch.ngis) {
      // Same rule as for sites below: a name under a new key is a re-keyed NGI unless both keys are here.
      const namesake = ngiByName.get(n.name);
      const existing = ngiByKey.get(n.key) ?? (namesake && !batchNgiKeys.has(namesake.gocdb_key ?? '') ? namesake : undefined);
      if (namesake && namesake !== existing) {
        skip(`NGI ${n.name}`, nameTaken('NGI', namesake.gocdb_key, batchNgiKeys));
        continue;
      }
      const wanted = {
        gocdb_key: n.key,
        name: n.name,
        description: n.description ?? null,
        email: n.email ?? null,
        security_email: n.securityEmail ?? null,
        removed_at: null,
      };
      await upsert(
        trx,
        pending,
        'ngi',
        'ngi_id',
        existing,
        wanted,
        now,
        (row) => {
          ngiByName.set(row.name, row);
          ngiByKey.set(n.key, row);
        },
        'ngis',
        log,
        s,
      );
    }
    for (const name of new Set(batch.sites.map((x) => x.ngiName).filter((x): x is string => !!x))) {
      if (ngiByName.has(name)) continue;
      const row: NgiTable = {
        ngi_id: newId(),
        gocdb_key: null,
        name,
        description: null,
        email: null,
        security_email: null,
        created_at: now,
        updated_at: now,
        removed_at: null,
      };
      pending.set('ngi', [...(pending.get('ngi') ?? []), row]);
      ngiByName.set(name, row);
      log('ngis', 'add', 'ngi', row.ngi_id, undefined, row);
    }
    await flush(trx, pending, 'ngi');
    // ---- Sites ----
    const sites = await trx.selectFrom('site').selectAll().execute();
    const siteByKey = new Map(sites.filter((x) => x.gocdb_key).map((x) => [x.gocdb_key!, x]));
    const siteByName = new Map(sites.map((x) => [x.name, x]));
    const seenSiteIds = new Set<string>();
    const batchSiteKeys = new Set(batch.sites.map((x) => x.key));
    const coveredNgiIds = new Set<string>();
    for (const x of batch.sites) {
      // Site names are unique. A known name under a new key is the same site re-keyed (deleted
      // and re-created in GOCDB) when its old key is gone from this import; when both keys are
      // in the import, the data contradicts itself and a person must resolve it.
      const namesake = siteByName.get(x.name);
      const existing = siteByKey.get(x.key) ?? (namesake && !batchSiteKeys.has(namesake.gocdb_key ?? '') ? namesake : undefined);
      if (namesake && namesake !== existing) {
        skip(`SITE ${x.name}`, nameTaken('site', namesake.gocdb_key, batchSiteKeys));
        continue;
      }
      const ngi = x.ngiName ? ngiByName.get(x.ngiName) : existing ? { ngi_id: existing.ngi_id } : undefined;
      if (!ngi) {
        skip(`SITE ${x.name}`, 'no NGI (ROC) given for a new site');
        continue;
      }
      coveredNgiIds.add(ngi.ngi_id);
      const wanted = {
        gocdb_key: x.key,
        name: x.name,
        official_name: x.officialName ?? null,
        description: x.description ?? null,
        ngi_id: ngi.ngi_id,
        country_code: x.countryCode ?? null,
        country: x.country ?? null,
        certification_status: x.certificationStatus ?? existing?.certification_status ?? 'candidate',
        is_production: bit(x.isProduction, true),
        security_email: x.csirtEmail ?? null,
        contact_email: x.contactEmail ?? null,
        is_notified: bit(x.notifications, false),
        home_url: x.homeUrl ?? null,
        timezone: x.timezone ?? null,
        removed_at: null,
      };
      await upsert(
        trx,
        pending,
        'site',
        'site_id',
        existing,
        wanted,
        now,
        (row) => {
          siteByName.set(row.name, row);
          siteByKey.set(x.key, row);
          seenSiteIds.add(row.site_id);
        },
        'sites',
        log,
        s,
      );
    }
    await flush(trx, pending, 'site');
    for (const x of sites) {
      if (x.gocdb_key && !seenSiteIds.has(x.site_id) && coveredNgiIds.has(x.ngi_id) && !x.removed_at) {
        await pace();
        await trx.updateTable('site').set({ removed_at: now, updated_at: now }).where('site_id', '=', x.site_id).execute();
        log('sites', 'remove', 'site', x.site_id, x);
        removal({ kind: 'sites', name: x.name });
      }
    }

    // ---- Service endpoints ----
    if (batch.endpoints.length > 0) {
      const existing = await trx.selectFrom('service_endpoint').selectAll().where('gocdb_key', 'is not', null).execute();
      const byKey = new Map(existing.map((e) => [e.gocdb_key!, e]));
      const seen = new Set<string>();
      const coveredSites = new Set(batch.sites.map((x) => siteByName.get(x.name)?.site_id).filter(Boolean));
      const siteNameOf = new Map([...siteByName.values()].map((row) => [row.site_id, row.name]));
      for (const e of batch.endpoints) {
        const site = siteByName.get(e.siteName);
        if (!site) {
          skip(`SERVICE_ENDPOINT ${e.key}`, `unknown site ${e.siteName}`);
          continue;
        }
        seen.add(e.key);
        coveredSites.add(site.site_id);
        const wanted = {
          gocdb_key: e.key,
          site_id: site.site_id,
          hostname: e.hostname.toLowerCase(),
          service_type: e.serviceType,
          url: e.url ?? null,
          is_in_production: bit(e.isInProduction, true),
          is_monitored: bit(e.isMonitored, true),
          host_dn: e.hostDn ?? null,
        };
        await upsert(trx, pending, 'service_endpoint', 'endpoint_id', byKey.get(e.key), wanted, now, () => undefined, 'endpoints', log, s);
      }
      await flush(trx, pending, 'service_endpoint');
      for (const e of existing) {
        if (!seen.has(e.gocdb_key!) && coveredSites.has(e.site_id)) {
          await pace();
          await trx.deleteFrom('service_endpoint').where('endpoint_id', '=', e.endpoint_id).execute();
          log('endpoints', 'remove', 'service_endpoint', e.endpoint_id, e);
          removal({ kind: 'endpoints', name: `${e.hostname} (${e.service_type})`, scope: siteNameOf.get(e.site_id) ?? e.site_id });
        }
      }
    }

    // ---- Contacts: people and their GOCDB-sourced roles ----
    if (batch.contacts.length > 0)
      await applyContacts(trx, pending, batch.contacts, { ngiByName, siteByName, batchSites: batch.sites.map((x) => x.name) }, now, log, skip, s);
    if (s.removed.roles > 0) s.removals.push(...(await namedRoleRemovals(trx, events, MAX_REMOVALS_LISTED - s.removals.length)));

    // A dry run is rolled back: its audit records would be computed (and chained) for nothing.
    if (!dryRun) {
      events.push({
        actor,
        action: 'gocdb.import',
        objectType: 'import',
        objectId: newId(),
        after: { source: source ?? 'upload', added: s.added, changed: s.changed, removed: s.removed },
      });
      for (let i = 0; i < events.length; i += AUDIT_CHUNK) {
        await pace();
        await audit.recordMany(trx, events.slice(i, i + AUDIT_CHUNK));
      }
    }
    if (s.skipped.length > MAX_SKIPPED_LISTED) s.skipped = s.skipped.slice(0, MAX_SKIPPED_LISTED);
    return s;
  }
}

/** Why a record whose name another row holds cannot be applied. */
function nameTaken(kind: string, otherKey: string | null, batchKeys: Set<string>): string {
  if (otherKey && batchKeys.has(otherKey)) return `the name belongs to the ${kind} with GOCDB key ${otherKey}, also in this import`;
  return `the name belongs to another ${kind}${otherKey ? ` (GOCDB key ${otherKey})` : ' created in Vigil'}; rename one of them`;
}

/** The removed roles among `events`, with their people's and scopes' names (read before the
 *  transaction ends: the people and scopes are still there, only the roles went). */
async function namedRoleRemovals(trx: Executor, events: readonly AuditEntry[], room: number): Promise<Removal[]> {
  const roles = events
    .filter((e) => e.action === 'gocdb.person.remove')
    .slice(0, Math.max(0, room))
    .map((e) => ({ personId: e.objectId, ...(e.before as { role: string; scopeType: string; scopeId: string }) }));
  if (roles.length === 0) return [];
  const people = new Map(
    (
      await trx
        .selectFrom('person')
        .select(['person_id', 'name'])
        .where('person_id', 'in', [...new Set(roles.map((r) => r.personId))])
        .execute()
    ).map((p) => [p.person_id, p.name]),
  );
  const scopeIds = [...new Set(roles.map((r) => r.scopeId).filter(Boolean))];
  const scopes = new Map<string, string>();
  if (scopeIds.length > 0) {
    for (const r of await trx.selectFrom('site').select(['site_id as id', 'name']).where('site_id', 'in', scopeIds).execute()) scopes.set(r.id, r.name);
    for (const r of await trx.selectFrom('ngi').select(['ngi_id as id', 'name']).where('ngi_id', 'in', scopeIds).execute()) scopes.set(r.id, r.name);
  }
  return roles.map((r) => ({
    kind: 'roles' as const,
    name: `${people.get(r.personId) ?? r.personId}: ${r.role}`,
    scope: r.scopeType === 'federation' ? 'federation' : `${r.scopeType} ${scopes.get(r.scopeId) ?? r.scopeId}`,
  }));
}

type Logger = (kind: Kind, action: 'add' | 'change' | 'remove', objectType: string, objectId: string, before?: unknown, after?: unknown) => void;
type TableName = 'ngi' | 'site' | 'service_endpoint' | 'person';
type Row = NgiTable | SiteTable | ServiceEndpointTable | PersonTable;

/** New rows per table, written in chunks by flush() once a phase is done. */
type Pending = Map<TableName, Row[]>;

async function flush(trx: Executor, pending: Pending, table: TableName): Promise<void> {
  const rows = pending.get(table) ?? [];
  // 500 rows stay well under both engines' limits on bound parameters per statement.
  for (let i = 0; i < rows.length; i += 500) {
    await pace();
    await trx
      .insertInto(table)
      .values(rows.slice(i, i + 500) as never)
      .execute();
  }
  pending.delete(table);
}

/** Queues the row for insertion, or updates only the fields that differ; counts either way. */
async function upsert<R extends Row>(
  trx: Executor,
  pending: Pending,
  table: TableName,
  idColumn: string,
  existing: R | undefined,
  wanted: Partial<R>,
  now: string,
  remember: (row: R) => void,
  kind: Kind,
  log: Logger,
  s: ImportSummary,
): Promise<R> {
  await pace();
  if (!existing) {
    const row = { [idColumn]: newId(), ...wanted, created_at: now, updated_at: now } as unknown as R;
    const queue = pending.get(table) ?? [];
    queue.push(row);
    pending.set(table, queue);
    remember(row);
    log(kind, 'add', table, (row as unknown as Record<string, string>)[idColumn]!, undefined, row);
    return row;
  }
  const set = diffFields(existing, wanted as never) as Partial<R>;
  if (Object.keys(set).length === 0) {
    s.unchanged[kind]++;
    remember(existing);
    return existing;
  }
  const id = (existing as unknown as Record<string, string>)[idColumn]!;
  await trx
    .updateTable(table)
    .set({ ...set, updated_at: now } as never)
    .where(idColumn as never, '=', id as never)
    .execute();
  const after = { ...existing, ...set, updated_at: now };
  remember(after);
  log(kind, 'change', table, id, existing, after);
  return after;
}

interface Lookups {
  ngiByName: Map<string, NgiTable>;
  siteByName: Map<string, SiteTable>;
  batchSites: string[];
}

async function applyContacts(
  trx: Executor,
  pending: Pending,
  contacts: GocdbContact[],
  lookups: Lookups,
  now: string,
  log: Logger,
  skip: (element: string, reason: string) => void,
  s: ImportSummary,
): Promise<void> {
  const people = await trx.selectFrom('person').selectAll().execute();
  // People are matched on identifiers someone vouched for (the import itself, a federation
  // administrator): a record an officer typed in carries at most an unverified e-mail and must
  // never inherit an imported role (issue 9, hole 6). Every DN and subject is still indexed, to
  // name the record in the way when one is already taken.
  const verified = (p: PersonTable | undefined) => (p && Number(p.is_identity_verified) === 1 ? p : undefined);
  const byKey = new Map(people.filter((p) => p.gocdb_key).map((p) => [p.gocdb_key!, p]));
  const byDn = new Map(people.filter((p) => p.dn).map((p) => [p.dn!, p]));
  const bySubject = new Map(people.filter((p) => p.checkin_subject).map((p) => [p.checkin_subject!, p]));
  const byEmail = new Map(people.filter((p) => p.email && !p.gocdb_key && verified(p)).map((p) => [p.email!, p]));
  const wantedRoles = new Map<string, { person_id: string; role: string; scope_type: string; scope_id: string }>();
  const coveredScopes = new Set(
    lookups.batchSites
      .map((n) => lookups.siteByName.get(n)?.site_id)
      .filter((x): x is string => !!x)
      .map((id) => `site:${id}`),
  );
  const personDone = new Set<string>();
  const personSkipped = new Set<string>();
  const taken = (what: string, owner: PersonTable) =>
    verified(owner)
      ? `${what} already belongs to another person`
      : `${what} is held by person ${owner.person_id}, made in Vigil and not verified; a federation administrator must confirm or correct that record first`;

  for (const c of contacts) {
    const scope = c.entityType === 'site' ? lookups.siteByName.get(c.entityName) : lookups.ngiByName.get(c.entityName);
    if (!scope) {
      skip(`CONTACT ${c.email ?? c.userKey ?? '?'}`, `unknown ${c.entityType} ${c.entityName}`);
      continue;
    }
    const scopeId = 'site_id' in scope ? scope.site_id : scope.ngi_id;
    coveredScopes.add(`${c.entityType}:${scopeId}`);
    const name = [c.forename, c.surname].filter(Boolean).join(' ') || c.email;
    if (!name || (!c.userKey && !c.certDn && !c.email)) {
      skip(`CONTACT on ${c.entityName}`, 'no user key, DN or e-mail');
      continue;
    }
    const existing =
      (c.userKey ? byKey.get(c.userKey) : undefined) ?? (c.certDn ? verified(byDn.get(c.certDn)) : undefined) ?? (c.email ? byEmail.get(c.email) : undefined);
    let person = existing;
    const identity = c.userKey ?? existing?.person_id ?? c.certDn ?? c.email!;
    if (personSkipped.has(identity)) continue;
    if (!personDone.has(identity)) {
      personDone.add(identity);
      const wanted = {
        gocdb_key: c.userKey ?? existing?.gocdb_key ?? null,
        name,
        email: c.email ?? existing?.email ?? null,
        dn: c.certDn ?? existing?.dn ?? null,
        checkin_subject: c.checkinSubject ?? existing?.checkin_subject ?? null,
        is_identity_verified: 1,
      };
      const dnOwner = wanted.dn ? byDn.get(wanted.dn) : undefined;
      const subjectOwner = wanted.checkin_subject ? bySubject.get(wanted.checkin_subject) : undefined;
      const conflict =
        dnOwner && dnOwner !== existing
          ? taken('DN', dnOwner)
          : subjectOwner && subjectOwner !== existing
            ? taken('Check-in subject', subjectOwner)
            : undefined;
      if (conflict) {
        personSkipped.add(identity);
        skip(`CONTACT ${name}`, conflict);
        continue;
      }
      person = await upsert(
        trx,
        pending,
        'person',
        'person_id',
        existing,
        wanted,
        now,
        (row) => {
          if (row.gocdb_key) byKey.set(row.gocdb_key, row);
          if (row.dn) byDn.set(row.dn, row);
          if (row.checkin_subject) bySubject.set(row.checkin_subject, row);
          if (row.email && !row.gocdb_key) byEmail.set(row.email, row);
        },
        'people',
        log,
        s,
      );
    }
    const role = mapGocdbRole(c.roleName);
    if (!role) continue; // kept as a contact only; no Vigil role follows from it
    if (!(ROLE_SCOPES[role] as readonly string[]).includes(c.entityType)) {
      skip(`CONTACT ${name}`, `${c.roleName} on ${c.entityType} ${c.entityName}: ${role} is not held at ${c.entityType} scope`);
      continue;
    }
    const key = { person_id: person!.person_id, role, scope_type: c.entityType, scope_id: scopeId };
    wantedRoles.set(`${key.person_id}|${role}|${key.scope_type}|${key.scope_id}`, key);
  }

  await flush(trx, pending, 'person');
  const current = await trx.selectFrom('role_assignment').selectAll().execute();
  const currentKeys = new Map(current.map((r) => [`${r.person_id}|${r.role}|${r.scope_type}|${r.scope_id}`, r]));
  const toInsert: Array<{
    role_assignment_id: string;
    person_id: string;
    role: string;
    scope_type: string;
    scope_id: string;
    source: string;
    created_at: string;
  }> = [];
  for (const [k, v] of wantedRoles) {
    if (currentKeys.has(k)) continue;
    if (toInsert.length % 1000 === 0) await pace();
    toInsert.push({ role_assignment_id: newId(), ...v, source: 'gocdb', created_at: now });
  }
  for (let i = 0; i < toInsert.length; i += 500) {
    await pace();
    await trx
      .insertInto('role_assignment')
      .values(toInsert.slice(i, i + 500))
      .execute();
  }
  for (const r of toInsert)
    log('roles', 'add', 'person', r.person_id, undefined, { role: r.role, scopeType: r.scope_type, scopeId: r.scope_id, source: 'gocdb' });
  s.unchanged.roles += wantedRoles.size - toInsert.length;
  for (const [k, r] of currentKeys) {
    if (r.source === 'gocdb' && !wantedRoles.has(k) && coveredScopes.has(`${r.scope_type}:${r.scope_id}`)) {
      await pace();
      await trx.deleteFrom('role_assignment').where('role_assignment_id', '=', r.role_assignment_id).execute();
      log('roles', 'remove', 'person', r.person_id, { role: r.role, scopeType: r.scope_type, scopeId: r.scope_id, source: 'gocdb' });
    }
  }
}
