// HTTP surface of site tasks, deadlines, checklists and response times.
import { Type } from '@sinclair/typebox';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { Actor } from '../../core/access.js';
import type { Db } from '../../db/database.js';
import { InvalidError } from '../../core/errors.js';
import { actorOf } from '../../server/auth.js';
import { errorResponses, Id, Nullable } from '../../server/schema-helpers.js';
import { csvCell } from '../../lib/csv/cell.js';
import { PRIORITIES, UNITS } from './deadlines.js';
import { ATTACHMENT_MAX_BYTES, MAX_TARGETS, type Via } from './service.js';
import type { TaskServices } from './module.js';
import { probeTasks } from './probe.js';

const tags = ['tasks'];
const ScopeType = Type.Union([Type.Literal('site'), Type.Literal('ngi'), Type.Literal('vo'), Type.Literal('federation')]);
const Priority = Type.Union(PRIORITIES.map((p) => Type.Literal(p)));
const Unit = Type.Union(UNITS.map((u) => Type.Literal(u)));
const TaskType = Type.String({ minLength: 1, maxLength: 40, pattern: '^[a-z][a-z0-9-]*$' });
const Month = Type.String({ pattern: '^\\d{4}-(0[1-9]|1[0-2])$' });
const Comment = Type.String({ maxLength: 20_000 });
/** One line: titles become e-mail subjects. */
const Title = Type.String({ minLength: 1, maxLength: 200, pattern: '^[^\\x00-\\x1f\\x7f]+$' });
const TaskParams = Type.Object({ taskId: Id });
const Figures = Type.Object({
  n: Type.Integer(),
  medianMinutes: Nullable(Type.Number()),
  p90Minutes: Nullable(Type.Number()),
  withinShare: Nullable(Type.Number()),
});
const Pair = { acknowledge: Figures, resolve: Figures };
const ResponseQuery = Type.Object(
  { from: Type.Optional(Month), to: Type.Optional(Month), ngiId: Type.Optional(Id), siteId: Type.Optional(Id), taskType: Type.Optional(TaskType) },
  { additionalProperties: false },
);
const Step = Type.Object(
  {
    title: Type.String({ minLength: 1, maxLength: 200 }),
    description: Type.String({ maxLength: 4000 }),
    party: Type.Union([Type.Literal('addressee'), Type.Literal('ngi'), Type.Literal('federation')]),
    amount: Type.Number({ exclusiveMinimum: 0, maximum: 10_000 }),
    unit: Unit,
  },
  { additionalProperties: false },
);

/** Who answered: a session is the web UI, a bearer token the API. */
const viaOf = (actor: Actor): Via => (actor.tokenPermissions ? 'api' : 'ui');

/** Months of the last year, when the dashboard is not told otherwise. */
function period(q: { from?: string | undefined; to?: string | undefined }, now: Date) {
  const to = q.to ?? now.toISOString().slice(0, 7);
  const from = q.from ?? new Date(Date.UTC(now.getUTCFullYear() - 1, now.getUTCMonth() + 1, 1)).toISOString().slice(0, 7);
  if (from > to) throw new InvalidError('the period starts after it ends');
  return { from, to };
}

export const taskRoutes =
  (s: TaskServices & { clock: { now(): Date }; db: Db }): FastifyPluginAsyncTypebox =>
  async (app) => {
    const { tasks, deadlines, checklists, responseTimes } = s;

    app.get(
      '/api/v1/tasks',
      {
        schema: {
          tags,
          summary: 'Tasks addressed to the scopes you answer for; open ones soonest due first',
          querystring: Type.Object(
            {
              status: Type.Optional(Type.Union([Type.Literal('open'), Type.Literal('resolved'), Type.Literal('cancelled'), Type.Literal('all')])),
              scopeType: Type.Optional(ScopeType),
              scopeId: Type.Optional(Id),
              taskType: Type.Optional(TaskType),
              checklistId: Type.Optional(Id),
              overdue: Type.Optional(Type.Boolean()),
              q: Type.Optional(Type.String({ maxLength: 200 })),
              limit: Type.Integer({ minimum: 1, maximum: 200, default: 50 }),
              offset: Type.Integer({ minimum: 0, maximum: 1_000_000, default: 0 }),
            },
            { additionalProperties: false },
          ),
        },
        config: { permission: 'task:read' },
      },
      async (req) => tasks.list(actorOf(req), req.query),
    );
    app.post(
      '/api/v1/tasks',
      {
        schema: {
          tags,
          summary: 'Open a task for one or more sites, NGIs or VOs; each addressee is told by e-mail',
          body: Type.Object(
            {
              targets: Type.Array(Type.Object({ type: ScopeType, id: Type.String({ maxLength: 64 }) }, { additionalProperties: false }), {
                minItems: 1,
                maxItems: MAX_TARGETS,
              }),
              taskType: TaskType,
              priority: Priority,
              title: Title,
              description: Type.String({ maxLength: 20_000, default: '' }),
              tlp: Type.String({ maxLength: 20, default: 'AMBER' }),
              subject: Type.Optional(Type.Object({ type: Type.String({ maxLength: 40 }), id: Id }, { additionalProperties: false })),
              dueAt: Type.Optional(Type.String({ format: 'date-time' })),
              mirrorToHelpdesk: Type.Boolean({ default: false }),
            },
            { additionalProperties: false },
          ),
        },
        config: { permission: 'task:create' },
      },
      async (req, reply) => {
        const { mirrorToHelpdesk, ...input } = req.body;
        // A helpdesk ticket is read by the support unit and its tools: nothing above AMBER goes there.
        if (mirrorToHelpdesk && /STRICT|RED/i.test(input.tlp)) throw new InvalidError('an AMBER+STRICT or RED task is not mirrored to the helpdesk');
        const created = await tasks.create(actorOf(req), input);
        if (mirrorToHelpdesk) await s.queueMirrors(created.items.map((t) => t.taskId));
        return reply.code(201).send(created);
      },
    );
    app.get(
      '/api/v1/tasks/:taskId',
      {
        schema: { tags, summary: 'A task with its history, attachments and the messages sent about it', params: TaskParams },
        config: { permission: 'task:read' },
      },
      async (req) => tasks.get(actorOf(req), req.params.taskId),
    );
    for (const action of ['acknowledge', 'resolve'] as const) {
      app.post(
        `/api/v1/tasks/:taskId/${action}`,
        {
          schema: {
            tags,
            summary: action === 'acknowledge' ? 'Acknowledge a task (you are on it)' : 'Resolve a task (done)',
            params: TaskParams,
            body: Type.Object({ comment: Type.Optional(Comment) }, { additionalProperties: false }),
          },
          config: { permission: 'task:answer' },
        },
        async (req) => {
          const actor = actorOf(req);
          return action === 'acknowledge'
            ? tasks.acknowledge(actor, req.params.taskId, req.body.comment, viaOf(actor))
            : tasks.resolve(actor, req.params.taskId, req.body.comment, viaOf(actor), checklists.onTaskResolved);
        },
      );
    }
    app.post(
      '/api/v1/tasks/:taskId/cancel',
      {
        schema: {
          tags,
          summary: 'Cancel a task (no longer needed)',
          params: TaskParams,
          body: Type.Object({ reason: Type.String({ minLength: 1, maxLength: 2000 }) }, { additionalProperties: false }),
        },
        config: { permission: 'task:create' },
      },
      async (req) => tasks.cancel(actorOf(req), req.params.taskId, req.body.reason),
    );
    app.post(
      '/api/v1/tasks/:taskId/comments',
      {
        schema: {
          tags,
          summary: 'Add a comment',
          params: TaskParams,
          body: Type.Object({ body: Type.String({ minLength: 1, maxLength: 20_000 }) }, { additionalProperties: false }),
          response: { 204: Type.Null(), ...errorResponses },
        },
        config: { permission: 'task:answer' },
      },
      async (req, reply) => {
        const actor = actorOf(req);
        await tasks.comment(actor, req.params.taskId, req.body.body, viaOf(actor));
        return reply.code(204).send(null);
      },
    );
    app.post(
      '/api/v1/tasks/:taskId/attachments',
      {
        schema: {
          tags,
          summary: `Attach a file (at most ${ATTACHMENT_MAX_BYTES / 1024 / 1024} MiB, base64 in JSON)`,
          params: TaskParams,
          body: Type.Object(
            {
              fileName: Type.String({ minLength: 1, maxLength: 200 }),
              contentType: Type.String({ maxLength: 100, default: 'application/octet-stream' }),
              contentBase64: Type.String({ maxLength: Math.ceil((ATTACHMENT_MAX_BYTES * 4) / 3) + 4, pattern: '^[A-Za-z0-9+/]*={0,2}$' }),
            },
            { additionalProperties: false },
          ),
        },
        config: { permission: 'task:answer' },
        bodyLimit: Math.ceil((ATTACHMENT_MAX_BYTES * 4) / 3) + 64 * 1024,
      },
      async (req, reply) =>
        reply.code(201).send(
          await tasks.addAttachment(actorOf(req), req.params.taskId, {
            fileName: req.body.fileName,
            contentType: req.body.contentType,
            content: Buffer.from(req.body.contentBase64, 'base64'),
          }),
        ),
    );
    app.get(
      '/api/v1/tasks/:taskId/attachments/:attachmentId',
      { schema: { tags, summary: 'Download an attachment', params: Type.Object({ taskId: Id, attachmentId: Id }) }, config: { permission: 'task:read' } },
      async (req, reply) => {
        const file = await tasks.getAttachment(actorOf(req), req.params.taskId, req.params.attachmentId);
        // Always a download, never rendered: an attachment is whatever someone uploaded.
        return reply
          .type('application/octet-stream')
          .header('content-disposition', `attachment; filename="${file.fileName.replace(/[^A-Za-z0-9._-]/g, '_')}"`)
          .send(file.content);
      },
    );
    app.get(
      '/api/v1/task-attention',
      { schema: { tags, summary: 'What needs you now: overdue and due-soon tasks in your scopes' }, config: { permission: 'task:read' } },
      async (req) => tasks.attention(actorOf(req)),
    );

    app.get(
      '/api/v1/deadline-rules',
      {
        schema: {
          tags,
          summary: 'Deadline rules per task type and priority (with history=true, every version)',
          querystring: Type.Object({ history: Type.Boolean({ default: false }) }, { additionalProperties: false }),
        },
        config: { permission: 'task:read' },
      },
      async (req) => ({ items: await deadlines.listRules(req.query.history) }),
    );
    app.put(
      '/api/v1/deadline-rules',
      {
        schema: {
          tags,
          summary: 'Set the deadline of a task type and priority; open tasks keep the rule they were opened under',
          body: Type.Object(
            {
              taskType: TaskType,
              priority: Type.Union([Priority, Type.Literal('*')]),
              amount: Type.Number({ exclusiveMinimum: 0, maximum: 10_000 }),
              unit: Unit,
              measures: Type.Union([Type.Literal('acknowledge'), Type.Literal('resolve')]),
              warnFraction: Type.Number({ default: 0.75 }),
              csirtFraction: Type.Number({ default: 1.5 }),
              source: Type.String({ minLength: 1, maxLength: 300 }),
            },
            { additionalProperties: false },
          ),
        },
        config: { permission: 'deadline:manage' },
      },
      async (req) => deadlines.setRule(actorOf(req), req.body),
    );
    app.get(
      '/api/v1/work-calendar',
      { schema: { tags, summary: 'The working calendar deadlines in working hours count on' }, config: { permission: 'task:read' } },
      async () => deadlines.getCalendar(),
    );
    app.put(
      '/api/v1/work-calendar',
      {
        schema: {
          tags,
          summary: 'Replace the working calendar: time zone, hours per weekday (minutes), holidays',
          body: Type.Object(
            {
              timeZone: Type.String({ maxLength: 64 }),
              week: Type.Record(
                Type.String({ pattern: '^[1-7]$' }),
                Type.Array(Type.Array(Type.Integer({ minimum: 0, maximum: 1440 }), { minItems: 2, maxItems: 2 }), { maxItems: 48 }),
              ),
              holidays: Type.Array(Type.String({ pattern: '^\\d{4}-\\d{2}-\\d{2}$' }), { maxItems: 500 }),
            },
            { additionalProperties: false },
          ),
        },
        config: { permission: 'deadline:manage' },
      },
      async (req) => deadlines.setCalendar(actorOf(req), req.body),
    );

    app.get(
      '/api/v1/checklist-templates',
      { schema: { tags, summary: 'Checklist templates (PROC19, SEC04, RC suspension, …)' }, config: { permission: 'task:read' } },
      async () => ({
        items: await checklists.listTemplates(),
      }),
    );
    app.post(
      '/api/v1/checklist-templates',
      {
        schema: {
          tags,
          summary: 'Add or edit (with templateId) a checklist template',
          body: Type.Object(
            {
              templateId: Type.Optional(Id),
              name: Type.String({ minLength: 1, maxLength: 200 }),
              description: Type.String({ maxLength: 4000, default: '' }),
              ordered: Type.Boolean({ default: false }),
              scopeType: ScopeType,
              steps: Type.Array(Step, { minItems: 1, maxItems: 50 }),
            },
            { additionalProperties: false },
          ),
        },
        config: { permission: 'deadline:manage' },
      },
      async (req) => checklists.saveTemplate(actorOf(req), req.body),
    );
    app.get(
      '/api/v1/checklists',
      { schema: { tags, summary: 'Checklists in your scopes with their progress' }, config: { permission: 'task:read' } },
      async (req) => ({
        items: await checklists.list(actorOf(req)),
      }),
    );
    app.post(
      '/api/v1/checklists',
      {
        schema: {
          tags,
          summary: 'Begin a checklist for a site, NGI or VO: its steps open as tasks',
          body: Type.Object(
            {
              templateId: Id,
              title: Type.String({ minLength: 1, maxLength: 200 }),
              target: Type.Object({ type: ScopeType, id: Type.String({ maxLength: 64 }) }, { additionalProperties: false }),
            },
            { additionalProperties: false },
          ),
        },
        config: { permission: 'task:create' },
      },
      async (req, reply) => reply.code(201).send(await checklists.start(actorOf(req), req.body)),
    );

    app.get(
      '/api/v1/response-times',
      {
        schema: {
          tags,
          summary: 'Median and 90th percentile time to acknowledge and resolve, share within deadline, trend, slowest sites',
          querystring: ResponseQuery,
          response: {
            200: Type.Object({
              filter: Type.Any(),
              ...Pair,
              trend: Type.Array(Type.Object({ month: Type.String(), ...Pair })),
              byType: Type.Array(Type.Object({ taskType: Type.String(), ...Pair })),
              slowest: Type.Array(Type.Object({ scopeId: Type.String(), siteName: Type.String(), ngiName: Nullable(Type.String()), ...Pair })),
            }),
            ...errorResponses,
          },
        },
        config: { permission: 'task:read' },
      },
      async (req) => responseTimes.dashboard(actorOf(req), { ...req.query, ...period(req.query, s.clock.now()) }),
    );
    app.get(
      '/api/v1/response-times.csv',
      { schema: { tags, summary: 'Response times per site and task type as CSV', querystring: ResponseQuery }, config: { permission: 'task:read' } },
      async (req, reply) => {
        const rows = await responseTimes.rows(actorOf(req), { ...req.query, ...period(req.query, s.clock.now()) });
        const csv = [
          ['scope_type', 'scope_id', 'ngi_id', 'task_type', 'measure', 'n', 'median_minutes', 'p90_minutes', 'within_deadline_share'],
          ...rows.map((r) => [
            r.scopeType,
            r.scopeId,
            r.ngiId,
            r.taskType,
            r.measure,
            String(r.n),
            r.medianMinutes?.toFixed(1) ?? '',
            r.p90Minutes?.toFixed(1) ?? '',
            r.withinShare?.toFixed(3) ?? '',
          ]),
        ]
          .map((line) => line.map(csvCell).join(','))
          .join('\r\n');
        return reply.type('text/csv; charset=utf-8').header('content-disposition', 'attachment; filename="response-times.csv"').send(csv);
      },
    );
    app.get(
      '/api/v1/probe/tasks/:siteName',
      {
        schema: {
          tags,
          summary: 'Nagios/ARGO probe of a site’s overdue tasks; the exit code as X-Nagios-Status',
          params: Type.Object({ siteName: Type.String({ maxLength: 100 }) }),
        },
        config: { permission: 'task:read' },
      },
      async (req, reply) => {
        const probe = await probeTasks(s, actorOf(req), req.params.siteName);
        return reply
          .header('x-nagios-status', String(probe.code))
          .type('text/plain; charset=utf-8')
          .send(probe.text + '\n');
      },
    );
  };
