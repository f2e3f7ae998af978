// The daily digest: the messages held for people who asked for one, sent as one e-mail each
// (through the outbox like any other). The held rows are marked sent in the same transaction,
// so a message is in exactly one digest.
import type { Db } from '../../db/database.js';
import type { Clock } from '../../core/clock.js';
import { TLP_LEVELS, type Tlp } from '../../lib/tlp/tlp.js';
import type { Outbox } from './outbox.js';

/** Messages in one digest at most; the rest wait for the next. */
const MAX_PER_DIGEST = 200;

export async function sendDigests(db: Db, clock: Clock, outbox: Outbox): Promise<number> {
  const people = await db
    .selectFrom('outbox_message')
    .select(['person_id', 'recipient'])
    .distinct()
    .where('status', '=', 'digest')
    .where('person_id', 'is not', null)
    .execute();
  let sent = 0;
  for (const p of people) {
    await db.transaction().execute(async (trx) => {
      const held = await trx
        .selectFrom('outbox_message')
        .select(['message_id', 'recipient', 'subject', 'body', 'tlp', 'created_at'])
        .where('status', '=', 'digest')
        .where('person_id', '=', p.person_id!)
        .orderBy('created_at')
        .orderBy('message_id')
        .limit(MAX_PER_DIGEST)
        .execute();
      if (held.length === 0) return;
      // The digest is as restricted as the most restricted message in it.
      const tlp = held.reduce<Tlp>((max, m) => (TLP_LEVELS.indexOf(m.tlp as Tlp) > TLP_LEVELS.indexOf(max) ? (m.tlp as Tlp) : max), 'CLEAR');
      const body = held
        .map((m, i) => `${i + 1}. ${m.subject}  (${m.created_at.slice(0, 16).replace('T', ' ')} UTC)\n\n${m.body.split('\n-- \n')[0]!.trim()}`)
        .join('\n\n----\n\n');
      await outbox.queue(trx, {
        eventType: 'notification.digest',
        tlp,
        subject: `Vigil daily digest: ${held.length} message${held.length === 1 ? '' : 's'}`,
        body,
        // To the address the person's latest message went to: one digest per person, even after a change of address.
        audience: [{ type: 'person', personId: p.person_id!, email: held.at(-1)!.recipient, name: held.at(-1)!.recipient }],
        urgent: true,
      });
      await trx
        .updateTable('outbox_message')
        .set({ status: 'sent', sent_at: clock.now().toISOString(), last_error: 'sent in the daily digest' })
        .where(
          'message_id',
          'in',
          held.map((m) => m.message_id),
        )
        .execute();
      sent += 1;
    });
  }
  return sent;
}
