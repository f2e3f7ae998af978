// The patching objects the access check resolves: each lives in the scope of its site. Patch
// data is read with `patching:read`, so a site role sees its own sites' hosts only.
import type { Executor } from '../../db/database.js';
import type { ObjectKind, Target } from '../../core/access.js';
import { siteNames, siteScope } from '../registry/index.js';

const siteTarget = (row: { site_id: string; ngi_id: string } | undefined): Target | undefined =>
  row ? { type: 'site', siteId: row.site_id, ngiId: row.ngi_id } : undefined;

export const hostKind = (db: Executor): ObjectKind => ({
  label: 'host',
  read: 'patching:read',
  scopeOf: async (hostId) =>
    siteTarget(
      await db
        .selectFrom('host')
        .innerJoin(siteNames(db).as('s'), 's.site_id', 'host.site_id')
        .select(['s.site_id', 's.ngi_id'])
        .where('host.host_id', '=', hostId)
        .executeTakeFirst(),
    ),
});

export const exceptionKind = (db: Executor): ObjectKind => ({
  label: 'exception',
  read: 'patching:read',
  scopeOf: async (exceptionId) =>
    siteTarget(
      await db
        .selectFrom('finding_exception')
        .innerJoin(siteNames(db).as('s'), 's.site_id', 'finding_exception.site_id')
        .select(['s.site_id', 's.ngi_id'])
        .where('finding_exception.exception_id', '=', exceptionId)
        .executeTakeFirst(),
    ),
});

/** A site as the holder of patch data (enrolment, report policy, exceptions): read with `patching:read`. */
export const patchSiteKind = (db: Executor): ObjectKind => ({
  label: 'site',
  read: 'patching:read',
  scopeOf: (siteId) => siteScope(db, siteId),
});
