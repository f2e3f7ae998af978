// Vigil's own SMTP listener for replies: accepts mail only for the reply domain, up to the size
// limit, from a bounded number of clients at once, and hands each message to `receive`. It is
// a final destination, not a relay: no AUTH, no other recipients.
import { SMTPServer } from 'smtp-server';
import type { Inbound } from './inbound.js';
import { StorageFullError } from '../../core/errors.js';

export interface SmtpListenerOptions {
  host: string;
  port: number;
  domain: string;
  maxBytes: number;
  log: (level: 'warn' | 'error', msg: string, extra?: Record<string, unknown>) => void;
}

const MAX_CLIENTS = 50;
const MAX_RECIPIENTS = 20;
/** Messages one client address may send per hour (an IPv6 address counts by its /64). */
const PER_ADDRESS_HOURLY = 120;

export async function startSmtpListener(inbound: Inbound, options: SmtpListenerOptions): Promise<{ port: number; stop(): Promise<void> }> {
  const recent = new Map<string, number[]>();
  const senderKey = (address: string) => (address.includes(':') ? address.split(':').slice(0, 4).join(':') : address);
  /** Counts a message from this address; false once it has sent its hour's share. */
  const allow = (address: string) => {
    const key = senderKey(address);
    const now = Date.now();
    const times = (recent.get(key) ?? []).filter((t) => t > now - 3_600_000);
    if (times.length >= PER_ADDRESS_HOURLY) return false;
    times.push(now);
    recent.set(key, times);
    if (recent.size > 10_000) recent.clear(); // a flood of addresses: start counting afresh rather than grow
    return true;
  };
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
    onMailFrom(_address, session, callback) {
      if (!allow(session.remoteAddress))
        return callback(Object.assign(new Error('4.7.0 too many messages from your address; try later'), { responseCode: 421 }));
      callback();
    },
    onRcptTo(address, session, callback) {
      const domain = address.address.split('@').pop()?.toLowerCase();
      if (domain !== options.domain.toLowerCase()) return callback(Object.assign(new Error('5.1.1 not a Vigil reply address'), { responseCode: 550 }));
      if (session.envelope.rcptTo.length >= MAX_RECIPIENTS) return callback(Object.assign(new Error('4.5.3 too many recipients'), { responseCode: 452 }));
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
          return callback(Object.assign(new Error('5.3.4 message too big'), { responseCode: 552 }));
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
            // Full for now: the sender's server keeps it and retries; anything else is refused for good.
            const code = err instanceof StorageFullError ? 452 : 554;
            callback(
              Object.assign(new Error(`${code === 452 ? '4.3.1' : '5.6.0'} ${err instanceof Error ? err.message.slice(0, 200) : 'refused'}`), {
                responseCode: code,
              }),
            );
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
