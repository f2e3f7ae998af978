// Issue 12: site tasks with deadlines, checklists, escalation and measured response times; the
// notification outbox (e-mail and webhooks) every change that tells someone writes into in its
// own transaction; inbound replies.
import { PostgresAdapter, sql, type Kysely } from 'kysely';

const isPostgres = (db: Kysely<unknown>) => db.getExecutor().adapter instanceof PostgresAdapter;
/** Buckets of the response-time histograms (as src/lib/response-times/histogram.ts counts them). */
const HISTOGRAM_BUCKETS = 60;

export async function up(db: Kysely<unknown>): Promise<void> {
  const blob = isPostgres(db) ? sql`bytea` : sql`blob`;

  // --- deadlines as data -------------------------------------------------------------------
  // A rule's versions: a change closes the current row (valid_to) and adds one, so a task
  // keeps the exact rule it was created under (task.deadline_rule_id).
  await db.schema
    .createTable('deadline_rule')
    .addColumn('rule_id', 'text', (c) => c.primaryKey())
    .addColumn('task_type', 'text', (c) => c.notNull())
    /** A helpdesk priority, or '*' for any. */
    .addColumn('priority', 'text', (c) => c.notNull())
    .addColumn('amount', 'real', (c) => c.notNull())
    .addColumn('unit', 'text', (c) => c.notNull())
    /** acknowledge | resolve: which answer the deadline is for. */
    .addColumn('measures', 'text', (c) => c.notNull())
    .addColumn('warn_fraction', 'real', (c) => c.notNull())
    .addColumn('csirt_fraction', 'real', (c) => c.notNull())
    .addColumn('source', 'text', (c) => c.notNull())
    .addColumn('valid_from', 'text', (c) => c.notNull())
    .addColumn('valid_to', 'text')
    .addColumn('changed_by', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('deadline_rule_current_idx').on('deadline_rule').columns(['task_type', 'priority', 'valid_to']).execute();

  await db.schema
    .createTable('work_calendar')
    .addColumn('calendar_id', 'text', (c) => c.primaryKey())
    .addColumn('calendar_json', 'text', (c) => c.notNull())
    .addColumn('valid_from', 'text', (c) => c.notNull())
    .addColumn('valid_to', 'text')
    .addColumn('changed_by', 'text', (c) => c.notNull())
    .execute();

  // --- checklists ------------------------------------------------------------------------------
  await db.schema
    .createTable('checklist_template')
    .addColumn('template_id', 'text', (c) => c.primaryKey())
    .addColumn('name', 'text', (c) => c.notNull().unique())
    .addColumn('description', 'text', (c) => c.notNull())
    .addColumn('is_ordered', 'integer', (c) => c.notNull())
    /** What an instance is addressed to: site | ngi | vo. */
    .addColumn('scope_type', 'text', (c) => c.notNull())
    .addColumn('steps_json', 'text', (c) => c.notNull())
    .addColumn('is_builtin', 'integer', (c) => c.notNull())
    .addColumn('created_by', 'text', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .execute();

  await db.schema
    .createTable('checklist_instance')
    .addColumn('instance_id', 'text', (c) => c.primaryKey())
    .addColumn('template_id', 'text', (c) => c.notNull())
    .addColumn('title', 'text', (c) => c.notNull())
    .addColumn('scope_type', 'text', (c) => c.notNull())
    .addColumn('scope_id', 'text', (c) => c.notNull())
    .addColumn('ngi_id', 'text')
    /** The template's steps and order when the instance began: a later template edit does not move it. */
    .addColumn('steps_json', 'text', (c) => c.notNull())
    .addColumn('is_ordered', 'integer', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('created_by', 'text', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('finished_at', 'text')
    .execute();
  await db.schema.createIndex('checklist_instance_scope_idx').on('checklist_instance').columns(['scope_type', 'scope_id']).execute();

  // --- tasks ------------------------------------------------------------------------------------
  await db.schema
    .createTable('task')
    .addColumn('task_id', 'text', (c) => c.primaryKey())
    /** federation (the CSIRT's own step) | ngi | site | vo */
    .addColumn('scope_type', 'text', (c) => c.notNull())
    .addColumn('scope_id', 'text', (c) => c.notNull())
    /** The site's NGI for a site task, the NGI for an NGI task: NGI-wide lists and escalation need no join. */
    .addColumn('ngi_id', 'text')
    .addColumn('task_type', 'text', (c) => c.notNull())
    .addColumn('priority', 'text', (c) => c.notNull())
    .addColumn('title', 'text', (c) => c.notNull())
    .addColumn('description', 'text', (c) => c.notNull())
    .addColumn('tlp', 'text', (c) => c.notNull())
    /** What it is about: an incident, advisory, suspension, … (type and id), when there is one. */
    .addColumn('subject_type', 'text')
    .addColumn('subject_id', 'text')
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('deadline_rule_id', 'text')
    .addColumn('measures', 'text', (c) => c.notNull())
    .addColumn('due_at', 'text', (c) => c.notNull())
    .addColumn('warn_at', 'text', (c) => c.notNull())
    .addColumn('csirt_at', 'text', (c) => c.notNull())
    .addColumn('warned_at', 'text')
    .addColumn('escalated_ngi_at', 'text')
    .addColumn('escalated_csirt_at', 'text')
    .addColumn('created_by', 'text', (c) => c.notNull())
    .addColumn('created_by_label', 'text', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('acknowledged_by', 'text')
    .addColumn('acknowledged_at', 'text')
    .addColumn('resolved_by', 'text')
    .addColumn('resolved_at', 'text')
    .addColumn('cancelled_by', 'text')
    .addColumn('cancelled_at', 'text')
    .addColumn('checklist_instance_id', 'text')
    .addColumn('checklist_step', 'integer')
    .addColumn('helpdesk_ticket_id', 'text')
    .addColumn('helpdesk_state', 'text')
    .addColumn('helpdesk_checked_at', 'text')
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('task_scope_idx').on('task').columns(['scope_type', 'scope_id', 'status']).execute();
  await db.schema.createIndex('task_ngi_idx').on('task').columns(['ngi_id', 'status']).execute();
  await db.schema.createIndex('task_open_due_idx').on('task').columns(['status', 'due_at']).execute();
  await db.schema.createIndex('task_checklist_idx').on('task').columns(['checklist_instance_id', 'checklist_step']).execute();
  await db.schema.createIndex('task_subject_idx').on('task').columns(['subject_type', 'subject_id']).execute();
  await db.schema.createIndex('task_helpdesk_idx').on('task').columns(['helpdesk_ticket_id']).execute();

  await db.schema
    .createTable('task_event')
    .addColumn('event_id', 'text', (c) => c.primaryKey())
    .addColumn('task_id', 'text', (c) => c.notNull())
    /** created | acknowledged | resolved | cancelled | comment | attachment | warning | escalated-ngi | escalated-csirt | helpdesk */
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('person_id', 'text')
    .addColumn('actor_label', 'text', (c) => c.notNull())
    /** ui | api | email | system */
    .addColumn('via', 'text', (c) => c.notNull())
    .addColumn('body', 'text')
    .addColumn('at', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('task_event_task_idx').on('task_event').columns(['task_id', 'at']).execute();

  await db.schema
    .createTable('task_attachment')
    .addColumn('attachment_id', 'text', (c) => c.primaryKey())
    .addColumn('task_id', 'text', (c) => c.notNull())
    .addColumn('file_name', 'text', (c) => c.notNull())
    .addColumn('content_type', 'text', (c) => c.notNull())
    .addColumn('size', 'integer', (c) => c.notNull())
    .addColumn('sha256', 'text', (c) => c.notNull())
    .addColumn('content', blob, (c) => c.notNull())
    .addColumn('added_by', 'text', (c) => c.notNull())
    .addColumn('added_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('task_attachment_task_idx').on('task_attachment').columns(['task_id']).execute();

  // Response times, counted as tasks are answered: one row per month of creation, scope, type
  // and measure, with a log-scale histogram of minutes in h0…h59 (src/lib/response-times). Each
  // answer is counted at three levels — its addressee (`scope`), the addressee's NGI (`ngi`) and
  // the federation — and under its type and under '*' (every type), so that any view of the
  // dashboard sums a few hundred rows, not one per task.
  let rollup = db.schema
    .createTable('task_response_rollup')
    /** scope | ngi | federation */
    .addColumn('level', 'text', (c) => c.notNull())
    .addColumn('month', 'text', (c) => c.notNull())
    .addColumn('scope_type', 'text', (c) => c.notNull())
    .addColumn('scope_id', 'text', (c) => c.notNull())
    .addColumn('ngi_id', 'text', (c) => c.notNull())
    .addColumn('task_type', 'text', (c) => c.notNull())
    /** acknowledge | resolve */
    .addColumn('measure', 'text', (c) => c.notNull())
    .addColumn('n', 'integer', (c) => c.notNull())
    /** Of the tasks whose deadline is on this measure: how many, and how many met it. */
    .addColumn('deadline_n', 'integer', (c) => c.notNull())
    .addColumn('within_n', 'integer', (c) => c.notNull())
    .addColumn('min_minutes', 'real', (c) => c.notNull())
    .addColumn('max_minutes', 'real', (c) => c.notNull())
    .addColumn('sum_minutes', 'real', (c) => c.notNull());
  for (let i = 0; i < HISTOGRAM_BUCKETS; i++) rollup = rollup.addColumn(`h${i}`, 'integer', (c) => c.notNull().defaultTo(0));
  await rollup.addPrimaryKeyConstraint('task_response_rollup_pk', ['level', 'task_type', 'scope_type', 'scope_id', 'month', 'measure']).execute();
  await db.schema.createIndex('task_response_rollup_month_idx').on('task_response_rollup').columns(['level', 'task_type', 'month']).execute();

  // --- notifications -----------------------------------------------------------------------------
  // The outbox: written in the transaction of the change that causes the message, sent after
  // commit by whichever process claims it. `header_id` is the Message-ID / webhook-id every
  // attempt carries, so a message re-sent after a crash is recognised by its receiver.
  await db.schema
    .createTable('outbox_message')
    .addColumn('message_id', 'text', (c) => c.primaryKey())
    /** email | webhook */
    .addColumn('channel', 'text', (c) => c.notNull())
    .addColumn('header_id', 'text', (c) => c.notNull().unique())
    .addColumn('recipient', 'text', (c) => c.notNull())
    .addColumn('person_id', 'text')
    .addColumn('event_type', 'text', (c) => c.notNull())
    .addColumn('tlp', 'text', (c) => c.notNull())
    .addColumn('subject', 'text', (c) => c.notNull())
    .addColumn('body', 'text', (c) => c.notNull())
    .addColumn('reply_to', 'text')
    .addColumn('ref_type', 'text')
    .addColumn('ref_id', 'text')
    /** pending | sent | dead | digest (held for the person's daily digest) */
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('attempts', 'integer', (c) => c.notNull())
    .addColumn('next_attempt_at', 'text', (c) => c.notNull())
    .addColumn('locked_by', 'text')
    .addColumn('locked_until', 'text')
    .addColumn('last_error', 'text')
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('sent_at', 'text')
    .execute();
  await db.schema.createIndex('outbox_message_due_idx').on('outbox_message').columns(['status', 'next_attempt_at']).execute();
  await db.schema.createIndex('outbox_message_ref_idx').on('outbox_message').columns(['ref_type', 'ref_id']).execute();
  await db.schema.createIndex('outbox_message_person_idx').on('outbox_message').columns(['person_id', 'status']).execute();

  await db.schema
    .createTable('webhook_endpoint')
    .addColumn('endpoint_id', 'text', (c) => c.primaryKey())
    .addColumn('url', 'text', (c) => c.notNull())
    .addColumn('secret', 'text', (c) => c.notNull())
    /** Space-separated event types, or '*'. */
    .addColumn('event_types', 'text', (c) => c.notNull())
    .addColumn('description', 'text', (c) => c.notNull())
    .addColumn('created_by', 'text', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('disabled_at', 'text')
    .execute();

  await db.schema
    .createTable('notification_preference')
    .addColumn('person_id', 'text', (c) => c.primaryKey())
    .addColumn('is_email_enabled', 'integer') // null: the site's registry flag decides
    .addColumn('is_digest', 'integer', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .execute();

  // Replies and other mail that reached Vigil's inbound address: attached to a task when signed
  // for it by a permitted sender, held for review otherwise.
  await db.schema
    .createTable('inbound_mail')
    .addColumn('mail_id', 'text', (c) => c.primaryKey())
    .addColumn('header_message_id', 'text')
    .addColumn('sender', 'text', (c) => c.notNull())
    .addColumn('recipients', 'text', (c) => c.notNull())
    .addColumn('subject', 'text', (c) => c.notNull())
    .addColumn('body', 'text', (c) => c.notNull())
    /** attached | held | discarded */
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('reason', 'text')
    .addColumn('task_id', 'text')
    .addColumn('received_at', 'text', (c) => c.notNull())
    .addColumn('reviewed_by', 'text')
    .addColumn('reviewed_at', 'text')
    .execute();
  await db.schema.createIndex('inbound_mail_status_idx').on('inbound_mail').columns(['status', 'received_at']).execute();
  // A message redelivered while the first delivery is being handled is answered once.
  await db.schema.createIndex('inbound_mail_message_id_idx').on('inbound_mail').columns(['header_message_id']).unique().execute();

  await seedDefaults(db);
}

const MIGRATED_AT = '2026-12-03T00:00:00.000Z';

// The federation's deadlines as loaded at first: SEC01 (ir.md §1.1), SEC03 (§1.2), PROC21 and the
// helpdesk's quality-of-support levels (ops.md §4; the top level, whose top priority is 4
// working hours). The CSIRT edits them; each edit is a new version.
const DEFAULT_RULES: Array<[string, string, number, string, string, string]> = [
  ['incident-report', '*', 4, 'hours', 'resolve', 'SEC01 step 1: report to the NGI security officer and the CSIRT within 4 h of discovery'],
  ['containment', '*', 1, 'days', 'resolve', 'SEC01 step 2: isolate or contain within 1 day of discovery'],
  ['downtime-announcement', '*', 1, 'days', 'resolve', 'SEC01 step 4: announce downtime within 1 day of isolation'],
  ['csirt-request', '*', 4, 'working-hours', 'acknowledge', 'SEC01 step 5: answer a CSIRT request within 4 working hours'],
  ['closure-report', '*', 1, 'months', 'resolve', 'SEC01 step 6: closure report within 1 month of resolution'],
  ['critical-advisory', '*', 7, 'days', 'resolve', 'SEC03 step 2: upgrade or mitigate within 7 calendar days of a critical advisory'],
  ['site-suspension', '*', 1, 'working-days', 'resolve', 'PROC21: the site has 1 working day to react before suspension'],
  ['helpdesk', 'less urgent', 5, 'working-days', 'acknowledge', 'Helpdesk quality of support: less urgent, 5 working days'],
  ['helpdesk', 'urgent', 1, 'working-days', 'acknowledge', 'Helpdesk quality of support: urgent, 1 working day'],
  ['helpdesk', 'very urgent', 1, 'working-days', 'acknowledge', 'Helpdesk quality of support: very urgent, 1 working day'],
  ['helpdesk', 'top priority', 4, 'working-hours', 'acknowledge', 'Helpdesk quality of support: top priority, 4 working hours'],
  ['request', '*', 5, 'working-days', 'resolve', 'Any other request: 5 working days'],
  ['checklist-step', '*', 10, 'working-days', 'resolve', 'A checklist step without its own deadline: 10 working days'],
];

type Step = { title: string; description: string; party: 'addressee' | 'ngi' | 'federation'; amount: number; unit: string };
const step = (party: Step['party'], title: string, description: string, amount = 10, unit = 'working-days'): Step => ({
  title,
  description,
  party,
  amount,
  unit,
});

const DEFAULT_TEMPLATES: Array<{ name: string; description: string; ordered: boolean; scope: string; steps: Step[] }> = [
  {
    name: 'PROC19 platform integration',
    description: 'Integrating a new technology or platform into the federation (PROC19): the 14 steps from the helpdesk request to the final broadcast.',
    ordered: false,
    scope: 'site',
    steps: [
      step('addressee', 'Helpdesk request', 'Open the helpdesk request: technology, contacts, expected customers, motivation.'),
      step('addressee', 'Underpinning Agreement', 'Sign the corporate technology-provider Underpinning Agreement or agree a custom one.'),
      step('federation', 'Configuration management', 'Register the new service types in the configuration database.'),
      step('addressee', 'Information system', 'Publish the resources in GLUE2 (BDII or cloud-info-provider).'),
      step('addressee', 'Monitoring', 'Provide the probes and have them deployed in ARGO/POEM.'),
      step('federation', 'Operations dashboard', 'Enable the operations dashboard alarms for the new service types.'),
      step('addressee', 'Support unit', 'Create the helpdesk support unit with its quality-of-support level.'),
      step('addressee', 'Accounting', 'Publish accounting records (APEL/SSM, cASO for clouds).'),
      step('addressee', 'Image marketplace', 'Register the virtual appliances the platform offers (clouds).'),
      step('federation', 'Software distribution', 'Integrate the software into the UMD/CMD distribution.'),
      step('addressee', 'Documentation', 'Write the documentation for site administrators and users.'),
      step('addressee', 'Security assessment', 'Answer the CSIRT security questionnaire; the CSIRT reviews the answers.'),
      step('federation', 'Resource allocation', 'Make the resources allocatable to customers.'),
      step('federation', 'Final broadcast', 'Announce the integration to the federation.'),
    ],
  },
  {
    name: 'SEC04 compromised credential',
    description:
      'A compromised certificate or credential (SEC04): revoked by its CA, suspended in the VOs and centrally until the revocation has propagated, then lifted.',
    ordered: true,
    scope: 'federation',
    steps: [
      step('addressee', 'Ask the CA to revoke', 'Ask the issuing certification authority to revoke the certificate.', 4, 'working-hours'),
      step('addressee', 'Ask the VO managers to suspend the user', 'Ask the managers of every VO the user belongs to to suspend them.', 4, 'working-hours'),
      step(
        'addressee',
        'Central suspension',
        'Suspend the credential centrally until the revocation has propagated through the CRLs (or the certificate expired).',
        1,
        'days',
      ),
      step('addressee', 'Lift the suspension', 'Lift the central suspension once the revocation has propagated.', 1, 'months'),
    ],
  },
  {
    name: 'RC suspension',
    description:
      'Suspending a site that does not act (PROC21): the site and its NGI are told, the site has 1 working day to react, then it is suspended and the VOs told.',
    ordered: true,
    scope: 'site',
    steps: [
      step('federation', 'Notify the site and its NGI', 'Tell the site manager and the NGI that the site will be suspended, and why.', 1, 'working-days'),
      step('addressee', 'React', 'Fix the problem or explain; without an answer the site is suspended.', 1, 'working-days'),
      step('ngi', 'Suspend the site', 'Set the site to suspended in the configuration database.', 1, 'working-days'),
      step('federation', 'Notify the VO managers', 'Tell the managers of the VOs the site supports.', 1, 'working-days'),
    ],
  },
];

async function seedDefaults(db: Kysely<unknown>): Promise<void> {
  let n = 0;
  for (const [taskType, priority, amount, unit, measures, source] of DEFAULT_RULES) {
    n += 1;
    await sql`insert into deadline_rule (rule_id, task_type, priority, amount, unit, measures, warn_fraction, csirt_fraction, source, valid_from, valid_to, changed_by)
      values (${`default-${String(n).padStart(2, '0')}`}, ${taskType}, ${priority}, ${amount}, ${unit}, ${measures}, 0.75, 1.5, ${source}, ${MIGRATED_AT}, null, 'system')`.execute(
      db,
    );
  }
  const calendar = { timeZone: 'UTC', week: { 1: [[420, 900]], 2: [[420, 900]], 3: [[420, 900]], 4: [[420, 900]], 5: [[420, 900]] }, holidays: [] };
  await sql`insert into work_calendar (calendar_id, calendar_json, valid_from, valid_to, changed_by)
    values ('default', ${JSON.stringify(calendar)}, ${MIGRATED_AT}, null, 'system')`.execute(db);
  n = 0;
  for (const t of DEFAULT_TEMPLATES) {
    n += 1;
    await sql`insert into checklist_template (template_id, name, description, is_ordered, scope_type, steps_json, is_builtin, created_by, created_at, updated_at)
      values (${`builtin-${n}`}, ${t.name}, ${t.description}, ${t.ordered ? 1 : 0}, ${t.scope}, ${JSON.stringify(t.steps)}, 1, 'system', ${MIGRATED_AT}, ${MIGRATED_AT})`.execute(
      db,
    );
  }
}

export async function down(db: Kysely<unknown>): Promise<void> {
  for (const table of [
    'inbound_mail',
    'notification_preference',
    'webhook_endpoint',
    'outbox_message',
    'task_response_rollup',
    'task_attachment',
    'task_event',
    'task',
    'checklist_instance',
    'checklist_template',
    'work_calendar',
    'deadline_rule',
  ]) {
    await db.schema.dropTable(table).execute();
  }
}
