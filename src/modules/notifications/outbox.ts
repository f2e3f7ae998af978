// The outbox: every message Vigil sends is a row written in the transaction of the change that
// causes it, so a change is never committed without its messages nor a message sent for a change
// that rolled back. The sender (sender.ts) delivers the rows after commit. Each row's `header_id`
// is fixed when it is written: the Message-ID of an e-mail, the webhook-id of a webhook, so a
// message sent twice (a crash between handing it over and recording that) is recognised by its
// receiver as the same.
import type { Executor } from '../../db/database.js';
import type { OutboxMessageTable } from '../../db/schema.js';
import type { Clock } from '../../core/clock.js';
import { newId } from '../../core/ids.js';
import { tlpBanner, tlpSubjectMark, type Tlp } from '../../lib/tlp/tlp.js';
import { securityContacts, type ContactScope, type SecurityContact } from '../registry/index.js';

/** Who a notice is for: a scope's security contacts (registry roles), or named people. */
export type Audience = ContactScope | { type: 'person'; personId: string; email: string; name: string };

export interface Notice {
  /** What happened, as webhook event types name it: `task.created`, `task.escalated`, … */
  eventType: string;
  tlp: Tlp;
  /** Without the TLP mark: the outbox adds it. */
  subject: string;
  body: string;
  audience: readonly Audience[];
  /** Each recipient's reply address, when replies are read: a task's token signed for that
   *  recipient's address, so a reply counts only from the address it was sent to. */
  replyTo?: ((recipient: string) => string | undefined) | undefined;
  /** What the message is about, so its page can list what was sent. */
  ref?: { type: string; id: string };
  /** Sent at once even to people who take a daily digest (warnings, escalations). */
  urgent?: boolean;
  /** The webhook payload's `data`; no webhook is sent without it. */
  data?: Record<string, unknown>;
}

export interface OutboxDeps {
  clock: Clock;
  /** The domain of generated Message-IDs (the From address's). */
  messageIdDomain: string;
  /** Where a recipient changes what they receive, named in each e-mail's foot. */
  preferencesUrl: string;
}

/** Most recipients one notice may have: a federation has hundreds of sites, each a few contacts. */
const MAX_RECIPIENTS = 20_000;
const INSERT_CHUNK = 500;

const audienceKey = (a: ContactScope) =>
  a.type === 'federation' ? 'federation' : a.type === 'site' ? `site:${a.siteId}` : a.type === 'ngi' ? `ngi:${a.ngiId}` : `vo:${a.voId}`;

export function createOutbox({ clock, messageIdDomain, preferencesUrl }: OutboxDeps) {
  /** The people (and lists) a notice goes to, each address once, with whether they take it now or in their digest. */
  async function recipientsOf(
    ex: Executor,
    audience: readonly Audience[],
    contacts: Map<string, SecurityContact[]>,
  ): Promise<Array<{ email: string; personId: string | null; digest: boolean }>> {
    const people = new Map<string, { email: string; personId: string | null; optedIn: boolean }>();
    const add = (email: string, personId: string | null, optedIn: boolean) => {
      const key = email.toLowerCase();
      const seen = people.get(key);
      if (!seen || (!seen.personId && personId)) people.set(key, { email, personId, optedIn: optedIn || (seen?.optedIn ?? false) });
    };
    for (const a of audience) {
      if (a.type === 'person') add(a.email, a.personId, true);
      else for (const c of contacts.get(audienceKey(a)) ?? []) add(c.email, c.personId, c.personId === null || c.siteNotifies);
    }
    const ids = [...people.values()].flatMap((p) => (p.personId ? [p.personId] : []));
    const prefs = new Map<string, { is_email_enabled: number | null; is_digest: number }>();
    for (let i = 0; i < ids.length; i += INSERT_CHUNK) {
      const rows = await ex
        .selectFrom('notification_preference')
        .select(['person_id', 'is_email_enabled', 'is_digest'])
        .where('person_id', 'in', ids.slice(i, i + INSERT_CHUNK))
        .execute();
      for (const r of rows) prefs.set(r.person_id, r);
    }
    const out: Array<{ email: string; personId: string | null; digest: boolean }> = [];
    for (const p of people.values()) {
      // A person's own choice wins; without one, a site's notification flag (GOCDB) decides.
      const pref = p.personId ? prefs.get(p.personId) : undefined;
      const enabled = pref && pref.is_email_enabled !== null ? pref.is_email_enabled === 1 : p.optedIn;
      if (enabled) out.push({ email: p.email, personId: p.personId, digest: pref?.is_digest === 1 });
    }
    if (out.length > MAX_RECIPIENTS) throw new Error(`a notice may go to at most ${MAX_RECIPIENTS} addresses (${out.length} asked)`);
    return out;
  }

  /** The e-mail text: the TLP banner, the body, and why the reader received it. */
  const mailBody = (notice: Notice, replies: boolean) =>
    [
      tlpBanner(notice.tlp),
      '',
      notice.body.trimEnd(),
      '',
      '-- ',
      `You receive this as a security contact in Vigil. Your notification settings: ${preferencesUrl}`,
      ...(replies ? ['Reply to this message to answer (a reply whose first word is "resolved" resolves it); keep the reply address as it is.'] : []),
    ].join('\n');

  /**
   * Writes notices' messages into the outbox in the caller's transaction: one e-mail per
   * recipient and one webhook per subscribed endpoint. Returns how many of each.
   */
  async function queueMany(ex: Executor, notices: readonly Notice[]): Promise<{ emails: number; webhooks: number }> {
    const now = clock.now().toISOString();
    // Every notice's scopes read at once: a task for 500 sites costs a handful of queries.
    const contacts = await securityContacts(
      ex,
      notices.flatMap((n) => n.audience.filter((a): a is ContactScope => a.type !== 'person')),
    );
    const subscribed = notices.some((n) => n.data)
      ? await ex.selectFrom('webhook_endpoint').select(['endpoint_id', 'event_types']).where('disabled_at', 'is', null).execute()
      : [];
    const rows: OutboxMessageTable[] = [];
    let emails = 0;
    for (const notice of notices) {
      const base = {
        event_type: notice.eventType,
        tlp: notice.tlp,
        ref_type: notice.ref?.type ?? null,
        ref_id: notice.ref?.id ?? null,
        attempts: 0,
        next_attempt_at: now,
        locked_by: null,
        locked_until: null,
        last_error: null,
        created_at: now,
        sent_at: null,
      };
      // A subject is one line: a title's control characters would make every message unsendable.
      const subject = `${tlpSubjectMark(notice.tlp)} ${notice.subject}`.replace(/[\x00-\x1f\x7f]+/g, ' ').slice(0, 900);
      const body = mailBody(notice, !!notice.replyTo);
      const listBody = mailBody(notice, false);
      for (const r of await recipientsOf(ex, notice.audience, contacts)) {
        const id = newId();
        emails += 1;
        rows.push({
          ...base,
          message_id: id,
          channel: 'email',
          header_id: `<${id}@${messageIdDomain}>`,
          recipient: r.email,
          person_id: r.personId,
          // A list address gets none: its members' replies come from their own addresses.
          reply_to: r.personId ? (notice.replyTo?.(r.email) ?? null) : null,
          subject,
          body: r.personId ? body : listBody,
          status: r.digest && !notice.urgent ? 'digest' : 'pending',
        });
      }
      if (!notice.data) continue;
      for (const e of subscribed) {
        if (!e.event_types.split(' ').some((t) => t === '*' || t === notice.eventType)) continue;
        const id = newId();
        rows.push({
          ...base,
          message_id: id,
          channel: 'webhook',
          header_id: `msg_${id.replaceAll('-', '')}`,
          recipient: e.endpoint_id,
          person_id: null,
          reply_to: null,
          subject,
          body: JSON.stringify({ type: notice.eventType, timestamp: now, data: { ...notice.data, tlp: notice.tlp } }),
          status: 'pending',
        });
      }
    }
    for (let i = 0; i < rows.length; i += INSERT_CHUNK)
      await ex
        .insertInto('outbox_message')
        .values(rows.slice(i, i + INSERT_CHUNK))
        .execute();
    return { emails, webhooks: rows.length - emails };
  }

  return {
    queueMany,
    queue: (ex: Executor, notice: Notice) => queueMany(ex, [notice]),
  };
}
export type Outbox = ReturnType<typeof createOutbox>;

/** What was sent about an object (a task, an incident): channel, recipient, event, status and
 *  times, never the text. For the object's page; the caller has checked the reader may see it. */
export const messagesAbout = (db: Executor, refType: string, refId: string) =>
  db
    .selectFrom('outbox_message')
    .select(['channel', 'recipient', 'event_type', 'status', 'created_at', 'sent_at'])
    .where('ref_type', '=', refType)
    .where('ref_id', '=', refId)
    .orderBy('created_at')
    .limit(500)
    .execute();
