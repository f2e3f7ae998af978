// Reports held for review: a report naming an unknown site, no site, or another site than its
// credential's is kept (quarantine-store.ts) until a reviewer releases it into a site, where the
// intake stores it, or rejects it. The CSIRT reviews all of them; an NGI security officer those
// naming a site of their NGI (`quarantine:review` at that scope). Unknown names are the CSIRT's.
import type { Db, Executor } from '../../db/database.js';
import type { Clock } from '../../core/clock.js';
import type { Audit } from '../../core/audit.js';
import { ConflictError, ForbiddenError, InvalidError, NotFoundError } from '../../core/errors.js';
import { reach, reachesNothing, requireAccess, type Actor, type Reach } from '../../core/access.js';
import { containsCi } from '../../db/filters.js';
import type { ReportQuarantineTable } from '../../db/schema.js';
import { siteNames, siteNamesOfNgis, type RegistryService } from '../registry/index.js';
import type { IntakeService } from './intake.js';
import { decodeHeldReport } from './quarantine-store.js';

export const QUARANTINE_STATUSES = ['pending', 'released', 'rejected'] as const;
export type QuarantineStatus = (typeof QUARANTINE_STATUSES)[number];
export interface QuarantineQuery {
  status: QuarantineStatus;
  limit: number;
  offset: number;
  q?: string | undefined;
}

interface QuarantineReviewDeps {
  db: Db;
  clock: Clock;
  audit: Audit;
  registry: Pick<RegistryService, 'getSite'>;
  /** Stores a released report. */
  intake: Pick<IntakeService, 'accept'>;
}

/** What an entry shows (with the released site joined as `released`). */
const VIEW_COLUMNS = [
  'rq.quarantine_id',
  'rq.received_at',
  'rq.claimed_site',
  'rq.hostname',
  'rq.reason',
  'rq.status',
  'rq.reviewed_by',
  'rq.reviewed_at',
  'rq.released_site_id',
  'rq.reject_reason',
  'released.site_name as released_site_name',
] as const;

/** Which entries the reviewer sees: all (federation-wide reviewers), or those naming a site of their NGIs. */
type ReviewScope = Reach;

export function createQuarantineReview({ db, clock, audit, registry, intake }: QuarantineReviewDeps) {
  const now = () => clock.now().toISOString();
  function reviewScope(actor: Actor): ReviewScope {
    const scope = reach(actor, 'quarantine:review');
    if (reachesNothing(scope)) throw new ForbiddenError('quarantined reports are reviewed by the CSIRT and NGI security officers');
    return scope;
  }

  /** Names and ids of the sites of the reviewer's NGIs (a report names its site either way). */
  const claimedSitesOf = (scope: ReviewScope) => siteNamesOfNgis(db, [...scope.ngiIds]);

  /** An entry the reviewer may act on: unknown, or out of their NGIs, reads as not found; reviewed already is a conflict. */
  async function findReviewable(scope: ReviewScope, quarantineId: string) {
    const entry = await db
      .selectFrom('report_quarantine as rq')
      .selectAll('rq')
      .where('rq.quarantine_id', '=', quarantineId)
      .$if(!scope.all, (qb) => qb.where((eb) => eb('rq.claimed_site', 'in', claimedSitesOf(scope))))
      .executeTakeFirst();
    if (!entry) throw new NotFoundError('quarantined report', quarantineId);
    if (entry.status !== 'pending') throw new ConflictError(`the report is already ${entry.status}`, { reviewStatus: entry.status });
    return entry;
  }

  async function getQuarantineView(quarantineId: string) {
    const row = await db
      .selectFrom('report_quarantine as rq')
      .leftJoin(siteNames(db).as('released'), 'released.site_id', 'rq.released_site_id')
      .select(VIEW_COLUMNS)
      .where('rq.quarantine_id', '=', quarantineId)
      .executeTakeFirstOrThrow();
    return toQuarantineView({ ...row, host_id: null });
  }

  return {
    async list(actor: Actor, query: QuarantineQuery) {
      const scope = reviewScope(actor);
      const base = db
        .selectFrom('report_quarantine as rq')
        .where('rq.status', '=', query.status)
        .$if(!scope.all, (qb) => qb.where((eb) => eb('rq.claimed_site', 'in', claimedSitesOf(scope))))
        .$if(!!query.q, (qb) => qb.where((eb) => eb.or([containsCi(eb.ref('rq.hostname'), query.q!), containsCi(eb.ref('rq.claimed_site'), query.q!)])));
      const [rows, count] = await Promise.all([
        base
          .leftJoin(siteNames(db).as('released'), 'released.site_id', 'rq.released_site_id')
          // The host a released report became (host names are stored in lower case).
          .leftJoin('host', (j) =>
            j.onRef('host.site_id', '=', 'rq.released_site_id').on((eb) => eb('host.hostname', '=', eb.fn<string>('lower', [eb.ref('rq.hostname')]))),
          )
          .select([...VIEW_COLUMNS, 'host.host_id'])
          .orderBy(query.status === 'pending' ? 'rq.received_at' : 'rq.reviewed_at', 'desc')
          .orderBy('rq.quarantine_id')
          .limit(query.limit)
          .offset(query.offset)
          .execute(),
        base.select((eb) => eb.fn.countAll<number | string>().as('n')).executeTakeFirstOrThrow(),
      ]);
      return { items: rows.map(toQuarantineView), total: Number(count.n), limit: query.limit, offset: query.offset };
    },

    /** Stores a quarantined report as a report of the chosen site, and marks it released. */
    async release(actor: Actor, quarantineId: string, siteId: string) {
      const scope = reviewScope(actor);
      const entry = await findReviewable(scope, quarantineId);
      const site = await registry.getSite(actor, siteId);
      if (site.removedAt) throw new InvalidError(`site ${site.name} is removed from the registry`, { field: 'siteId' });
      await requireAccess(actor, 'quarantine:review', { type: 'site', siteId: site.siteId, ngiId: site.ngiId });
      const report = await decodeHeldReport(entry.report_gz);
      const summary = { hostname: entry.hostname, claimedSite: entry.claimed_site };
      // An old report must not roll back what the host has reported since.
      const newer = await db
        .selectFrom('host')
        .select('last_report_at')
        .where('site_id', '=', site.siteId)
        .where('hostname', '=', report.host.toLowerCase().slice(0, 253))
        .where('last_report_at', '>', entry.received_at)
        .executeTakeFirst();
      if (newer)
        throw new ConflictError(
          `${entry.hostname} has reported to ${site.name} since this report was held (last at ${newer.last_report_at}); reject it instead`,
        );
      // Marked first, so two reviewers cannot both act; the intake then stores the report in a
      // transaction of its own.
      await db.transaction().execute(async (trx) => {
        await markReviewed(trx, quarantineId, { status: 'released', reviewed_by: actor.label, reviewed_at: now(), released_site_id: site.siteId });
        await audit.record(trx, {
          actor,
          action: 'report-quarantine.release',
          objectType: 'report-quarantine',
          objectId: quarantineId,
          before: { ...summary, status: 'pending' },
          after: { ...summary, status: 'released', siteId: site.siteId, siteName: site.name },
        });
      });
      const agent = report.agent ? `${report.agent.name}/${report.agent.version}` : 'unknown';
      let stored: Awaited<ReturnType<IntakeService['accept']>>;
      try {
        stored = await intake.accept(report, {}, 'store-only', `${agent} (${report.source}, released from quarantine)`, site.siteId);
      } catch (err) {
        // Not stored: back to pending for another attempt, and the audit log says so.
        await db.transaction().execute(async (trx) => {
          await trx
            .updateTable('report_quarantine')
            .set({ status: 'pending', reviewed_by: null, reviewed_at: null, released_site_id: null })
            .where('quarantine_id', '=', quarantineId)
            .where('status', '=', 'released')
            .execute();
          await audit.record(trx, {
            actor,
            action: 'report-quarantine.release-failed',
            objectType: 'report-quarantine',
            objectId: quarantineId,
            before: { ...summary, status: 'released', siteId: site.siteId },
            after: { ...summary, status: 'pending' },
          });
        });
        throw err;
      }
      return { ...(await getQuarantineView(quarantineId)), hostId: stored.hostId ?? null };
    },

    /** Refuses a quarantined report for good; it stays listed with the reason. */
    async reject(actor: Actor, quarantineId: string, reason: string) {
      const scope = reviewScope(actor);
      const entry = await findReviewable(scope, quarantineId);
      const summary = { hostname: entry.hostname, claimedSite: entry.claimed_site };
      await db.transaction().execute(async (trx) => {
        await markReviewed(trx, quarantineId, { status: 'rejected', reviewed_by: actor.label, reviewed_at: now(), reject_reason: reason });
        await audit.record(trx, {
          actor,
          action: 'report-quarantine.reject',
          objectType: 'report-quarantine',
          objectId: quarantineId,
          before: { ...summary, status: 'pending' },
          after: { ...summary, status: 'rejected', reason },
        });
      });
      return getQuarantineView(quarantineId);
    },
  };
}
export type QuarantineReview = ReturnType<typeof createQuarantineReview>;

/** Changes a pending entry; none changed means another reviewer got there first. */
async function markReviewed(trx: Executor, quarantineId: string, change: Partial<ReportQuarantineTable>) {
  const result = await trx
    .updateTable('report_quarantine')
    .set(change)
    .where('quarantine_id', '=', quarantineId)
    .where('status', '=', 'pending')
    .executeTakeFirst();
  if (Number(result.numUpdatedRows) === 0) throw new ConflictError('the report was reviewed meanwhile');
}

function toQuarantineView(
  r: Pick<
    ReportQuarantineTable,
    'quarantine_id' | 'received_at' | 'claimed_site' | 'hostname' | 'reason' | 'status' | 'reviewed_by' | 'reviewed_at' | 'released_site_id' | 'reject_reason'
  > & { released_site_name: string | null; host_id: string | null },
) {
  return {
    quarantineId: r.quarantine_id,
    receivedAt: r.received_at,
    claimedSite: r.claimed_site,
    hostname: r.hostname,
    reason: r.reason,
    status: r.status,
    reviewedBy: r.reviewed_by,
    reviewedAt: r.reviewed_at,
    releasedSiteId: r.released_site_id,
    releasedSiteName: r.released_site_name,
    rejectReason: r.reject_reason,
    hostId: r.host_id,
  };
}
