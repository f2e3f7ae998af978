// CSIRT risk tags on CVEs (EGI-Critical, EGI-High, …), optionally for one architecture: the
// seeds rate one kernel flaw HIGH on 64-bit and CRITICAL on 32-bit.
import type { Expression, ExpressionBuilder, SqlBool } from 'kysely';
import type { Db } from '../../db/database.js';
import type { Database } from '../../db/schema.js';
import type { Clock } from '../../core/clock.js';
import type { Audit } from '../../core/audit.js';
import { InvalidError, NotFoundError } from '../../core/errors.js';
import { FEDERATION, requireAccess, type Actor } from '../../core/access.js';

export const DEFAULT_RISK_TAGS = ['EGI-Critical', 'EGI-High'];

/** SQL, the rule written once: a tag counts on a host when it is for every architecture ('') or for the host's. */
export function tagApplies(eb: ExpressionBuilder<Database, 'cve_tag'>, hostArch: Expression<string> | string): Expression<SqlBool> {
  return eb.or([eb('cve_tag.arch', '=', ''), eb('cve_tag.arch', '=', hostArch)]);
}
const CVE_ID = /^(CVE-\d{4}-\d{4,}|[A-Z]{2,10}-\d{4}[-:]\d{1,10}(?:-\d+)?)$/;

export function createTagService({ db, clock, audit, allowedTags }: { db: Db; clock: Clock; audit: Audit; allowedTags: readonly string[] }) {
  return {
    allowedTags,
    list: (cveId?: string) =>
      db
        .selectFrom('cve_tag')
        .selectAll()
        .$if(!!cveId, (q) => q.where('cve_id', '=', cveId!))
        .orderBy('tagged_at', 'desc')
        .limit(1000)
        .execute()
        .then((rows) => rows.map((t) => ({ cve: t.cve_id, tag: t.tag, arch: t.arch || null, reason: t.reason, taggedAt: t.tagged_at, taggedBy: t.tagged_by }))),

    async tag(actor: Actor, input: { cve: string; tag: string; reason: string; arch?: string | null | undefined }) {
      await requireAccess(actor, 'cve:tag', FEDERATION);
      if (!CVE_ID.test(input.cve)) throw new InvalidError(`${input.cve} is not a CVE or advisory id`, { field: 'cve' });
      if (!allowedTags.includes(input.tag)) throw new InvalidError(`unknown tag ${input.tag}; use one of ${allowedTags.join(', ')}`, { field: 'tag' });
      const row = {
        cve_id: input.cve,
        tag: input.tag,
        arch: input.arch ?? '',
        reason: input.reason,
        tagged_at: clock.now().toISOString(),
        tagged_by: actor.label,
      };
      await db.transaction().execute(async (trx) => {
        const before = await trx
          .selectFrom('cve_tag')
          .selectAll()
          .where('cve_id', '=', row.cve_id)
          .where('tag', '=', row.tag)
          .where('arch', '=', row.arch)
          .executeTakeFirst();
        await trx
          .insertInto('cve_tag')
          .values(row)
          .onConflict((oc) => oc.columns(['cve_id', 'tag', 'arch']).doUpdateSet({ reason: row.reason, tagged_at: row.tagged_at, tagged_by: row.tagged_by }))
          .execute();
        await audit.record(trx, { actor, action: 'cve.tag', objectType: 'cve', objectId: row.cve_id, before: before ?? null, after: row });
      });
      return { cve: row.cve_id, tag: row.tag, arch: row.arch || null, reason: row.reason, taggedAt: row.tagged_at, taggedBy: row.tagged_by };
    },

    async untag(actor: Actor, input: { cve: string; tag: string; arch?: string | null | undefined }) {
      await requireAccess(actor, 'cve:tag', FEDERATION);
      await db.transaction().execute(async (trx) => {
        const before = await trx
          .selectFrom('cve_tag')
          .selectAll()
          .where('cve_id', '=', input.cve)
          .where('tag', '=', input.tag)
          .where('arch', '=', input.arch ?? '')
          .executeTakeFirst();
        if (!before) throw new NotFoundError('tag', `${input.tag} on ${input.cve}`);
        await trx
          .deleteFrom('cve_tag')
          .where('cve_id', '=', input.cve)
          .where('tag', '=', input.tag)
          .where('arch', '=', input.arch ?? '')
          .execute();
        await audit.record(trx, { actor, action: 'cve.untag', objectType: 'cve', objectId: input.cve, before });
      });
    },
  };
}
export type TagService = ReturnType<typeof createTagService>;
