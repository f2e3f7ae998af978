// Notifications as a part of Vigil: the outbox every change writes its messages into, the sender
// delivering it (e-mail over SMTP, Standard Webhooks), the daily digest, and replies received by
// Vigil's own SMTP listener.
import { hostname } from 'node:os';
import { Type } from '@sinclair/typebox';
import { defineJob, type Daemon, type Kernel, type VigilModule } from '../../server/module-kit.js';
import type { Services } from '../../server/services.js';
import { newId } from '../../core/ids.js';
import { createOutbox } from './outbox.js';
import { createInbound, parseReplyBase, replyKeyOf } from './inbound.js';
import { createNotificationService } from './service.js';
import { createSender, outboxCounts } from './sender.js';
import { addressOf, smtpTransport } from './mail-transport.js';
import { checkSigningIdentity, composeMail, type SigningIdentity } from './smime-sign.js';
import { startSmtpListener } from './inbound-smtp.js';
import { notificationRoutes } from './routes.js';
import { sendDigests } from './digest.js';

/** Where people open Vigil: configured, or this server's own address. */
export const publicUrlOf = (config: { publicUrl?: string | undefined; host?: string; port?: number }) =>
  (config.publicUrl ?? `http://${config.host ?? 'localhost'}:${config.port ?? 8080}`).replace(/\/+$/, '');

function notificationServices({ db, clock, audit, config }: Kernel) {
  const from = config.mailFrom ?? 'Vigil <vigil@localhost>';
  const replyBase = parseReplyBase(config.mailReplyAddress);
  return {
    outbox: createOutbox({
      clock,
      messageIdDomain: addressOf(from).split('@')[1] ?? 'localhost',
      preferencesUrl: `${publicUrlOf(config)}/settings/notifications`,
    }),
    inbound: createInbound({ db, clock, audit, key: replyKeyOf(audit.keys.macKey), base: replyBase, maxBytes: config.inboundMailLimit ?? 2 * 1024 * 1024 }),
    notifications: createNotificationService({ db, clock, audit, mailConfigured: !!config.smtpUrl }),
  };
}
export type NotificationServices = ReturnType<typeof notificationServices>;

const DIGEST_JOB = 'notifications.digest';
/** The daily digest leaves at the start of the federation's working day. */
const DIGEST_HOUR_UTC = 7;

export const notificationsModule: VigilModule<NotificationServices, object, Services> = {
  name: 'notifications',
  after: ['registry'],
  services: notificationServices,
  routes: (s) => notificationRoutes(s.notifications),
  jobs: [
    defineJob({
      type: DIGEST_JOB,
      payload: Type.Object({}),
      run: async (_p, ctx, s) => {
        const n = await sendDigests(s.dbHandle.db, s.clock, s.outbox);
        await ctx.progress(1, `${n} digests queued`);
      },
    }),
  ],
  metrics: (s) => [
    {
      name: 'vigil_outbox_messages',
      help: 'Notification messages by channel and status (dead: given up, waiting in the dead-letter list)',
      labelNames: ['channel', 'status'],
      read: async () => (await outboxCounts(s.dbHandle.db)).map((r) => ({ labels: { channel: r.channel, status: r.status }, value: r.n })),
    },
  ],
  schedule: async (s) => {
    const next = new Date(s.clock.now());
    next.setUTCHours(DIGEST_HOUR_UTC, 0, 0, 0);
    if (next <= s.clock.now()) next.setUTCDate(next.getUTCDate() + 1);
    await s.jobs.enqueue(s.dbHandle.db, DIGEST_JOB, {}, { uniqueKey: DIGEST_JOB, runAt: next });
  },
  daemons: async (s, config, log) => {
    const daemons: Daemon[] = [];
    if (config.outboxPollMs > 0) {
      const signer: SigningIdentity | undefined =
        config.smimeCertFile && config.smimeKeyFile
          ? { certFile: config.smimeCertFile, keyFile: config.smimeKeyFile, ...(config.smimeChainFile ? { chainFile: config.smimeChainFile } : {}) }
          : undefined;
      if (signer) await checkSigningIdentity(signer);
      const sender = createSender({
        db: s.dbHandle.db,
        dialect: s.dbHandle.dialect,
        clock: s.clock,
        workerId: `${hostname()}:${process.pid}:${newId().slice(-8)}`,
        leaseMs: config.outboxLeaseSeconds * 1000,
        concurrency: config.outboxConcurrency,
        mail: config.smtpUrl
          ? {
              transport: smtpTransport(config.smtpUrl, { requireTls: config.smtpRequireTls, maxConnections: config.outboxConcurrency }),
              from: config.mailFrom,
              envelopeFrom: addressOf(config.mailFrom),
              compose: (m) =>
                composeMail(
                  {
                    from: config.mailFrom,
                    to: m.recipient,
                    subject: m.subject,
                    messageId: m.header_id,
                    date: new Date(m.created_at),
                    ...(m.reply_to ? { replyTo: m.reply_to } : {}),
                    headers: { 'X-Vigil-TLP': m.tlp, 'X-Vigil-Event': m.event_type },
                    text: m.body,
                  },
                  signer,
                ),
            }
          : undefined,
        log,
      });
      const loop = sender.start(config.outboxPollMs);
      daemons.push({ name: 'outbox sender', stop: loop.stop });
    }
    const replyBase = parseReplyBase(config.mailReplyAddress);
    if (config.inboundSmtpPort > 0 && replyBase) {
      const listener = await startSmtpListener(s.inbound, {
        host: config.inboundSmtpHost,
        port: config.inboundSmtpPort,
        domain: replyBase.domain,
        maxBytes: config.inboundMailLimit,
        log,
      });
      daemons.push({ name: 'reply listener', stop: listener.stop });
    }
    return daemons;
  },
};
