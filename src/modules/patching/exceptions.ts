// Exceptions: a site security officer records that a finding does not apply (a locally rebuilt
// package that keeps the vendor version, a mitigation in place) for one CVE and a host, a
// package or an OS release, with a justification and an expiry. An accepted exception's findings
// stay on the host page, marked, but leave the CSIRT's exposure views, the CSV and the probe.
// An exception to a CVE the CSIRT has tagged waits for the CSIRT's review (issue 11): pending and
// rejected exceptions except nothing (exception-review.ts).
import { sql, type Expression, type ExpressionBuilder, type SqlBool } from 'kysely';
import type { Db, Executor } from '../../db/database.js';
import { LOCK_NAMESPACE, lockForTransaction } from '../../db/advisory-lock.js';
import type { Database, FindingExceptionTable } from '../../db/schema.js';
import type { Clock } from '../../core/clock.js';
import type { Audit } from '../../core/audit.js';
import { newId } from '../../core/ids.js';
import { InvalidError, NotFoundError } from '../../core/errors.js';
import { abilities, reach as reachOf, requireAccess, type Actor } from '../../core/access.js';
import { siteNames, sitesInReach } from '../registry/index.js';
import { exceptionKind, patchSiteKind } from './access.js';

const MAX_DAYS = 366;

export const EXCEPTION_STATUSES = ['pending', 'accepted', 'rejected'] as const;
export type ExceptionStatus = (typeof EXCEPTION_STATUSES)[number];

export interface ExceptionInput {
  siteId: string;
  cve: string;
  hostId?: string | undefined;
  packageName?: string | undefined;
  osKey?: string | undefined;
  justification: string;
  expiresAt: string;
}

/** The host a finding is on: its site, id and OS release, as the `host` row's columns or as values. */
export interface FindingHost {
  siteId: string;
  hostId: string;
  osKey: string | null;
}

/**
 * The exception rule, written once: the exceptions (alias `e`) of the host's site for the
 * finding's CVE that cover it: not revoked, not expired, in the given status (`accepted`: in
 * effect), and each of the host, package and OS release an exception names (if any) must match.
 * `finding` must be in scope; the host is the `host` row unless given.
 */
export function coveringExceptions(eb: ExpressionBuilder<Database, 'finding' | 'host'>, now: string, on?: FindingHost, status: ExceptionStatus = 'accepted') {
  const ref = (column: 'site_id' | 'host_id' | 'os_key', value: string | null | undefined) =>
    (on ? eb.val(value ?? '') : eb.ref(`host.${column}`)) as Expression<string>;
  return eb
    .selectFrom('finding_exception as e')
    .where('e.site_id', '=', ref('site_id', on?.siteId))
    .whereRef('e.cve_id', '=', 'finding.cve_id')
    .where('e.status', '=', status)
    .where('e.revoked_at', 'is', null)
    .where('e.expires_at', '>', now)
    .where((w) => w.or([w('e.host_id', 'is', null), w('e.host_id', '=', ref('host_id', on?.hostId))]))
    .where((w) => w.or([w('e.package_name', 'is', null), w('e.package_name', '=', w.ref('finding.package_name'))]))
    .where((w) => w.or([w('e.os_key', 'is', null), w('e.os_key', '=', ref('os_key', on?.osKey))]));
}

/** SQL: no exception in effect covers this finding on this host. */
export function notExcepted(eb: ExpressionBuilder<Database, 'finding' | 'host'>, now: string, on?: FindingHost): Expression<SqlBool> {
  return eb.not(eb.exists(coveringExceptions(eb, now, on).select(sql<number>`1`.as('one'))));
}

/** The sites holding an exception in effect for the CVE (the exposure views' first cut; the rule above decides per finding). */
export const sitesExceptingCve = (db: Executor, cve: string, now: string) =>
  db
    .selectFrom('finding_exception')
    .select('site_id')
    .distinct()
    .where('cve_id', '=', cve)
    .where('status', '=', 'accepted')
    .where('revoked_at', 'is', null)
    .where('expires_at', '>', now)
    .execute()
    .then((rows) => rows.map((r) => r.site_id));

/**
 * On PostgreSQL (READ COMMITTED) an exception recorded while its CVE is tagged would not see the
 * tag, nor the tagging the exception, and would take effect unreviewed. Both take this lock,
 * as the first statement of their transaction (before the audit head's row lock, or the two
 * would deadlock): the second waits for the first to commit, then reads its rows.
 */
export const lockCveExceptions = (trx: Executor, cve: string) => lockForTransaction(trx, LOCK_NAMESPACE.cveExceptions, cve);

/** Does an exception to this CVE need the CSIRT's review? Yes while the CVE carries a tag whose level the CSIRT did not let through at once. */
export async function needsReview(db: Executor, cve: string): Promise<boolean> {
  const row = await db
    .selectFrom('cve_tag')
    .select('cve_tag.tag')
    .where('cve_tag.cve_id', '=', cve)
    .where('cve_tag.tag', 'not in', (eb) => eb.selectFrom('exception_auto_accept').select('exception_auto_accept.tag'))
    .executeTakeFirst();
  return !!row;
}

export const exceptionView = (r: FindingExceptionTable) => ({
  exceptionId: r.exception_id,
  siteId: r.site_id,
  cve: r.cve_id,
  hostId: r.host_id,
  packageName: r.package_name,
  osKey: r.os_key,
  justification: r.justification,
  expiresAt: r.expires_at,
  createdBy: r.created_by,
  createdAt: r.created_at,
  revokedAt: r.revoked_at,
  status: r.status as ExceptionStatus,
  reviewedBy: r.reviewed_by,
  reviewedAt: r.reviewed_at,
  reviewReason: r.review_reason,
});

export function createExceptionService({ db, clock, audit }: { db: Db; clock: Clock; audit: Audit }) {
  return {
    async create(actor: Actor, input: ExceptionInput) {
      await requireAccess(actor, 'exception:manage', { kind: patchSiteKind(db), id: input.siteId });
      const now = clock.now();
      const expires = Date.parse(input.expiresAt);
      if (!(expires > now.getTime())) throw new InvalidError('expiresAt must be in the future', { field: 'expiresAt' });
      if (expires > now.getTime() + MAX_DAYS * 86_400_000) throw new InvalidError(`an exception lasts at most ${MAX_DAYS} days`, { field: 'expiresAt' });
      if (input.hostId) {
        const host = await db.selectFrom('host').select('site_id').where('host_id', '=', input.hostId).executeTakeFirst();
        if (!host || host.site_id !== input.siteId) throw new InvalidError("the host is not one of the site's hosts", { field: 'hostId' });
      }
      return db.transaction().execute(async (trx) => {
        // Decided in the transaction that stores it, under the CVE's lock (PostgreSQL): a tag set
        // at the same moment either is seen here or sees this exception and holds it back
        // (holdForReview, exception-review.ts).
        await lockCveExceptions(trx, input.cve);
        const pending = await needsReview(trx, input.cve);
        const row: FindingExceptionTable = {
          exception_id: newId(),
          site_id: input.siteId,
          cve_id: input.cve,
          host_id: input.hostId ?? null,
          package_name: input.packageName ?? null,
          os_key: input.osKey ?? null,
          justification: input.justification,
          expires_at: new Date(expires).toISOString(),
          created_by: actor.label,
          created_by_person_id: actor.personId,
          created_at: now.toISOString(),
          revoked_at: null,
          status: pending ? 'pending' : 'accepted',
          reviewed_by: null,
          reviewed_at: null,
          review_reason: null,
        };
        await trx.insertInto('finding_exception').values(row).execute();
        await audit.record(trx, { actor, action: 'exception.create', objectType: 'site', objectId: input.siteId, after: exceptionView(row) });
        return exceptionView(row);
      });
    },

    /** Exceptions within the reader's reach, newest first, with their site and host names and what the reader may do with each. */
    async list(
      actor: Actor,
      filter: { siteId?: string | undefined; cve?: string | undefined; hostId?: string | undefined; status?: ExceptionStatus | undefined },
    ) {
      const reach = reachOf(actor, 'patching:read');
      const rows = await db
        .selectFrom('finding_exception')
        .innerJoin(siteNames(db).as('s'), 's.site_id', 'finding_exception.site_id')
        .leftJoin('host', 'host.host_id', 'finding_exception.host_id')
        .selectAll('finding_exception')
        .select(['s.site_name', 's.ngi_id', 'host.hostname'])
        .$if(!reach.all, (q) => q.where('finding_exception.site_id', 'in', sitesInReach(db, reach)))
        .$if(!!filter.siteId, (q) => q.where('finding_exception.site_id', '=', filter.siteId!))
        .$if(!!filter.cve, (q) => q.where('finding_exception.cve_id', '=', filter.cve!))
        .$if(!!filter.hostId, (q) =>
          q.where((eb) => eb.or([eb('finding_exception.host_id', '=', filter.hostId!), eb('finding_exception.host_id', 'is', null)])),
        )
        .$if(!!filter.status, (q) => q.where('finding_exception.status', '=', filter.status!))
        .orderBy('finding_exception.created_at', 'desc')
        .orderBy('finding_exception.exception_id')
        .limit(1000)
        .execute();
      const now = clock.now().toISOString();
      return rows.map((r) => ({
        ...exceptionView(r),
        siteName: r.site_name,
        hostname: r.hostname ?? null,
        inEffect: r.status === 'accepted' && !r.revoked_at && r.expires_at > now,
        abilities: abilities(actor, { type: 'site', siteId: r.site_id, ngiId: r.ngi_id }, ['exception:manage', 'exception:review']),
      }));
    },

    async revoke(actor: Actor, exceptionId: string) {
      await requireAccess(actor, 'exception:manage', { kind: exceptionKind(db), id: exceptionId });
      const before = await db.selectFrom('finding_exception').selectAll().where('exception_id', '=', exceptionId).executeTakeFirst();
      if (!before) throw new NotFoundError('exception', exceptionId);
      if (before.revoked_at) return;
      const at = clock.now().toISOString();
      await db.transaction().execute(async (trx) => {
        await trx.updateTable('finding_exception').set({ revoked_at: at }).where('exception_id', '=', exceptionId).execute();
        await audit.record(trx, {
          actor,
          action: 'exception.revoke',
          objectType: 'site',
          objectId: before.site_id,
          before: exceptionView(before),
          after: { ...exceptionView(before), revokedAt: at },
        });
      });
    },
  };
}
export type ExceptionService = ReturnType<typeof createExceptionService>;
