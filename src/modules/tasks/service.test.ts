// Site tasks on a real database: deadlines from the rules and the working calendar, answers in
// the API and by e-mail reply, escalation once per step, checklists, response times.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { fixedClock } from '../../core/clock.js';
import { createServices, type Services } from '../../server/services.js';
import { testDatabase, type TestDb } from '../../../test/support/db.js';
import { admin, personWithRole, smallFederation, type SmallFederation } from '../../../test/support/seed.js';
import type { Actor } from '../../core/access.js';

const REPLY = 'vigil@tasks.example.org';

function rawReply(from: string, to: string, text: string, id = `${Math.random().toString(36).slice(2)}@mail.example.org`) {
  return Buffer.from(
    [
      `From: ${from}`,
      `To: ${to}`,
      'Subject: Re: task',
      `Message-ID: <${id}>`,
      'Date: Thu, 03 Dec 2026 10:00:00 +0000',
      'Content-Type: text/plain; charset=utf-8',
      '',
      text,
      '',
      '> quoted original',
      '',
    ].join('\r\n'),
  );
}

describe('site tasks', () => {
  let db: TestDb;
  let s: Services;
  let fed: SmallFederation;
  // Thursday 3 December 2026, 10:00 UTC: inside working hours.
  const clock = fixedClock(new Date('2026-12-03T10:00:00Z'));
  let csirt: Actor;
  let officerA1: { personId: string; actor: Actor };
  let officerA2: { personId: string; actor: Actor };
  let ngiOfficerA: { personId: string; actor: Actor };

  before(async () => {
    db = await testDatabase();
    s = createServices(
      db,
      { sessionTtlHours: 12, loginMaxFailures: 5, loginWindowMinutes: 15, mailReplyAddress: REPLY, publicUrl: 'https://vigil.example.org' },
      clock,
    );
    fed = await smallFederation(s);
    csirt = (await personWithRole(s, 'csirt', 'federation')).actor;
    officerA1 = await personWithRole(s, 'site-security-officer', 'site', fed.siteA1);
    officerA2 = await personWithRole(s, 'site-security-officer', 'site', fed.siteA2);
    ngiOfficerA = await personWithRole(s, 'ngi-security-officer', 'ngi', fed.ngiA);
  });
  after(() => db.close());

  const outbox = (taskId: string) =>
    db.db.selectFrom('outbox_message').selectAll().where('ref_id', '=', taskId).orderBy('created_at').orderBy('message_id').execute();
  const emailOf = async (personId: string) =>
    (await db.db.selectFrom('person').select('email').where('person_id', '=', personId).executeTakeFirstOrThrow()).email!;

  test('a task for several sites: one per site, due by the rule, each site’s contacts told under its TLP', async () => {
    const created = await s.tasks.create(csirt, {
      targets: [
        { type: 'site', id: fed.siteA1 },
        { type: 'site', id: fed.siteA2 },
      ],
      taskType: 'csirt-request',
      priority: 'urgent',
      title: 'Send the logs of ce01',
      description: 'We need /var/log/secure of ce01 from 1 December.',
      tlp: 'TLP:AMBER',
    });
    assert.equal(created.items.length, 2);
    const [t1] = created.items;
    // 4 working hours from Thursday 10:00 on Mon–Fri 07:00–15:00: Thursday 14:00; warning at 3 h.
    assert.equal(t1!.dueAt, '2026-12-03T14:00:00.000Z');
    const sent = await outbox(t1!.taskId);
    const recipients = sent.filter((m) => m.channel === 'email').map((m) => m.recipient);
    assert.deepEqual(recipients.sort(), ['csirt@uni1.example.org', await emailOf(officerA1.personId)].sort());
    assert.match(sent[0]!.subject, /^\[TLP:AMBER\] Send the logs of ce01/);
    assert.match(sent[0]!.body, /^TLP:AMBER\. /);
    const toOfficer = sent.find((m) => m.person_id === officerA1.personId)!;
    assert.match(toOfficer.reply_to!, /^vigil\+t\.[0-9a-f]{32}\.[a-z2-7]+@tasks\.example\.org$/);
    assert.equal(
      sent.find((m) => m.recipient === 'csirt@uni1.example.org')!.reply_to,
      null,
      "a list address gets no reply address: its members' replies come from their own",
    );
    assert.ok(!recipients.includes(await emailOf(officerA2.personId)), "site A2's officer is not told of A1's task");
  });

  test('a site’s people see their own site’s tasks and no other’s; the NGI officer sees the NGI’s', async () => {
    const mine = await s.tasks.list(officerA1.actor, { limit: 50, offset: 0 });
    assert.equal(mine.total, 1);
    assert.equal(mine.items[0]!.scope.id, fed.siteA1);
    const other = (await s.tasks.list(officerA2.actor, { limit: 50, offset: 0 })).items[0]!;
    await assert.rejects(s.tasks.get(officerA1.actor, other.taskId), /not found/);
    await assert.rejects(s.tasks.acknowledge(officerA1.actor, other.taskId, undefined, 'ui'), /not found/);
    assert.equal((await s.tasks.list(ngiOfficerA.actor, { limit: 50, offset: 0 })).total, 2);
    const beta = await personWithRole(s, 'ngi-security-officer', 'ngi', fed.ngiB);
    assert.equal((await s.tasks.list(beta.actor, { limit: 50, offset: 0 })).total, 0);
  });

  test('acknowledged in the API, then resolved; the times count on the dashboard', async () => {
    const t = (await s.tasks.list(officerA1.actor, { limit: 50, offset: 0 })).items[0]!;
    clock.advance(30 * 60_000);
    await s.tasks.acknowledge(officerA1.actor, t.taskId, 'on it', 'api');
    await assert.rejects(s.tasks.acknowledge(officerA1.actor, t.taskId, undefined, 'api'), /already acknowledged/);
    clock.advance(60 * 60_000);
    const done = await s.tasks.resolve(officerA1.actor, t.taskId, 'logs attached', 'api');
    assert.equal(done.status, 'resolved');
    const board = await s.responseTimes.dashboard(csirt, { from: '2026-12', to: '2026-12' });
    assert.equal(board.acknowledge.n, 1);
    assert.equal(board.acknowledge.medianMinutes, 30);
    assert.equal(board.resolve.medianMinutes, 90);
    assert.equal(board.acknowledge.withinShare, 1, 'a CSIRT request’s deadline is on its answer');
    assert.equal(board.resolve.withinShare, null);
    assert.equal(board.slowest[0]!.siteName, 'ALPHA-UNI-1');
    // The neighbouring site's officer counts nothing of A1's.
    assert.equal((await s.responseTimes.dashboard(officerA2.actor, { from: '2026-12', to: '2026-12' })).acknowledge.n, 0);
    const history = await s.tasks.get(officerA1.actor, t.taskId);
    assert.deepEqual(
      history.events.map((e) => e.kind),
      ['created', 'acknowledged', 'resolved'],
    );
  });

  test('a reply from a person who answers the task acknowledges it; others are held, never attached', async () => {
    const t = (await s.tasks.list(officerA2.actor, { limit: 50, offset: 0 })).items[0]!;
    const mail = (await outbox(t.taskId)).find((m) => m.person_id === officerA2.personId);
    // Someone else sending with A2's officer's reply address (a forwarded copy): held.
    const stranger = await s.inbound.receive(rawReply(await emailOf(officerA1.personId), mail!.reply_to!, 'Acknowledged.'));
    assert.equal(stranger.status, 'held');
    assert.match(stranger.reason!, /does not verify for this sender/);
    // A forged token: held.
    const forged = mail!.reply_to!.replace(/\.([a-z2-7])([a-z2-7]+)@/, (_m, a: string, rest: string) => `.${a === 'a' ? 'b' : 'a'}${rest}@`);
    assert.equal((await s.inbound.receive(rawReply(await emailOf(officerA2.personId), forged, 'ok'))).status, 'held');
    assert.equal((await s.tasks.get(csirt, t.taskId)).status, 'open');
    const ok = await s.inbound.receive(rawReply(await emailOf(officerA2.personId), mail!.reply_to!, 'We are looking at it.'));
    assert.equal(ok.status, 'attached');
    const after = await s.tasks.get(officerA2.actor, t.taskId);
    assert.equal(after.status, 'acknowledged');
    assert.equal(after.events.at(-1)!.via, 'email');
    assert.equal(after.events.at(-1)!.body, 'We are looking at it.', 'quoted text stripped');
    const resolved = await s.inbound.receive(rawReply(await emailOf(officerA2.personId), mail!.reply_to!, 'Resolved: logs sent.'));
    assert.equal(resolved.status, 'attached');
    assert.equal((await s.tasks.get(csirt, t.taskId)).status, 'resolved');
  });

  test('escalation: a warning at 75 %, the NGI at the deadline, the CSIRT at 150 %, each once', async () => {
    clock.set(new Date('2026-12-07T08:00:00Z')); // Monday
    const [t] = (
      await s.tasks.create(csirt, {
        targets: [{ type: 'site', id: fed.siteA1 }],
        taskType: 'csirt-request',
        priority: 'urgent',
        title: 'Answer please',
        description: '',
        tlp: 'GREEN',
      })
    ).items;
    assert.deepEqual(await s.escalation.sweep(), { warning: 0, 'escalated-ngi': 0, 'escalated-csirt': 0 });
    clock.set(new Date('2026-12-07T11:00:00Z')); // 3 of 4 working hours
    assert.deepEqual(await s.escalation.sweep(), { warning: 1, 'escalated-ngi': 0, 'escalated-csirt': 0 });
    assert.deepEqual(await s.escalation.sweep(), { warning: 0, 'escalated-ngi': 0, 'escalated-csirt': 0 });
    clock.set(new Date('2026-12-07T12:00:00Z'));
    assert.deepEqual(await s.escalation.sweep(), { warning: 0, 'escalated-ngi': 1, 'escalated-csirt': 0 });
    clock.set(new Date('2026-12-07T14:00:00Z')); // 6 working hours: 150 %
    assert.deepEqual(await s.escalation.sweep(), { warning: 0, 'escalated-ngi': 0, 'escalated-csirt': 1 });
    assert.deepEqual(await s.escalation.sweep(), { warning: 0, 'escalated-ngi': 0, 'escalated-csirt': 0 });
    const messages = await outbox(t!.taskId);
    const ngiMail = messages.filter((m) => m.event_type === 'task.escalated').map((m) => m.recipient);
    assert.ok(ngiMail.includes('security@alpha.example.org'), 'the NGI security address is told');
    assert.ok(ngiMail.includes(await emailOf(ngiOfficerA.personId)));
    const kinds = (await s.tasks.get(csirt, t!.taskId)).events.map((e) => e.kind);
    assert.deepEqual(kinds, ['created', 'warning', 'escalated-ngi', 'escalated-csirt']);
    assert.equal((await s.tasks.attention(officerA1.actor)).overdue, 1);
  });

  test('a changed rule applies to new tasks; a task keeps the rule it was opened under', async () => {
    clock.set(new Date('2026-12-08T08:00:00Z'));
    const [old] = (
      await s.tasks.create(csirt, {
        targets: [{ type: 'site', id: fed.siteB1 }],
        taskType: 'critical-advisory',
        priority: 'urgent',
        title: 'Patch X',
        description: '',
        tlp: 'CLEAR',
      })
    ).items;
    await s.deadlines.setRule(csirt, {
      taskType: 'critical-advisory',
      priority: '*',
      amount: 3,
      unit: 'days',
      measures: 'resolve',
      warnFraction: 0.75,
      csirtFraction: 1.5,
      source: 'tightened',
    });
    const [fresh] = (
      await s.tasks.create(csirt, {
        targets: [{ type: 'site', id: fed.siteB1 }],
        taskType: 'critical-advisory',
        priority: 'urgent',
        title: 'Patch Y',
        description: '',
        tlp: 'CLEAR',
      })
    ).items;
    assert.equal(old!.dueAt, '2026-12-15T08:00:00.000Z');
    assert.equal(fresh!.dueAt, '2026-12-11T08:00:00.000Z');
    assert.match((await s.tasks.get(csirt, old!.taskId)).rule!.source, /SEC03/);
    assert.equal((await s.tasks.get(csirt, fresh!.taskId)).rule!.source, 'tightened');
    const history = (await s.deadlines.listRules(true)).filter((r) => r.taskType === 'critical-advisory');
    assert.equal(history.length, 2);
    await assert.rejects(
      s.deadlines.setRule(officerA1.actor, {
        taskType: 'x',
        priority: '*',
        amount: 1,
        unit: 'days',
        measures: 'resolve',
        warnFraction: 0.75,
        csirtFraction: 1.5,
        source: 's',
      }),
      /not permitted/,
    );
  });

  test('an ordered checklist opens each step as the previous one is resolved, and counts progress', async () => {
    const [rc] = (await s.checklists.listTemplates()).filter((t) => t.name === 'RC suspension');
    const { instanceId } = await s.checklists.start(csirt, {
      templateId: rc!.templateId,
      title: 'Suspension of BETA-HPC-1',
      target: { type: 'site', id: fed.siteB1 },
    });
    let steps = (await s.tasks.list(csirt, { checklistId: instanceId, status: 'all', limit: 50, offset: 0 })).items;
    assert.equal(steps.length, 1);
    assert.equal(steps[0]!.scope.type, 'federation', 'step 1 is the CSIRT’s own');
    await s.tasks.resolve(csirt, steps[0]!.taskId, undefined, 'ui', s.checklists.onTaskResolved);
    steps = (await s.tasks.list(csirt, { checklistId: instanceId, status: 'all', limit: 50, offset: 0 })).items;
    assert.equal(steps.length, 2);
    const [progress] = (await s.checklists.list(csirt)).filter((c) => c.instanceId === instanceId);
    assert.equal(progress!.summary, '1 of 4 steps done');
  });

  test('bad input is refused with a clear error and nothing written', async () => {
    const before = await db.db
      .selectFrom('task')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .executeTakeFirstOrThrow();
    await assert.rejects(
      s.tasks.create(csirt, {
        targets: [{ type: 'site', id: fed.siteA1 }],
        taskType: 'no-such-type',
        priority: 'urgent',
        title: 't',
        description: '',
        tlp: 'AMBER',
      }),
      /unknown task type/,
    );
    await assert.rejects(
      s.tasks.create(csirt, { targets: [{ type: 'site', id: 'nope' }], taskType: 'request', priority: 'urgent', title: 't', description: '', tlp: 'AMBER' }),
      /not found/,
    );
    await assert.rejects(
      s.tasks.create(csirt, {
        targets: [{ type: 'site', id: fed.siteA1 }],
        taskType: 'request',
        priority: 'urgent',
        title: 't',
        description: '',
        tlp: 'PURPLE',
      }),
      /TLP/,
    );
    await assert.rejects(
      s.tasks.create(officerA1.actor, {
        targets: [{ type: 'site', id: fed.siteA1 }],
        taskType: 'request',
        priority: 'urgent',
        title: 't',
        description: '',
        tlp: 'AMBER',
      }),
      /not permitted/,
    );
    const afterCount = await db.db
      .selectFrom('task')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .executeTakeFirstOrThrow();
    assert.equal(Number(afterCount.n), Number(before.n));
    void admin;
  });
});

test('a period is covered by whole years where it can be, by months elsewhere', async () => {
  const { periodsCovering } = await import('./response-times.js');
  assert.deepEqual(periodsCovering('2022-01', '2026-12'), ['2022', '2023', '2024', '2025', '2026']);
  assert.deepEqual(periodsCovering('2025-11', '2026-02'), ['2025-11', '2025-12', '2026-01', '2026-02']);
  assert.deepEqual(periodsCovering('2025-12', '2027-01'), ['2025-12', '2026', '2027-01']);
  assert.deepEqual(periodsCovering('2026-03', '2026-03'), ['2026-03']);
});
