// Who may report for a site: an enrolment token, a mapped client-certificate DN, or, where the
// CSIRT allows it for the site, anyone naming it (as Pakiti does). A report naming an unknown
// site goes to quarantine for review; sites are never created by reports.
import type { Db } from '../../db/database.js';
import type { Clock } from '../../core/clock.js';
import type { Audit } from '../../core/audit.js';
import { newId } from '../../core/ids.js';
import { NotFoundError, UnauthenticatedError } from '../../core/errors.js';
import { requireAt, type Actor } from '../../core/policy.js';
import type { RegistryService } from '../registry/service.js';
import { digest, newPrefixedToken } from '../identity/secrets.js';

export interface ReporterCredential { bearer?: string | undefined; clientDn?: string | undefined }

export type ReporterVerdict =
  | { kind: 'site'; siteId: string; siteName: string; via: string }
  | { kind: 'quarantine'; reason: string };

export function createReporterService({ db, clock, audit, registry }: { db: Db; clock: Clock; audit: Audit; registry: Pick<RegistryService, 'siteTarget'> }) {
  const now = () => clock.now().toISOString();

  return {
    /** Decides which site a report belongs to; throws UnauthenticatedError for a bad credential. */
    async resolve(claimedSite: string | undefined, credential: ReporterCredential): Promise<ReporterVerdict> {
      if (credential.bearer) {
        const token = await db.selectFrom('enrolment_token').innerJoin('site', 'site.site_id', 'enrolment_token.site_id')
          .select(['enrolment_token.token_id', 'enrolment_token.revoked_at', 'enrolment_token.last_used_at', 'site.site_id', 'site.name'])
          .where('enrolment_token.token_hash', '=', digest(credential.bearer)).executeTakeFirst();
        if (!token || token.revoked_at) throw new UnauthenticatedError('unknown or revoked enrolment token');
        if (!token.last_used_at || Date.parse(now()) - Date.parse(token.last_used_at) > 60_000) {
          await db.updateTable('enrolment_token').set({ last_used_at: now() }).where('token_id', '=', token.token_id).execute();
        }
        if (claimedSite && claimedSite !== token.name && claimedSite !== token.site_id) {
          return { kind: 'quarantine', reason: `enrolment token of site ${token.name}, report names site ${claimedSite}` };
        }
        return { kind: 'site', siteId: token.site_id, siteName: token.name, via: 'enrolment token' };
      }
      if (credential.clientDn) {
        const mapped = await db.selectFrom('reporter_dn').innerJoin('site', 'site.site_id', 'reporter_dn.site_id')
          .select(['site.site_id', 'site.name']).where('reporter_dn.dn', '=', credential.clientDn).executeTakeFirst();
        if (mapped) return { kind: 'site', siteId: mapped.site_id, siteName: mapped.name, via: 'client certificate' };
      }
      if (!claimedSite) return { kind: 'quarantine', reason: 'the report names no site' };
      const site = await db.selectFrom('site').leftJoin('site_report_policy', 'site_report_policy.site_id', 'site.site_id')
        .select(['site.site_id', 'site.name', 'site_report_policy.is_anonymous_allowed'])
        .where('site.name', '=', claimedSite).where('site.removed_at', 'is', null).executeTakeFirst();
      if (!site) return { kind: 'quarantine', reason: `unknown site ${claimedSite}` };
      if (site.is_anonymous_allowed !== 1) throw new UnauthenticatedError(`site ${claimedSite} accepts only enrolled reporters`);
      return { kind: 'site', siteId: site.site_id, siteName: site.name, via: 'anonymous' };
    },

    /** Issues an enrolment token for a site; the text is returned once. */
    async createToken(actor: Actor, siteId: string, name: string) {
      requireAt(actor, 'enrolment:manage', await registry.siteTarget(actor, siteId));
      const { token, prefix } = newPrefixedToken('vgr');
      const row = { token_id: newId(), site_id: siteId, name, token_hash: digest(token), prefix, created_at: now(), revoked_at: null, last_used_at: null };
      await db.transaction().execute(async (trx) => {
        await trx.insertInto('enrolment_token').values(row).execute();
        await audit.record(trx, { actor, action: 'enrolment-token.create', objectType: 'site', objectId: siteId, after: { tokenId: row.token_id, name, prefix } });
      });
      return { token, tokenId: row.token_id, prefix, name, siteId, createdAt: row.created_at };
    },

    async listTokens(actor: Actor, siteId: string) {
      await registry.siteTarget(actor, siteId);
      return db.selectFrom('enrolment_token').select(['token_id as tokenId', 'name', 'prefix', 'created_at as createdAt', 'revoked_at as revokedAt', 'last_used_at as lastUsedAt'])
        .where('site_id', '=', siteId).orderBy('created_at', 'desc').execute();
    },

    async revokeToken(actor: Actor, siteId: string, tokenId: string) {
      requireAt(actor, 'enrolment:manage', await registry.siteTarget(actor, siteId));
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
      requireAt(actor, 'feed:manage', { type: 'federation' });
      await registry.siteTarget(actor, siteId);
      await db.transaction().execute(async (trx) => {
        const before = await trx.selectFrom('site_report_policy').selectAll().where('site_id', '=', siteId).executeTakeFirst();
        await trx.insertInto('site_report_policy').values({ site_id: siteId, is_anonymous_allowed: allowed ? 1 : 0, updated_at: now() })
          .onConflict((oc) => oc.column('site_id').doUpdateSet({ is_anonymous_allowed: allowed ? 1 : 0, updated_at: now() })).execute();
        await audit.record(trx, { actor, action: 'site.report-policy', objectType: 'site', objectId: siteId,
          before: { anonymousAllowed: before?.is_anonymous_allowed === 1 }, after: { anonymousAllowed: allowed } });
      });
    },

    async listQuarantine(actor: Actor) {
      requireAt(actor, 'feed:manage', { type: 'federation' });
      const rows = await db.selectFrom('report_quarantine').select(['quarantine_id', 'received_at', 'claimed_site', 'hostname', 'reason', 'status'])
        .orderBy('received_at', 'desc').limit(500).execute();
      return rows.map((r) => ({ quarantineId: r.quarantine_id, receivedAt: r.received_at, claimedSite: r.claimed_site, hostname: r.hostname, reason: r.reason, status: r.status }));
    },

    async mapDn(actor: Actor, siteId: string, dn: string) {
      requireAt(actor, 'enrolment:manage', await registry.siteTarget(actor, siteId));
      await db.transaction().execute(async (trx) => {
        await trx.insertInto('reporter_dn').values({ dn, site_id: siteId, created_at: now() }).onConflict((oc) => oc.column('dn').doUpdateSet({ site_id: siteId })).execute();
        await audit.record(trx, { actor, action: 'reporter-dn.map', objectType: 'site', objectId: siteId, after: { dn } });
      });
    },
  };
}
export type ReporterService = ReturnType<typeof createReporterService>;
