// Vigil's own SMTP listener for replies: accepts mail only for the reply domain, up to the size
// limit, from a bounded number of clients at once, and hands each message to `receive`. It is
// a final destination, not a relay: no AUTH, no other recipients.
import { SMTPServer } from 'smtp-server';
import type { Inbound } from './inbound.js';
import { DomainError, InvalidError, StorageFullError, TooLargeError } from '../../core/errors.js';

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
/** Connections one client address may hold at once, and senders remembered for the hourly count. */
const PER_ADDRESS_CONNECTIONS = 5;
const MAX_TRACKED = 50_000;

/** The rate-limited unit of a client address: an IPv4 address, or an IPv6 address's /64. */
export function senderKey(address: string): string {
  const v4 = /^(?:::ffff:)?(\d+\.\d+\.\d+\.\d+)$/i.exec(address);
  if (v4) return v4[1]!;
  if (!address.includes(':')) return address;
  // Expand '::' so that every address of one /64 gives the same first four groups.
  const [head, tail] = address.toLowerCase().split('::') as [string, string | undefined];
  const left = head ? head.split(':') : [];
  const right = tail ? tail.split(':') : [];
  const groups = tail === undefined ? left : [...left, ...new Array<string>(Math.max(0, 8 - left.length - right.length)).fill('0'), ...right];
  return groups
    .slice(0, 4)
    .map((g) => g.replace(/^0+(?=.)/, ''))
    .join(':');
}

export async function startSmtpListener(inbound: Inbound, options: SmtpListenerOptions): Promise<{ port: number; stop(): Promise<void> }> {
  const recent = new Map<string, number[]>();
  const connections = new Map<string, number>();
  const counted = new Set<string>();
  /** Counts a message from this address; false once it has sent its hour's share. */
  const allow = (address: string) => {
    const key = senderKey(address);
    const now = Date.now();
    const times = (recent.get(key) ?? []).filter((t) => t > now - 3_600_000);
    if (times.length >= PER_ADDRESS_HOURLY) return false;
    times.push(now);
    recent.delete(key);
    recent.set(key, times);
    // Past the bound, the senders heard from longest ago are forgotten first (never everyone at once).
    for (const oldest of recent.keys()) {
      if (recent.size <= MAX_TRACKED) break;
      recent.delete(oldest);
    }
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
    onConnect(session, callback) {
      const key = senderKey(session.remoteAddress);
      const open = connections.get(key) ?? 0;
      if (open >= PER_ADDRESS_CONNECTIONS) return callback(Object.assign(new Error('4.7.0 too many connections from your address'), { responseCode: 421 }));
      connections.set(key, open + 1);
      counted.add(session.id);
      callback();
    },
    onClose(session) {
      // Every connection counted in onConnect is let go here (a refused one was never counted).
      if (!counted.delete(session.id)) return;
      const key = senderKey(session.remoteAddress);
      const open = (connections.get(key) ?? 1) - 1;
      if (open <= 0) connections.delete(key);
      else connections.set(key, open);
    },
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
            // A message that cannot be read is refused for good; anything else (full for now, a
            // database hiccup) is refused for now: the sender's server keeps it and retries.
            const permanent = err instanceof InvalidError || err instanceof TooLargeError;
            const code = permanent ? 554 : err instanceof StorageFullError ? 452 : 451;
            const text = err instanceof DomainError ? err.message.slice(0, 200) : 'try again later';
            callback(Object.assign(new Error(`${permanent ? '5.6.0' : '4.3.0'} ${text}`), { responseCode: code }));
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
