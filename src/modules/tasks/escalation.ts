// Escalation: a warning to the addressees at the rule's warning point (75 % of the time by
// default), the NGI security officer told at the deadline, the CSIRT at the rule's CSIRT point.
// Each step is claimed by a conditional update (`… where warned_at is null`) in the transaction
// that writes its messages, its history event and its audit record: however many processes
// sweep at once (PostgreSQL), and across restarts, each step happens once. Run by the job queue
// every minute (`tasks.escalate`) and by `vigil tasks escalate`.
import type { Db } from '../../db/database.js';
import type { TaskTable } from '../../db/schema.js';
import type { Clock } from '../../core/clock.js';
import type { Audit } from '../../core/audit.js';
import { systemActor } from '../../core/access.js';
import { newId } from '../../core/ids.js';
import type { Tlp } from '../../lib/tlp/tlp.js';
import { scopeNames, type ScopeRef } from '../registry/index.js';
import type { Audience, Outbox } from '../notifications/index.js';
import { addEvent, awaitingAnswer } from './repo.js';

type Step = 'warning' | 'escalated-ngi' | 'escalated-csirt';
const COLUMN = { warning: 'warned_at', 'escalated-ngi': 'escalated_ngi_at', 'escalated-csirt': 'escalated_csirt_at' } as const;
/** Tasks handled per step and sweep; the next sweep takes the rest. */
const BATCH = 500;

const utc = (iso: string) => `${iso.slice(0, 16).replace('T', ' ')} UTC`;

export function createEscalation({ db, clock, audit, outbox, publicUrl }: { db: Db; clock: Clock; audit: Audit; outbox: Outbox; publicUrl: string }) {
  const actor = systemActor('escalation');

  /** Who hears of a step: the addressees (warning), the NGI's officers, the CSIRT. A task addressed
   *  to an NGI, a VO or the federation has no NGI step: its escalation goes to the CSIRT at the deadline. */
  function audienceOf(t: TaskTable, step: Step): Audience[] {
    if (step === 'warning')
      return [
        t.scope_type === 'site'
          ? { type: 'site', siteId: t.scope_id }
          : t.scope_type === 'ngi'
            ? { type: 'ngi', ngiId: t.scope_id }
            : t.scope_type === 'vo'
              ? { type: 'vo', voId: t.scope_id }
              : { type: 'federation' },
      ];
    if (step === 'escalated-ngi') return [{ type: 'ngi', ngiId: t.ngi_id! }];
    return [{ type: 'federation' }];
  }

  /** The tasks due for a step now, not yet past it. */
  function due(step: Step, now: string) {
    let q = db.selectFrom('task').selectAll().where(awaitingAnswer).where(COLUMN[step], 'is', null).limit(BATCH);
    if (step === 'warning') q = q.where('warn_at', '<=', now).where('due_at', '>', now);
    // NGI step: site tasks at the deadline. CSIRT step: site tasks at the CSIRT point; other scopes at the deadline.
    if (step === 'escalated-ngi') q = q.where('scope_type', '=', 'site').where('due_at', '<=', now);
    if (step === 'escalated-csirt')
      q = q
        .where('scope_type', '!=', 'federation')
        .where((eb) =>
          eb.or([eb.and([eb('scope_type', '=', 'site'), eb('csirt_at', '<=', now)]), eb.and([eb('scope_type', '!=', 'site'), eb('due_at', '<=', now)])]),
        );
    return q.orderBy('due_at').execute();
  }

  async function takeStep(t: TaskTable, step: Step, name: string, now: string): Promise<boolean> {
    return db.transaction().execute(async (trx) => {
      const claimed = await trx
        .updateTable('task')
        .set({ [COLUMN[step]]: now, updated_at: now })
        .where('task_id', '=', t.task_id)
        .where(COLUMN[step], 'is', null)
        .where(awaitingAnswer)
        .executeTakeFirst();
      if (Number(claimed.numUpdatedRows) === 0) return false; // another process took it, or it was answered
      const overdueBy = step === 'warning' ? '' : ` (due ${utc(t.due_at)})`;
      const what =
        step === 'warning'
          ? `due ${utc(t.due_at)}: not yet ${t.measures === 'acknowledge' ? 'acknowledged' : 'resolved'}`
          : step === 'escalated-ngi'
            ? `overdue at ${name}${overdueBy}: escalated to the NGI security officer`
            : `overdue at ${name}${overdueBy}: escalated to the CSIRT`;
      await addEvent(trx, { eventId: newId(), taskId: t.task_id, kind: step, personId: null, actorLabel: 'escalation', via: 'system', body: what, at: now });
      await outbox.queue(trx, {
        eventType: step === 'warning' ? 'task.warning' : 'task.escalated',
        tlp: t.tlp as Tlp,
        subject: `${step === 'warning' ? 'Reminder' : 'Overdue'}: ${t.title} — ${name}`,
        body: [
          `The task "${t.title}" for ${name} is ${what}.`,
          '',
          `Opened by ${t.created_by_label} on ${utc(t.created_at)}.`,
          `The task: ${publicUrl}/tasks/${t.task_id}`,
        ].join('\n'),
        audience: audienceOf(t, step),
        ref: { type: 'task', id: t.task_id },
        urgent: true,
        data: { taskId: t.task_id, step, scopeType: t.scope_type, scopeId: t.scope_id, dueAt: t.due_at, url: `${publicUrl}/tasks/${t.task_id}` },
      });
      await audit.record(trx, { actor, action: `task.${step}`, objectType: 'task', objectId: t.task_id, after: { step, at: now, dueAt: t.due_at } });
      return true;
    });
  }

  return {
    /** One sweep: every step due now. Returns how many steps this call took. */
    async sweep(): Promise<Record<Step, number>> {
      const now = clock.now().toISOString();
      const taken: Record<Step, number> = { warning: 0, 'escalated-ngi': 0, 'escalated-csirt': 0 };
      for (const step of ['warning', 'escalated-ngi', 'escalated-csirt'] as const) {
        const tasks = await due(step, now);
        const names = await scopeNames(
          db,
          tasks.map((t) => ({ type: t.scope_type as ScopeRef['type'], id: t.scope_id })),
        );
        for (const t of tasks) if (await takeStep(t, step, names.get(`${t.scope_type}:${t.scope_id}`)?.name ?? 'the federation', now)) taken[step] += 1;
      }
      return taken;
    },
  };
}
export type Escalation = ReturnType<typeof createEscalation>;
