// The outbox sender against a real SMTP server and real webhook receivers in this process: each
// message arrives once under its fixed Message-ID / webhook-id, refusals are retried or given up
// as their code says, a dead message replays under the same id, and two senders draining one
// outbox together deliver each message exactly once.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { createServer, type Server } from 'node:http';
import { simpleParser } from 'mailparser';
import { fixedClock } from '../../core/clock.js';
import { createServices, type Services } from '../../server/services.js';
import { verifyWebhook } from '../../lib/webhooks/standard-webhooks.js';
import type { OutboxMessageTable } from '../../db/schema.js';
import { testDatabase, type TestDb } from '../../../test/support/db.js';
import { admin, personWithRole, smallFederation, type SmallFederation } from '../../../test/support/seed.js';
import { startSmtpSink, type SmtpSink } from '../../../test/support/smtp-sink.js';
import { createSender, RETRY_DELAYS_S, type MailTransport } from './sender.js';
import { addressOf, smtpTransport } from './mail-transport.js';
import { composeMail } from './smime-sign.js';
import type { Audience, Notice } from './outbox.js';

const FROM = 'Vigil CSIRT <csirt@vigil.example.org>';

/** The e-mail of an outbox row as the server composes it (module.ts), unsigned. */
const compose = (m: OutboxMessageTable) =>
  composeMail({
    from: FROM,
    to: m.recipient,
    subject: m.subject,
    messageId: m.header_id,
    date: new Date(m.created_at),
    ...(m.reply_to ? { replyTo: m.reply_to } : {}),
    headers: { 'X-Vigil-TLP': m.tlp, 'X-Vigil-Event': m.event_type },
    text: m.body,
  });

interface Hook {
  id: string;
  body: string;
}

describe('the outbox sender', () => {
  let db: TestDb;
  let s: Services;
  let fed: SmallFederation;
  let sink: SmtpSink;
  let transport: MailTransport;
  let hooks: Server;
  let hookUrl = '';
  // Thursday 3 December 2026: the sender, the signatures and the receivers share this time.
  const clock = fixedClock(new Date('2026-12-03T10:00:00Z'));
  const refused = new Map<string, number>();
  const secrets = new Map<string, string>(); // path → signing secret
  const hooksAt = new Map<string, Hook[]>(); // path → verified deliveries
  const badSignatures: string[] = [];
  const answerOf: Record<string, number> = { '/ok': 204, '/fail': 500, '/gone': 410, '/slow': 204 };
  const slowMs = 100;
  let receiverNow = () => clock.now();
  const logs: string[] = [];

  const sender = (workerId: string, concurrency = 4) =>
    createSender({
      db: db.db,
      dialect: db.dialect,
      clock,
      workerId,
      mail: { transport, from: FROM, envelopeFrom: addressOf(FROM), compose },
      leaseMs: 60_000,
      concurrency,
      webhookTimeoutMs: 5_000,
      log: (level, msg, extra) => logs.push(`${level} ${msg} ${JSON.stringify(extra)}`),
    });

  const queue = (ref: string, audience: readonly Audience[], extra: Partial<Notice> = {}) =>
    s.outbox.queue(db.db, {
      eventType: 'test.notice',
      tlp: 'AMBER',
      subject: `Notice ${ref}`,
      body: `About ${ref}.`,
      audience,
      ref: { type: 'test', id: ref },
      ...extra,
    });
  const rowsOf = (ref: string) => db.db.selectFrom('outbox_message').selectAll().where('ref_id', '=', ref).orderBy('message_id').execute();
  const person = (email: string, personId = `person-${email}`): Audience => ({ type: 'person', personId, email, name: email });
  const arrivals = (headerId: string) => sink.received.filter((m) => m.messageId === headerId);

  before(async () => {
    db = await testDatabase();
    s = createServices(db, { sessionTtlHours: 12, loginMaxFailures: 5, loginWindowMinutes: 15, mailFrom: FROM, publicUrl: 'https://vigil.example.org' }, clock);
    fed = await smallFederation(s);
    sink = await startSmtpSink({ refuse: (address) => refused.get(address) });
    transport = smtpTransport(sink.url, { requireTls: false, maxConnections: 4 });
    hooks = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        const path = req.url ?? '';
        const body = Buffer.concat(chunks).toString('utf8');
        try {
          const { id } = verifyWebhook(secrets.get(path) ?? '', req.headers, body, receiverNow());
          (hooksAt.get(path) ?? hooksAt.set(path, []).get(path)!).push({ id, body });
          setTimeout(() => res.writeHead(answerOf[path] ?? 404).end(), path === '/slow' ? slowMs : 0);
        } catch (err) {
          badSignatures.push(`${path}: ${(err as Error).message}`);
          res.writeHead(400).end();
        }
      });
    });
    await new Promise<void>((resolve) => hooks.listen(0, '127.0.0.1', resolve));
    hookUrl = `http://127.0.0.1:${(hooks.address() as { port: number }).port}`;
    for (const path of Object.keys(answerOf)) {
      const { secret } = await s.notifications.addWebhook(admin, {
        url: `${hookUrl}${path}`,
        eventTypes: [`test.hook${path.replace('/', '-')}`],
        description: path,
      });
      secrets.set(path, secret);
    }
  });
  after(async () => {
    transport?.close();
    await sink?.close();
    await new Promise((resolve) => hooks?.close(resolve));
    await db?.close();
  });

  test('each of a site’s contacts receives the message once, under its Message-ID, marked AMBER', async () => {
    const officer = await personWithRole(s, 'site-security-officer', 'site', fed.siteA1);
    const officerEmail = (await db.db.selectFrom('person').select('email').where('person_id', '=', officer.personId).executeTakeFirstOrThrow()).email!;
    await queue('site-contacts', [{ type: 'site', siteId: fed.siteA1 }]);
    const rows = await rowsOf('site-contacts');

    const attempted = await sender('w1').drainOnce();

    assert.deepEqual(rows.map((r) => r.recipient).sort(), ['csirt@uni1.example.org', officerEmail].sort());
    assert.ok(attempted >= rows.length);
    for (const row of rows) {
      const got = arrivals(row.header_id);
      assert.equal(got.length, 1, `${row.recipient}: ${got.length} arrivals`);
      assert.deepEqual(got[0]!.to, [row.recipient]);
      const mail = await simpleParser(got[0]!.raw);
      assert.equal(mail.messageId, row.header_id);
      assert.match(mail.subject ?? '', /^\[TLP:AMBER\] Notice site-contacts$/);
      assert.equal(mail.headers.get('x-vigil-tlp'), 'AMBER');
      assert.match(mail.text ?? '', /^TLP:AMBER\./);
    }
    const done = await rowsOf('site-contacts');
    assert.deepEqual(
      done.map((r) => [r.status, r.attempts, r.locked_by]),
      rows.map(() => ['sent', 1, null]),
    );
  });

  test('a recipient refused with 550 is dead after one attempt', async () => {
    refused.set('nobody@bounce.example.org', 550);
    await queue('refused-550', [person('nobody@bounce.example.org')]);

    await sender('w1').drainOnce();

    const [row] = await rowsOf('refused-550');
    assert.equal(row!.status, 'dead');
    assert.equal(row!.attempts, 1);
    assert.match(row!.last_error ?? '', /550/);
    assert.equal(arrivals(row!.header_id).length, 0);
  });

  test('a recipient refused with 451 stays pending, its next attempt the first retry delay later', async () => {
    refused.set('greylisted@slow.example.org', 451);
    await queue('refused-451', [person('greylisted@slow.example.org')]);

    await sender('w1').drainOnce();

    const [row] = await rowsOf('refused-451');
    assert.equal(row!.status, 'pending');
    assert.equal(row!.attempts, 1);
    assert.match(row!.last_error ?? '', /451/);
    assert.equal(row!.next_attempt_at, new Date(clock.now().getTime() + RETRY_DELAYS_S[0]! * 1000).toISOString());
    assert.equal(row!.locked_by, null);
  });

  test('a message whose address cannot be written in a header is dead at once, not retried for a day and a half', async () => {
    await queue('bad-address', [person('not an address')]);

    await sender('w1').drainOnce();

    const [row] = await rowsOf('bad-address');
    assert.equal(row!.status, 'dead');
    assert.equal(row!.attempts, 1);
  });

  test('a dead message replayed goes out again under the same Message-ID and is delivered', async () => {
    refused.set('moved@bounce.example.org', 550);
    await queue('replayed', [person('moved@bounce.example.org')]);
    await sender('w1').drainOnce();
    const [dead] = await rowsOf('replayed');
    assert.equal(dead!.status, 'dead');
    refused.delete('moved@bounce.example.org'); // the mailbox was fixed

    await s.notifications.replay(admin, dead!.message_id);
    const [pending] = await rowsOf('replayed');
    await sender('w2').drainOnce();

    assert.equal(pending!.status, 'pending');
    assert.equal(pending!.header_id, dead!.header_id);
    const [sent] = await rowsOf('replayed');
    assert.equal(sent!.status, 'sent');
    assert.equal(sent!.header_id, dead!.header_id);
    const got = arrivals(dead!.header_id);
    assert.equal(got.length, 1);
    assert.equal((await simpleParser(got[0]!.raw)).messageId, dead!.header_id);
  });

  test('a wrong SMTP login leaves the messages pending: the server’s refusal is not the message’s', async () => {
    const locked = await startSmtpSink({ login: { user: 'vigil', pass: 'right' } });
    const wrong = smtpTransport(locked.url.replace('smtp://', 'smtp://vigil:wrong@'), { requireTls: false, maxConnections: 1 });
    await queue('wrong-login', [person('someone@example.org')]);
    try {
      await createSender({
        db: db.db,
        dialect: db.dialect,
        clock,
        workerId: 'w-login',
        mail: { transport: wrong, from: FROM, envelopeFrom: addressOf(FROM), compose },
        leaseMs: 60_000,
        concurrency: 1,
        log: () => {},
      }).drainOnce();
    } finally {
      wrong.close();
      await locked.close();
    }

    const [row] = await rowsOf('wrong-login');
    assert.equal(row!.status, 'pending');
    assert.match(row!.last_error ?? '', /535/);
    assert.equal(locked.received.length, 0);
  });

  test('with TLS required, a mail server offering no STARTTLS is not written to and the message waits', async () => {
    const tlsRequired = smtpTransport(sink.url, { requireTls: true, maxConnections: 1 });
    const before = sink.received.length;
    await queue('tls-required', [person('careful@example.org')]);
    try {
      await createSender({
        db: db.db,
        dialect: db.dialect,
        clock,
        workerId: 'w-tls',
        mail: { transport: tlsRequired, from: FROM, envelopeFrom: addressOf(FROM), compose },
        leaseMs: 60_000,
        concurrency: 1,
        log: () => {},
      }).drainOnce();
    } finally {
      tlsRequired.close();
    }

    const [row] = await rowsOf('tls-required');
    assert.equal(row!.status, 'pending', row!.last_error ?? '');
    assert.match(row!.last_error ?? '', /STARTTLS/);
    assert.equal(row!.attempts, 1);
    assert.equal(sink.received.length, before);
  });

  test('a webhook arrives once, signed, with webhook-id the row’s header id', async () => {
    const data = { taskId: 'task-1', step: 'warning' };
    await queue('hook-ok', [], { eventType: 'test.hook-ok', data });

    await sender('w1').drainOnce();

    const [row] = await rowsOf('hook-ok');
    assert.equal(row!.channel, 'webhook');
    assert.equal(row!.status, 'sent');
    const got = (hooksAt.get('/ok') ?? []).filter((h) => h.id === row!.header_id);
    assert.equal(got.length, 1);
    const payload = JSON.parse(got[0]!.body) as { type: string; data: Record<string, unknown> };
    assert.equal(payload.type, 'test.hook-ok');
    assert.deepEqual(payload.data, { ...data, tlp: 'AMBER' });
    assert.deepEqual(badSignatures, []);
  });

  test('a receiver answering 500 gets the webhook again later', async () => {
    await queue('hook-500', [], { eventType: 'test.hook-fail', data: { n: 1 } });

    await sender('w1').drainOnce();

    const [row] = await rowsOf('hook-500');
    assert.equal((hooksAt.get('/fail') ?? []).filter((h) => h.id === row!.header_id).length, 1);
    assert.equal(row!.status, 'pending');
    assert.equal(row!.attempts, 1);
    assert.match(row!.last_error ?? '', /500/);
    assert.equal(row!.next_attempt_at, new Date(clock.now().getTime() + RETRY_DELAYS_S[0]! * 1000).toISOString());
  });

  test('a receiver answering 410 Gone makes the webhook dead', async () => {
    await queue('hook-410', [], { eventType: 'test.hook-gone', data: { n: 2 } });

    await sender('w1').drainOnce();

    const [row] = await rowsOf('hook-410');
    assert.equal((hooksAt.get('/gone') ?? []).filter((h) => h.id === row!.header_id).length, 1);
    assert.equal(row!.status, 'dead');
    assert.equal(row!.attempts, 1);
  });

  test('two senders draining 300 messages together deliver each exactly once', { timeout: 120_000 }, async () => {
    const audience = Array.from({ length: 300 }, (_, i) => person(`bulk${i}@example.org`, `bulk-person-${i}`));
    await queue('bulk', audience);
    const rows = await rowsOf('bulk');

    const [a, b] = await Promise.all([sender('sender-a', 4).drainOnce(), sender('sender-b', 4).drainOnce()]);

    assert.equal(rows.length, 300);
    const done = await rowsOf('bulk');
    assert.deepEqual(
      done.filter((r) => r.status !== 'sent' || r.attempts !== 1),
      [],
    );
    const counts = sink.counts();
    assert.deepEqual(
      rows.filter((r) => counts.get(r.header_id) !== 1).map((r) => [r.recipient, counts.get(r.header_id) ?? 0]),
      [],
    );
    assert.ok(a + b >= 300, `${a} + ${b} attempted`);
    // Both took part (on SQLite too: their claims interleave on the one connection).
    assert.ok(a > 0 && b > 0, `sender a attempted ${a}, sender b ${b}`);
  });

  test('a message claimed behind others is not sent again by a second sender when the first one’s lease would run out', async () => {
    // Time that moves: leases run out for real. The senders deliver webhooks only.
    for (let i = 0; i < 20; i++) await queue(`hook-slow-${i}`, [], { eventType: 'test.hook-slow', data: { i } });
    const start = Date.now();
    const moving = { now: () => new Date(clock.now().getTime() + (Date.now() - start)) };
    receiverNow = moving.now;
    const slow = (workerId: string) => createSender({ db: db.db, dialect: db.dialect, clock: moving, workerId, leaseMs: 800, concurrency: 1, log: () => {} });

    const first = slow('slow-a').drainOnce();
    await new Promise((resolve) => setTimeout(resolve, 1000)); // the first sender is about halfway, 10 × 100 ms
    await Promise.all([first, slow('slow-b').drainOnce()]);

    const ids = (hooksAt.get('/slow') ?? []).map((h) => h.id);
    assert.equal(ids.length, 20, `20 webhooks, ${ids.length} deliveries`);
    assert.equal(new Set(ids).size, 20);
  });

  test('no webhook secret is in any message, queued or delivered', async () => {
    const rows = await db.db.selectFrom('outbox_message').select(['body', 'subject']).execute();
    const texts = [
      ...rows.flatMap((r) => [r.body, r.subject]),
      ...sink.received.map((m) => m.raw.toString('latin1')),
      ...[...hooksAt.values()].flat().map((h) => h.body),
    ];

    assert.equal(secrets.size, 4);
    for (const secret of secrets.values()) {
      const key = secret.slice('whsec_'.length);
      assert.deepEqual(
        texts.filter((t) => t.includes(key)),
        [],
      );
    }
    assert.ok(rows.length > 300);
  });
});
