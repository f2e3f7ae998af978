// Escalation swept by several processes at once on one PostgreSQL database: two sets of services
// on two connection pools, as two `vigil serve` processes would be, each sweeping twice at the
// same moment, for 200 site tasks at their warning point, then past their deadline, then past the
// CSIRT point. Each task gets each step once: one history event, one audit record and one set of
// messages (an e-mail to each addressee and one webhook). PostgreSQL only: SQLite has one writer.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { migrateToLatest, openDatabase, type DbHandle } from '../src/db/database.js';
import { createServices, type Services } from '../src/server/services.js';
import { loadAuditKeys } from '../src/core/audit-keys.js';
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { vigilCommand } from './support/server-process.js';
import { fixedClock } from '../src/core/clock.js';
import { createPgSchema, onPostgres, pgUrl, withMigrationLock } from './support/db.js';
import { admin, personWithRole } from './support/seed.js';

const TASKS = 200;
const STEPS = ['warning', 'escalated-ngi', 'escalated-csirt'] as const;
type Step = (typeof STEPS)[number];
const SKIP = 'needs PostgreSQL: concurrent sweeps only happen there (set VIGIL_TEST_DB=postgres)';

// Thursday 3 December 2026, 10:00 UTC; both "processes" read the same time, as servers on synced clocks.
const clock = fixedClock(new Date('2026-12-03T10:00:00Z'));
const handles: DbHandle[] = [];
let schemaName = '';
/** The audit keys this test's services and the `vigil` processes it starts share. */
const keyDir = mkdtempSync(join(tmpdir(), 'vigil-escalation-keys-'));
let a: Services;
let b: Services;
const expected = new Map<string, Record<Step, string[]>>(); // task → step → recipients

const emailOf = async (s: Services, personId: string) =>
  (await s.db.selectFrom('person').select('email').where('person_id', '=', personId).executeTakeFirstOrThrow()).email!;

before(async () => {
  if (!onPostgres) return;
  const schema = await createPgSchema();
  schemaName = schema;
  for (let i = 0; i < 2; i++) handles.push(openDatabase({ databaseUrl: pgUrl, pgSchema: schema, poolSize: 4 }));
  await withMigrationLock(() => migrateToLatest(handles[0]!));
  // One audit chain, sealed with the same keys by all, as servers sharing a key directory.
  const auditKeys = loadAuditKeys({ sqlitePath: join(keyDir, 'unused.db'), auditKeyDir: keyDir, databaseUrl: pgUrl }, () => undefined);
  const config = { sessionTtlHours: 12, loginMaxFailures: 5, loginWindowMinutes: 15, publicUrl: 'https://vigil.example.org', auditKeys };
  [a, b] = handles.map((h) => createServices(h, config, clock)) as [Services, Services];

  const ngis = [
    (await a.registry.createNgi(admin, { name: 'NGI_EAST', securityEmail: 'security@east.example.org' })).ngiId,
    (await a.registry.createNgi(admin, { name: 'NGI_WEST' })).ngiId,
  ];
  const westOfficer = await emailOf(a, (await personWithRole(a, 'ngi-security-officer', 'ngi', ngis[1])).personId);
  const csirt = await personWithRole(a, 'csirt', 'federation');
  const csirtEmail = await emailOf(a, csirt.personId);
  // Every step has a subscriber besides its e-mails: one webhook per step and task.
  await a.notifications.addWebhook(admin, { url: 'http://127.0.0.1:9/hooks', eventTypes: ['task.warning', 'task.escalated'], description: 'SOC' });
  const sites: Array<{ siteId: string; ngi: number; email: string }> = [];
  for (let i = 0; i < TASKS; i++) {
    const email = `security@site${i}.example.org`;
    const ngi = i % 2;
    const { siteId } = await a.registry.createSite(admin, { name: `SITE-${i}`, ngiId: ngis[ngi]!, certificationStatus: 'certified', securityEmail: email });
    sites.push({ siteId, ngi, email });
  }

  const created = await a.tasks.create(csirt.actor, {
    targets: sites.map((s) => ({ type: 'site' as const, id: s.siteId })),
    taskType: 'csirt-request',
    priority: 'urgent',
    title: 'Rotate the host keys of the login nodes',
    description: 'The keys may have been copied.',
    tlp: 'TLP:AMBER',
    dueAt: new Date(clock.now().getTime() + 4 * 3600_000).toISOString(),
  });
  const bySite = new Map(sites.map((s) => [s.siteId, s]));
  for (const t of created.items) {
    const site = bySite.get(t.scope.id)!;
    expected.set(t.taskId, {
      warning: [site.email],
      'escalated-ngi': [site.ngi === 0 ? 'security@east.example.org' : westOfficer],
      'escalated-csirt': [csirtEmail],
    });
  }
});
after(async () => {
  for (const h of handles) await h.close();
  rmSync(keyDir, { recursive: true, force: true });
});

/** Four sweeps at once, two on each pool; returns the steps each took. */
const sweepTogether = () => Promise.all([a.escalation.sweep(), b.escalation.sweep(), a.escalation.sweep(), b.escalation.sweep()]);

test(`${TASKS} overdue tasks swept by two processes at once: each step once per task, with one set of messages`, { timeout: 120_000 }, async (t) => {
  if (!onPostgres) return t.skip(SKIP);
  const tasks = await a.db.selectFrom('task').select(['task_id', 'warn_at', 'due_at', 'csirt_at']).execute();
  assert.equal(tasks.length, TASKS);
  assert.equal(expected.size, TASKS);
  const [{ warn_at, due_at, csirt_at }] = tasks as [(typeof tasks)[number]];
  assert.ok(tasks.every((r) => r.warn_at === warn_at && r.due_at === due_at && r.csirt_at === csirt_at));
  assert.ok(warn_at < due_at && due_at < csirt_at);

  const taken: Record<Step, number[]> = { warning: [], 'escalated-ngi': [], 'escalated-csirt': [] };
  const ms: number[] = [];
  for (const [step, at] of [
    ['warning', warn_at],
    ['escalated-ngi', due_at],
    ['escalated-csirt', csirt_at],
  ] as const) {
    clock.set(new Date(at));
    const started = Date.now();
    const rounds = await sweepTogether();
    ms.push(Date.now() - started);
    taken[step] = rounds.map((r) => r[step]);
    assert.equal(
      rounds.reduce((n, r) => n + r.warning + r['escalated-ngi'] + r['escalated-csirt'], 0),
      TASKS,
      `at ${at}: ${JSON.stringify(rounds)}`,
    );
  }
  const again = await sweepTogether();
  console.log(`escalation: steps taken by each of four concurrent sweeps ${JSON.stringify(taken)} in ${ms.join(', ')} ms`);

  for (const step of STEPS)
    assert.equal(
      taken[step].reduce((x, y) => x + y, 0),
      TASKS,
      `${step}: ${taken[step].join(' + ')}`,
    );
  assert.deepEqual(again, Array(4).fill({ warning: 0, 'escalated-ngi': 0, 'escalated-csirt': 0 }));

  const events = await a.db
    .selectFrom('task_event')
    .select(['task_id', 'kind'])
    .where('kind', 'in', [...STEPS])
    .execute();
  const audits = await a.db
    .selectFrom('audit_event')
    .select(['object_id', 'action'])
    .where(
      'action',
      'in',
      STEPS.map((s) => `task.${s}`),
    )
    .execute();
  const messages = await a.db
    .selectFrom('outbox_message')
    .select(['ref_id', 'event_type', 'channel', 'recipient', 'body'])
    .where('event_type', 'in', ['task.warning', 'task.escalated'])
    .execute();
  const stepOf = (m: (typeof messages)[number]): Step =>
    m.channel === 'webhook'
      ? (JSON.parse(m.body) as { data: { step: Step } }).data.step
      : m.event_type === 'task.warning'
        ? 'warning'
        : m.body.includes('escalated to the CSIRT')
          ? 'escalated-csirt'
          : 'escalated-ngi';
  const wrong: string[] = [];
  for (const [taskId, want] of expected) {
    for (const step of STEPS) {
      const nEvents = events.filter((e) => e.task_id === taskId && e.kind === step).length;
      const nAudits = audits.filter((e) => e.object_id === taskId && e.action === `task.${step}`).length;
      const mine = messages.filter((m) => m.ref_id === taskId && stepOf(m) === step);
      const emails = mine.filter((m) => m.channel === 'email').map((m) => m.recipient);
      const webhooks = mine.filter((m) => m.channel === 'webhook').length;
      if (nEvents !== 1 || nAudits !== 1 || webhooks !== 1 || JSON.stringify(emails.sort()) !== JSON.stringify(want[step]))
        wrong.push(`${taskId} ${step}: ${nEvents} events, ${nAudits} audit records, ${webhooks} webhooks, e-mails to ${emails.join(', ')}`);
    }
  }
  assert.deepEqual(wrong, []);
  assert.equal(events.length, TASKS * STEPS.length);
  assert.equal(messages.length, TASKS * STEPS.length * 2);
});

/** `vigil tasks escalate --at TIME --json` as a process of its own on the test's schema. */
function escalateProcess(at: string): Promise<Record<Step, number>> {
  const root = fileURLToPath(new URL('..', import.meta.url));
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [...vigilCommand, 'tasks', 'escalate', '--at', at, '--json'], {
      cwd: root,
      env: { ...process.env, VIGIL_DATABASE_URL: pgUrl, VIGIL_DATABASE_SCHEMA: schemaName, VIGIL_AUDIT_KEY_DIR: keyDir, VIGIL_LOG_LEVEL: 'warn' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    let err = '';
    child.stdout.on('data', (d) => (out += d));
    child.stderr.on('data', (d) => (err += d));
    child.on('close', (code) =>
      code === 0 ? resolve(JSON.parse(out) as Record<Step, number>) : reject(new Error(`vigil tasks escalate exited ${code}: ${err}`)),
    );
  });
}

test(
  'three `vigil tasks escalate` processes at once past the deadlines: each task escalated once to its NGI and once to the CSIRT',
  { timeout: 120_000 },
  async (t) => {
    if (!onPostgres) return t.skip(SKIP);
    const csirt = await personWithRole(a, 'csirt', 'federation');
    const sites = await a.db.selectFrom('site').select('site_id').orderBy('name').limit(100).execute();
    const { items } = await a.tasks.create(csirt.actor, {
      targets: sites.map((s) => ({ type: 'site' as const, id: s.site_id })),
      taskType: 'csirt-request',
      priority: 'urgent',
      title: 'Second round',
      description: '',
      tlp: 'GREEN',
      dueAt: new Date(clock.now().getTime() + 4 * 3600_000).toISOString(),
    });
    const late = await a.db.selectFrom('task').select('csirt_at').where('task_id', '=', items[0]!.taskId).executeTakeFirstOrThrow();
    const at = new Date(Date.parse(late.csirt_at) + 60_000).toISOString();
    const counts = await Promise.all([escalateProcess(at), escalateProcess(at), escalateProcess(at)]);
    console.log(`escalation: steps taken by three concurrent processes ${JSON.stringify(counts)}`);
    assert.equal(
      counts.reduce((n, c) => n + c['escalated-ngi'], 0),
      items.length,
    );
    assert.equal(
      counts.reduce((n, c) => n + c['escalated-csirt'], 0),
      items.length,
    );
    const events = await a.db
      .selectFrom('task_event')
      .select(['task_id', 'kind'])
      .where(
        'task_id',
        'in',
        items.map((i) => i.taskId),
      )
      .where('kind', 'in', ['escalated-ngi', 'escalated-csirt'])
      .execute();
    for (const item of items)
      for (const kind of ['escalated-ngi', 'escalated-csirt'])
        assert.equal(events.filter((e) => e.task_id === item.taskId && e.kind === kind).length, 1, `${item.taskId} ${kind}`);
  },
);
