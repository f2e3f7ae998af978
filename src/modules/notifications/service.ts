// What people do with notifications: choose what they receive; and for the CSIRT, webhook
// endpoints, the messages that could not be delivered (replayed from here), and inbound mail
// held for review.
import type { Db } from '../../db/database.js';
import type { Clock } from '../../core/clock.js';
import type { Audit } from '../../core/audit.js';
import { FEDERATION, requireAccess, type Actor } from '../../core/access.js';
import { ConflictError, InvalidError, NotFoundError } from '../../core/errors.js';
import { newId } from '../../core/ids.js';
import { newWebhookSecret } from '../../lib/webhooks/standard-webhooks.js';
import { outboxCounts } from './sender.js';

export interface Deps {
  db: Db;
  clock: Clock;
  audit: Audit;
  /** Is a mail server configured (else e-mails wait)? */
  mailConfigured: boolean;
}

const MESSAGE_STATUSES = ['pending', 'sent', 'dead', 'digest'] as const;
const MAIL_STATUSES = ['held', 'attached', 'discarded'] as const;

export function createNotificationService({ db, clock, audit, mailConfigured }: Deps) {
  const now = () => clock.now().toISOString();
  const personOf = (actor: Actor) => {
    if (!actor.personId) throw new InvalidError('only a person has notification settings');
    return actor.personId;
  };

  return {
    async getPreferences(actor: Actor) {
      const row = await db.selectFrom('notification_preference').selectAll().where('person_id', '=', personOf(actor)).executeTakeFirst();
      return {
        email: row && row.is_email_enabled !== null ? row.is_email_enabled === 1 : null,
        digest: row?.is_digest === 1,
        updatedAt: row?.updated_at ?? null,
      };
    },

    /** `email: null` returns to the default: the site's notification flag from the registry. */
    async setPreferences(actor: Actor, input: { email: boolean | null; digest: boolean }) {
      const personId = personOf(actor);
      return db.transaction().execute(async (trx) => {
        const before = await trx.selectFrom('notification_preference').selectAll().where('person_id', '=', personId).executeTakeFirst();
        await trx.deleteFrom('notification_preference').where('person_id', '=', personId).execute();
        if (input.email !== null || input.digest)
          await trx
            .insertInto('notification_preference')
            .values({
              person_id: personId,
              is_email_enabled: input.email === null ? null : input.email ? 1 : 0,
              is_digest: input.digest ? 1 : 0,
              updated_at: now(),
            })
            .execute();
        await audit.record(trx, { actor, action: 'notification.preferences', objectType: 'person', objectId: personId, before, after: input });
        return input;
      });
    },

    async listMessages(actor: Actor, filter: { status?: (typeof MESSAGE_STATUSES)[number]; limit: number; before?: string }) {
      await requireAccess(actor, 'notification:manage', FEDERATION);
      const rows = await db
        .selectFrom('outbox_message')
        .select([
          'message_id',
          'channel',
          'header_id',
          'recipient',
          'event_type',
          'tlp',
          'subject',
          'status',
          'attempts',
          'next_attempt_at',
          'last_error',
          'created_at',
          'sent_at',
          'ref_type',
          'ref_id',
        ])
        .$if(!!filter.status, (q) => q.where('status', '=', filter.status!))
        .$if(!!filter.before, (q) => q.where('message_id', '<', filter.before!))
        .orderBy('message_id', 'desc')
        .limit(filter.limit)
        .execute();
      return {
        mailConfigured,
        counts: await outboxCounts(db),
        messages: rows.map((r) => ({
          messageId: r.message_id,
          channel: r.channel,
          headerId: r.header_id,
          recipient: r.recipient,
          eventType: r.event_type,
          tlp: r.tlp,
          subject: r.subject,
          status: r.status,
          attempts: r.attempts,
          nextAttemptAt: r.next_attempt_at,
          lastError: r.last_error,
          createdAt: r.created_at,
          sentAt: r.sent_at,
          ref: r.ref_type && r.ref_id ? { type: r.ref_type, id: r.ref_id } : null,
        })),
      };
    },

    /** Puts a dead message back in the queue, with its Message-ID / webhook-id unchanged. */
    async replay(actor: Actor, messageId: string) {
      await requireAccess(actor, 'notification:manage', FEDERATION);
      return db.transaction().execute(async (trx) => {
        const row = await trx.selectFrom('outbox_message').select(['status', 'attempts', 'last_error']).where('message_id', '=', messageId).executeTakeFirst();
        if (!row) throw new NotFoundError('message', messageId);
        if (row.status !== 'dead') throw new ConflictError(`only a dead message is replayed; this one is ${row.status}`);
        await trx
          .updateTable('outbox_message')
          .set({ status: 'pending', attempts: 0, next_attempt_at: now(), locked_by: null, locked_until: null })
          .where('message_id', '=', messageId)
          .execute();
        await audit.record(trx, { actor, action: 'notification.replay', objectType: 'outbox_message', objectId: messageId, before: row });
        return { messageId, status: 'pending' as const };
      });
    },

    async listWebhooks(actor: Actor) {
      await requireAccess(actor, 'notification:manage', FEDERATION);
      const rows = await db.selectFrom('webhook_endpoint').selectAll().orderBy('created_at').execute();
      return rows.map((r) => ({
        endpointId: r.endpoint_id,
        url: r.url,
        eventTypes: r.event_types.split(' '),
        description: r.description,
        createdAt: r.created_at,
        disabledAt: r.disabled_at,
      }));
    },

    /** Registers an endpoint; its signing secret is returned this once. */
    async addWebhook(actor: Actor, input: { url: string; eventTypes: string[]; description: string }) {
      await requireAccess(actor, 'notification:manage', FEDERATION);
      const url = new URL(input.url);
      if (url.protocol !== 'https:' && !(url.protocol === 'http:' && ['127.0.0.1', 'localhost', '[::1]'].includes(url.hostname)))
        throw new InvalidError('a webhook URL must be https (http only to this machine)');
      if (url.username || url.password) throw new InvalidError('put no credentials in a webhook URL: the signature authenticates Vigil');
      const row = {
        endpoint_id: newId(),
        url: url.toString(),
        secret: newWebhookSecret(),
        event_types: input.eventTypes.length ? [...new Set(input.eventTypes)].join(' ') : '*',
        description: input.description,
        created_by: actor.label,
        created_at: now(),
        disabled_at: null,
      };
      await db.transaction().execute(async (trx) => {
        await trx.insertInto('webhook_endpoint').values(row).execute();
        await audit.record(trx, {
          actor,
          action: 'webhook.add',
          objectType: 'webhook_endpoint',
          objectId: row.endpoint_id,
          after: { ...row, secret: '(hidden)' },
        });
      });
      return { endpointId: row.endpoint_id, url: row.url, eventTypes: row.event_types.split(' '), secret: row.secret };
    },

    async disableWebhook(actor: Actor, endpointId: string) {
      await requireAccess(actor, 'notification:manage', FEDERATION);
      await db.transaction().execute(async (trx) => {
        const r = await trx
          .updateTable('webhook_endpoint')
          .set({ disabled_at: now() })
          .where('endpoint_id', '=', endpointId)
          .where('disabled_at', 'is', null)
          .executeTakeFirst();
        if (Number(r.numUpdatedRows) === 0) throw new NotFoundError('webhook endpoint', endpointId);
        await audit.record(trx, { actor, action: 'webhook.disable', objectType: 'webhook_endpoint', objectId: endpointId });
      });
    },

    async listInboundMail(actor: Actor, filter: { status?: (typeof MAIL_STATUSES)[number]; limit: number }) {
      await requireAccess(actor, 'notification:manage', FEDERATION);
      const rows = await db
        .selectFrom('inbound_mail')
        .select(['mail_id', 'sender', 'subject', 'status', 'reason', 'task_id', 'received_at', 'reviewed_by', 'reviewed_at', 'body'])
        .$if(!!filter.status, (q) => q.where('status', '=', filter.status!))
        .orderBy('received_at', 'desc')
        .limit(filter.limit)
        .execute();
      return rows.map((r) => ({
        mailId: r.mail_id,
        sender: r.sender,
        subject: r.subject,
        status: r.status,
        reason: r.reason,
        taskId: r.task_id,
        receivedAt: r.received_at,
        reviewedBy: r.reviewed_by,
        reviewedAt: r.reviewed_at,
        excerpt: r.body.slice(0, 2000),
      }));
    },

    /** The reviewer has read a held message and sets it aside. */
    async discardInboundMail(actor: Actor, mailId: string) {
      await requireAccess(actor, 'notification:manage', FEDERATION);
      await db.transaction().execute(async (trx) => {
        const r = await trx
          .updateTable('inbound_mail')
          .set({ status: 'discarded', reviewed_by: actor.label, reviewed_at: now() })
          .where('mail_id', '=', mailId)
          .where('status', '=', 'held')
          .executeTakeFirst();
        if (Number(r.numUpdatedRows) === 0) throw new NotFoundError('held message', mailId);
        await audit.record(trx, { actor, action: 'mail.discard', objectType: 'inbound_mail', objectId: mailId });
      });
    },
  };
}
export type NotificationService = ReturnType<typeof createNotificationService>;
export { MESSAGE_STATUSES, MAIL_STATUSES };
