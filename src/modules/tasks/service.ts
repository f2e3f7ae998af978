// Site tasks: what the federation asks of a site (an NGI, a VO), with a deadline from the rules,
// answered in the UI, the API or by replying to the notification e-mail. Every change is one
// transaction with its history event, its audit record, its response-time count and the
// messages it causes (the outbox), so none is ever without the others.
import { createHash } from 'node:crypto';
import type { Db, Dialect, Executor } from '../../db/database.js';
import type { TaskTable } from '../../db/schema.js';
import type { Clock } from '../../core/clock.js';
import type { Audit, AuditEntry } from '../../core/audit.js';
import { abilities, can, reach, requireAccess, type Actor, type ObjectKind, type Target } from '../../core/access.js';
import { ConflictError, InvalidError, NotFoundError, TooLargeError } from '../../core/errors.js';
import { newId } from '../../core/ids.js';
import { containsCi } from '../../db/filters.js';
import { parseTlp, type Tlp } from '../../lib/tlp/tlp.js';
import type { InboundMessage } from '../../lib/mail-reply/inbound-message.js';
import { listRoleGrants, peopleByEmail, scopeNames, type ScopeRef } from '../registry/index.js';
import { messagesAbout, type Audience, type Inbound, type Outbox } from '../notifications/index.js';
import { deadlineFor, knownTaskTypes, PRIORITIES, type Priority } from './deadlines.js';
import { addEvent, awaitingAnswer, findTask, listAttachments, listEvents, OPEN_STATUSES, taskTarget, tasksInReach, type TaskStatus } from './repo.js';
import { recordAnswer } from './response-times.js';

export interface TaskDeps {
  db: Db;
  dialect: Dialect;
  clock: Clock;
  audit: Audit;
  outbox: Outbox;
  inbound: Inbound;
  /** Where task pages are, for links in e-mails. */
  publicUrl: string;
}

export type Via = 'ui' | 'api' | 'email' | 'system' | 'helpdesk';

export interface NewTask {
  targets: readonly ScopeRef[];
  taskType: string;
  priority: Priority;
  title: string;
  description: string;
  tlp: string;
  subject?: { type: string; id: string } | undefined;
  /** Overrides the rule's deadline (the rule still says what it measures and when to warn). */
  dueAt?: string | undefined;
}

/** Largest attachment, and most per task: evidence and logs, not disk images. */
export const ATTACHMENT_MAX_BYTES = 5 * 1024 * 1024;
const ATTACHMENTS_PER_TASK = 20;
/** Most scopes one request addresses: every site of a large federation. */
export const MAX_TARGETS = 2000;
const ANSWER_PERMISSIONS = ['task:read', 'task:answer', 'task:create'] as const;

const utc = (iso: string) => `${iso.slice(0, 16).replace('T', ' ')} UTC`;
const audienceOf = (t: Pick<TaskTable, 'scope_type' | 'scope_id'>): Audience =>
  t.scope_type === 'site'
    ? { type: 'site', siteId: t.scope_id }
    : t.scope_type === 'ngi'
      ? { type: 'ngi', ngiId: t.scope_id }
      : t.scope_type === 'vo'
        ? { type: 'vo', voId: t.scope_id }
        : { type: 'federation' };

export function createTaskService(deps: TaskDeps) {
  const { db, dialect, clock, audit, outbox, inbound, publicUrl } = deps;

  const taskKind: ObjectKind = {
    label: 'task',
    read: 'task:read',
    scopeOf: async (taskId) => {
      const t = await findTask(db, taskId);
      return t ? taskTarget(t) : undefined;
    },
  };

  /** The access target of a scope named in a request, or not found. */
  async function targetOf(ex: Executor, ref: ScopeRef, names: Map<string, { ngiId: string | null }>): Promise<Target> {
    if (ref.type === 'federation') return { type: 'federation' };
    const known = names.get(`${ref.type}:${ref.id}`);
    if (!known) throw new NotFoundError(ref.type, ref.id);
    return ref.type === 'site'
      ? { type: 'site', siteId: ref.id, ngiId: known.ngiId! }
      : ref.type === 'ngi'
        ? { type: 'ngi', ngiId: ref.id }
        : { type: 'vo', voId: ref.id };
  }

  /** The e-mail telling a task's addressees about it. */
  function newTaskNotice(t: TaskTable, scopeName: string, ruleText: string) {
    return {
      eventType: 'task.created',
      tlp: t.tlp as Tlp,
      subject: `${t.title} — task for ${scopeName}, due ${utc(t.due_at)}`,
      body: [
        `${t.created_by_label} asks ${scopeName} (${t.task_type}, ${t.priority}):`,
        '',
        t.title,
        '',
        t.description,
        '',
        `Due: ${utc(t.due_at)} — ${t.measures === 'acknowledge' ? 'acknowledge' : 'resolve'} it by then (${ruleText}).`,
        `The task: ${publicUrl}/tasks/${t.task_id}`,
      ].join('\n'),
      audience: [audienceOf(t)],
      replyTo: (recipient: string) => inbound.replyAddressFor(t.task_id, recipient),
      ref: { type: 'task', id: t.task_id },
      data: {
        taskId: t.task_id,
        scopeType: t.scope_type,
        scopeId: t.scope_id,
        taskType: t.task_type,
        priority: t.priority,
        title: t.title,
        dueAt: t.due_at,
        url: `${publicUrl}/tasks/${t.task_id}`,
      },
    };
  }

  /**
   * Inserts tasks in the caller's transaction with their events, audit records and notices:
   * shared by `create` and the checklists. Access is the caller's to check.
   */
  async function insertTasks(
    trx: Executor,
    actor: Actor,
    input: Omit<NewTask, 'targets' | 'tlp'> & { tlp: Tlp; targets: readonly ScopeRef[]; checklist?: { instanceId: string; step: number } },
    names: Map<string, { name: string; ngiId: string | null }>,
  ): Promise<TaskTable[]> {
    const now = clock.now();
    const deadline = await deadlineFor(trx, input.taskType, input.priority, now, input.dueAt ? new Date(input.dueAt) : undefined);
    const rule = deadline.ruleId
      ? await trx.selectFrom('deadline_rule').select(['source', 'amount', 'unit']).where('rule_id', '=', deadline.ruleId).executeTakeFirst()
      : undefined;
    const ruleText = input.dueAt ? 'a due time set for this task' : (rule?.source ?? 'the federation’s rule');
    const rows: TaskTable[] = input.targets.map((ref) => ({
      task_id: newId(now.getTime()),
      scope_type: ref.type,
      scope_id: ref.type === 'federation' ? '' : ref.id,
      ngi_id: names.get(`${ref.type}:${ref.id}`)?.ngiId ?? null,
      task_type: input.taskType,
      priority: input.priority,
      title: input.title,
      description: input.description,
      tlp: input.tlp,
      subject_type: input.subject?.type ?? null,
      subject_id: input.subject?.id ?? null,
      status: 'open',
      deadline_rule_id: deadline.ruleId,
      measures: deadline.measures,
      due_at: deadline.dueAt.toISOString(),
      warn_at: deadline.warnAt.toISOString(),
      csirt_at: deadline.csirtAt.toISOString(),
      warned_at: null,
      escalated_ngi_at: null,
      escalated_csirt_at: null,
      created_by: actor.personId ?? actor.label,
      created_by_label: actor.label,
      created_at: now.toISOString(),
      acknowledged_by: null,
      acknowledged_at: null,
      resolved_by: null,
      resolved_at: null,
      cancelled_by: null,
      cancelled_at: null,
      checklist_instance_id: input.checklist?.instanceId ?? null,
      checklist_step: input.checklist?.step ?? null,
      helpdesk_ticket_id: null,
      helpdesk_state: null,
      helpdesk_checked_at: null,
      updated_at: now.toISOString(),
    }));
    for (let i = 0; i < rows.length; i += 200)
      await trx
        .insertInto('task')
        .values(rows.slice(i, i + 200))
        .execute();
    const events = rows.map((t) => ({
      event_id: newId(now.getTime()),
      task_id: t.task_id,
      kind: 'created',
      person_id: actor.personId,
      actor_label: actor.label,
      via: 'system',
      body: `due ${utc(t.due_at)} (${ruleText})`,
      at: t.created_at,
    }));
    for (let i = 0; i < events.length; i += 500)
      await trx
        .insertInto('task_event')
        .values(events.slice(i, i + 500))
        .execute();
    await audit.recordMany(
      trx,
      rows.map((t): AuditEntry => ({
        actor,
        action: 'task.create',
        objectType: 'task',
        objectId: t.task_id,
        after: { ...t, description: t.description.slice(0, 500) },
      })),
    );
    await outbox.queueMany(
      trx,
      rows.map((t) => newTaskNotice(t, names.get(`${t.scope_type}:${t.scope_id}`)?.name ?? 'the federation', ruleText)),
    );
    return rows;
  }

  /** Moves a task on: acknowledge, resolve or cancel, with the answer counted once. */
  async function transition(
    trx: Executor,
    actor: Actor,
    before: TaskTable,
    to: 'acknowledged' | 'resolved' | 'cancelled',
    via: Via,
    note: string | null,
    at = clock.now().toISOString(),
  ) {
    const from = before.status as TaskStatus;
    if (from === 'resolved' || from === 'cancelled') throw new ConflictError(`the task is already ${from}`);
    if (to === 'acknowledged' && from !== 'open') throw new ConflictError('the task is already acknowledged');
    const who = actor.personId ?? actor.label;
    const set: Partial<TaskTable> = { status: to, updated_at: at };
    if (to === 'cancelled') Object.assign(set, { cancelled_by: who, cancelled_at: at });
    else {
      // Resolving an open task acknowledges it too: the answer came then.
      if (!before.acknowledged_at) Object.assign(set, { acknowledged_by: who, acknowledged_at: at });
      if (to === 'resolved') Object.assign(set, { resolved_by: who, resolved_at: at });
    }
    // Guarded by the status read: a concurrent answer makes this one a conflict, not a second count.
    const updated = await trx.updateTable('task').set(set).where('task_id', '=', before.task_id).where('status', '=', from).executeTakeFirst();
    if (Number(updated.numUpdatedRows) === 0) throw new ConflictError('the task changed meanwhile; reload it');
    const after = { ...before, ...set } as TaskTable;
    if (to !== 'cancelled') {
      if (!before.acknowledged_at)
        await recordAnswer(trx, dialect, before, 'acknowledge', at, before.measures === 'acknowledge' ? at <= before.due_at : undefined);
      if (to === 'resolved') await recordAnswer(trx, dialect, before, 'resolve', at, before.measures === 'resolve' ? at <= before.due_at : undefined);
    }
    await addEvent(trx, { eventId: newId(), taskId: before.task_id, kind: to, personId: actor.personId, actorLabel: actor.label, via, body: note, at });
    // For the CSIRT's integrations only (webhooks): the people who answered know already.
    await outbox.queue(trx, {
      eventType: `task.${to}`,
      tlp: before.tlp as Tlp,
      subject: `${before.title}: ${to}`,
      body: '',
      audience: [],
      ref: { type: 'task', id: before.task_id },
      data: { taskId: before.task_id, status: to, at, by: actor.label, via, url: `${publicUrl}/tasks/${before.task_id}` },
    });
    await audit.record(trx, {
      actor,
      action: `task.${to === 'acknowledged' ? 'acknowledge' : to === 'resolved' ? 'resolve' : 'cancel'}`,
      objectType: 'task',
      objectId: before.task_id,
      before,
      after: { ...after, via },
    });
    return after;
  }

  async function addComment(trx: Executor, actor: Actor, taskId: string, body: string, via: Via) {
    const at = clock.now().toISOString();
    await addEvent(trx, { eventId: newId(), taskId, kind: 'comment', personId: actor.personId, actorLabel: actor.label, via, body, at });
    await trx.updateTable('task').set({ updated_at: at }).where('task_id', '=', taskId).execute();
    await audit.record(trx, { actor, action: 'task.comment', objectType: 'task', objectId: taskId, after: { body: body.slice(0, 500), via } });
  }

  async function view(ex: Executor, actor: Actor, rows: TaskTable[]) {
    const names = await scopeNames(
      ex,
      rows.map((t) => ({ type: t.scope_type as ScopeRef['type'], id: t.scope_id })),
    );
    const now = clock.now().toISOString();
    return rows.map((t) => {
      const scope = names.get(`${t.scope_type}:${t.scope_id}`);
      const open = (OPEN_STATUSES as readonly string[]).includes(t.status);
      const waiting = t.status === 'open' || (t.status === 'acknowledged' && t.measures === 'resolve');
      return {
        taskId: t.task_id,
        scope: { type: t.scope_type, id: t.scope_id, name: scope?.name ?? t.scope_id, ngiId: t.ngi_id, ngiName: scope?.ngiName ?? null },
        taskType: t.task_type,
        priority: t.priority,
        title: t.title,
        tlp: t.tlp,
        subject: t.subject_type && t.subject_id ? { type: t.subject_type, id: t.subject_id } : null,
        status: t.status,
        measures: t.measures,
        dueAt: t.due_at,
        overdue: waiting && t.due_at < now,
        dueSoon: waiting && t.due_at >= now && t.warn_at <= now,
        open,
        createdAt: t.created_at,
        createdBy: t.created_by_label,
        acknowledgedAt: t.acknowledged_at,
        resolvedAt: t.resolved_at,
        cancelledAt: t.cancelled_at,
        escalation: { warnedAt: t.warned_at, ngiAt: t.escalated_ngi_at, csirtAt: t.escalated_csirt_at },
        checklist: t.checklist_instance_id ? { instanceId: t.checklist_instance_id, step: t.checklist_step ?? 0 } : null,
        helpdesk: t.helpdesk_ticket_id ? { ticketId: t.helpdesk_ticket_id, state: t.helpdesk_state } : null,
        abilities: abilities(actor, taskTarget(t), ANSWER_PERMISSIONS),
      };
    });
  }

  async function loadForChange(trx: Executor, actor: Actor, taskId: string, permission: 'task:answer' | 'task:create') {
    const t = await findTask(trx, taskId);
    if (!t || !can(actor, 'task:read', taskTarget(t))) throw new NotFoundError('task', taskId);
    await requireAccess(actor, permission, taskTarget(t));
    return t;
  }

  /** The actor a reply speaks for: a person with this address who may answer the task. */
  async function replier(trx: Executor, address: string, target: Target): Promise<Actor | undefined> {
    for (const p of await peopleByEmail(trx, address)) {
      const actor: Actor = { kind: 'person', personId: p.personId, label: p.name, grants: await listRoleGrants(trx, p.personId) };
      if (can(actor, 'task:answer', target)) return actor;
    }
    return undefined;
  }

  return {
    taskKind,
    insertTasks,
    transition,

    /** Opens a task for each target scope: one transaction, the e-mails in the outbox. */
    async create(actor: Actor, input: NewTask) {
      if (input.targets.length === 0) throw new InvalidError('address the task to at least one site, NGI or VO');
      if (input.dueAt && Date.parse(input.dueAt) > clock.now().getTime() + 5 * 366 * 86_400_000)
        throw new InvalidError('a due time more than five years ahead is a typo');
      if (input.targets.length > MAX_TARGETS) throw new InvalidError(`at most ${MAX_TARGETS} addressees per request`);
      if (!(PRIORITIES as readonly string[]).includes(input.priority)) throw new InvalidError(`priority is one of ${PRIORITIES.join(', ')}`);
      const tlp = parseTlp(input.tlp);
      // RED is for named people; a task is addressed to a scope's people, so it cannot be RED.
      if (tlp === 'RED') throw new InvalidError('a task is read by everyone who answers for its addressee: use AMBER+STRICT at most, never TLP:RED');
      const targets = [
        ...new Map(input.targets.map((t) => [`${t.type}:${t.type === 'federation' ? '' : t.id}`, { ...t, id: t.type === 'federation' ? '' : t.id }])).values(),
      ];
      return db.transaction().execute(async (trx) => {
        const names = await scopeNames(trx, targets);
        for (const ref of targets) await requireAccess(actor, 'task:create', await targetOf(trx, ref, names));
        const types = await knownTaskTypes(trx);
        if (!types.includes(input.taskType)) throw new InvalidError(`unknown task type ${input.taskType}: one of ${types.join(', ')}`);
        const rows = await insertTasks(trx, actor, { ...input, tlp, targets }, names);
        return { items: await view(trx, actor, rows) };
      });
    },

    async get(actor: Actor, taskId: string) {
      await requireAccess(actor, 'task:read', { kind: taskKind, id: taskId });
      const t = (await findTask(db, taskId))!;
      const [[summary], events, attachments, messages] = await Promise.all([
        view(db, actor, [t]),
        listEvents(db, taskId),
        listAttachments(db, taskId),
        messagesAbout(db, 'task', taskId),
      ]);
      const rule = t.deadline_rule_id
        ? await db.selectFrom('deadline_rule').selectAll().where('rule_id', '=', t.deadline_rule_id).executeTakeFirst()
        : undefined;
      return {
        ...summary!,
        description: t.description,
        rule: rule
          ? { ruleId: rule.rule_id, source: rule.source, amount: rule.amount, unit: rule.unit, validFrom: rule.valid_from, validTo: rule.valid_to }
          : null,
        warnAt: t.warn_at,
        csirtAt: t.csirt_at,
        acknowledgedBy: t.acknowledged_by,
        resolvedBy: t.resolved_by,
        events: events.map((e) => ({ eventId: e.event_id, kind: e.kind, actor: e.actor_label, via: e.via, body: e.body, at: e.at })),
        attachments: attachments.map((a) => ({
          attachmentId: a.attachment_id,
          fileName: a.file_name,
          contentType: a.content_type,
          size: a.size,
          sha256: a.sha256,
          addedBy: a.added_by,
          addedAt: a.added_at,
        })),
        // Who was told, not what: the text is the task's own. The addressees see the addresses of
        // the messages to their scope; who an escalation went to (NGI, CSIRT), only those above them.
        messages: messages.map((m) => ({
          channel: m.channel,
          recipient:
            m.channel !== 'email'
              ? 'webhook'
              : m.event_type === 'task.escalated' && !can(actor, 'task:create', taskTarget(t))
                ? 'escalation recipients'
                : m.recipient,
          eventType: m.event_type,
          status: m.status,
          createdAt: m.created_at,
          sentAt: m.sent_at,
        })),
      };
    },

    /** The tasks in the reader's reach; open ones soonest due first. */
    async list(
      actor: Actor,
      f: {
        status?: 'open' | 'resolved' | 'cancelled' | 'all';
        scopeType?: string;
        scopeId?: string;
        taskType?: string;
        overdue?: boolean;
        q?: string;
        checklistId?: string;
        limit: number;
        offset: number;
      },
    ) {
      const r = reach(actor, 'task:read');
      const now = clock.now().toISOString();
      const base = db
        .selectFrom('task')
        .where(tasksInReach(r))
        .$if(!f.status || f.status === 'open', (q) => q.where('task.status', 'in', [...OPEN_STATUSES]))
        .$if(f.status === 'resolved' || f.status === 'cancelled', (q) => q.where('task.status', '=', f.status!))
        .$if(!!f.scopeType, (q) => q.where('task.scope_type', '=', f.scopeType!))
        .$if(!!f.scopeId, (q) => q.where('task.scope_id', '=', f.scopeId!))
        .$if(!!f.taskType, (q) => q.where('task.task_type', '=', f.taskType!))
        .$if(!!f.checklistId, (q) => q.where('task.checklist_instance_id', '=', f.checklistId!))
        .$if(!!f.overdue, (q) => q.where(awaitingAnswer).where('task.due_at', '<', now))
        .$if(!!f.q, (q) => q.where((eb) => containsCi(eb.ref('task.title'), f.q!)));
      const [rows, total] = await Promise.all([
        base
          .selectAll('task')
          .orderBy(!f.status || f.status === 'open' ? 'task.due_at' : 'task.created_at', !f.status || f.status === 'open' ? 'asc' : 'desc')
          .orderBy('task.task_id')
          .limit(f.limit)
          .offset(f.offset)
          .execute(),
        base.select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow(),
      ]);
      return { items: await view(db, actor, rows), total: Number(total.n), limit: f.limit, offset: f.offset };
    },

    /** What needs the reader now, for the home page: overdue and due-soon tasks in their reach. */
    async attention(actor: Actor) {
      const r = reach(actor, 'task:read');
      const now = clock.now().toISOString();
      const waiting = db.selectFrom('task').where(tasksInReach(r)).where(awaitingAnswer);
      const [overdue, dueSoon, soonest] = await Promise.all([
        waiting
          .where('task.due_at', '<', now)
          .select((eb) => eb.fn.countAll<number>().as('n'))
          .executeTakeFirstOrThrow(),
        waiting
          .where('task.due_at', '>=', now)
          .where('task.warn_at', '<=', now)
          .select((eb) => eb.fn.countAll<number>().as('n'))
          .executeTakeFirstOrThrow(),
        waiting.selectAll('task').orderBy('task.due_at').limit(5).execute(),
      ]);
      return { overdue: Number(overdue.n), dueSoon: Number(dueSoon.n), next: await view(db, actor, soonest) };
    },

    /** Tasks waiting for their answer by scope type and overdue or not, federation-wide (metrics). */
    async waitingCounts() {
      const now = clock.now().toISOString();
      const rows = await db
        .selectFrom('task')
        .where(awaitingAnswer)
        .select(['scope_type', (eb) => eb.case().when('due_at', '<', now).then(1).else(0).end().as('overdue'), (eb) => eb.fn.countAll<number>().as('n')])
        .groupBy(['scope_type', 'overdue'])
        .execute();
      return rows.map((r) => ({ scopeType: r.scope_type, overdue: Number(r.overdue) === 1, n: Number(r.n) }));
    },

    acknowledge: (actor: Actor, taskId: string, comment: string | undefined, via: Via) =>
      db.transaction().execute(async (trx) => {
        const t = await loadForChange(trx, actor, taskId, 'task:answer');
        const after = await transition(trx, actor, t, 'acknowledged', via, comment?.trim() || null);
        return (await view(trx, actor, [after]))[0]!;
      }),

    resolve: (actor: Actor, taskId: string, comment: string | undefined, via: Via, onResolved?: (trx: Executor, t: TaskTable) => Promise<void>) =>
      db.transaction().execute(async (trx) => {
        const t = await loadForChange(trx, actor, taskId, 'task:answer');
        const after = await transition(trx, actor, t, 'resolved', via, comment?.trim() || null);
        await onResolved?.(trx, after);
        return (await view(trx, actor, [after]))[0]!;
      }),

    cancel: (actor: Actor, taskId: string, reason: string) =>
      db.transaction().execute(async (trx) => {
        const t = await loadForChange(trx, actor, taskId, 'task:create');
        const after = await transition(trx, actor, t, 'cancelled', 'ui', reason);
        return (await view(trx, actor, [after]))[0]!;
      }),

    comment: (actor: Actor, taskId: string, body: string, via: Via) =>
      db.transaction().execute(async (trx) => {
        await loadForChange(trx, actor, taskId, 'task:answer');
        await addComment(trx, actor, taskId, body, via);
      }),

    async addAttachment(actor: Actor, taskId: string, file: { fileName: string; contentType: string; content: Buffer }) {
      if (file.content.length === 0) throw new InvalidError('the file is empty');
      if (file.content.length > ATTACHMENT_MAX_BYTES) throw new TooLargeError(`an attachment may have at most ${ATTACHMENT_MAX_BYTES} bytes`);
      const fileName = file.fileName.replace(/[\\/\0-\x1f]/g, '_').slice(0, 200);
      return db.transaction().execute(async (trx) => {
        await loadForChange(trx, actor, taskId, 'task:answer');
        const count = await trx
          .selectFrom('task_attachment')
          .select((eb) => eb.fn.countAll<number>().as('n'))
          .where('task_id', '=', taskId)
          .executeTakeFirstOrThrow();
        if (Number(count.n) >= ATTACHMENTS_PER_TASK) throw new ConflictError(`a task holds at most ${ATTACHMENTS_PER_TASK} attachments`);
        const row = {
          attachment_id: newId(),
          task_id: taskId,
          file_name: fileName,
          content_type: file.contentType.slice(0, 100),
          size: file.content.length,
          sha256: createHash('sha256').update(file.content).digest('hex'),
          content: file.content,
          added_by: actor.label,
          added_at: clock.now().toISOString(),
        };
        await trx.insertInto('task_attachment').values(row).execute();
        await addEvent(trx, {
          eventId: newId(),
          taskId,
          kind: 'attachment',
          personId: actor.personId,
          actorLabel: actor.label,
          via: 'ui',
          body: `${fileName} (${row.size} bytes, sha256 ${row.sha256})`,
          at: row.added_at,
        });
        await audit.record(trx, {
          actor,
          action: 'task.attach',
          objectType: 'task',
          objectId: taskId,
          after: { fileName, size: row.size, sha256: row.sha256 },
        });
        return {
          attachmentId: row.attachment_id,
          fileName,
          contentType: row.content_type,
          size: row.size,
          sha256: row.sha256,
          addedBy: row.added_by,
          addedAt: row.added_at,
        };
      });
    },

    async getAttachment(actor: Actor, taskId: string, attachmentId: string) {
      await requireAccess(actor, 'task:read', { kind: taskKind, id: taskId });
      const row = await db.selectFrom('task_attachment').selectAll().where('task_id', '=', taskId).where('attachment_id', '=', attachmentId).executeTakeFirst();
      if (!row) throw new NotFoundError('attachment', attachmentId);
      return { fileName: row.file_name, content: Buffer.from(row.content) };
    },

    /**
     * A reply to a task's e-mail (the token already verified): it speaks for a person with the
     * sender's address who may answer the task, or it is held. Its first word "resolved" resolves
     * the task; otherwise it acknowledges an open task. Its new text becomes a comment.
     */
    async answerByMail(
      trx: Executor,
      taskId: string,
      message: InboundMessage,
      onResolved?: (trx: Executor, t: TaskTable) => Promise<void>,
    ): Promise<{ attached: true } | { held: string }> {
      const t = await findTask(trx, taskId);
      if (!t) return { held: 'the task of this reply address no longer exists' };
      const actor = await replier(trx, message.from, taskTarget(t));
      if (!actor) return { held: `the sender ${message.from} is not among the people who answer this task` };
      const text = message.newText.trim();
      const resolves = /^(resolved|done|fixed)\b/i.test(text);
      if (t.status === 'open' || (resolves && t.status === 'acknowledged')) {
        const after = await transition(trx, actor, t, resolves ? 'resolved' : 'acknowledged', 'email', text.slice(0, 20_000) || null);
        if (resolves) await onResolved?.(trx, after);
      } else if (text) await addComment(trx, actor, taskId, text.slice(0, 20_000), 'email');
      return { attached: true };
    },
  };
}
export type TaskService = ReturnType<typeof createTaskService>;
