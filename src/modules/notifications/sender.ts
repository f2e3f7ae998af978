// Delivers the outbox. Any server process may run a sender: each message is claimed with a lease
// just before it is sent (FOR UPDATE SKIP LOCKED on PostgreSQL, so two processes never take the
// same row), handed to the SMTP server or the webhook endpoint, and marked sent at once. A process
// killed between handing a message over and marking it leaves the lease to run out; the message
// is then sent again with the same Message-ID / webhook-id, which receivers drop as a duplicate.
// A failed message is retried with growing delays and, after the last attempt, kept as dead for
// the CSIRT to read and replay.
import { sql } from 'kysely';
import type { Db, Dialect } from '../../db/database.js';
import type { OutboxMessageTable } from '../../db/schema.js';
import type { Clock } from '../../core/clock.js';
import { webhookHeaders } from '../../lib/webhooks/standard-webhooks.js';

export interface MailTransport {
  /** Hands one complete RFC 5322 message to the mail server; rejects with the server's answer. */
  send(envelope: { from: string; to: string }, raw: Buffer): Promise<void>;
  close(): void;
}

export interface SenderDeps {
  db: Db;
  dialect: Dialect;
  clock: Clock;
  workerId: string;
  /** Undefined: no mail server configured, e-mails wait. */
  mail?: { transport: MailTransport; from: string; envelopeFrom: string; compose(m: OutboxMessageTable): Promise<Buffer> } | undefined;
  leaseMs: number;
  concurrency: number;
  /** How long a webhook endpoint may take to answer. */
  webhookTimeoutMs?: number;
  log: (level: 'warn' | 'error', msg: string, extra?: Record<string, unknown>) => void;
}

/** Delays before each retry: the Standard Webhooks schedule, stretched to a day and a half. */
export const RETRY_DELAYS_S = [5, 5 * 60, 30 * 60, 2 * 3600, 5 * 3600, 10 * 3600, 14 * 3600];
const MAX_ATTEMPTS = RETRY_DELAYS_S.length + 1;

export function createSender(deps: SenderDeps) {
  const { db, dialect, clock, workerId, leaseMs, concurrency } = deps;
  const iso = (ms = 0) => new Date(clock.now().getTime() + ms).toISOString();

  /** Takes up to `limit` due messages for this process. */
  async function claim(limit: number): Promise<OutboxMessageTable[]> {
    const now = iso();
    const channels = deps.mail ? ['email', 'webhook'] : ['webhook'];
    const due = db
      .selectFrom('outbox_message')
      .select('message_id')
      .where('status', '=', 'pending')
      // A first attempt is due at once, whatever clock wrote it (`vigil tasks escalate --at`); a retry when its delay has passed.
      .where((eb) => eb.or([eb('attempts', '=', 0), eb('next_attempt_at', '<=', now)]))
      .where('channel', 'in', channels)
      .where((eb) => eb.or([eb('locked_until', 'is', null), eb('locked_until', '<', now)]))
      .orderBy('next_attempt_at')
      .limit(limit)
      .$if(dialect === 'postgres', (q) => q.forUpdate().skipLocked());
    return db
      .updateTable('outbox_message')
      .set({ locked_by: workerId, locked_until: iso(leaseMs) })
      .where('message_id', 'in', (eb) => eb.selectFrom(due.as('d')).select('d.message_id'))
      .returningAll()
      .execute();
  }

  const mine = (id: string) => db.updateTable('outbox_message').where('message_id', '=', id).where('locked_by', '=', workerId);

  /** A delivery never outlives half the lease: another process must not retry one still under way,
   *  and a stalled peer must not stop the sender (an abort signal alone can be lost on Node 20). */
  function withinLease<T>(work: Promise<T>): Promise<T> {
    const limit = Math.min(deps.webhookTimeoutMs ?? 15_000, leaseMs / 2);
    let timer: NodeJS.Timeout | undefined;
    const late = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error(`no answer within ${Math.round(limit / 1000)} s`)), limit);
    });
    return Promise.race([work, late]).finally(() => clearTimeout(timer));
  }

  async function deliver(m: OutboxMessageTable): Promise<void> {
    if (m.channel === 'email') {
      const mail = deps.mail!;
      let raw: Buffer;
      try {
        raw = await mail.compose(m);
      } catch (err) {
        // The row cannot be written as an e-mail (an address or a header it refuses): the same next time.
        throw new PermanentError(`the message cannot be composed: ${err instanceof Error ? err.message : String(err)}`);
      }
      await withinLease(mail.transport.send({ from: mail.envelopeFrom, to: m.recipient }, raw));
      return;
    }
    const endpoint = await db.selectFrom('webhook_endpoint').selectAll().where('endpoint_id', '=', m.recipient).executeTakeFirst();
    if (!endpoint || endpoint.disabled_at) throw new PermanentError('the webhook endpoint was removed or disabled');
    const abort = new AbortController();
    const response = await withinLease(
      fetch(endpoint.url, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'user-agent': 'Vigil', ...webhookHeaders(endpoint.secret, m.header_id, clock.now(), m.body) },
        body: m.body,
        redirect: 'error',
        signal: abort.signal,
      }),
    ).catch((err: unknown) => {
      abort.abort();
      throw err;
    });
    await response.body?.cancel().catch(() => undefined);
    if (response.status === 410) throw new PermanentError('the endpoint answered 410 Gone');
    if (response.status < 200 || response.status > 299) throw new Error(`the endpoint answered ${response.status}`);
  }

  async function attempt(m: OutboxMessageTable): Promise<void> {
    try {
      await deliver(m);
      await mine(m.message_id)
        .set((eb) => ({ status: 'sent', sent_at: iso(), attempts: eb('attempts', '+', 1), locked_by: null, locked_until: null, last_error: null }))
        .execute();
    } catch (err) {
      const attempts = m.attempts + 1;
      const message = (err instanceof Error ? err.message : String(err)).slice(0, 1000);
      const dead = err instanceof PermanentError || isPermanentSmtp(err) || attempts >= MAX_ATTEMPTS;
      await mine(m.message_id)
        .set({
          status: dead ? 'dead' : 'pending',
          attempts,
          last_error: message,
          next_attempt_at: dead ? iso() : iso(RETRY_DELAYS_S[attempts - 1]! * 1000),
          locked_by: null,
          locked_until: null,
        })
        .execute();
      deps.log(dead ? 'error' : 'warn', dead ? 'message given up: kept in the dead-letter list' : 'message not delivered; will retry', {
        messageId: m.message_id,
        channel: m.channel,
        attempts,
        error: message,
      });
    }
  }

  /** Sends what is due now, `concurrency` at a time; returns how many were attempted. */
  async function drainOnce(): Promise<number> {
    let total = 0;
    // Each worker claims the one message it sends next. A lease then covers one attempt only: a
    // message claimed in a batch and waiting behind slow ones would see its lease run out, be
    // claimed by another process and be sent twice.
    await Promise.all(
      Array.from({ length: concurrency }, async () => {
        for (;;) {
          const [m] = await claim(1);
          if (!m) return;
          total += 1;
          await attempt(m);
        }
      }),
    );
    return total;
  }

  return {
    drainOnce,
    /** Polls until stopped. */
    start(pollMs: number) {
      let stopped = false;
      let timer: NodeJS.Timeout | undefined;
      let running: Promise<unknown> = Promise.resolve();
      const tick = () => {
        running = drainOnce()
          .catch((err: unknown) => deps.log('error', 'outbox sender failed', { error: err instanceof Error ? err.message : String(err) }))
          .finally(() => {
            if (!stopped) timer = setTimeout(tick, pollMs);
          });
      };
      timer = setTimeout(tick, 0);
      return {
        async stop() {
          stopped = true;
          if (timer) clearTimeout(timer);
          await running;
          deps.mail?.transport.close();
        },
      };
    },
  };
}

class PermanentError extends Error {}

/**
 * A 5xx answer to the recipient or to the message itself: refused for good. A 5xx elsewhere (a
 * login refused, a sender address refused, a greeting) is about the mail server's configuration,
 * the same for every message: those wait for it to be fixed rather than all going dead at once.
 */
const isPermanentSmtp = (err: unknown) => {
  const { responseCode: code, command } = (err ?? {}) as { responseCode?: unknown; command?: unknown };
  return typeof code === 'number' && code >= 500 && code < 600 && (command === 'RCPT TO' || command === 'DATA');
};

/** Counts by channel and status, for /metrics and the CSIRT's page. */
export async function outboxCounts(db: Db): Promise<Array<{ channel: string; status: string; n: number }>> {
  const rows = await db
    .selectFrom('outbox_message')
    .select(['channel', 'status', sql<number>`count(*)`.as('n')])
    .groupBy(['channel', 'status'])
    .execute();
  return rows.map((r) => ({ channel: r.channel, status: r.status, n: Number(r.n) }));
}
