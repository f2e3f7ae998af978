// Site tasks as a part of Vigil: tasks with deadlines from the federation's rules, escalation,
// checklists, replies by e-mail, helpdesk mirroring and the response times they measure.
import { Type } from '@sinclair/typebox';
import { defineJob, type Kernel, type VigilModule } from '../../server/module-kit.js';
import { systemActor } from '../../core/access.js';
import type { Services } from '../../server/services.js';
import type { Inbound, Outbox } from '../notifications/index.js';
import { addressOf, publicUrlOf } from '../notifications/index.js';
import { createDeadlineService } from './deadlines.js';
import { createTaskService } from './service.js';
import { createEscalation } from './escalation.js';
import { createChecklists } from './checklists.js';
import { createResponseTimes } from './response-times.js';
import { createHelpdeskMirror, helpdeskClientOf } from './helpdesk.js';
import { taskRoutes } from './routes.js';

interface Needs {
  outbox: Outbox;
  inbound: Inbound;
}

export const ESCALATE_JOB = 'tasks.escalate';
const MIRROR_JOB = 'tasks.helpdesk-mirror';
const HELPDESK_SYNC_JOB = 'tasks.helpdesk-sync';

function taskServices({ db, dialect, clock, audit, jobs, config }: Kernel, { outbox, inbound }: Needs) {
  const publicUrl = publicUrlOf(config);
  const tasks = createTaskService({ db, dialect, clock, audit, outbox, inbound, publicUrl });
  const checklists = createChecklists({ db, clock, audit, tasks });
  // Replies to a task's e-mail: answered here, the next checklist step opened when one resolves.
  inbound.onReply((trx, taskId, message) => tasks.answerByMail(trx, taskId, message, checklists.onTaskResolved));
  const helpdesk = createHelpdeskMirror({
    db,
    clock,
    audit,
    tasks,
    client: helpdeskClientOf(config),
    // Zammad finds the customer by login or bare address, not "Name <address>".
    customer: addressOf(config.mailFrom ?? 'vigil@localhost'),
    onResolved: checklists.onTaskResolved,
  });
  return {
    tasks,
    deadlines: createDeadlineService({ db, clock, audit }),
    checklists,
    escalation: createEscalation({ db, clock, audit, outbox, publicUrl }),
    responseTimes: createResponseTimes({ db }),
    helpdesk,
    /** Queues the helpdesk tickets of new tasks (when a helpdesk is configured). */
    queueMirrors: async (taskIds: readonly string[]) => {
      if (!helpdesk.configured) return;
      for (const taskId of taskIds) await jobs.enqueue(db, MIRROR_JOB, { taskId }, { uniqueKey: `${MIRROR_JOB}:${taskId}` });
    },
  };
}
export type TaskServices = ReturnType<typeof taskServices>;

export const tasksModule: VigilModule<TaskServices, Needs, Services> = {
  name: 'tasks',
  after: ['registry', 'notifications'],
  services: taskServices,
  routes: (s) => taskRoutes(s),
  jobs: [
    defineJob({
      type: ESCALATE_JOB,
      payload: Type.Object({}),
      run: async (_p, ctx, s) => {
        const taken = await s.escalation.sweep();
        await ctx.progress(1, `${taken.warning} warnings, ${taken['escalated-ngi']} to NGIs, ${taken['escalated-csirt']} to the CSIRT`);
      },
    }),
    defineJob({ type: MIRROR_JOB, payload: Type.Object({ taskId: Type.String() }), run: (p, _ctx, s) => s.helpdesk.mirror(p.taskId) }),
    defineJob({
      type: HELPDESK_SYNC_JOB,
      payload: Type.Object({}),
      run: async (_p, ctx, s) => {
        await ctx.progress(1, `${await s.helpdesk.sync()} tasks changed`);
      },
    }),
  ],
  metrics: (s) => [
    {
      name: 'vigil_tasks',
      help: 'Tasks waiting for their answer, by scope type, and how many of them are overdue',
      labelNames: ['scope_type', 'overdue'],
      read: async () => (await s.tasks.waitingCounts()).map((r) => ({ labels: { scope_type: r.scopeType, overdue: String(r.overdue) }, value: r.n })),
    },
    {
      name: 'vigil_task_response_minutes',
      help: 'Federation-wide median and 90th percentile minutes to acknowledge and to resolve, tasks opened this month and last',
      labelNames: ['measure', 'quantile'],
      read: async () => {
        const now = s.clock.now();
        const month = (d: Date) => d.toISOString().slice(0, 7);
        const board = await s.responseTimes.dashboard(
          systemActor('metrics'),
          { from: month(new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth() - 1, 1))), to: month(now) },
          0,
        );
        return (['acknowledge', 'resolve'] as const).flatMap((measure) =>
          (
            [
              ['0.5', board[measure].medianMinutes],
              ['0.9', board[measure].p90Minutes],
            ] as const
          ).flatMap(([quantile, v]) => (v === null ? [] : [{ labels: { measure, quantile }, value: v }])),
        );
      },
    },
  ],
  schedule: async (s) => {
    const soon = (ms: number) => new Date(s.clock.now().getTime() + ms);
    await s.jobs.enqueue(s.dbHandle.db, ESCALATE_JOB, {}, { uniqueKey: ESCALATE_JOB, runAt: soon(60_000) });
    if (s.helpdesk.configured) await s.jobs.enqueue(s.dbHandle.db, HELPDESK_SYNC_JOB, {}, { uniqueKey: HELPDESK_SYNC_JOB, runAt: soon(10 * 60_000) });
  },
};
