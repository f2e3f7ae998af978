// Who may report for a site: an enrolment token, a mapped client-certificate DN, or, where the
// CSIRT allows it for the site, anyone naming it (as Pakiti does). A report naming an unknown
// site goes to quarantine for review; sites are never created by reports.
import type { Db } from '../../db/database.js';
import type { Clock } from '../../core/clock.js';
import type { Audit } from '../../core/audit.js';
import { newId } from '../../core/ids.js';
import { ForbiddenError, NotFoundError, UnauthenticatedError } from '../../core/errors.js';
import { can, FEDERATION, requireAccess, type Actor } from '../../core/access.js';
import { endpointOwners, findSiteByName, siteNames, type RegistryService } from '../registry/index.js';
import { digest, newPrefixedToken } from '../../core/secrets.js';

export interface ReporterCredential {
  bearer?: string | undefined;
  clientDn?: string | undefined;
  /** The sender's address: not a credential, but what the quarantine's per-sender bounds count. */
  address?: string | undefined;
}

/** The one answer to every refused DN mapping (it must not tell whether the DN reports elsewhere). */
export const DN_REFUSAL =
  "a site maps only DNs of its own registered endpoints (the certificate's CN or GOCDB's host DN) that report for no other site; your NGI security officer or the CSIRT can map others";

/**
 * The host a certificate names: the last CN of an OpenSSL one-line DN (`/DC=org/…/CN=host/wn1.example.org`)
 * or the first of an RFC 2253 one (`CN=wn1.example.org,O=…`), without a `host/` or service prefix;
 * undefined when that CN is not a hostname (a person's or robot's certificate).
 */
export function hostnameOfDn(dn: string): string | undefined {
  // One-line parts start at a slash followed by `attribute=`: the slash inside `host/name` does not split.
  const oneLine = dn.startsWith('/');
  const parts = oneLine ? dn.slice(1).split(/\/(?=[A-Za-z][A-Za-z0-9.]*=)/) : dn.split(/(?<!\\),/);
  const cns = parts.map((p) => p.trim()).flatMap((p) => (/^CN=/i.test(p) ? [p.slice(3).trim()] : []));
  const host = (oneLine ? cns.at(-1) : cns[0])?.replace(/^[a-z][a-z0-9-]*\//i, '').toLowerCase();
  return host && HOSTNAME.test(host) ? host : undefined;
}

const HOSTNAME = /^(?=.{1,253}$)[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?(?:\.[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?)+$/;

/** A quarantine's `reason` is for the reviewers; `toSender`, when set, is all its sender is told. */
export type ReporterVerdict = { kind: 'site'; siteId: string } | { kind: 'quarantine'; reason: string; toSender?: string };

interface ReporterDeps {
  db: Db;
  clock: Clock;
  audit: Audit;
  registry: Pick<RegistryService, 'siteTarget' | 'getSite'>;
}

export function createReporterService({ db, clock, audit, registry }: ReporterDeps) {
  const now = () => clock.now().toISOString();

  /** The site a credential reports for: an enrolment token, else a mapped client-certificate DN. */
  async function credentialSite(credential: ReporterCredential): Promise<{ siteId: string; name: string; via: string } | undefined> {
    if (credential.bearer) {
      const token = await db
        .selectFrom('enrolment_token')
        .innerJoin(siteNames(db).as('s'), 's.site_id', 'enrolment_token.site_id')
        .select(['enrolment_token.token_id', 'enrolment_token.revoked_at', 'enrolment_token.last_used_at', 's.site_id', 's.site_name'])
        .where('enrolment_token.token_hash', '=', digest(credential.bearer))
        .executeTakeFirst();
      if (!token || token.revoked_at) throw new UnauthenticatedError('unknown or revoked enrolment token');
      if (!token.last_used_at || Date.parse(now()) - Date.parse(token.last_used_at) > 60_000) {
        await db.updateTable('enrolment_token').set({ last_used_at: now() }).where('token_id', '=', token.token_id).execute();
      }
      return { siteId: token.site_id, name: token.site_name, via: 'enrolment token' };
    }
    if (credential.clientDn) {
      const mapped = await db
        .selectFrom('reporter_dn')
        .innerJoin(siteNames(db).as('s'), 's.site_id', 'reporter_dn.site_id')
        .select(['s.site_id', 's.site_name'])
        .where('reporter_dn.dn', '=', credential.clientDn)
        .executeTakeFirst();
      if (mapped) return { siteId: mapped.site_id, name: mapped.site_name, via: 'client certificate DN' };
    }
    return undefined;
  }

  /** The site a report's credential, or failing that its site name, gives it. */
  async function siteOfReport(claimedSite: string | undefined, credential: ReporterCredential): Promise<ReporterVerdict> {
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
  }

  return {
    /** Decides which site a report belongs to; throws UnauthenticatedError for a bad credential.
     *  A credential decides the site: a report naming another one is quarantined, and so is a
     *  report from a host that another site registered as its endpoint (whatever the
     *  credential, a host's packages go to no site but its own). */
    async resolve(claimedSite: string | undefined, credential: ReporterCredential, hostname?: string): Promise<ReporterVerdict> {
      const verdict = await siteOfReport(claimedSite, credential);
      if (verdict.kind !== 'site' || !hostname) return verdict;
      const owners = await endpointOwners(db, { hostname });
      if (owners.length === 0 || owners.some((o) => o.siteId === verdict.siteId)) return verdict;
      // Which hosts a site registered is the registry's to show (registry:read), not a sender's to probe.
      return {
        kind: 'quarantine',
        reason: `host ${hostname.toLowerCase()} is a registered endpoint of another site`,
        toSender: "held for review by the federation's security officers",
      };
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
        await audit.record(trx, {
          actor,
          action: 'enrolment-token.create',
          objectType: 'site',
          objectId: siteId,
          after: { tokenId: row.token_id, name, prefix },
        });
      });
      return { token, tokenId: row.token_id, prefix, name, siteId, createdAt: row.created_at };
    },

    async listTokens(actor: Actor, siteId: string) {
      await requireAccess(actor, 'enrolment:manage', await registry.siteTarget(actor, siteId));
      return db
        .selectFrom('enrolment_token')
        .select(['token_id as tokenId', 'name', 'prefix', 'created_at as createdAt', 'revoked_at as revokedAt', 'last_used_at as lastUsedAt'])
        .where('site_id', '=', siteId)
        .orderBy('created_at', 'desc')
        .execute();
    },

    async revokeToken(actor: Actor, siteId: string, tokenId: string) {
      await requireAccess(actor, 'enrolment:manage', await registry.siteTarget(actor, siteId));
      await db.transaction().execute(async (trx) => {
        const before = await trx.selectFrom('enrolment_token').selectAll().where('token_id', '=', tokenId).where('site_id', '=', siteId).executeTakeFirst();
        if (!before) throw new NotFoundError('enrolment token', tokenId);
        if (before.revoked_at) return;
        await trx.updateTable('enrolment_token').set({ revoked_at: now() }).where('token_id', '=', tokenId).execute();
        await audit.record(trx, {
          actor,
          action: 'enrolment-token.revoke',
          objectType: 'site',
          objectId: siteId,
          before: { tokenId, name: before.name, revokedAt: null },
          after: { tokenId, revokedAt: now() },
        });
      });
    },

    /** Lets anyone naming the site report for it (the CSIRT's call, per site). */
    /** Whether the site takes anonymous (Pakiti-style) reports: for those who read its patch data. */
    async reportPolicy(actor: Actor, siteId: string): Promise<{ anonymousAllowed: boolean }> {
      await requireAccess(actor, 'patching:read', await registry.siteTarget(actor, siteId));
      const row = await db.selectFrom('site_report_policy').select('is_anonymous_allowed').where('site_id', '=', siteId).executeTakeFirst();
      return { anonymousAllowed: row?.is_anonymous_allowed === 1 };
    },

    async setAnonymous(actor: Actor, siteId: string, allowed: boolean) {
      await requireAccess(actor, 'report-policy:manage', FEDERATION);
      await registry.siteTarget(actor, siteId);
      await db.transaction().execute(async (trx) => {
        const before = await trx.selectFrom('site_report_policy').selectAll().where('site_id', '=', siteId).executeTakeFirst();
        await trx
          .insertInto('site_report_policy')
          .values({ site_id: siteId, is_anonymous_allowed: allowed ? 1 : 0, updated_at: now() })
          .onConflict((oc) => oc.column('site_id').doUpdateSet({ is_anonymous_allowed: allowed ? 1 : 0, updated_at: now() }))
          .execute();
        await audit.record(trx, {
          actor,
          action: 'site.report-policy',
          objectType: 'site',
          objectId: siteId,
          before: { anonymousAllowed: before?.is_anonymous_allowed === 1 },
          after: { anonymousAllowed: allowed },
        });
      });
    },

    /**
     * Maps a client-certificate DN to a site. A DN is a host's identity, so who may enrol it
     * follows who registered the host: a site's own operators may map a DN whose CN (or GOCDB
     * HOST_DN) is one of their site's registered endpoints and no other site's; whoever manages
     * enrolment for the site's whole NGI (NGI security officer, CSIRT) may map any DN, except
     * one registered to, or reporting for, a site they do not manage. Every refusal reads the
     * same, so the answer never tells whether a DN already reports somewhere. A DN mapped to
     * another site moves only for someone who manages both (audited with both sites).
     */
    async mapDn(actor: Actor, siteId: string, dn: string) {
      const site = await registry.siteTarget(actor, siteId);
      await requireAccess(actor, 'enrolment:manage', site);
      // Read before the transaction: on SQLite the registry's reads would wait for it.
      const owners = await endpointOwners(db, { hostname: hostnameOfDn(dn), dn });
      const current = await db.selectFrom('reporter_dn').select('site_id').where('dn', '=', dn).executeTakeFirst();
      if (current?.site_id === siteId) return;
      const manages = async (otherSiteId: string) => {
        const other = await registry.siteTarget(actor, otherSiteId).catch((err: unknown) => {
          if (err instanceof NotFoundError) return undefined;
          throw err;
        });
        return other !== undefined && can(actor, 'enrolment:manage', other);
      };
      const ngiWide = can(actor, 'enrolment:manage', { type: 'ngi', ngiId: site.ngiId });
      const registeredHere = owners.some((o) => o.siteId === siteId);
      let allowed = ngiWide || registeredHere;
      for (const o of owners) if (allowed && o.siteId !== siteId) allowed = ngiWide && (await manages(o.siteId));
      if (allowed && current) allowed = await manages(current.site_id);
      if (!allowed) throw new ForbiddenError(DN_REFUSAL);
      await db.transaction().execute(async (trx) => {
        const changed = current
          ? Number(
              (
                await trx
                  .updateTable('reporter_dn')
                  .set({ site_id: siteId, created_at: now() })
                  .where('dn', '=', dn)
                  .where('site_id', '=', current.site_id)
                  .executeTakeFirst()
              ).numUpdatedRows,
            )
          : Number(
              (
                await trx
                  .insertInto('reporter_dn')
                  .values({ dn, site_id: siteId, created_at: now() })
                  .onConflict((oc) => oc.column('dn').doNothing())
                  .executeTakeFirst()
              ).numInsertedOrUpdatedRows ?? 0,
            );
        // Mapped by someone else between the read and the write: refused as any other.
        if (changed === 0) throw new ForbiddenError(DN_REFUSAL);
        if (!current) {
          await audit.record(trx, { actor, action: 'reporter-dn.map', objectType: 'site', objectId: siteId, after: { dn, siteId } });
          return;
        }
        // On both sites, so each one's audit trail shows the move.
        for (const objectId of [current.site_id, siteId]) {
          await audit.record(trx, {
            actor,
            action: 'reporter-dn.move',
            objectType: 'site',
            objectId,
            before: { dn, siteId: current.site_id },
            after: { dn, siteId },
          });
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
