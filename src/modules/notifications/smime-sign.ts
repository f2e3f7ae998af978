// Composing notification e-mails, optionally S/MIME-signed with the federation's certificate.
// The signature is detached (RFC 8551 multipart/signed), so a reader without S/MIME still sees the
// text. The signed part is built here in canonical form — CRLF line ends, 7-bit
// quoted-printable — and signed byte for byte with `openssl smime -sign -binary`; the exact same
// bytes are then placed between the boundaries, so what `openssl smime -verify` re-reads from the
// message is what was hashed, and no MTA has an 8-bit or trailing-space line to rewrite.
import { spawn } from 'node:child_process';
import { randomBytes, X509Certificate } from 'node:crypto';
import { access, constants, readFile } from 'node:fs/promises';
import addressparser from 'nodemailer/lib/addressparser';
import { foldLines } from 'nodemailer/lib/mime-funcs';
import MimeNode from 'nodemailer/lib/mime-node';
import { encode as qpEncode, wrap as qpWrap } from 'nodemailer/lib/qp';
import { InvalidError, TooLargeError } from '../../core/errors.js';

export interface SigningIdentity {
  certFile: string;
  keyFile: string;
  /** Intermediate certificates to send along with the signature (PEM). */
  chainFile?: string;
}

export interface OutgoingMail {
  from: string;
  to: string;
  subject: string;
  /** '<id@domain>'; receivers drop a second message with the same id as a duplicate. */
  messageId: string;
  date: Date;
  replyTo?: string;
  /** Extra header fields, e.g. X-Vigil-TLP. */
  headers?: Record<string, string>;
  text: string;
}

const OPENSSL_TIMEOUT_MS = 30_000;
const MAX_TEXT_CHARS = 1_000_000;
const MAX_HEADER_CHARS = 998; // RFC 5322 line limit, before encoding and folding
const MAX_EXTRA_HEADERS = 32;
const MAX_CERT_FILE_BYTES = 1_000_000;
const EMAIL_PROTECTION = '1.3.6.1.5.5.7.3.4';
const ANY_EXTENDED_KEY_USAGE = '2.5.29.37.0';

// Fields composeMail writes itself (and the MIME structure): an extra header may not replace them.
const RESERVED_HEADERS = new Set(['from', 'sender', 'to', 'cc', 'bcc', 'reply-to', 'subject', 'date', 'message-id', 'mime-version']);
const FIELD_NAME = /^[\x21-\x39\x3b-\x7e]+$/; // RFC 5322 ftext
const CONTROL = /[\x00-\x08\x0a-\x1f\x7f]/; // a CR or LF would end the field and start another
const ID_PART = '[\\x21-\\x3b\\x3d\\x3f\\x41-\\x7e]+'; // printable ASCII but < > @
const MESSAGE_ID = new RegExp(`^<${ID_PART}@${ID_PART}>$`);
// ASCII local part (no SMTPUTF8); a non-ASCII domain is sent punycoded
const MAILBOX = new RegExp(`^${ID_PART}@[^\\s@<>]+$`);

/** The complete RFC 5322 message (headers and body, CRLF line ends), signed when `signer` is given. */
export async function composeMail(mail: OutgoingMail, signer?: SigningIdentity): Promise<Buffer> {
  const header = outerHeaders(mail);
  const entity = textEntity(mail.text);
  if (!signer) return Buffer.from(`${header}${entity}`, 'latin1');

  const signature = await signDetached(Buffer.from(entity, 'latin1'), signer);
  // "=_" cannot occur in quoted-printable or base64 text, so the boundary never meets the content.
  const boundary = `----=_vigil_${randomBytes(12).toString('hex')}`;
  const contentType = `Content-Type: multipart/signed; protocol="application/pkcs7-signature"; micalg=sha-256;\r\n boundary="${boundary}"`;
  const sigPart = [
    'Content-Type: application/pkcs7-signature; name="smime.p7s"',
    'Content-Transfer-Encoding: base64',
    'Content-Disposition: attachment; filename="smime.p7s"',
    '',
    base64Lines(signature),
  ].join('\r\n');
  // The CRLF before each delimiter belongs to the delimiter (RFC 2046 §5.1.1), not to the entity.
  const body = `This is a cryptographically signed message in MIME format.\r\n\r\n--${boundary}\r\n${entity}\r\n--${boundary}\r\n${sigPart}\r\n--${boundary}--\r\n`;
  return Buffer.from(`${header}${contentType}\r\n\r\n${body}`, 'latin1');
}

/**
 * Checks at start-up that the identity can sign: the files are readable, openssl loads them and the
 * key matches the certificate, and the certificate is valid at `now` and allowed for e-mail.
 */
export async function checkSigningIdentity(id: SigningIdentity, now: Date = new Date()): Promise<void> {
  for (const [what, file] of [
    ['certificate', id.certFile],
    ['key', id.keyFile],
    ['chain', id.chainFile],
  ] as const) {
    if (file === undefined) continue;
    try {
      await access(file, constants.R_OK);
    } catch (e) {
      throw new InvalidError(`the S/MIME signing ${what} ${file} cannot be read (${(e as NodeJS.ErrnoException).code ?? 'error'})`);
    }
  }
  const pem = await readFile(id.certFile);
  if (pem.length > MAX_CERT_FILE_BYTES) throw new InvalidError(`the S/MIME signing certificate ${id.certFile} is over ${MAX_CERT_FILE_BYTES} bytes`);
  let cert: X509Certificate;
  try {
    cert = new X509Certificate(pem);
  } catch {
    throw new InvalidError(`the S/MIME signing certificate ${id.certFile} is not a certificate`);
  }
  const notAfter = new Date(cert.validTo);
  const notBefore = new Date(cert.validFrom);
  if (now.getTime() > notAfter.getTime()) throw new InvalidError(`the S/MIME signing certificate ${id.certFile} expired on ${notAfter.toISOString()}`);
  if (now.getTime() < notBefore.getTime())
    throw new InvalidError(`the S/MIME signing certificate ${id.certFile} is not valid before ${notBefore.toISOString()}`);
  // Node names the extended key usage `keyUsage`; receivers refuse a signer restricted to other uses.
  const eku: string[] | undefined = cert.keyUsage;
  if (eku && !eku.includes(EMAIL_PROTECTION) && !eku.includes(ANY_EXTENDED_KEY_USAGE)) {
    throw new InvalidError(`the S/MIME signing certificate ${id.certFile} is not for e-mail protection (extended key usage ${eku.join(', ')})`);
  }
  // A trial signature with the very command composeMail runs: loads cert, key and chain, checks they match.
  try {
    await signDetached(Buffer.from('Content-Type: text/plain\r\n\r\ncheck\r\n'), id);
  } catch (e) {
    const reason = (e as Error).message;
    if (/does not match|key values mismatch/i.test(reason))
      throw new InvalidError(`the S/MIME signing key ${id.keyFile} does not match the certificate ${id.certFile}`);
    throw new InvalidError(reason);
  }
}

function outerHeaders(mail: OutgoingMail): string {
  const from = addresses('from', mail.from);
  if (from.length !== 1) throw new InvalidError('from must be exactly one address');
  addresses('to', mail.to);
  if (mail.replyTo !== undefined) addresses('replyTo', mail.replyTo);
  if (!MESSAGE_ID.test(mail.messageId) || mail.messageId.length > 250) throw new InvalidError('messageId must look like <id@domain>');
  if (!(mail.date instanceof Date) || Number.isNaN(mail.date.getTime())) throw new InvalidError('date is not a valid date');
  fieldValue('subject', mail.subject);

  const fields: [string, string | Date][] = [
    ['From', mail.from],
    ['To', mail.to],
    ...(mail.replyTo !== undefined ? [['Reply-To', mail.replyTo] as [string, string]] : []),
    ['Subject', mail.subject],
    ['Date', mail.date],
    ['Message-ID', mail.messageId],
    ...extraHeaders(mail.headers ?? {}),
    ['MIME-Version', '1.0'],
  ];
  // nodemailer's encoder: RFC 2047 words for non-ASCII text and names, punycode for domains.
  const block = fields.map(([key, value]) => foldLines(`${key}: ${MimeNode.encodeHeaderValue(key, value)}`, 76) + '\r\n').join('');
  if (/[^\x00-\x7f]/.test(block)) throw new InvalidError('a header could not be encoded as ASCII');
  return block;
}

function extraHeaders(headers: Record<string, string>): [string, string][] {
  const entries = Object.entries(headers);
  if (entries.length > MAX_EXTRA_HEADERS) throw new TooLargeError(`at most ${MAX_EXTRA_HEADERS} extra headers`);
  return entries.map(([name, value]) => {
    if (!FIELD_NAME.test(name) || name.length > 76) throw new InvalidError(`extra header name ${JSON.stringify(name.slice(0, 80))} is not a valid field name`);
    const lower = name.toLowerCase();
    if (RESERVED_HEADERS.has(lower) || lower.startsWith('content-'))
      throw new InvalidError(`extra header ${name} would replace a header the message sets itself`);
    fieldValue(`header ${name}`, value);
    return [name, value];
  });
}

function fieldValue(what: string, value: string): void {
  if (typeof value !== 'string') throw new InvalidError(`${what} must be a string`);
  if (CONTROL.test(value)) throw new InvalidError(`${what} contains a line break or control character`);
  if (value.length > MAX_HEADER_CHARS) throw new TooLargeError(`${what} is over ${MAX_HEADER_CHARS} characters`);
}

function addresses(what: string, value: string): string[] {
  fieldValue(what, value);
  const list = addressparser(value, { flatten: true }).map((a) => a.address);
  if (list.length === 0 || !list.every((a) => MAILBOX.test(a))) throw new InvalidError(`${what} is not a list of e-mail addresses`);
  return list;
}

/** The text/plain entity, quoted-printable with CRLF line ends: 7-bit and canonical, ready to sign. */
function textEntity(text: string): string {
  if (typeof text !== 'string') throw new InvalidError('text must be a string');
  if (text.length > MAX_TEXT_CHARS) throw new TooLargeError(`text is over ${MAX_TEXT_CHARS} characters`);
  const body = qpWrap(qpEncode(text.replace(/\r\n?/g, '\n')), 74)
    .replace(/\r?\n/g, '\r\n')
    // mbox writers turn a line's leading "From " into ">From ", which would break the signature
    .replace(/^From /gm, '=46rom ');
  return `Content-Type: text/plain; charset=utf-8\r\nContent-Transfer-Encoding: quoted-printable\r\n\r\n${body}`;
}

function base64Lines(der: Buffer): string {
  return (der.toString('base64').match(/.{1,76}/g) ?? []).join('\r\n');
}

/** A detached PKCS#7 signature (DER) over exactly `content`. */
function signDetached(content: Buffer, id: SigningIdentity): Promise<Buffer> {
  // -passin with an empty password: a passphrase-protected key fails at once instead of prompting.
  const args = ['smime', '-sign', '-binary', '-md', 'sha256', '-outform', 'DER', '-signer', id.certFile, '-inkey', id.keyFile, '-passin', 'pass:'];
  if (id.chainFile !== undefined) args.push('-certfile', id.chainFile);
  return runOpenssl(args, content, 'sign the e-mail');
}

function runOpenssl(args: string[], input: Buffer, purpose: string): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const child = spawn('openssl', args, { stdio: ['pipe', 'pipe', 'pipe'] });
    const out: Buffer[] = [];
    let err = '';
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      child.kill('SIGKILL');
    }, OPENSSL_TIMEOUT_MS);
    child.stdout.on('data', (d: Buffer) => out.push(d));
    child.stderr.on('data', (d: Buffer) => {
      if (err.length < 10_000) err += d.toString();
    });
    child.on('error', (e) => {
      clearTimeout(timer);
      reject(new Error(`cannot run openssl to ${purpose}: ${e.message}`));
    });
    child.on('close', (code) => {
      clearTimeout(timer);
      if (code === 0) resolve(Buffer.concat(out));
      else if (timedOut) reject(new Error(`openssl did not ${purpose} within ${OPENSSL_TIMEOUT_MS / 1000} s`));
      else reject(new Error(`openssl could not ${purpose}: ${opensslReason(err) || `exit ${code}`}`));
    });
    child.stdin.on('error', () => undefined); // openssl may exit before reading everything
    child.stdin.end(input);
  });
}

/** One line from openssl's stderr: its own message, then the innermost library reason. */
function opensslReason(stderr: string): string {
  const lines = stderr
    .split('\n')
    .map((l) => l.trim())
    .filter(Boolean);
  // library lines read "<thread>:error:<code>:<library>:<function>:<reason>:<file>:<line>:"
  const reasons = lines.filter((l) => /^[0-9A-F]+:error:/.test(l)).map((l) => l.split(':')[5] ?? '');
  const message = lines.find((l) => !/^[0-9A-F]+:error:/.test(l));
  return [message, reasons.at(-1)].filter(Boolean).join(': ').slice(0, 300);
}
