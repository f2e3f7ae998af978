// `kill -9` of a server in the middle of sending the outbox, then a restart on the same database:
// every one of 1,000 queued e-mails arrives, and the only ones that arrive twice are those the
// killed process had handed to the mail server without recording it (at most the messages in
// flight). The mail server runs in this process and takes 5–10 ms to accept each message, so the
// kill lands mid-stream. SQLite always; PostgreSQL when VIGIL_TEST_DB=postgres.
import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Audience } from '../src/modules/notifications/index.js';
import { serverDatabase } from './support/server-database.js';
import { startServer, type ServerProcess } from './support/server-process.js';
import { startSmtpSink, type SmtpSink } from './support/smtp-sink.js';

const MESSAGES = 1000;
const CONCURRENCY = 4;
const KILL_AFTER = 300;

const dir = mkdtempSync(join(tmpdir(), 'vigil-outbox-crash-'));
const servers: ServerProcess[] = [];
let sink: SmtpSink | undefined;
after(async () => {
  for (const s of servers) if (s.child.exitCode === null && s.child.signalCode === null) await s.stop('SIGKILL');
  await sink?.close();
  rmSync(dir, { recursive: true, force: true });
});

/** Resolves once `done()` holds, checking every few milliseconds; rejects after `ms`. */
async function until(done: () => boolean, ms: number, what: () => string): Promise<void> {
  const deadline = Date.now() + ms;
  while (!done()) {
    if (Date.now() > deadline) throw new Error(`not within ${ms} ms: ${what()}`);
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}

test(`after kill -9 while sending and a restart, all ${MESSAGES} e-mails arrive, twice only those in flight`, { timeout: 120_000 }, async () => {
  sink = await startSmtpSink({ acceptDelayMs: () => 5 + Math.random() * 5 });
  const audience: Audience[] = Array.from({ length: MESSAGES }, (_, i) => ({
    type: 'person',
    personId: `crash-person-${i}`,
    email: `contact${i}@crash.example.org`,
    name: `Contact ${i}`,
  }));
  const { serverEnv, open } = await serverDatabase(dir, { ngi: 'NGI_OUTBOX', name: 'OUTBOX-SITE', securityEmail: 'csirt@outbox.example.org' }, async (s) => {
    const queued = await s.outbox.queue(s.db, {
      eventType: 'test.crash',
      tlp: 'AMBER',
      subject: 'Outbox crash test',
      body: 'One of a thousand.',
      audience,
      ref: { type: 'test', id: 'outbox-crash' },
    });
    assert.equal(queued.emails, MESSAGES);
  });
  const env = {
    ...serverEnv,
    VIGIL_DEMO: 'false',
    VIGIL_SMTP_URL: sink.url,
    VIGIL_SMTP_REQUIRE_TLS: 'false',
    VIGIL_MAIL_FROM: 'Vigil <vigil@crash.example.org>',
    VIGIL_OUTBOX_CONCURRENCY: String(CONCURRENCY),
    VIGIL_OUTBOX_LEASE_SECONDS: '3',
    VIGIL_OUTBOX_POLL_MS: '200',
  };
  const distinct = () => sink!.counts().size;
  const started = Date.now();

  const first = await startServer(env);
  servers.push(first);
  await until(
    () => distinct() >= KILL_AFTER,
    30_000,
    () => `${distinct()} arrived`,
  );
  const exit = await first.stop('SIGKILL');
  const atKill = distinct();
  const second = await startServer(env);
  servers.push(second);
  await until(
    () => distinct() >= MESSAGES,
    45_000,
    () => `${distinct()} of ${MESSAGES} arrived after the restart`,
  );
  await second.stop(); // SIGTERM: the sender finishes recording what it sent

  assert.equal(exit, null, 'the first server died of the signal');
  assert.ok(atKill < MESSAGES, `the kill landed mid-stream (${atKill} of ${MESSAGES} had arrived)`);
  const check = open();
  try {
    const rows = await check.db.selectFrom('outbox_message').select(['header_id', 'status']).where('ref_id', '=', 'outbox-crash').execute();
    const counts = sink.counts();
    assert.equal(rows.length, MESSAGES);
    assert.deepEqual(
      rows.filter((r) => !counts.has(r.header_id)).map((r) => r.header_id),
      [],
      'every message arrived',
    );
    assert.equal(counts.size, MESSAGES, 'nothing arrived that was not queued');
    assert.deepEqual(
      rows.filter((r) => r.status !== 'sent'),
      [],
    );
    const duplicates = sink.received.length - counts.size;
    console.log(
      `outbox crash test: ${duplicates} duplicates of ${MESSAGES} (${atKill} arrived before kill -9, ${((Date.now() - started) / 1000).toFixed(1)} s in all)`,
    );
    assert.ok(duplicates <= CONCURRENCY * 2, `${duplicates} duplicates: more than the ${CONCURRENCY * 2} that could have been in flight`);
    assert.ok(
      [...counts.values()].every((n) => n <= 2),
      'no message arrived more than twice',
    );
  } finally {
    await check.close();
  }
});
