// Outgoing mail through nodemailer's pooled SMTP transport. With smtpRequireTls a server that
// does not offer STARTTLS is refused rather than written to in clear text.
import nodemailer from 'nodemailer';
import type { MailTransport } from './sender.js';

export function smtpTransport(url: string, options: { requireTls: boolean; maxConnections: number }): MailTransport {
  const secure = url.startsWith('smtps://');
  const transporter = nodemailer.createTransport({
    url,
    pool: true,
    maxConnections: options.maxConnections,
    secure,
    requireTLS: options.requireTls && !secure,
    ignoreTLS: false,
    connectionTimeout: 30_000,
    greetingTimeout: 30_000,
    socketTimeout: 60_000,
  } as never);
  return {
    async send(envelope, raw) {
      await transporter.sendMail({ envelope, raw });
    },
    close: () => transporter.close(),
  };
}

/** The bare address of a From such as `Vigil <vigil@example.org>`. */
export function addressOf(from: string): string {
  const m = /<([^<>\s]+@[^<>\s]+)>\s*$/.exec(from);
  return (m ? m[1]! : from).trim();
}
