// Mail that reaches Vigil (its SMTP listener or an IMAP mailbox): each message is kept, and a
// reply whose recipient carries a valid signed token is handed to the part that issued the token
// (tasks). Everything else — no token, a forged or damaged one, a sender the task's part does
// not accept — is held for the CSIRT's review; nothing is attached to anything by guess.
import { createHmac } from 'node:crypto';
import type { Db, Executor } from '../../db/database.js';
import type { Clock } from '../../core/clock.js';
import type { Audit } from '../../core/audit.js';
import { systemActor } from '../../core/access.js';
import { newId } from '../../core/ids.js';
import { StorageFullError } from '../../core/errors.js';
import { parseInbound, type InboundMessage } from '../../lib/mail-reply/inbound-message.js';
import { readReplyAddress, replyAddress, type ReplyBase } from '../../lib/mail-reply/reply-token.js';

/** What the part that owns a token does with a reply: attach it, or say why it is held. */
export type ReplyHandler = (trx: Executor, taskId: string, message: InboundMessage, mailId: string) => Promise<{ attached: true } | { held: string }>;

export interface InboundDeps {
  db: Db;
  clock: Clock;
  audit: Audit;
  /** The key reply tokens are signed with (derived from the audit key, never stored). */
  key: Buffer;
  base: ReplyBase | undefined;
  maxBytes: number;
  /** Held messages at most (default MAX_HELD). */
  maxHeld?: number;
}

/** Messages waiting for review at most: past it, mail without a task's token is refused (the
 *  sender's server retries later), so an anonymous sender cannot fill the database. */
export const MAX_HELD = 5000;

export type InboundOutcome = { status: 'attached' | 'held' | 'discarded' | 'duplicate'; reason?: string; mailId?: string };

/** The reply key: a separate key derived from the audit chain's, so no new secret is kept. */
export const replyKeyOf = (auditMacKey: Buffer): Buffer => createHmac('sha256', auditMacKey).update('vigil mail reply tokens v1').digest();

/** The key of one recipient's tokens: a reply verifies only when it comes from the address the token was made for. */
const recipientKey = (key: Buffer, address: string): Buffer => createHmac('sha256', key).update(`recipient:${address.trim().toLowerCase()}`).digest();

export function parseReplyBase(address: string | undefined): ReplyBase | undefined {
  if (!address) return undefined;
  const at = address.lastIndexOf('@');
  return { local: address.slice(0, at), domain: address.slice(at + 1) };
}

export function createInbound(deps: InboundDeps) {
  const { db, clock, audit, key, base } = deps;
  let handler: ReplyHandler | undefined;

  return {
    /** Are replies read (a reply address configured)? */
    repliesEnabled: !!base,
    /** The reply address of a task for one recipient, when replies are configured. */
    replyAddressFor: (taskId: string, recipient: string): string | undefined => (base ? replyAddress(recipientKey(key, recipient), taskId, base) : undefined),
    /** The part answering replies (tasks) registers here once. */
    onReply(h: ReplyHandler) {
      handler = h;
    },

    /** Takes one raw message; `envelopeTo` are the SMTP envelope's recipients (Bcc, forwarding). */
    async receive(raw: Buffer, envelopeTo: readonly string[] = []): Promise<InboundOutcome> {
      const message = await parseInbound(raw, { maxBytes: deps.maxBytes });
      // A resent message (an SMTP retry, an IMAP message read twice) is answered once.
      if (message.messageId) {
        const seen = await db.selectFrom('inbound_mail').select(['mail_id']).where('header_message_id', '=', message.messageId).executeTakeFirst();
        if (seen) return { status: 'duplicate', mailId: seen.mail_id };
      }
      // A token is signed for the address it was sent to: it verifies only from that address.
      const senderKey = recipientKey(key, message.from);
      const tokens = base ? [...new Set([...message.to, ...envelopeTo])].map((a) => readReplyAddress(senderKey, a, base)) : [];
      const matched = tokens.find((t): t is { taskId: string } => 'taskId' in t);
      const forged = tokens.some((t) => 'error' in t && t.error !== 'not-ours');
      // A machine's reply (vacation notice, bounce) answers nothing and is not kept: an anonymous
      // sender must not be able to store anything without limit.
      if (message.autoReply) return { status: 'discarded', reason: 'an automatic reply (vacation notice or delivery report)' };
      const maxHeld = deps.maxHeld ?? MAX_HELD;
      const heldCount = async (ex: Executor) =>
        Number(
          (
            await ex
              .selectFrom('inbound_mail')
              .select((eb) => eb.fn.countAll<number>().as('n'))
              .where('status', '=', 'held')
              .executeTakeFirstOrThrow()
          ).n,
        );
      if (!matched && (await heldCount(db)) >= maxHeld) throw new StorageFullError(`${maxHeld} messages already wait for review`);
      return db.transaction().execute(async (trx) => {
        const mailId = newId();
        let status: 'attached' | 'held';
        let reason: string | null = null;
        let taskId: string | null = null;
        if (!matched) {
          status = 'held';
          reason = forged ? 'the reply address carries a token that does not verify for this sender' : 'no reply address of a task';
        } else if (!handler) {
          status = 'held';
          reason = 'replies are not handled by this server';
        } else {
          taskId = matched.taskId;
          const result = await handler(trx, matched.taskId, message, mailId);
          status = 'attached' in result ? 'attached' : 'held';
          reason = 'held' in result ? result.held : null;
        }
        // Whatever waits for review counts against the bound, token or not (rolled back when full).
        if (status === 'held' && matched && (await heldCount(trx)) >= maxHeld) throw new StorageFullError(`${maxHeld} messages already wait for review`);
        const row = {
          mail_id: mailId,
          header_message_id: message.messageId,
          sender: message.from.slice(0, 320),
          recipients: message.to.join(' ').slice(0, 2000),
          subject: message.subject.slice(0, 1000),
          body: message.text.slice(0, 100_000),
          status,
          reason,
          task_id: taskId,
          received_at: clock.now().toISOString(),
          reviewed_by: null,
          reviewed_at: null,
        };
        await trx.insertInto('inbound_mail').values(row).execute();
        await audit.record(trx, {
          actor: systemActor('inbound mail'),
          action: `mail.${status}`,
          objectType: 'inbound_mail',
          objectId: mailId,
          after: { sender: row.sender, subject: row.subject, taskId, reason },
        });
        return { status, mailId, ...(reason ? { reason } : {}) };
      });
    },
  };
}
export type Inbound = ReturnType<typeof createInbound>;
