// Site tasks at federation scale (issue 12):
//   1. the CSIRT opens one task for 500 sites at once (each site's CSIRT address and one site
//      security officer: 1,000 e-mails): the request's time, and the time until every e-mail
//      has been handed to an SMTP server (smtp-server in this process, reached over TCP by the
//      outbox sender through nodemailer, 4 connections); baselines in the same run: opening a
//      task for one site, and nodemailer sending the same 1,000 messages straight, no outbox;
//   2. the response-time dashboard over 1,000,000 historical tasks (5 years, 500 sites in 20
//      NGIs, 6 types; the task rows and the histograms their answers left), as the CSIRT
//      (federation, last 12 months and all 5 years), an NGI officer and a site officer, and
//      filtered by type; 50 runs after one warm-up (p50, p99; target p99 < 200 ms); baseline
//      `select count(*) from task`.
// SQLite always; PostgreSQL when reachable. Env: BENCH_TASKS (default 1000000).
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SMTPServer } from 'smtp-server';
import nodemailer from 'nodemailer';
import { sql } from 'kysely';
import { newId } from '../src/core/ids.js';
import type { Actor } from '../src/core/access.js';
import type { TaskTable } from '../src/db/schema.js';
import { addSample, BUCKETS, emptyHistogram, type Histogram } from '../src/lib/response-times/histogram.js';
import { periodsOf, rollupKeys } from '../src/modules/tasks/response-times.js';
import { createSender } from '../src/modules/notifications/sender.js';
import { smtpTransport } from '../src/modules/notifications/mail-transport.js';
import { composeMail } from '../src/modules/notifications/smime-sign.js';
import { admin, countRows, federation, insertChunked, onSqliteAndPostgres, openTarget, servicesFor, sortedTimes, timed, type Target } from './support/setup.js';

const SITES = 500;
const NGIS = 20;
const TASKS = Number(process.env.BENCH_TASKS ?? 1_000_000);
const MONTHS = 60;
const TYPES = ['csirt-request', 'critical-advisory', 'helpdesk', 'incident-report', 'containment', 'request'];
const RUNS = 50;
const TARGET_MS = 200;

const ms = (n: number) => `${n.toFixed(n < 10 ? 1 : 0).padStart(6)} ms`;
const percentile = (sorted: number[], p: number) => sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!;
async function measure(runs: number, fn: () => Promise<unknown>) {
  await fn();
  const times = await sortedTimes(runs, fn);
  return { p50: percentile(times, 50), p99: percentile(times, 99) };
}

/** An SMTP server in this process counting what it is handed. */
async function smtpSink() {
  const seen = new Set<string>();
  let accepted = 0;
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ['AUTH', 'STARTTLS'],
    logger: false,
    maxClients: 100,
    onData(stream, _session, cb) {
      let head = '';
      stream.on('data', (c: Buffer) => {
        if (head.length < 4000) head += c.toString('latin1');
      });
      stream.on('end', () => {
        accepted += 1;
        const id = /^Message-ID:\s*(\S+)/im.exec(head)?.[1];
        if (id) seen.add(id);
        cb();
      });
    },
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  const port = (server.server.address() as { port: number }).port;
  return { port, accepted: () => accepted, distinct: () => seen.size, close: () => new Promise<void>((r) => server.close(() => r())) };
}

async function untilDelivered(sink: { accepted(): number }, n: number, timeoutMs = 600_000) {
  const start = performance.now();
  while (sink.accepted() < n) {
    if (performance.now() - start > timeoutMs) throw new Error(`only ${sink.accepted()} of ${n} delivered`);
    await new Promise((r) => setTimeout(r, 5));
  }
  return performance.now() - start;
}

async function fanOut(label: string, target: Target, siteIds: string[]) {
  const L = label.padEnd(9);
  const h = openTarget(target, 10);
  const s = servicesFor(h);
  for (let i = 0; i < siteIds.length; i++)
    await s.people.createPerson(admin, {
      name: `Officer ${i}`,
      email: `officer${i}@site${i}.example.org`,
      grant: { role: 'site-security-officer', scopeType: 'site', scopeId: siteIds[i]! },
    });
  const sink = await smtpSink();
  const sender = createSender({
    db: h.db,
    dialect: h.dialect,
    clock: s.clock,
    workerId: 'bench',
    leaseMs: 120_000,
    concurrency: 4,
    mail: {
      transport: smtpTransport(`smtp://127.0.0.1:${sink.port}`, { requireTls: false, maxConnections: 4 }),
      from: 'Vigil <vigil@example.org>',
      envelopeFrom: 'vigil@example.org',
      compose: (m) =>
        composeMail({
          from: 'Vigil <vigil@example.org>',
          to: m.recipient,
          subject: m.subject,
          messageId: m.header_id,
          date: new Date(m.created_at),
          text: m.body,
        }),
    },
    log: () => undefined,
  });
  const open = (targets: string[]) =>
    s.tasks.create(admin, {
      targets: targets.map((id) => ({ type: 'site' as const, id })),
      taskType: 'critical-advisory',
      priority: 'very urgent',
      title: 'Patch CVE-2026-12345 (glibc)',
      description: 'Upgrade glibc on every host and reboot.',
      tlp: 'AMBER',
    });

  const [oneMs] = await timed(() => open([siteIds[0]!]));
  await sender.drainOnce();
  const before = sink.accepted();
  const [createMs, created] = await timed(() => open(siteIds));
  const queued = await h.db
    .selectFrom('outbox_message')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('status', '=', 'pending')
    .executeTakeFirstOrThrow();
  const t0 = performance.now();
  const drained = sender.drainOnce();
  const deliveredMs = await untilDelivered({ accepted: () => sink.accepted() - before }, Number(queued.n));
  await drained;
  console.log(`${L}baseline one task for one site                         ${ms(oneMs)}`);
  console.log(
    `${L}one task for ${created.items.length} sites (one transaction, ${queued.n} e-mails queued)  ${ms(createMs)}  ${(createMs / oneMs).toFixed(1)}x the one-site task`,
  );
  console.log(
    `${L}until every e-mail was handed to the SMTP server       ${ms(performance.now() - t0)}  (${(Number(queued.n) / (deliveredMs / 1000)).toFixed(0)} messages/s)`,
  );

  // Baseline: nodemailer alone, the same number of messages, the same 4 connections.
  const direct = nodemailer.createTransport({ host: '127.0.0.1', port: sink.port, pool: true, maxConnections: 4, ignoreTLS: true } as never);
  const start = sink.accepted();
  const [directMs] = await timed(async () => {
    let next = 0;
    await Promise.all(
      Array.from({ length: 4 }, async () => {
        while (next < Number(queued.n)) {
          next++;
          await direct.sendMail({ from: 'vigil@example.org', to: 'x@example.org', subject: 'baseline', text: 'baseline' });
        }
      }),
    );
  });
  direct.close();
  console.log(
    `${L}baseline nodemailer straight, ${sink.accepted() - start} messages           ${ms(directMs)}  (outbox: ${(deliveredMs / directMs).toFixed(1)}x)`,
  );
  await sink.close();
  await h.close();
}

/** A million answered tasks and the histograms their answers left, written directly. */
async function history(target: Target, siteIds: string[], ngiOf: Map<string, string>) {
  const h = openTarget(target, 10);
  const now = Date.now();
  const monthStart = (m: number) => Date.UTC(new Date(now).getUTCFullYear(), new Date(now).getUTCMonth() - m, 1);
  const rollups = new Map<string, { row: Record<string, unknown>; hist: Histogram; deadline: number; within: number }>();
  // The rows an answer counts in, as the product counts them (rollupKeys), summed here in memory.
  const count = (t: TaskTable, measure: 'acknowledge' | 'resolve', at: string, met: boolean | undefined) => {
    for (const month of periodsOf(t.created_at))
      for (const k of rollupKeys(t)) {
        const key = `${k.level}|${k.scope_type}|${k.scope_id}|${k.task_type}|${month}|${measure}`;
        let r = rollups.get(key);
        if (!r) {
          r = { row: { ...k, month, measure }, hist: emptyHistogram(), deadline: 0, within: 0 };
          rollups.set(key, r);
        }
        addSample(r.hist, (Date.parse(at) - Date.parse(t.created_at)) / 60_000);
        if (met !== undefined) {
          r.deadline += 1;
          if (met) r.within += 1;
        }
      }
  };
  // Loaded without the task table's indexes, which are built once at the end (as a restore would).
  const indexes = [
    ['task_scope_idx', 'scope_type, scope_id, status'],
    ['task_ngi_idx', 'ngi_id, status'],
    ['task_open_due_idx', 'status, due_at'],
    ['task_checklist_idx', 'checklist_instance_id, checklist_step'],
    ['task_subject_idx', 'subject_type, subject_id'],
    ['task_helpdesk_idx', 'helpdesk_ticket_id'],
  ] as const;
  for (const [name] of indexes) await sql`drop index ${sql.raw(name)}`.execute(h.db);
  let seed = 12345;
  const rand = () => (seed = (seed * 1103515245 + 12345) % 2147483648) / 2147483648;
  const BATCH = 20_000;
  for (let i = 0; i < TASKS; i += BATCH) {
    const rows: TaskTable[] = [];
    for (let j = i; j < Math.min(TASKS, i + BATCH); j++) {
      const site = siteIds[j % SITES]!;
      const created = monthStart(Math.floor(rand() * MONTHS)) + Math.floor(rand() * 27 * 86_400_000);
      const allowed = (1 + (j % 7)) * 4 * 3_600_000;
      const slow = 1 + (j % SITES) / 50; // some sites answer slower than others
      const ack = created + Math.floor(rand() * rand() * allowed * slow);
      const resolved = ack + Math.floor(rand() * allowed * slow);
      const open = created > now - 14 * 86_400_000 && j % 3 === 0;
      const iso = (t: number) => new Date(t).toISOString();
      const t: TaskTable = {
        task_id: newId(created),
        scope_type: 'site',
        scope_id: site,
        ngi_id: ngiOf.get(site)!,
        task_type: TYPES[j % TYPES.length]!,
        priority: 'urgent',
        title: `Historical task ${j}`,
        description: '',
        tlp: 'AMBER',
        subject_type: null,
        subject_id: null,
        status: open ? 'open' : 'resolved',
        deadline_rule_id: null,
        measures: 'resolve',
        due_at: iso(created + allowed),
        warn_at: iso(created + allowed * 0.75),
        csirt_at: iso(created + allowed * 1.5),
        warned_at: null,
        escalated_ngi_at: null,
        escalated_csirt_at: null,
        created_by: 'bench',
        created_by_label: 'bench',
        created_at: iso(created),
        acknowledged_by: open ? null : 'bench',
        acknowledged_at: open ? null : iso(ack),
        resolved_by: open ? null : 'bench',
        resolved_at: open ? null : iso(resolved),
        cancelled_by: null,
        cancelled_at: null,
        checklist_instance_id: null,
        checklist_step: null,
        helpdesk_ticket_id: null,
        helpdesk_state: null,
        helpdesk_checked_at: null,
        updated_at: iso(created),
      };
      rows.push(t);
      if (!open) {
        count(t, 'acknowledge', t.acknowledged_at!, undefined);
        count(t, 'resolve', t.resolved_at!, t.resolved_at! <= t.due_at);
      }
    }
    await h.db.transaction().execute((trx) => insertChunked(trx, 'task', rows, 800));
  }
  for (const [name, columns] of indexes) await sql`create index ${sql.raw(name)} on task (${sql.raw(columns)})`.execute(h.db);
  const rollupRows = [...rollups.values()].map((r) => {
    const row: Record<string, unknown> = {
      ...r.row,
      n: r.hist.n,
      deadline_n: r.deadline,
      within_n: r.within,
      min_minutes: r.hist.min,
      max_minutes: r.hist.max,
      sum_minutes: r.hist.sum,
    };
    for (let k = 0; k < BUCKETS; k++) row[`h${k}`] = r.hist.counts[k];
    return row;
  });
  await h.db.transaction().execute((trx) => insertChunked(trx, 'task_response_rollup', rollupRows as never, 200));
  if (h.dialect === 'postgres') await sql`vacuum analyze`.execute(h.db);
  await h.close();
  return rollupRows.length;
}

async function bench(label: string, target: Target) {
  const L = label.padEnd(9);
  const { siteIds } = await federation(target, SITES, NGIS);
  await fanOut(label, target, siteIds);

  const h0 = openTarget(target);
  const ngiOf = new Map((await h0.db.selectFrom('site').select(['site_id', 'ngi_id']).execute()).map((r) => [r.site_id, r.ngi_id]));
  await h0.close();
  const [loadMs, rollupCount] = await timed(() => history(target, siteIds, ngiOf));
  const h = openTarget(target, 10);
  const s = servicesFor(h);
  console.log(`${L}history built in ${(loadMs / 1000).toFixed(0)} s: ${await countRows(h.db, 'task')} tasks, ${rollupCount} histogram rows`);

  const ngiId = ngiOf.get(siteIds[0]!)!;
  const person = (role: 'ngi-security-officer' | 'site-security-officer', scopeType: 'ngi' | 'site', scopeId: string): Actor => ({
    kind: 'person',
    personId: null,
    label: `bench ${role}`,
    grants: [{ role, scopeType, scopeId, ...(scopeType === 'site' ? { ngiId } : {}) }],
  });
  const now = new Date();
  const month = (back: number) => new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth() - back, 1)).toISOString().slice(0, 7);
  const lastYear = { from: month(11), to: month(0) };
  const baseline = await measure(20, () => countRows(h.db, 'task'));
  console.log(`${L}baseline select count(*) from task                     p50 ${ms(baseline.p50)}  p99 ${ms(baseline.p99)}`);
  const cases: Array<[string, Actor, Parameters<typeof s.responseTimes.dashboard>[1]]> = [
    ['CSIRT, federation, last 12 months', admin, lastYear],
    ['CSIRT, federation, all 5 years', admin, { from: month(MONTHS - 1), to: month(0) }],
    ['CSIRT, one type, last 12 months', admin, { ...lastYear, taskType: 'critical-advisory' }],
    ['NGI officer, last 12 months', person('ngi-security-officer', 'ngi', ngiId), lastYear],
    ['site officer, last 12 months', person('site-security-officer', 'site', siteIds[0]!), lastYear],
  ];
  for (const [name, actor, filter] of cases) {
    let board: Awaited<ReturnType<typeof s.responseTimes.dashboard>> | undefined;
    const m = await measure(RUNS, async () => (board = await s.responseTimes.dashboard(actor, filter)));
    console.log(
      `${L}dashboard ${name.padEnd(36)} p50 ${ms(m.p50)}  p99 ${ms(m.p99)}  ${(m.p99 / baseline.p99).toFixed(2)}x baseline  ` +
        `${m.p99 < TARGET_MS ? 'meets' : 'MISSES'} p99 < ${TARGET_MS} ms  (${board!.resolve.n} resolved, median ${board!.resolve.medianMinutes?.toFixed(0)} min)`,
    );
  }
  const inbox = await measure(RUNS, () => s.tasks.attention(admin));
  console.log(`${L}home panel (overdue, due soon, next 5) as the CSIRT      p50 ${ms(inbox.p50)}  p99 ${ms(inbox.p99)}`);
  await h.close();
}

const work = mkdtempSync(join(tmpdir(), 'vigil-bench-tasks-'));
try {
  await onSqliteAndPostgres(join(work, 'tasks.db'), 'bench_tasks', bench);
} finally {
  rmSync(work, { recursive: true, force: true });
}
