// CSIRT risk tags on CVEs (EGI-Critical, EGI-High, …), optionally for one architecture: the
// seeds rate one kernel flaw HIGH on 64-bit and CRITICAL on 32-bit. A tag keeps its tagging
// time for good (the SEC03 deadline runs from it): tagging a tagged CVE again changes nothing,
// and its level or reason changes only by an explicit edit, kept in its history (issue 11).
import type { Expression, ExpressionBuilder, SqlBool } from 'kysely';
import type { Db, Executor } from '../../db/database.js';
import type { CveTagTable, Database } from '../../db/schema.js';
import type { Clock } from '../../core/clock.js';
import type { Audit } from '../../core/audit.js';
import { newId } from '../../core/ids.js';
import { ConflictError, InvalidError, NotFoundError } from '../../core/errors.js';
import { FEDERATION, requireAccess, type Actor } from '../../core/access.js';
import { holdForReview } from './exception-review.js';
import { lockCveExceptions } from './exceptions.js';

export const DEFAULT_RISK_TAGS = ['EGI-Critical', 'EGI-High'];

/** SQL, the rule written once: a tag counts on a host when it is for every architecture ('') or for the host's. */
export function tagApplies(eb: ExpressionBuilder<Database, 'cve_tag'>, hostArch: Expression<string> | string): Expression<SqlBool> {
  return eb.or([eb('cve_tag.arch', '=', ''), eb('cve_tag.arch', '=', hostArch)]);
}
const CVE_ID = /^(CVE-\d{4}-\d{4,}|[A-Z]{2,10}-\d{4}[-:]\d{1,10}(?:-\d+)?)$/;

const tagView = (t: CveTagTable) => ({ cve: t.cve_id, tag: t.tag, arch: t.arch || null, reason: t.reason, taggedAt: t.tagged_at, taggedBy: t.tagged_by });
const archLabel = (arch: string) => (arch ? `for ${arch}` : 'for all architectures');

interface Change {
  cve: string;
  arch: string;
  action: 'tag' | 'edit' | 'untag';
  before: { tag: string; reason: string } | null;
  after: { tag: string; reason: string } | null;
}

export function createTagService({ db, clock, audit, allowedTags }: { db: Db; clock: Clock; audit: Audit; allowedTags: readonly string[] }) {
  const checkTag = (tag: string) => {
    if (!allowedTags.includes(tag)) throw new InvalidError(`unknown tag ${tag}; use one of ${allowedTags.join(', ')}`, { field: 'tag' });
  };
  // A tag no longer configured sorts after every configured one.
  const level = (tag: string) => (allowedTags.includes(tag) ? allowedTags.indexOf(tag) : allowedTags.length);
  const recordChange = (trx: Executor, actor: Actor, at: string, c: Change) =>
    trx
      .insertInto('cve_tag_change')
      .values({
        change_id: newId(),
        cve_id: c.cve,
        arch: c.arch,
        action: c.action,
        tag_before: c.before?.tag ?? null,
        tag_after: c.after?.tag ?? null,
        reason_before: c.before?.reason ?? null,
        reason_after: c.after?.reason ?? null,
        changed_by: actor.label,
        changed_at: at,
      })
      .execute();

  return {
    allowedTags,
    /** Tags by level (the order of the configured tags, most severe first), then newest first. */
    list: (cveId?: string) =>
      db
        .selectFrom('cve_tag')
        .selectAll()
        .$if(!!cveId, (q) => q.where('cve_id', '=', cveId!))
        .orderBy('tagged_at', 'desc')
        .limit(1000)
        .execute()
        .then((rows) => rows.map(tagView).sort((a, b) => level(a.tag) - level(b.tag))),

    /** Every change to the CVE's tags, newest first. */
    history: (cveId: string) =>
      db
        .selectFrom('cve_tag_change')
        .selectAll()
        .where('cve_id', '=', cveId)
        .orderBy('changed_at', 'desc')
        .orderBy('change_id', 'desc')
        .limit(1000)
        .execute()
        .then((rows) =>
          rows.map((r) => ({
            action: r.action as Change['action'],
            arch: r.arch || null,
            tagBefore: r.tag_before,
            tagAfter: r.tag_after,
            reasonBefore: r.reason_before,
            reasonAfter: r.reason_after,
            changedBy: r.changed_by,
            changedAt: r.changed_at,
          })),
        ),

    /**
     * Tags a CVE (for one architecture or all). Tagging it again with the same level and reason
     * changes nothing (`created: false`); with another level or reason it is refused (409): that
     * is an edit, which keeps the tagging time.
     */
    async tag(actor: Actor, input: { cve: string; tag: string; reason: string; arch?: string | null | undefined }) {
      await requireAccess(actor, 'cve:tag', FEDERATION);
      if (!CVE_ID.test(input.cve)) throw new InvalidError(`${input.cve} is not a CVE or advisory id`, { field: 'cve' });
      checkTag(input.tag);
      const at = clock.now().toISOString();
      const row: CveTagTable = { cve_id: input.cve, tag: input.tag, arch: input.arch ?? '', reason: input.reason, tagged_at: at, tagged_by: actor.label };
      return db.transaction().execute(async (trx) => {
        await lockCveExceptions(trx, row.cve_id);
        const existing = await trx.selectFrom('cve_tag').selectAll().where('cve_id', '=', row.cve_id).where('arch', '=', row.arch).execute();
        const same = existing.find((t) => t.tag === row.tag);
        if (same && same.reason === row.reason) return { ...tagView(same), created: false };
        const other = same ?? existing[0];
        if (other) {
          throw new ConflictError(
            `${row.cve_id} is tagged ${other.tag} ${archLabel(row.arch)} since ${other.tagged_at}; edit that tag to change its ${other.tag === row.tag ? 'reason' : 'level'}`,
          );
        }
        await trx.insertInto('cve_tag').values(row).execute();
        await recordChange(trx, actor, at, { cve: row.cve_id, arch: row.arch, action: 'tag', before: null, after: { tag: row.tag, reason: row.reason } });
        await audit.record(trx, { actor, action: 'cve.tag', objectType: 'cve', objectId: row.cve_id, before: null, after: row });
        await holdForReview(trx, audit, actor, row.cve_id, row.tag, at);
        return { ...tagView(row), created: true };
      });
    },

    /** Changes a tag's level or reason. The tagging time and who tagged stay: the deadline still runs from the first tagging. */
    async edit(
      actor: Actor,
      key: { cve: string; tag: string; arch?: string | null | undefined },
      change: { tag?: string | undefined; reason?: string | undefined },
    ) {
      await requireAccess(actor, 'cve:tag', FEDERATION);
      if (change.tag !== undefined) checkTag(change.tag);
      const arch = key.arch ?? '';
      const at = clock.now().toISOString();
      return db.transaction().execute(async (trx) => {
        await lockCveExceptions(trx, key.cve);
        const before = await trx
          .selectFrom('cve_tag')
          .selectAll()
          .where('cve_id', '=', key.cve)
          .where('tag', '=', key.tag)
          .where('arch', '=', arch)
          .executeTakeFirst();
        if (!before) throw new NotFoundError('tag', `${key.tag} on ${key.cve}`);
        const after: CveTagTable = { ...before, tag: change.tag ?? before.tag, reason: change.reason ?? before.reason };
        if (after.tag === before.tag && after.reason === before.reason) return tagView(before);
        if (after.tag !== before.tag) {
          const taken = await trx
            .selectFrom('cve_tag')
            .select('tag')
            .where('cve_id', '=', key.cve)
            .where('tag', '=', after.tag)
            .where('arch', '=', arch)
            .executeTakeFirst();
          if (taken) throw new ConflictError(`${key.cve} is already tagged ${after.tag} ${archLabel(arch)}`);
        }
        await trx
          .updateTable('cve_tag')
          .set({ tag: after.tag, reason: after.reason })
          .where('cve_id', '=', key.cve)
          .where('tag', '=', key.tag)
          .where('arch', '=', arch)
          .execute();
        await recordChange(trx, actor, at, {
          cve: key.cve,
          arch,
          action: 'edit',
          before: { tag: before.tag, reason: before.reason },
          after: { tag: after.tag, reason: after.reason },
        });
        await audit.record(trx, { actor, action: 'cve.tag-edit', objectType: 'cve', objectId: key.cve, before, after });
        if (after.tag !== before.tag) await holdForReview(trx, audit, actor, key.cve, after.tag, at);
        return tagView(after);
      });
    },

    async untag(actor: Actor, input: { cve: string; tag: string; arch?: string | null | undefined }) {
      await requireAccess(actor, 'cve:tag', FEDERATION);
      const arch = input.arch ?? '';
      await db.transaction().execute(async (trx) => {
        const before = await trx
          .selectFrom('cve_tag')
          .selectAll()
          .where('cve_id', '=', input.cve)
          .where('tag', '=', input.tag)
          .where('arch', '=', arch)
          .executeTakeFirst();
        if (!before) throw new NotFoundError('tag', `${input.tag} on ${input.cve}`);
        await trx.deleteFrom('cve_tag').where('cve_id', '=', input.cve).where('tag', '=', input.tag).where('arch', '=', arch).execute();
        await recordChange(trx, actor, clock.now().toISOString(), {
          cve: input.cve,
          arch,
          action: 'untag',
          before: { tag: before.tag, reason: before.reason },
          after: null,
        });
        await audit.record(trx, { actor, action: 'cve.untag', objectType: 'cve', objectId: input.cve, before });
      });
    },
  };
}
export type TagService = ReturnType<typeof createTagService>;
