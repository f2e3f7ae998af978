// Deadlines as data: per task type and priority, an amount of calendar or working time on the
// federation's working calendar, which answer it is for, and when the warning and the CSIRT's
// escalation come. Every edit closes the current version and adds one, so history is kept and a
// task keeps the rule it was created under (task.deadline_rule_id).
import type { Db, Executor } from '../../db/database.js';
import { LOCK_NAMESPACE, lockForTransaction } from '../../db/advisory-lock.js';
import type { Clock } from '../../core/clock.js';
import type { Audit } from '../../core/audit.js';
import { FEDERATION, requireAccess, type Actor } from '../../core/access.js';
import { InvalidError } from '../../core/errors.js';
import { newId } from '../../core/ids.js';
import {
  DEFAULT_CALENDAR,
  dueAt,
  formatDuration,
  parseCalendar,
  type Duration,
  type DurationUnit,
  type WorkCalendar,
} from '../../lib/working-time/calendar.js';
import type { DeadlineRuleTable } from '../../db/schema.js';

export const PRIORITIES = ['less urgent', 'urgent', 'very urgent', 'top priority'] as const;
export type Priority = (typeof PRIORITIES)[number];
export const UNITS: readonly DurationUnit[] = ['minutes', 'hours', 'days', 'months', 'working-hours', 'working-days'];
export type Measure = 'acknowledge' | 'resolve';

export interface DeadlineRule {
  ruleId: string;
  taskType: string;
  priority: Priority | '*';
  amount: number;
  unit: DurationUnit;
  measures: Measure;
  warnFraction: number;
  csirtFraction: number;
  source: string;
  validFrom: string;
  validTo: string | null;
  changedBy: string;
  /** "4 working hours" */
  allowed: string;
}

const toRule = (r: DeadlineRuleTable): DeadlineRule => ({
  ruleId: r.rule_id,
  taskType: r.task_type,
  priority: r.priority as DeadlineRule['priority'],
  amount: r.amount,
  unit: r.unit as DurationUnit,
  measures: r.measures as Measure,
  warnFraction: r.warn_fraction,
  csirtFraction: r.csirt_fraction,
  source: r.source,
  validFrom: r.valid_from,
  validTo: r.valid_to,
  changedBy: r.changed_by,
  allowed: formatDuration({ amount: r.amount, unit: r.unit as DurationUnit }),
});

/** When a task answered under a rule is due, warned about and escalated to the CSIRT. */
export interface Deadline {
  ruleId: string | null;
  measures: Measure;
  dueAt: Date;
  warnAt: Date;
  csirtAt: Date;
}

const isWorking = (unit: DurationUnit) => unit === 'working-hours' || unit === 'working-days';

/** The stages of a rule from `start`: a fraction of working time for working units, of wall time otherwise. */
export function stagesOf(start: Date, rule: Pick<DeadlineRule, 'amount' | 'unit' | 'warnFraction' | 'csirtFraction'>, calendar: WorkCalendar) {
  const at = (fraction: number) => {
    if (isWorking(rule.unit)) return dueAt(start, { amount: rule.amount * fraction, unit: rule.unit }, calendar);
    const due = dueAt(start, { amount: rule.amount, unit: rule.unit } as Duration, calendar);
    return new Date(start.getTime() + (due.getTime() - start.getTime()) * fraction);
  };
  return { dueAt: at(1), warnAt: at(rule.warnFraction), csirtAt: at(rule.csirtFraction) };
}

export async function currentCalendar(ex: Executor): Promise<WorkCalendar> {
  const row = await ex.selectFrom('work_calendar').select('calendar_json').where('valid_to', 'is', null).orderBy('valid_from', 'desc').executeTakeFirst();
  return row ? parseCalendar(JSON.parse(row.calendar_json)) : DEFAULT_CALENDAR;
}

/** The current rule for a type and priority: the priority's own, else the type's '*'. */
export async function currentRule(ex: Executor, taskType: string, priority: Priority): Promise<DeadlineRule | undefined> {
  const rows = await ex
    .selectFrom('deadline_rule')
    .selectAll()
    .where('task_type', '=', taskType)
    .where('priority', 'in', [priority, '*'])
    .where('valid_to', 'is', null)
    .execute();
  const row = rows.find((r) => r.priority === priority) ?? rows.find((r) => r.priority === '*');
  return row ? toRule(row) : undefined;
}

/** The deadline of a new task; `explicitDue` (set by whoever opens it) overrides the rule's time. */
export async function deadlineFor(ex: Executor, taskType: string, priority: Priority, start: Date, explicitDue?: Date): Promise<Deadline> {
  const rule = await currentRule(ex, taskType, priority);
  if (!rule) throw new InvalidError(`no deadline rule for tasks of type ${taskType}; the CSIRT adds one under Deadlines`);
  if (explicitDue) {
    if (!(explicitDue.getTime() > start.getTime())) throw new InvalidError('the due time must be in the future');
    const span = explicitDue.getTime() - start.getTime();
    return {
      ruleId: rule.ruleId,
      measures: rule.measures,
      dueAt: explicitDue,
      warnAt: new Date(start.getTime() + span * rule.warnFraction),
      csirtAt: new Date(start.getTime() + span * rule.csirtFraction),
    };
  }
  return { ruleId: rule.ruleId, measures: rule.measures, ...stagesOf(start, rule, await currentCalendar(ex)) };
}

export const knownTaskTypes = async (ex: Executor): Promise<string[]> =>
  (await ex.selectFrom('deadline_rule').select('task_type').distinct().where('valid_to', 'is', null).orderBy('task_type').execute()).map((r) => r.task_type);

export interface RuleInput {
  taskType: string;
  priority: Priority | '*';
  amount: number;
  unit: DurationUnit;
  measures: Measure;
  warnFraction: number;
  csirtFraction: number;
  source: string;
}

export function createDeadlineService({ db, clock, audit }: { db: Db; clock: Clock; audit: Audit }) {
  return {
    /** Current rules, or with `history` every version. The federation's policy: not scoped, any
     *  holder of task:read (checked by the route) reads it. */
    async listRules(history = false): Promise<DeadlineRule[]> {
      const rows = await db
        .selectFrom('deadline_rule')
        .selectAll()
        .$if(!history, (q) => q.where('valid_to', 'is', null))
        .orderBy('task_type')
        .orderBy('priority')
        .orderBy('valid_from')
        .execute();
      return rows.map(toRule);
    },

    /** Sets the rule for a type and priority: a new version; tasks already open keep theirs. */
    async setRule(actor: Actor, input: RuleInput): Promise<DeadlineRule> {
      await requireAccess(actor, 'deadline:manage', FEDERATION);
      if (!(input.warnFraction > 0 && input.warnFraction < 1)) throw new InvalidError('the warning comes before the deadline: a fraction between 0 and 1');
      if (!(input.csirtFraction >= 1)) throw new InvalidError('the CSIRT is told at or after the deadline: a fraction of at least 1');
      dueAt(clock.now(), { amount: input.amount * input.csirtFraction, unit: input.unit }, DEFAULT_CALENDAR); // refuses absurd spans
      const now = clock.now().toISOString();
      return db.transaction().execute(async (trx) => {
        // Two edits at once must not both close the same version and leave two current ones.
        await lockForTransaction(trx, LOCK_NAMESPACE.deadlineRule, `${input.taskType}|${input.priority}`);
        const before = await trx
          .selectFrom('deadline_rule')
          .selectAll()
          .where('task_type', '=', input.taskType)
          .where('priority', '=', input.priority)
          .where('valid_to', 'is', null)
          .executeTakeFirst();
        if (before) await trx.updateTable('deadline_rule').set({ valid_to: now }).where('rule_id', '=', before.rule_id).execute();
        const row: DeadlineRuleTable = {
          rule_id: newId(),
          task_type: input.taskType,
          priority: input.priority,
          amount: input.amount,
          unit: input.unit,
          measures: input.measures,
          warn_fraction: input.warnFraction,
          csirt_fraction: input.csirtFraction,
          source: input.source,
          valid_from: now,
          valid_to: null,
          changed_by: actor.label,
        };
        await trx.insertInto('deadline_rule').values(row).execute();
        await audit.record(trx, { actor, action: 'deadline.set', objectType: 'deadline_rule', objectId: row.rule_id, before, after: row });
        return toRule(row);
      });
    },

    /** The working calendar in force (policy, as the rules). */
    async getCalendar() {
      const row = await db.selectFrom('work_calendar').selectAll().where('valid_to', 'is', null).orderBy('valid_from', 'desc').executeTakeFirst();
      return {
        calendar: row ? parseCalendar(JSON.parse(row.calendar_json)) : DEFAULT_CALENDAR,
        validFrom: row?.valid_from ?? null,
        changedBy: row?.changed_by ?? null,
      };
    },

    /** Replaces the working calendar (a new version): deadlines of tasks opened from now on follow it. */
    async setCalendar(actor: Actor, input: unknown) {
      await requireAccess(actor, 'deadline:manage', FEDERATION);
      const calendar = parseCalendar(input);
      const now = clock.now().toISOString();
      return db.transaction().execute(async (trx) => {
        const before = await trx.selectFrom('work_calendar').selectAll().where('valid_to', 'is', null).executeTakeFirst();
        await trx.updateTable('work_calendar').set({ valid_to: now }).where('valid_to', 'is', null).execute();
        const row = { calendar_id: newId(), calendar_json: JSON.stringify(calendar), valid_from: now, valid_to: null, changed_by: actor.label };
        await trx.insertInto('work_calendar').values(row).execute();
        await audit.record(trx, { actor, action: 'calendar.set', objectType: 'work_calendar', objectId: row.calendar_id, before, after: calendar });
        return { calendar, validFrom: now, changedBy: actor.label };
      });
    },
  };
}
export type DeadlineService = ReturnType<typeof createDeadlineService>;
