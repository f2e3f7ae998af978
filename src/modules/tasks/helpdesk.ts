// Mirroring tasks to the federation's helpdesk (GGUS on Zammad): the ticket is where the site's
// support unit works; Vigil opens it, reads its state back, and records the support unit's
// first response and closing as the task's acknowledgement and resolution, at the ticket's own
// times, so ticket response times are measured with every other task's.
import type { Db, Executor } from '../../db/database.js';
import type { TaskTable } from '../../db/schema.js';
import type { Clock } from '../../core/clock.js';
import type { Audit } from '../../core/audit.js';
import { systemActor } from '../../core/access.js';
import { NotFoundError } from '../../core/errors.js';
import { newId } from '../../core/ids.js';
import { createZammadClient, ticketStatus, type ZammadClient } from '../../lib/zammad/zammad-client.js';
import { scopeNames } from '../registry/index.js';
import { addEvent, findTask } from './repo.js';
import type { TaskService } from './service.js';

/** Mirrored tasks read back per sync. */
const SYNC_BATCH = 200;

export function createHelpdeskMirror(deps: {
  db: Db;
  clock: Clock;
  audit: Audit;
  tasks: TaskService;
  client: ZammadClient | undefined;
  customer: string;
  /** A resolved task's next step (checklists). */
  onResolved?: (trx: Executor, task: TaskTable) => Promise<void>;
  log?: (message: string) => void;
}) {
  const { db, clock, audit, tasks, client } = deps;
  const actor = systemActor('helpdesk');

  return {
    configured: !!client,

    /** Opens the ticket of a task (a job, so a helpdesk outage only delays it). */
    async mirror(taskId: string): Promise<void> {
      if (!client) return;
      const t = await findTask(db, taskId);
      if (!t) throw new NotFoundError('task', taskId);
      if (t.helpdesk_ticket_id) return;
      const names = await scopeNames(db, [{ type: t.scope_type as 'site', id: t.scope_id }]);
      const scope = names.get(`${t.scope_type}:${t.scope_id}`);
      const ticket = await client.createTicket({
        title: t.title,
        body: `${t.description}\n\nVigil task ${t.task_id}, due ${t.due_at}.`,
        priority: t.priority as 'urgent',
        siteName: scope?.name ?? t.scope_id,
        ngiName: scope?.ngiName ?? 'EGI',
        customer: deps.customer,
        vigilTaskId: t.task_id,
      });
      await db.transaction().execute(async (trx) => {
        const now = clock.now().toISOString();
        await trx
          .updateTable('task')
          .set({ helpdesk_ticket_id: String(ticket.id), helpdesk_state: ticket.state, helpdesk_checked_at: now })
          .where('task_id', '=', taskId)
          .execute();
        await addEvent(trx, {
          eventId: newId(),
          taskId,
          kind: 'helpdesk',
          personId: null,
          actorLabel: 'helpdesk',
          via: 'helpdesk',
          body: `mirrored as helpdesk ticket #${ticket.number}`,
          at: now,
        });
        await audit.record(trx, { actor, action: 'task.mirror', objectType: 'task', objectId: taskId, after: { ticketId: ticket.id, number: ticket.number } });
      });
    },

    /** Reads the state of open mirrored tasks and carries answers over. Returns how many changed. */
    async sync(): Promise<number> {
      if (!client) return 0;
      const open = await db
        .selectFrom('task')
        .selectAll()
        .where('helpdesk_ticket_id', 'is not', null)
        .where('status', 'in', ['open', 'acknowledged'])
        .orderBy('helpdesk_checked_at')
        .limit(SYNC_BATCH)
        .execute();
      let changed = 0;
      let failed = 0;
      let lastError = '';
      for (const t of open) {
        // One ticket failing (deleted, the helpdesk down for it) must not stop the others: it is
        // tried again after every other mirrored task.
        try {
          const ticket = await client.getTicket(Number(t.helpdesk_ticket_id));
          const status = ticketStatus(ticket);
          await db.transaction().execute(async (trx) => {
            const now = clock.now().toISOString();
            await trx.updateTable('task').set({ helpdesk_state: ticket.state, helpdesk_checked_at: now }).where('task_id', '=', t.task_id).execute();
            const current = (await findTask(trx, t.task_id))!;
            if (status === 'acknowledged' && current.status === 'open') {
              await tasks.transition(trx, actor, current, 'acknowledged', 'helpdesk', `ticket ${ticket.state}`, ticket.firstResponseAt ?? now);
              changed += 1;
            } else if (status === 'resolved' && current.status !== 'resolved' && current.status !== 'cancelled') {
              const after = await tasks.transition(trx, actor, current, 'resolved', 'helpdesk', `ticket ${ticket.state}`, ticket.closeAt ?? now);
              await deps.onResolved?.(trx, after);
              changed += 1;
            }
          });
        } catch (err) {
          failed += 1;
          await db.updateTable('task').set({ helpdesk_checked_at: clock.now().toISOString() }).where('task_id', '=', t.task_id).execute();
          lastError = err instanceof Error ? err.message : String(err);
        }
      }
      if (failed) deps.log?.(`${failed} helpdesk tickets could not be read back: ${lastError}`);
      return changed;
    },
  };
}
export type HelpdeskMirror = ReturnType<typeof createHelpdeskMirror>;

export const helpdeskClientOf = (config: { helpdeskUrl?: string | undefined; helpdeskToken?: string | undefined }): ZammadClient | undefined =>
  config.helpdeskUrl && config.helpdeskToken ? createZammadClient({ baseUrl: config.helpdeskUrl, token: config.helpdeskToken }) : undefined;
