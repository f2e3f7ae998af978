// A mail server in the test process that keeps what it is given: the outbox's SMTP peer. No TLS
// and no AUTH unless asked (the sender runs with requireTls off); a recipient can be refused with
// any reply code, and each message can be accepted after a delay, as a loaded server would.
import { SMTPServer } from 'smtp-server';

export interface ReceivedMail {
  /** The Message-ID header as written, `<id@domain>`; '' when the message had none. */
  messageId: string;
  /** The envelope's recipients. */
  to: string[];
  raw: Buffer;
}

export interface SmtpSink {
  url: string;
  port: number;
  received: ReceivedMail[];
  /** How many times each Message-ID arrived. */
  counts(): Map<string, number>;
  close(): Promise<void>;
}

export interface SmtpSinkOptions {
  /** The reply code refusing a recipient (e.g. 550, 451), or undefined to take it. Asked at each RCPT TO. */
  refuse?: (address: string) => number | undefined;
  /** Milliseconds before a message's end of data is answered 250. */
  acceptDelayMs?: () => number;
  /** Require this login; a wrong one is answered 535. */
  login?: { user: string; pass: string };
}

/** The first Message-ID field of the header block, unfolded. */
export function messageIdOf(raw: Buffer): string {
  const text = raw.toString('latin1');
  const end = text.indexOf('\r\n\r\n');
  const header = (end < 0 ? text : text.slice(0, end)).replace(/\r\n[ \t]+/g, ' ');
  return /^message-id:\s*(\S+)/im.exec(header)?.[1] ?? '';
}

export async function startSmtpSink(options: SmtpSinkOptions = {}): Promise<SmtpSink> {
  const received: ReceivedMail[] = [];
  const server = new SMTPServer({
    name: 'sink.test',
    disabledCommands: options.login ? ['STARTTLS'] : ['STARTTLS', 'AUTH'],
    authOptional: !options.login,
    allowInsecureAuth: true,
    logger: false,
    maxClients: 200,
    closeTimeout: 1000,
    onAuth(auth, _session, callback) {
      if (auth.username === options.login?.user && auth.password === options.login?.pass) return callback(null, { user: auth.username });
      callback(new Error('authentication failed'));
    },
    onRcptTo(address, _session, callback) {
      const code = options.refuse?.(address.address);
      if (code === undefined) return callback();
      callback(Object.assign(new Error(`${code === 550 ? '5.1.1 no such mailbox' : '4.2.0 try again later'}`), { responseCode: code }));
    },
    onData(stream, session, callback) {
      const chunks: Buffer[] = [];
      stream.on('data', (chunk: Buffer) => chunks.push(chunk));
      stream.on('end', () => {
        // Counted once the whole message is here: a real server keeps it from this point on,
        // whether or not its 250 reaches the client.
        const raw = Buffer.concat(chunks);
        received.push({ messageId: messageIdOf(raw), to: session.envelope.rcptTo.map((r) => r.address), raw });
        const delay = options.acceptDelayMs?.() ?? 0;
        if (delay > 0) setTimeout(() => callback(), delay);
        else callback();
      });
    },
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  // A client killed mid-message resets its socket: that is expected here, not a test failure.
  server.on('error', () => {});
  const port = (server.server.address() as { port: number }).port;
  return {
    url: `smtp://127.0.0.1:${port}`,
    port,
    received,
    counts() {
      const out = new Map<string, number>();
      for (const m of received) out.set(m.messageId, (out.get(m.messageId) ?? 0) + 1);
      return out;
    },
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
