// Checklists: a named template of steps, each step a task for a named party (the checklist's
// addressee, its NGI, or the federation's CSIRT) with its own deadline. An instance copies the
// template's steps when it begins, so editing a template never moves a running checklist. In an
// ordered checklist a step's task opens when the previous one is resolved; otherwise all open at
// once. Progress is counted from the step tasks ("9 of 14 steps done, 2 late").
import type { Db, Executor } from '../../db/database.js';
import type { ChecklistInstanceTable, ChecklistTemplateTable, TaskTable } from '../../db/schema.js';
import type { Clock } from '../../core/clock.js';
import type { Audit } from '../../core/audit.js';
import { FEDERATION, reach, requireAccess, type Actor, type Target } from '../../core/access.js';
import { InvalidError, NotFoundError } from '../../core/errors.js';
import { newId } from '../../core/ids.js';
import { DEFAULT_CALENDAR, dueAt, type DurationUnit } from '../../lib/working-time/calendar.js';
import { scopeNames, type ScopeRef } from '../registry/index.js';
import { currentCalendar, UNITS } from './deadlines.js';
import type { TaskService } from './service.js';
import { tasksInReach } from './repo.js';

export interface ChecklistStep {
  title: string;
  description: string;
  party: 'addressee' | 'ngi' | 'federation';
  amount: number;
  unit: DurationUnit;
}

const MAX_STEPS = 50;

function parseSteps(steps: readonly ChecklistStep[]): ChecklistStep[] {
  if (steps.length === 0 || steps.length > MAX_STEPS) throw new InvalidError(`a checklist has 1 to ${MAX_STEPS} steps`);
  return steps.map((s, i) => {
    if (!UNITS.includes(s.unit)) throw new InvalidError(`step ${i + 1}: unit is one of ${UNITS.join(', ')}`);
    dueAt(new Date(0), { amount: s.amount, unit: s.unit }, DEFAULT_CALENDAR); // refuses absurd amounts
    return { title: s.title, description: s.description, party: s.party, amount: s.amount, unit: s.unit };
  });
}

const templateView = (t: ChecklistTemplateTable) => ({
  templateId: t.template_id,
  name: t.name,
  description: t.description,
  ordered: t.is_ordered === 1,
  scopeType: t.scope_type,
  steps: JSON.parse(t.steps_json) as ChecklistStep[],
  builtin: t.is_builtin === 1,
  updatedAt: t.updated_at,
});

const instanceTarget = (i: Pick<ChecklistInstanceTable, 'scope_type' | 'scope_id' | 'ngi_id'>): Target =>
  i.scope_type === 'site'
    ? { type: 'site', siteId: i.scope_id, ngiId: i.ngi_id ?? '' }
    : i.scope_type === 'ngi'
      ? { type: 'ngi', ngiId: i.scope_id }
      : i.scope_type === 'vo'
        ? { type: 'vo', voId: i.scope_id }
        : FEDERATION;

export function createChecklists({ db, clock, audit, tasks }: { db: Db; clock: Clock; audit: Audit; tasks: TaskService }) {
  /** Opens step `index` (0-based) of an instance as a task for its party. */
  async function openStep(trx: Executor, actor: Actor, instance: ChecklistInstanceTable, index: number) {
    const steps = JSON.parse(instance.steps_json) as ChecklistStep[];
    const step = steps[index]!;
    const ref: ScopeRef =
      step.party === 'federation' || instance.scope_type === 'federation'
        ? { type: 'federation', id: '' }
        : step.party === 'ngi' && instance.ngi_id
          ? { type: 'ngi', id: instance.ngi_id }
          : { type: instance.scope_type as ScopeRef['type'], id: instance.scope_id };
    const names = await scopeNames(trx, [ref]);
    const calendar = await currentCalendar(trx);
    await tasks.insertTasks(
      trx,
      actor,
      {
        targets: [ref],
        taskType: 'checklist-step',
        priority: 'urgent',
        title: `${instance.title}: step ${index + 1} of ${steps.length}, ${step.title}`,
        description: step.description,
        tlp: 'AMBER',
        subject: { type: 'checklist', id: instance.instance_id },
        dueAt: dueAt(clock.now(), { amount: step.amount, unit: step.unit }, calendar).toISOString(),
        checklist: { instanceId: instance.instance_id, step: index + 1 },
      },
      names,
    );
  }

  async function progressOf(instanceIds: string[]) {
    if (instanceIds.length === 0) return new Map<string, { done: number; late: number; open: number }>();
    const now = clock.now().toISOString();
    const rows = await db
      .selectFrom('task')
      .select(['checklist_instance_id', 'status', 'due_at', 'resolved_at'])
      .where('checklist_instance_id', 'in', instanceIds)
      .execute();
    const out = new Map<string, { done: number; late: number; open: number }>();
    for (const r of rows) {
      const p = out.get(r.checklist_instance_id!) ?? { done: 0, late: 0, open: 0 };
      if (r.status === 'resolved') p.done += 1;
      else if (r.status !== 'cancelled') {
        p.open += 1;
        if (r.due_at < now) p.late += 1;
      }
      out.set(r.checklist_instance_id!, p);
    }
    return out;
  }

  return {
    async listTemplates() {
      return (await db.selectFrom('checklist_template').selectAll().orderBy('name').execute()).map(templateView);
    },

    async saveTemplate(
      actor: Actor,
      input: {
        templateId?: string;
        name: string;
        description: string;
        ordered: boolean;
        scopeType: 'site' | 'ngi' | 'vo' | 'federation';
        steps: ChecklistStep[];
      },
    ) {
      await requireAccess(actor, 'deadline:manage', FEDERATION);
      const steps = parseSteps(input.steps);
      const now = clock.now().toISOString();
      return db.transaction().execute(async (trx) => {
        const before = input.templateId
          ? await trx.selectFrom('checklist_template').selectAll().where('template_id', '=', input.templateId).executeTakeFirst()
          : undefined;
        if (input.templateId && !before) throw new NotFoundError('checklist template', input.templateId);
        const row: ChecklistTemplateTable = {
          template_id: before?.template_id ?? newId(),
          name: input.name,
          description: input.description,
          is_ordered: input.ordered ? 1 : 0,
          scope_type: input.scopeType,
          steps_json: JSON.stringify(steps),
          is_builtin: before?.is_builtin ?? 0,
          created_by: before?.created_by ?? actor.label,
          created_at: before?.created_at ?? now,
          updated_at: now,
        };
        if (before) await trx.updateTable('checklist_template').set(row).where('template_id', '=', row.template_id).execute();
        else await trx.insertInto('checklist_template').values(row).execute();
        await audit.record(trx, {
          actor,
          action: before ? 'checklist-template.edit' : 'checklist-template.create',
          objectType: 'checklist_template',
          objectId: row.template_id,
          before,
          after: row,
        });
        return templateView(row);
      });
    },

    /** Begins a checklist for a scope: its first step (ordered) or every step opens as a task. */
    async start(actor: Actor, input: { templateId: string; title: string; target: ScopeRef }) {
      return db.transaction().execute(async (trx) => {
        const template = await trx.selectFrom('checklist_template').selectAll().where('template_id', '=', input.templateId).executeTakeFirst();
        if (!template) throw new NotFoundError('checklist template', input.templateId);
        if (template.scope_type !== input.target.type)
          throw new InvalidError(`this checklist is addressed to a ${template.scope_type}, not a ${input.target.type}`);
        const names = await scopeNames(trx, [input.target]);
        const scope = names.get(`${input.target.type}:${input.target.type === 'federation' ? '' : input.target.id}`);
        if (!scope && input.target.type !== 'federation') throw new NotFoundError(input.target.type, input.target.id);
        const instance: ChecklistInstanceTable = {
          instance_id: newId(),
          template_id: template.template_id,
          title: input.title,
          scope_type: input.target.type,
          scope_id: input.target.type === 'federation' ? '' : input.target.id,
          ngi_id: scope?.ngiId ?? null,
          steps_json: template.steps_json,
          is_ordered: template.is_ordered,
          status: 'running',
          created_by: actor.label,
          created_at: clock.now().toISOString(),
          finished_at: null,
        };
        await requireAccess(actor, 'task:create', instanceTarget(instance));
        // Steps for the CSIRT are opened only by those who may open the CSIRT's own tasks.
        if ((JSON.parse(template.steps_json) as ChecklistStep[]).some((step) => step.party === 'federation'))
          await requireAccess(actor, 'task:create', FEDERATION);
        await trx.insertInto('checklist_instance').values(instance).execute();
        const steps = JSON.parse(template.steps_json) as ChecklistStep[];
        for (let i = 0; i < (template.is_ordered ? 1 : steps.length); i++) await openStep(trx, actor, { ...instance, steps_json: template.steps_json }, i);
        await audit.record(trx, {
          actor,
          action: 'checklist.start',
          objectType: 'checklist_instance',
          objectId: instance.instance_id,
          after: { template: template.name, title: instance.title },
        });
        return { instanceId: instance.instance_id };
      });
    },

    /** Called when a task is resolved: an ordered checklist opens its next step; a finished one is closed. */
    async onTaskResolved(trx: Executor, task: TaskTable) {
      if (!task.checklist_instance_id) return;
      const instance = await trx.selectFrom('checklist_instance').selectAll().where('instance_id', '=', task.checklist_instance_id).executeTakeFirst();
      if (!instance || instance.status !== 'running') return;
      const steps = JSON.parse(instance.steps_json) as ChecklistStep[];
      const opened = await trx.selectFrom('task').select(['checklist_step', 'status']).where('checklist_instance_id', '=', instance.instance_id).execute();
      if (
        instance.is_ordered === 1 &&
        task.checklist_step &&
        task.checklist_step < steps.length &&
        !opened.some((t) => t.checklist_step === task.checklist_step! + 1)
      ) {
        await openStep(trx, { kind: 'system', personId: null, label: 'checklist', grants: [] }, instance, task.checklist_step);
        return;
      }
      const done = new Set(opened.filter((t) => t.status === 'resolved').map((t) => t.checklist_step));
      if (done.size >= steps.length)
        await trx
          .updateTable('checklist_instance')
          .set({ status: 'done', finished_at: clock.now().toISOString() })
          .where('instance_id', '=', instance.instance_id)
          .execute();
    },

    /** Checklists in the reader's reach, with their progress. */
    async list(actor: Actor) {
      const r = reach(actor, 'task:read');
      // An instance is visible where one of its step tasks is: the same reach as the tasks.
      const ids = await db
        .selectFrom('task')
        .select('checklist_instance_id')
        .distinct()
        .where('checklist_instance_id', 'is not', null)
        .where(tasksInReach(r))
        .limit(1000)
        .execute();
      const instanceIds = ids.map((i) => i.checklist_instance_id!);
      if (instanceIds.length === 0) return [];
      const rows = await db.selectFrom('checklist_instance').selectAll().where('instance_id', 'in', instanceIds).orderBy('created_at', 'desc').execute();
      const names = await scopeNames(
        db,
        rows.map((i) => ({ type: i.scope_type as ScopeRef['type'], id: i.scope_id })),
      );
      const progress = await progressOf(instanceIds);
      return rows.map((i) => {
        const steps = JSON.parse(i.steps_json) as ChecklistStep[];
        const p = progress.get(i.instance_id) ?? { done: 0, late: 0, open: 0 };
        return {
          instanceId: i.instance_id,
          title: i.title,
          scope: { type: i.scope_type, id: i.scope_id, name: names.get(`${i.scope_type}:${i.scope_id}`)?.name ?? i.scope_id },
          status: i.status,
          steps: steps.length,
          done: p.done,
          late: p.late,
          open: p.open,
          summary: `${p.done} of ${steps.length} steps done${p.late ? `, ${p.late} late` : ''}`,
          createdAt: i.created_at,
          createdBy: i.created_by,
        };
      });
    },
  };
}
export type Checklists = ReturnType<typeof createChecklists>;
