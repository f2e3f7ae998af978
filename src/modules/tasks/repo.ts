// Queries on the tasks module's own tables: task, task_event, task_attachment.
import type { Expression, ExpressionBuilder, SqlBool } from 'kysely';
import type { Executor } from '../../db/database.js';
import type { Database, TaskTable } from '../../db/schema.js';
import type { Reach, Target } from '../../core/access.js';

export const OPEN_STATUSES = ['open', 'acknowledged'] as const;
export type TaskStatus = 'open' | 'acknowledged' | 'resolved' | 'cancelled';

export const findTask = (db: Executor, taskId: string) => db.selectFrom('task').selectAll().where('task_id', '=', taskId).executeTakeFirst();

/** The access target of a task: the scope it is addressed to. */
export function taskTarget(t: Pick<TaskTable, 'scope_type' | 'scope_id' | 'ngi_id'>): Target {
  switch (t.scope_type) {
    case 'site':
      return { type: 'site', siteId: t.scope_id, ngiId: t.ngi_id ?? '' };
    case 'ngi':
      return { type: 'ngi', ngiId: t.scope_id };
    case 'vo':
      return { type: 'vo', voId: t.scope_id };
    default:
      return { type: 'federation' };
  }
}

/** The tasks inside a reach: the list-side twin of `taskTarget` + `can`. */
export function tasksInReach(r: Reach) {
  return (eb: ExpressionBuilder<Database, 'task'>): Expression<SqlBool> => {
    if (r.all) return eb.lit(true) as unknown as Expression<SqlBool>;
    const ors: Expression<SqlBool>[] = [];
    if (r.ngiIds.length) ors.push(eb.and([eb('task.scope_type', 'in', ['site', 'ngi']), eb('task.ngi_id', 'in', [...r.ngiIds])]));
    if (r.siteIds.length) ors.push(eb.and([eb('task.scope_type', '=', 'site'), eb('task.scope_id', 'in', [...r.siteIds])]));
    if (r.voIds.length) ors.push(eb.and([eb('task.scope_type', '=', 'vo'), eb('task.scope_id', 'in', [...r.voIds])]));
    return ors.length ? eb.or(ors) : (eb.lit(false) as unknown as Expression<SqlBool>);
  };
}

/** Still waiting for the answer its deadline is on. */
export function awaitingAnswer(eb: ExpressionBuilder<Database, 'task'>): Expression<SqlBool> {
  return eb.or([eb('task.status', '=', 'open'), eb.and([eb('task.status', '=', 'acknowledged'), eb('task.measures', '=', 'resolve')])]);
}

export async function addEvent(
  ex: Executor,
  e: { eventId: string; taskId: string; kind: string; personId: string | null; actorLabel: string; via: string; body: string | null; at: string },
): Promise<void> {
  await ex
    .insertInto('task_event')
    .values({ event_id: e.eventId, task_id: e.taskId, kind: e.kind, person_id: e.personId, actor_label: e.actorLabel, via: e.via, body: e.body, at: e.at })
    .execute();
}

export const listEvents = (db: Executor, taskId: string) =>
  db.selectFrom('task_event').selectAll().where('task_id', '=', taskId).orderBy('at').orderBy('event_id').limit(2000).execute();

export const listAttachments = (db: Executor, taskId: string) =>
  db
    .selectFrom('task_attachment')
    .select(['attachment_id', 'file_name', 'content_type', 'size', 'sha256', 'added_by', 'added_at'])
    .where('task_id', '=', taskId)
    .orderBy('added_at')
    .execute();
