// One received message, parsed into what task intake needs: who sent it, which addresses it went
// to (one of them may be a reply address), its threading headers, its new text and attachments.
// Parsing only: the raw bytes come from the SMTP listener or IMAP, nothing here reads or sends.
import { simpleParser, type AddressObject, type EmailAddress, type ParsedMail } from 'mailparser';
import { InvalidError, TooLargeError } from '../../core/errors.js';
import { isAutoReply, replyText } from './reply-text.js';

export interface InboundLimits {
  /** Largest raw message accepted, in bytes. */
  maxBytes: number;
  /** Most attachments (inline images included) accepted. */
  maxAttachments: number;
}

export const INBOUND_LIMITS: InboundLimits = { maxBytes: 10 * 1024 * 1024, maxAttachments: 10 };

// A reply has a handful of MIME parts; mailparser's default allows 1000.
const MAX_MIME_PARTS = 200;

export interface InboundAttachment {
  filename: string | null;
  contentType: string;
  size: number;
  content: Buffer;
}

export interface InboundMessage {
  /** `Message-ID`, angle brackets included, or null when the message has none. */
  messageId: string | null;
  inReplyTo: string | null;
  references: string[];
  /** The `From` address as written (compare case-insensitively). */
  from: string;
  fromName: string | null;
  /** Every address in To, Cc and Delivered-To, each once (case-insensitively). */
  to: string[];
  subject: string;
  /** The plain text body; converted from HTML when the message has no plain text part. */
  text: string;
  /** `text` without quoted text and signature, see `replyText`. */
  newText: string;
  /** Sent by a machine (vacation notice, bounce), see `isAutoReply`: must not acknowledge a task. */
  autoReply: boolean;
  attachments: InboundAttachment[];
}

/**
 * Parses a raw RFC 5322 message. Throws `TooLargeError` for a message over `maxBytes`, with more
 * than `maxAttachments` attachments or MIME parts and headers over mailparser's bounds;
 * `InvalidError` for an empty message, one without a `From` address or one that cannot be parsed.
 *
 * @example
 * const message = await parseInbound(raw);
 * message.from; // 'bob@site.example.net'
 * message.to; // ['vigil+t.0193a5f27c1e7b3a9f001c2d3e4f5a6b.nfnhrfzlnkl4zq5t@tasks.example.org']
 * message.newText; // 'Done, ce01 is patched and rebooted.'
 */
export async function parseInbound(raw: Buffer, limits: Partial<InboundLimits> = {}): Promise<InboundMessage> {
  const { maxBytes, maxAttachments } = { ...INBOUND_LIMITS, ...limits };
  if (raw.length > maxBytes) throw new TooLargeError(`message is ${raw.length} bytes, over the ${maxBytes} allowed`, { size: raw.length, maxBytes });
  if (raw.length === 0) throw new InvalidError('message is empty');

  const mail = await parse(raw);
  if (mail.attachments.length > maxAttachments) {
    throw new TooLargeError(`message has ${mail.attachments.length} attachments, over the ${maxAttachments} allowed`, {
      attachments: mail.attachments.length,
      maxAttachments,
    });
  }
  const sender = mailboxes(mail.from).find((mailbox) => mailbox.address);
  if (!sender?.address) throw new InvalidError('message has no From address');

  const text = mail.text?.trim() ? mail.text : typeof mail.html === 'string' ? await textOfHtml(mail.html) : '';
  return {
    messageId: mail.messageId ?? null,
    inReplyTo: mail.inReplyTo ?? null,
    references: typeof mail.references === 'string' ? [mail.references] : (mail.references ?? []),
    from: sender.address,
    fromName: sender.name || null,
    to: recipients([mail.to, mail.cc, mail.headers.get('delivered-to')]),
    subject: mail.subject ?? '',
    text,
    newText: replyText(text),
    autoReply: isAutoReply(mail.headers),
    attachments: mail.attachments.map((attachment) => ({
      filename: attachment.filename ?? null,
      contentType: attachment.contentType,
      size: attachment.size,
      content: attachment.content,
    })),
  };
}

async function parse(raw: Buffer): Promise<ParsedMail> {
  try {
    return await simpleParser(raw, {
      keepCidLinks: true, // the HTML is not kept, so inlining images into it is wasted work
      skipImageLinks: true,
      skipTextToHtml: true,
      checksumAlgo: false,
      maxChildNodes: MAX_MIME_PARTS,
    });
  } catch (err) {
    // mailsplit marks its size limits (header block, MIME part count) with EMAXLEN.
    if (err instanceof Error && 'code' in err && err.code === 'EMAXLEN') throw new TooLargeError(`message refused: ${err.message}`);
    throw new InvalidError(`message cannot be parsed: ${err instanceof Error ? err.message : String(err)}`);
  }
}

// mailparser turns HTML into text only when the HTML is the whole message or sits beside a
// plain text part; an HTML-only reply with an inline logo (multipart/related) gets none. Parsing
// the HTML as a message of its own runs the same conversion, with the same nesting limits.
async function textOfHtml(html: string): Promise<string> {
  const body = Buffer.from(html, 'utf8').toString('base64').replace(/.{76}/g, '$&\r\n');
  const alone = await parse(Buffer.from(`Content-Type: text/html; charset=utf-8\r\nContent-Transfer-Encoding: base64\r\n\r\n${body}\r\n`));
  return alone.text ?? '';
}

function recipients(headers: unknown[]): string[] {
  const seen = new Set<string>();
  const addresses: string[] = [];
  for (const mailbox of headers.flatMap(mailboxes)) {
    const address = mailbox.address;
    if (!address || seen.has(address.toLowerCase())) continue;
    seen.add(address.toLowerCase());
    addresses.push(address);
  }
  return addresses;
}

/** The mailboxes of a parsed address header (one or repeated), groups flattened. */
function mailboxes(header: unknown): EmailAddress[] {
  if (Array.isArray(header)) return header.flatMap(mailboxes);
  if (!isAddressObject(header)) return [];
  const flatten = (entry: EmailAddress): EmailAddress[] => (entry.group ? entry.group.flatMap(flatten) : [entry]);
  return header.value.flatMap(flatten);
}

function isAddressObject(value: unknown): value is AddressObject {
  return typeof value === 'object' && value !== null && 'value' in value && Array.isArray(value.value);
}
