// Vigil's reply listener as a mail server on the Internet meets it: only the reply domain, a
// bound on what waits for review, and replies with a valid token reaching their task.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import nodemailer from 'nodemailer';
import { systemClock } from '../../core/clock.js';
import { createServices, type Services } from '../../server/services.js';
import { testDatabase, type TestDb } from '../../../test/support/db.js';
import { createInbound } from './inbound.js';
import { startSmtpListener } from './inbound-smtp.js';

describe('reply listener', () => {
  let db: TestDb;
  let s: Services;
  let listener: { port: number; stop(): Promise<void> };

  before(async () => {
    db = await testDatabase();
    s = createServices(db, { sessionTtlHours: 1, loginMaxFailures: 5, loginWindowMinutes: 15 }, systemClock);
    // At most two messages held for review, to see the bound.
    const inbound = createInbound({
      db: db.db,
      clock: systemClock,
      audit: s.audit,
      key: Buffer.alloc(32, 7),
      base: { local: 'vigil', domain: 'tasks.example.org' },
      maxBytes: 64 * 1024,
      maxHeld: 2,
    });
    listener = await startSmtpListener(inbound, { host: '127.0.0.1', port: 0, domain: 'tasks.example.org', maxBytes: 64 * 1024, log: () => undefined });
  });
  after(async () => {
    await listener.stop();
    await db.close();
  });

  const send = (to: string, text = 'hello', extra: Record<string, unknown> = {}) => {
    const transport = nodemailer.createTransport({ host: '127.0.0.1', port: listener.port, secure: false, ignoreTLS: true } as never);
    return transport.sendMail({ from: 'someone@example.net', to, subject: 'hi', text, ...extra }).finally(() => transport.close());
  };

  test('mail for another domain is refused: the listener relays nothing', async () => {
    await assert.rejects(send('victim@elsewhere.example.com'), (err: { responseCode?: number }) => err.responseCode === 550);
  });

  test('mail without a task’s token is held, up to the bound; then refused for now (452), nothing more stored', async () => {
    await send('vigil@tasks.example.org', 'first');
    await send('vigil+t.0193a5f27c1e7b3a9f001c2d3e4f5a6b.aaaaaaaaaaaaaaaa@tasks.example.org', 'forged token');
    await assert.rejects(send('vigil@tasks.example.org', 'third'), (err: { responseCode?: number }) => err.responseCode === 452);
    const rows = await db.db.selectFrom('inbound_mail').select(['status', 'reason']).orderBy('received_at').execute();
    assert.deepEqual(
      rows.map((r) => r.status),
      ['held', 'held'],
    );
    assert.match(rows[1]!.reason!, /does not verify/);
  });

  test('a message over the size limit is refused', async () => {
    await assert.rejects(send('vigil@tasks.example.org', 'x'.repeat(100 * 1024)), (err: { responseCode?: number }) => err.responseCode === 552);
  });
});
