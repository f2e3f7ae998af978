// The CSIRT's review of exceptions (issue 11): a site's exception to a CVE the CSIRT has tagged
// waits, pending, until the CSIRT accepts it (it then takes effect) or rejects it with a reason,
// so a site cannot make an EGI-Critical finding vanish on its own. The CSIRT may let the
// exceptions to some tag levels take effect at once (the auto-accept policy). Reviewing needs
// `exception:review` (the CSIRT, federation administrators).
import type { Db, Executor } from '../../db/database.js';
import type { FindingExceptionTable } from '../../db/schema.js';
import type { Clock } from '../../core/clock.js';
import type { Audit } from '../../core/audit.js';
import { ConflictError, ForbiddenError, InvalidError, NotFoundError } from '../../core/errors.js';
import { FEDERATION, requireAccess, type Actor } from '../../core/access.js';
import { exceptionKind } from './access.js';
import { exceptionView, lockCveExceptions } from './exceptions.js';

/**
 * A CVE just gained a tag level (a new tag, or an edit to another level): the exceptions to it
 * that took effect without review (recorded before it was tagged, or under the auto-accept
 * policy) wait for the CSIRT again, unless that level is let through at once. Runs in the
 * tagging's transaction, which took the CVE's lock (`lockCveExceptions`) first.
 */
export async function holdForReview(trx: Executor, audit: Audit, actor: Actor, cve: string, tag: string, now: string): Promise<number> {
  const auto = await trx.selectFrom('exception_auto_accept').select('tag').where('tag', '=', tag).executeTakeFirst();
  if (auto) return 0;
  const held = await trx
    .selectFrom('finding_exception')
    .selectAll()
    .where('cve_id', '=', cve)
    .where('status', '=', 'accepted')
    .where('reviewed_at', 'is', null)
    .where('revoked_at', 'is', null)
    .where('expires_at', '>', now)
    .execute();
  for (const before of held) {
    await trx.updateTable('finding_exception').set({ status: 'pending' }).where('exception_id', '=', before.exception_id).execute();
    await audit.record(trx, {
      actor,
      action: 'exception.hold',
      objectType: 'site',
      objectId: before.site_id,
      before: exceptionView(before),
      after: { ...exceptionView(before), status: 'pending', heldBecause: `${cve} tagged ${tag}` },
    });
  }
  return held.length;
}

/** Did this actor record the exception? */
const recordedBy = (row: FindingExceptionTable, actor: Actor) =>
  row.created_by_person_id !== null ? row.created_by_person_id === actor.personId : row.created_by === actor.label;

export function createExceptionReview({ db, clock, audit, allowedTags }: { db: Db; clock: Clock; audit: Audit; allowedTags: readonly string[] }) {
  async function decide(actor: Actor, exceptionId: string, status: 'accepted' | 'rejected', reason: string | null) {
    await requireAccess(actor, 'exception:review', { kind: exceptionKind(db), id: exceptionId });
    const at = clock.now().toISOString();
    return db.transaction().execute(async (trx) => {
      const before = await trx.selectFrom('finding_exception').selectAll().where('exception_id', '=', exceptionId).executeTakeFirst();
      if (!before) throw new NotFoundError('exception', exceptionId);
      if (before.status !== 'pending' || before.revoked_at)
        throw new ConflictError(`the exception is ${before.revoked_at ? 'revoked' : before.status}, not pending`);
      // Four eyes: whoever recorded it (as a site officer and CSIRT member, or an administrator)
      // may not also accept it; rejecting one's own is harmless. The same person by id, whatever
      // the session or token; by label for a system actor or a row that predates the id.
      if (status === 'accepted' && recordedBy(before, actor)) throw new ForbiddenError('an exception is accepted by someone other than who recorded it');
      // Only a pending row changes: of two reviewers racing, the second gets 409.
      const done = await trx
        .updateTable('finding_exception')
        .set({ status, reviewed_by: actor.label, reviewed_at: at, review_reason: reason })
        .where('exception_id', '=', exceptionId)
        .where('status', '=', 'pending')
        .executeTakeFirst();
      if (Number(done.numUpdatedRows) !== 1) throw new ConflictError('the exception was reviewed meanwhile');
      const after = { ...before, status, reviewed_by: actor.label, reviewed_at: at, review_reason: reason };
      await audit.record(trx, {
        actor,
        action: status === 'accepted' ? 'exception.accept' : 'exception.reject',
        objectType: 'site',
        objectId: before.site_id,
        before: exceptionView(before),
        after: exceptionView(after),
      });
      return exceptionView(after);
    });
  }

  /** Which tag levels' exceptions take effect without review. */
  async function policy() {
    const rows = await db.selectFrom('exception_auto_accept').selectAll().orderBy('tag').execute();
    return { allowedTags: [...allowedTags], autoAcceptTags: rows.map((r) => r.tag) };
  }

  return {
    accept: (actor: Actor, exceptionId: string) => decide(actor, exceptionId, 'accepted', null),
    reject: (actor: Actor, exceptionId: string, reason: string) => decide(actor, exceptionId, 'rejected', reason),
    policy,

    async setPolicy(actor: Actor, autoAcceptTags: readonly string[]) {
      await requireAccess(actor, 'exception:review', FEDERATION);
      const unknown = autoAcceptTags.filter((t) => !allowedTags.includes(t));
      if (unknown.length) throw new InvalidError(`unknown tag ${unknown.join(', ')}; use one of ${allowedTags.join(', ')}`, { field: 'autoAcceptTags' });
      const at = clock.now().toISOString();
      await db.transaction().execute(async (trx) => {
        const before = (await trx.selectFrom('exception_auto_accept').select('tag').orderBy('tag').execute()).map((r) => r.tag);
        const after = [...new Set(autoAcceptTags)].sort();
        await trx.deleteFrom('exception_auto_accept').execute();
        if (after.length)
          await trx
            .insertInto('exception_auto_accept')
            .values(after.map((tag) => ({ tag, set_by: actor.label, set_at: at })))
            .execute();
        // A level no longer let through: its CVEs' unreviewed exceptions wait for review again.
        // Every CVE's lock first, in one order, before holding any (which writes to the audit).
        const dropped = before.filter((t) => !after.includes(t));
        const tagged = dropped.length
          ? await trx.selectFrom('cve_tag').select(['cve_id', 'tag']).where('tag', 'in', dropped).orderBy('cve_id').orderBy('tag').execute()
          : [];
        for (const cve of new Set(tagged.map((r) => r.cve_id))) await lockCveExceptions(trx, cve);
        for (const { cve_id, tag } of tagged) await holdForReview(trx, audit, actor, cve_id, tag, at);
        await audit.record(trx, {
          actor,
          action: 'exception-policy.set',
          objectType: 'exception-policy',
          objectId: 'federation',
          before: { autoAcceptTags: before },
          after: { autoAcceptTags: after },
        });
      });
      return policy();
    },
  };
}
export type ExceptionReview = ReturnType<typeof createExceptionReview>;
