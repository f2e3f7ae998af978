// Vigil's own SMTP listener for replies: accepts mail only for the reply domain, up to the size
// limit, from a bounded number of clients at once, and hands each message to `receive`. It is
// a final destination, not a relay: no AUTH, no other recipients.
import { SMTPServer } from 'smtp-server';
import type { Inbound } from './inbound.js';

export interface SmtpListenerOptions {
  host: string;
  port: number;
  domain: string;
  maxBytes: number;
  log: (level: 'warn' | 'error', msg: string, extra?: Record<string, unknown>) => void;
}

const MAX_CLIENTS = 50;
const MAX_RECIPIENTS = 20;

export async function startSmtpListener(inbound: Inbound, options: SmtpListenerOptions): Promise<{ port: number; stop(): Promise<void> }> {
  const server = new SMTPServer({
    name: options.domain,
    banner: 'Vigil reply intake',
    authOptional: true,
    disabledCommands: ['AUTH', 'STARTTLS'],
    size: options.maxBytes,
    maxClients: MAX_CLIENTS,
    socketTimeout: 60_000,
    closeTimeout: 5_000,
    logger: false,
    onRcptTo(address, session, callback) {
      const domain = address.address.split('@').pop()?.toLowerCase();
      if (domain !== options.domain.toLowerCase()) return callback(Object.assign(new Error('550 5.1.1 not a Vigil reply address'), { responseCode: 550 }));
      if (session.envelope.rcptTo.length >= MAX_RECIPIENTS) return callback(Object.assign(new Error('452 4.5.3 too many recipients'), { responseCode: 452 }));
      callback();
    },
    onData(stream, session, callback) {
      const chunks: Buffer[] = [];
      let size = 0;
      stream.on('data', (chunk: Buffer) => {
        size += chunk.length;
        if (size <= options.maxBytes) chunks.push(chunk);
      });
      stream.on('end', () => {
        if ((stream as unknown as { sizeExceeded?: boolean }).sizeExceeded || size > options.maxBytes) {
          return callback(Object.assign(new Error('552 5.3.4 message too big'), { responseCode: 552 }));
        }
        // The envelope's recipients count as well as the headers' (Bcc, forwarding).
        inbound
          .receive(
            Buffer.concat(chunks),
            session.envelope.rcptTo.map((r) => r.address),
          )
          .then(() => callback())
          .catch((err: unknown) => {
            options.log('warn', 'inbound message refused', { error: err instanceof Error ? err.message : String(err) });
            callback(Object.assign(new Error(`554 5.6.0 ${err instanceof Error ? err.message.slice(0, 200) : 'refused'}`), { responseCode: 554 }));
          });
      });
    },
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, options.host, () => resolve());
  });
  server.on('error', (err) => options.log('error', 'SMTP listener error', { error: err.message }));
  const address = server.server.address();
  return {
    port: typeof address === 'object' && address ? address.port : options.port,
    stop: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
