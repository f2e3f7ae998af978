// Exceptions: a site security officer records that a finding does not apply (a locally rebuilt
// package that keeps the vendor version, a mitigation in place) for one CVE and a host, a
// package or an OS release, with a justification and an expiry. Excepted findings stay on the
// host page, marked, but leave the CSIRT's exposure views, the CSV and the probe.
import { sql, type Expression, type ExpressionBuilder, type SqlBool } from 'kysely';
import { idsOrNone } from '../../db/filters.js';
import type { Db } from '../../db/database.js';
import type { Database } from '../../db/schema.js';
import type { Clock } from '../../core/clock.js';
import type { Audit } from '../../core/audit.js';
import { newId } from '../../core/ids.js';
import { InvalidError, NotFoundError } from '../../core/errors.js';
import { reach as reachOf, requireAccess, type Actor } from '../../core/access.js';
import { sitesInReach } from '../registry/index.js';
import { exceptionKind, patchSiteKind } from './access.js';

const MAX_DAYS = 366;

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
 * The exception rule, written once: the active exceptions (alias `e`) of the host's site for the
 * finding's CVE that cover it: each of the host, package and OS release an exception names (if
 * any) must match. `finding` must be in scope; the host is the `host` row unless given.
 */
export function coveringExceptions(eb: ExpressionBuilder<Database, 'finding' | 'host'>, now: string, on?: FindingHost) {
  const ref = (column: 'site_id' | 'host_id' | 'os_key', value: string | null | undefined) =>
    (on ? eb.val(value ?? '') : eb.ref(`host.${column}`)) as Expression<string>;
  return eb
    .selectFrom('finding_exception as e')
    .where('e.site_id', '=', ref('site_id', on?.siteId))
    .whereRef('e.cve_id', '=', 'finding.cve_id')
    .where('e.revoked_at', 'is', null)
    .where('e.expires_at', '>', now)
    .where((w) => w.or([w('e.host_id', 'is', null), w('e.host_id', '=', ref('host_id', on?.hostId))]))
    .where((w) => w.or([w('e.package_name', 'is', null), w('e.package_name', '=', w.ref('finding.package_name'))]))
    .where((w) => w.or([w('e.os_key', 'is', null), w('e.os_key', '=', ref('os_key', on?.osKey))]));
}

/** SQL: no active exception covers this finding on this host. */
export function notExcepted(eb: ExpressionBuilder<Database, 'finding' | 'host'>, now: string, on?: FindingHost): Expression<SqlBool> {
  return eb.not(eb.exists(coveringExceptions(eb, now, on).select(sql<number>`1`.as('one'))));
}

export function createExceptionService({ db, clock, audit }: { db: Db; clock: Clock; audit: Audit }) {
  const view = (r: import('../../db/schema.js').FindingExceptionTable) => ({
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
  });

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
      const row = {
        exception_id: newId(),
        site_id: input.siteId,
        cve_id: input.cve,
        host_id: input.hostId ?? null,
        package_name: input.packageName ?? null,
        os_key: input.osKey ?? null,
        justification: input.justification,
        expires_at: new Date(expires).toISOString(),
        created_by: actor.label,
        created_at: now.toISOString(),
        revoked_at: null,
      };
      await db.transaction().execute(async (trx) => {
        await trx.insertInto('finding_exception').values(row).execute();
        await audit.record(trx, { actor, action: 'exception.create', objectType: 'site', objectId: input.siteId, after: view(row) });
      });
      return view(row);
    },

    async list(actor: Actor, filter: { siteId?: string | undefined; cve?: string | undefined }) {
      const reach = reachOf(actor, 'patching:read');
      const rows = await db
        .selectFrom('finding_exception')
        .selectAll('finding_exception')
        .$if(!reach.all, (q) => q.where('finding_exception.site_id', 'in', sitesInReach(db, reach)))
        .$if(!!filter.siteId, (q) => q.where('finding_exception.site_id', '=', filter.siteId!))
        .$if(!!filter.cve, (q) => q.where('finding_exception.cve_id', '=', filter.cve!))
        .orderBy('finding_exception.created_at', 'desc')
        .limit(1000)
        .execute();
      return rows.map(view);
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
          before: view(before),
          after: { ...view(before), revokedAt: at },
        });
      });
    },
  };
}
export type ExceptionService = ReturnType<typeof createExceptionService>;
