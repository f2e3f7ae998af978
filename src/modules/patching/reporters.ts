// Who may report for a site: an enrolment token, a mapped client-certificate DN, or, where the
// CSIRT allows it for the site, anyone naming it (as Pakiti does). A report naming an unknown
// site goes to quarantine for review; sites are never created by reports.
import type { Db, Executor } from '../../db/database.js';
import type { Clock } from '../../core/clock.js';
import type { Audit } from '../../core/audit.js';
import { newId } from '../../core/ids.js';
import { ConflictError, ForbiddenError, InvalidError, NotFoundError, UnauthenticatedError } from '../../core/errors.js';
import { can, requireAccess, type Actor } from '../../core/access.js';
import { containsCi } from '../../db/filters.js';
import type { ReportQuarantineTable } from '../../db/schema.js';
import { findSiteByName, siteNames, siteNamesOfNgis, type RegistryService } from '../registry/index.js';
import { digest, newPrefixedToken } from '../../core/secrets.js';
import type { IngestService } from './ingest.js';
import { decodeHeldReport } from './quarantine-store.js';

export interface ReporterCredential {
  bearer?: string | undefined;
  clientDn?: string | undefined;
  /** The sender's address: not a credential, but what the quarantine's per-sender bounds count. */
  address?: string | undefined;
}

export type ReporterVerdict =
  | { kind: 'site'; siteId: string }
  | { kind: 'quarantine'; reason: string };

export const QUARANTINE_STATUSES = ['pending', 'released', 'rejected'] as const;
export type QuarantineStatus = (typeof QUARANTINE_STATUSES)[number];
export interface QuarantineQuery { status: QuarantineStatus; limit: number; offset: number; q?: string | undefined }

interface ReporterDeps {
  db: Db; clock: Clock; audit: Audit; registry: Pick<RegistryService, 'siteTarget' | 'getSite'>;
  /** Stores a released report; a function because the intake service itself depends on this one. */
  ingest: () => Pick<IngestService, 'accept'>;
}

/** Who reviews which quarantined reports: the CSIRT all of them; an NGI security officer those
 *  naming a site of their NGI. Unknown or missing site names are the CSIRT's alone. */
interface ReviewScope { all: boolean; ngiIds: string[] }

function reviewScope(actor: Actor): ReviewScope {
  if (can(actor, 'feed:manage', { type: 'federation' })) return { all: true, ngiIds: [] };
  const ngiIds = actor.grants.filter((g) => g.scopeType === 'ngi' && can(actor, 'enrolment:manage', { type: 'ngi', ngiId: g.scopeId })).map((g) => g.scopeId);
  if (ngiIds.length === 0) throw new ForbiddenError('quarantined reports are reviewed by the CSIRT and NGI security officers');
  return { all: false, ngiIds };
}

export function createReporterService({ db, clock, audit, registry, ingest }: ReporterDeps) {
  const now = () => clock.now().toISOString();

  /** Names and ids of the sites of the reviewer's NGIs (a report names its site either way). */
  const claimedSitesOf = (scope: ReviewScope) => siteNamesOfNgis(db, scope.ngiIds);

  /** An entry the reviewer may act on: unknown, or out of their NGIs, reads as not found; reviewed already is a conflict. */
  async function findReviewable(scope: ReviewScope, quarantineId: string) {
    const entry = await db.selectFrom('report_quarantine as rq').selectAll('rq').where('rq.quarantine_id', '=', quarantineId)
      .$if(!scope.all, (qb) => qb.where((eb) => eb('rq.claimed_site', 'in', claimedSitesOf(scope))))
      .executeTakeFirst();
    if (!entry) throw new NotFoundError('quarantined report', quarantineId);
    if (entry.status !== 'pending') throw new ConflictError(`the report is already ${entry.status}`, { reviewStatus: entry.status });
    return entry;
  }

  async function getQuarantineView(quarantineId: string) {
    const row = await db.selectFrom('report_quarantine as rq').leftJoin(siteNames(db).as('released'), 'released.site_id', 'rq.released_site_id')
      .select(['rq.quarantine_id', 'rq.received_at', 'rq.claimed_site', 'rq.hostname', 'rq.reason', 'rq.status', 'rq.reviewed_by', 'rq.reviewed_at',
        'rq.released_site_id', 'rq.reject_reason', 'released.site_name as released_site_name'])
      .where('rq.quarantine_id', '=', quarantineId).executeTakeFirstOrThrow();
    return toQuarantineView({ ...row, host_id: null });
  }

  /** The site a credential reports for: an enrolment token, else a mapped client-certificate DN. */
  async function credentialSite(credential: ReporterCredential): Promise<{ siteId: string; name: string; via: string } | undefined> {
    if (credential.bearer) {
      const token = await db.selectFrom('enrolment_token').innerJoin(siteNames(db).as('s'), 's.site_id', 'enrolment_token.site_id')
        .select(['enrolment_token.token_id', 'enrolment_token.revoked_at', 'enrolment_token.last_used_at', 's.site_id', 's.site_name'])
        .where('enrolment_token.token_hash', '=', digest(credential.bearer)).executeTakeFirst();
      if (!token || token.revoked_at) throw new UnauthenticatedError('unknown or revoked enrolment token');
      if (!token.last_used_at || Date.parse(now()) - Date.parse(token.last_used_at) > 60_000) {
        await db.updateTable('enrolment_token').set({ last_used_at: now() }).where('token_id', '=', token.token_id).execute();
      }
      return { siteId: token.site_id, name: token.site_name, via: 'enrolment token' };
    }
    if (credential.clientDn) {
      const mapped = await db.selectFrom('reporter_dn').innerJoin(siteNames(db).as('s'), 's.site_id', 'reporter_dn.site_id').select(['s.site_id', 's.site_name'])
        .where('reporter_dn.dn', '=', credential.clientDn).executeTakeFirst();
      if (mapped) return { siteId: mapped.site_id, name: mapped.site_name, via: 'client certificate DN' };
    }
    return undefined;
  }

  return {
    /** Decides which site a report belongs to; throws UnauthenticatedError for a bad credential.
     *  A credential decides the site: a report naming another one is quarantined. */
    async resolve(claimedSite: string | undefined, credential: ReporterCredential): Promise<ReporterVerdict> {
      const enrolled = await credentialSite(credential);
      if (enrolled) {
        if (claimedSite && claimedSite !== enrolled.name && claimedSite !== enrolled.siteId) {
          return { kind: 'quarantine', reason: `${enrolled.via} of site ${enrolled.name}, report names site ${claimedSite}` };
        }
        return { kind: 'site', siteId: enrolled.siteId };
      }
      if (!claimedSite) return { kind: 'quarantine', reason: 'the report names no site' };
      const site = await findSiteByName(db, claimedSite);
      if (!site || site.removedAt) return { kind: 'quarantine', reason: `unknown site ${claimedSite}` };
      const policy = await db.selectFrom('site_report_policy').select('is_anonymous_allowed').where('site_id', '=', site.siteId).executeTakeFirst();
      if (policy?.is_anonymous_allowed !== 1) throw new UnauthenticatedError(`site ${claimedSite} accepts only enrolled reporters`);
      return { kind: 'site', siteId: site.siteId };
    },

    /** Whether the sender is an enrolled reporter (a valid enrolment token or a mapped DN), not
     *  merely someone naming a site; throws UnauthenticatedError for a bad token. */
    async isEnrolled(credential: ReporterCredential): Promise<boolean> {
      return (await credentialSite(credential)) !== undefined;
    },

    /** Issues an enrolment token for a site; the text is returned once. */
    async createToken(actor: Actor, siteId: string, name: string) {
      await requireAccess(actor, 'enrolment:manage', await registry.siteTarget(actor, siteId));
      const { token, prefix } = newPrefixedToken('vgr');
      const row = { token_id: newId(), site_id: siteId, name, token_hash: digest(token), prefix, created_at: now(), revoked_at: null, last_used_at: null };
      await db.transaction().execute(async (trx) => {
        await trx.insertInto('enrolment_token').values(row).execute();
        await audit.record(trx, { actor, action: 'enrolment-token.create', objectType: 'site', objectId: siteId, after: { tokenId: row.token_id, name, prefix } });
      });
      return { token, tokenId: row.token_id, prefix, name, siteId, createdAt: row.created_at };
    },

    async listTokens(actor: Actor, siteId: string) {
      await requireAccess(actor, 'enrolment:manage', await registry.siteTarget(actor, siteId));
      return db.selectFrom('enrolment_token').select(['token_id as tokenId', 'name', 'prefix', 'created_at as createdAt', 'revoked_at as revokedAt', 'last_used_at as lastUsedAt'])
        .where('site_id', '=', siteId).orderBy('created_at', 'desc').execute();
    },

    async revokeToken(actor: Actor, siteId: string, tokenId: string) {
      await requireAccess(actor, 'enrolment:manage', await registry.siteTarget(actor, siteId));
      await db.transaction().execute(async (trx) => {
        const before = await trx.selectFrom('enrolment_token').selectAll().where('token_id', '=', tokenId).where('site_id', '=', siteId).executeTakeFirst();
        if (!before) throw new NotFoundError('enrolment token', tokenId);
        if (before.revoked_at) return;
        await trx.updateTable('enrolment_token').set({ revoked_at: now() }).where('token_id', '=', tokenId).execute();
        await audit.record(trx, { actor, action: 'enrolment-token.revoke', objectType: 'site', objectId: siteId, before: { tokenId, name: before.name, revokedAt: null }, after: { tokenId, revokedAt: now() } });
      });
    },

    /** Lets anyone naming the site report for it (the CSIRT's call, per site). */
    async setAnonymous(actor: Actor, siteId: string, allowed: boolean) {
      await requireAccess(actor, 'feed:manage', { type: 'federation' });
      await registry.siteTarget(actor, siteId);
      await db.transaction().execute(async (trx) => {
        const before = await trx.selectFrom('site_report_policy').selectAll().where('site_id', '=', siteId).executeTakeFirst();
        await trx.insertInto('site_report_policy').values({ site_id: siteId, is_anonymous_allowed: allowed ? 1 : 0, updated_at: now() })
          .onConflict((oc) => oc.column('site_id').doUpdateSet({ is_anonymous_allowed: allowed ? 1 : 0, updated_at: now() })).execute();
        await audit.record(trx, { actor, action: 'site.report-policy', objectType: 'site', objectId: siteId,
          before: { anonymousAllowed: before?.is_anonymous_allowed === 1 }, after: { anonymousAllowed: allowed } });
      });
    },

    /** Throws ForbiddenError unless the actor reviews some quarantined reports (checked before a request body is read). */
    requireReviewer(actor: Actor): void {
      reviewScope(actor);
    },

    async listQuarantine(actor: Actor, query: QuarantineQuery) {
      const scope = reviewScope(actor);
      const base = db.selectFrom('report_quarantine as rq').where('rq.status', '=', query.status)
        .$if(!scope.all, (qb) => qb.where((eb) => eb('rq.claimed_site', 'in', claimedSitesOf(scope))))
        .$if(!!query.q, (qb) => qb.where((eb) => eb.or([containsCi(eb.ref('rq.hostname'), query.q!), containsCi(eb.ref('rq.claimed_site'), query.q!)])));
      const [rows, count] = await Promise.all([
        base.leftJoin(siteNames(db).as('released'), 'released.site_id', 'rq.released_site_id')
          // The host a released report became (host names are stored in lower case).
          .leftJoin('host', (j) => j.onRef('host.site_id', '=', 'rq.released_site_id').on((eb) => eb('host.hostname', '=', eb.fn<string>('lower', [eb.ref('rq.hostname')]))))
          .select(['rq.quarantine_id', 'rq.received_at', 'rq.claimed_site', 'rq.hostname', 'rq.reason', 'rq.status', 'rq.reviewed_by', 'rq.reviewed_at',
            'rq.released_site_id', 'rq.reject_reason', 'released.site_name as released_site_name', 'host.host_id'])
          .orderBy(query.status === 'pending' ? 'rq.received_at' : 'rq.reviewed_at', 'desc').orderBy('rq.quarantine_id')
          .limit(query.limit).offset(query.offset).execute(),
        base.select((eb) => eb.fn.countAll<number | string>().as('n')).executeTakeFirstOrThrow(),
      ]);
      return { items: rows.map(toQuarantineView), total: Number(count.n), limit: query.limit, offset: query.offset };
    },

    /** Stores a quarantined report as a report of the chosen site, and marks it released. */
    async releaseQuarantined(actor: Actor, quarantineId: string, siteId: string) {
      const scope = reviewScope(actor);
      const entry = await findReviewable(scope, quarantineId);
      const site = await registry.getSite(actor, siteId);
      if (site.removedAt) throw new InvalidError(`site ${site.name} is removed from the registry`, { field: 'siteId' });
      if (!scope.all) await requireAccess(actor, 'enrolment:manage', { type: 'ngi', ngiId: site.ngiId });
      const report = await decodeHeldReport(entry.report_gz);
      const summary = { hostname: entry.hostname, claimedSite: entry.claimed_site };
      // An old report must not roll back what the host has reported since.
      const newer = await db.selectFrom('host').select('last_report_at').where('site_id', '=', site.siteId)
        .where('hostname', '=', report.host.toLowerCase().slice(0, 253)).where('last_report_at', '>', entry.received_at).executeTakeFirst();
      if (newer) throw new ConflictError(`${entry.hostname} has reported to ${site.name} since this report was held (last at ${newer.last_report_at}); reject it instead`);
      // Marked first, so two reviewers cannot both act; the intake then stores the report in a
      // transaction of its own.
      await db.transaction().execute(async (trx) => {
        await markReviewed(trx, quarantineId, { status: 'released', reviewed_by: actor.label, reviewed_at: now(), released_site_id: site.siteId });
        await audit.record(trx, { actor, action: 'report-quarantine.release', objectType: 'report-quarantine', objectId: quarantineId,
          before: { ...summary, status: 'pending' }, after: { ...summary, status: 'released', siteId: site.siteId, siteName: site.name } });
      });
      const agent = report.agent ? `${report.agent.name}/${report.agent.version}` : 'unknown';
      let stored: Awaited<ReturnType<IngestService['accept']>>;
      try {
        stored = await ingest().accept(report, {}, 'store-only', `${agent} (${report.source}, released from quarantine)`, site.siteId);
      } catch (err) {
        // Not stored: back to pending for another attempt, and the audit log says so.
        await db.transaction().execute(async (trx) => {
          await trx.updateTable('report_quarantine').set({ status: 'pending', reviewed_by: null, reviewed_at: null, released_site_id: null })
            .where('quarantine_id', '=', quarantineId).where('status', '=', 'released').execute();
          await audit.record(trx, { actor, action: 'report-quarantine.release-failed', objectType: 'report-quarantine', objectId: quarantineId,
            before: { ...summary, status: 'released', siteId: site.siteId }, after: { ...summary, status: 'pending' } });
        });
        throw err;
      }
      return { ...(await getQuarantineView(quarantineId)), hostId: stored.hostId ?? null };
    },

    /** Refuses a quarantined report for good; it stays listed with the reason. */
    async rejectQuarantined(actor: Actor, quarantineId: string, reason: string) {
      const scope = reviewScope(actor);
      const entry = await findReviewable(scope, quarantineId);
      const summary = { hostname: entry.hostname, claimedSite: entry.claimed_site };
      await db.transaction().execute(async (trx) => {
        await markReviewed(trx, quarantineId, { status: 'rejected', reviewed_by: actor.label, reviewed_at: now(), reject_reason: reason });
        await audit.record(trx, { actor, action: 'report-quarantine.reject', objectType: 'report-quarantine', objectId: quarantineId,
          before: { ...summary, status: 'pending' }, after: { ...summary, status: 'rejected', reason } });
      });
      return getQuarantineView(quarantineId);
    },

    /** Maps a client-certificate DN to a site. A DN reports for one site: one mapped to another
     *  site moves only for someone who manages both (audited with both sites), else 409. */
    async mapDn(actor: Actor, siteId: string, dn: string) {
      await requireAccess(actor, 'enrolment:manage', await registry.siteTarget(actor, siteId));
      const current = await db.selectFrom('reporter_dn').select('site_id').where('dn', '=', dn).executeTakeFirst();
      if (current?.site_id === siteId) return;
      if (current) {
        // Read before the transaction: on SQLite the registry's reads would wait for it.
        const other = await registry.siteTarget(actor, current.site_id).catch((err: unknown) => {
          if (err instanceof NotFoundError) return undefined;
          throw err;
        });
        if (!other || !can(actor, 'enrolment:manage', other)) {
          throw new ConflictError('this DN already reports for another site; only someone who manages both sites may move it', { field: 'dn' });
        }
      }
      await db.transaction().execute(async (trx) => {
        const changed = current
          ? Number((await trx.updateTable('reporter_dn').set({ site_id: siteId, created_at: now() }).where('dn', '=', dn).where('site_id', '=', current.site_id)
            .executeTakeFirst()).numUpdatedRows)
          : Number((await trx.insertInto('reporter_dn').values({ dn, site_id: siteId, created_at: now() }).onConflict((oc) => oc.column('dn').doNothing())
            .executeTakeFirst()).numInsertedOrUpdatedRows ?? 0);
        if (changed === 0) throw new ConflictError('the DN was mapped meanwhile; try again', { field: 'dn' });
        if (!current) {
          await audit.record(trx, { actor, action: 'reporter-dn.map', objectType: 'site', objectId: siteId, after: { dn, siteId } });
          return;
        }
        // On both sites, so each one's audit trail shows the move.
        for (const objectId of [current.site_id, siteId]) {
          await audit.record(trx, { actor, action: 'reporter-dn.move', objectType: 'site', objectId, before: { dn, siteId: current.site_id }, after: { dn, siteId } });
        }
      });
    },

    /** Removes a DN's mapping to the site; reports sent with it are then anonymous. */
    async unmapDn(actor: Actor, siteId: string, dn: string) {
      await requireAccess(actor, 'enrolment:manage', await registry.siteTarget(actor, siteId));
      await db.transaction().execute(async (trx) => {
        const removed = await trx.deleteFrom('reporter_dn').where('dn', '=', dn).where('site_id', '=', siteId).executeTakeFirst();
        if (Number(removed.numDeletedRows) === 0) throw new NotFoundError('reporter DN of this site', dn);
        await audit.record(trx, { actor, action: 'reporter-dn.unmap', objectType: 'site', objectId: siteId, before: { dn, siteId } });
      });
    },

    async listDns(actor: Actor, siteId: string) {
      await requireAccess(actor, 'enrolment:manage', await registry.siteTarget(actor, siteId));
      return db.selectFrom('reporter_dn').select(['dn', 'created_at as mappedAt']).where('site_id', '=', siteId).orderBy('dn').execute();
    },
  };
}
export type ReporterService = ReturnType<typeof createReporterService>;

/** Changes a pending entry; none changed means another reviewer got there first. */
async function markReviewed(trx: Executor, quarantineId: string, change: Partial<ReportQuarantineTable>) {
  const result = await trx.updateTable('report_quarantine').set(change).where('quarantine_id', '=', quarantineId).where('status', '=', 'pending').executeTakeFirst();
  if (Number(result.numUpdatedRows) === 0) throw new ConflictError('the report was reviewed meanwhile');
}

function toQuarantineView(r: Pick<ReportQuarantineTable, 'quarantine_id' | 'received_at' | 'claimed_site' | 'hostname' | 'reason' | 'status' | 'reviewed_by'
  | 'reviewed_at' | 'released_site_id' | 'reject_reason'> & { released_site_name: string | null; host_id: string | null }) {
  return {
    quarantineId: r.quarantine_id, receivedAt: r.received_at, claimedSite: r.claimed_site, hostname: r.hostname, reason: r.reason, status: r.status,
    reviewedBy: r.reviewed_by, reviewedAt: r.reviewed_at, releasedSiteId: r.released_site_id, releasedSiteName: r.released_site_name,
    rejectReason: r.reject_reason, hostId: r.host_id,
  };
}
