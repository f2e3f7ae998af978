// Signing and verifying webhooks as the Standard Webhooks specification (v1.0.0) describes:
// https://github.com/standard-webhooks/standard-webhooks/blob/main/spec/standard-webhooks.md
// HMAC-SHA256 over `{msg_id}.{timestamp}.{payload}`, sent as `webhook-id`, `webhook-timestamp` and
// `webhook-signature: v1,<base64>` (a space-separated list, so a secret can rotate without downtime).
// Only the symmetric `v1` scheme is produced or checked; `v1a` (ed25519) signatures are ignored.
import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import { InvalidError } from '../../core/errors.js';

const SECRET_PREFIX = 'whsec_';
// The spec's signing secret: "Random. At least 24 bytes (192 bits, 512 maximum)".
const MIN_SECRET_BYTES = 24;
const MAX_SECRET_BYTES = 64;
const NEW_SECRET_BYTES = 32;
const BASE64 = /^[A-Za-z0-9+/]*={0,2}$/;

const MAX_ID_LENGTH = 256;
// Visible ASCII without the full stop. The spec leaves ids free-form but says they must "not be
// allowed to include any `.`": with a dot the signed content `{id}.{timestamp}.{payload}` splits in
// more than one way, and a payload that starts with digits and a dot lets an old id and timestamp
// pass for a new timestamp. The id also travels as a header value, where spaces at either end are
// trimmed and characters outside ASCII are not carried reliably, so those are refused as well.
const ID = /^[\x21-\x2d\x2f-\x7e]+$/;
// Integer seconds since the epoch, written canonically so the signed text is the header's text.
const TIMESTAMP = /^(0|[1-9][0-9]{0,11})$/;
const MAX_SIGNATURE_HEADER_LENGTH = 2048;
// Rotation needs two; room for a few more and for asymmetric signatures beside them.
const MAX_SIGNATURES = 16;
const SIGNATURE_BYTES = 32;

export type WebhookHeaders = Record<'webhook-id' | 'webhook-timestamp' | 'webhook-signature', string>;

/**
 * A fresh signing secret: `whsec_` and the base64 of 32 random bytes.
 *
 * @example
 * newWebhookSecret(); // 'whsec_3q2+7wqXb9…' (50 characters)
 */
export function newWebhookSecret(): string {
  return SECRET_PREFIX + randomBytes(NEW_SECRET_BYTES).toString('base64');
}

/**
 * The key bytes of a `whsec_` secret. Throws `InvalidError` (never quoting the secret) unless the
 * rest is canonical base64 of 24 to 64 bytes.
 *
 * @example
 * parseWebhookSecret('whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw').length; // 24
 * parseWebhookSecret('MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw'); // throws InvalidError: webhook secret must start with whsec_
 */
export function parseWebhookSecret(s: string): Buffer {
  if (!s.startsWith(SECRET_PREFIX)) throw new InvalidError(`webhook secret must start with ${SECRET_PREFIX}`);
  const encoded = s.slice(SECRET_PREFIX.length);
  // Checked before decoding: Buffer.from skips characters that are not base64 without a word.
  if (encoded.length > Math.ceil(MAX_SECRET_BYTES / 3) * 4 || encoded.length % 4 !== 0 || !BASE64.test(encoded)) {
    throw new InvalidError(`webhook secret must be ${SECRET_PREFIX} and base64 of ${MIN_SECRET_BYTES} to ${MAX_SECRET_BYTES} bytes`);
  }
  const key = Buffer.from(encoded, 'base64');
  if (key.toString('base64') !== encoded || key.length < MIN_SECRET_BYTES || key.length > MAX_SECRET_BYTES) {
    throw new InvalidError(`webhook secret must be ${SECRET_PREFIX} and base64 of ${MIN_SECRET_BYTES} to ${MAX_SECRET_BYTES} bytes`);
  }
  return key;
}

/**
 * The `webhook-signature` value for one message: `v1,` and the base64 HMAC-SHA256 of
 * `{msgId}.{unix seconds}.{body as UTF-8}` under the secret.
 *
 * @example
 * signWebhook('whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw', 'msg_p5jXN8AQM9LWM0D4loKWxJek', new Date(1614265330_000), '{"test": 2432232314}');
 * // 'v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE='
 */
export function signWebhook(secret: string, msgId: string, timestamp: Date, body: string): string {
  checkId(msgId);
  return `v1,${hmac(parseWebhookSecret(secret), msgId, unixSeconds(timestamp), body).toString('base64')}`;
}

/**
 * The three headers a sender adds to the POST carrying `body`.
 *
 * @example
 * webhookHeaders(secret, 'msg_2KWPBgLlAfxdpx2AI54pPJ85f4W', new Date('2023-01-19T00:13:51Z'), body);
 * // { 'webhook-id': 'msg_2KWPBgLlAfxdpx2AI54pPJ85f4W', 'webhook-timestamp': '1674087231', 'webhook-signature': 'v1,…' }
 */
export function webhookHeaders(secret: string, msgId: string, timestamp: Date, body: string): WebhookHeaders {
  return {
    'webhook-id': msgId,
    'webhook-timestamp': unixSeconds(timestamp),
    'webhook-signature': signWebhook(secret, msgId, timestamp, body),
  };
}

/**
 * The receiver's check: the three headers are present (names in any case), the timestamp is
 * within `toleranceSeconds` of `now` either way, and one `v1` signature in the list matches,
 * compared in constant time. `body` must be the bytes as received, not re-serialised JSON.
 * Returns the id (for de-duplication) and the timestamp; throws `InvalidError` otherwise.
 *
 * @example
 * verifyWebhook(secret, req.headers, rawBody, clock.now()); // { id: 'msg_2KWPBgLlAfxdpx2AI54pPJ85f4W', timestamp: 2023-01-19T00:13:51.000Z }
 * verifyWebhook(secret, req.headers, '{"forged":true}', clock.now()); // throws InvalidError: signature does not match
 */
export function verifyWebhook(
  secret: string,
  headers: Record<string, string | string[] | undefined>,
  body: string | Buffer,
  now: Date,
  toleranceSeconds = 300,
): { id: string; timestamp: Date } {
  const key = parseWebhookSecret(secret);
  if (!Number.isInteger(toleranceSeconds) || toleranceSeconds < 0) throw new InvalidError('webhook tolerance must be a whole number of seconds, 0 or more');
  const id = header(headers, 'webhook-id', MAX_ID_LENGTH);
  const timestamp = header(headers, 'webhook-timestamp', 12);
  const signatures = header(headers, 'webhook-signature', MAX_SIGNATURE_HEADER_LENGTH);

  checkId(id);
  if (!TIMESTAMP.test(timestamp)) throw new InvalidError('webhook-timestamp header must be whole seconds since 1970');
  const skew = Number(unixSeconds(now)) - Number(timestamp);
  if (Math.abs(skew) > toleranceSeconds) {
    throw new InvalidError(`timestamp outside tolerance: ${Math.abs(skew)} s ${skew > 0 ? 'old' : 'ahead'}, at most ${toleranceSeconds} s allowed`, {
      skewSeconds: skew,
    });
  }

  const candidates = v1Signatures(signatures);
  if (candidates.length === 0) throw new InvalidError('webhook-signature header holds no v1 signature');
  const expected = hmac(key, id, timestamp, body);
  let matched = false;
  for (const candidate of candidates) matched = timingSafeEqual(candidate, expected) || matched;
  if (!matched) throw new InvalidError('signature does not match');
  return { id, timestamp: new Date(Number(timestamp) * 1000) };
}

function hmac(key: Buffer, id: string, timestamp: string, body: string | Buffer): Buffer {
  return createHmac('sha256', key).update(`${id}.${timestamp}.`, 'utf8').update(body).digest();
}

function checkId(id: string): void {
  if (id.length > MAX_ID_LENGTH) throw new InvalidError(`webhook id is longer than ${MAX_ID_LENGTH} characters`);
  if (!ID.test(id)) throw new InvalidError('webhook id must be visible ASCII characters other than "."');
}

function unixSeconds(date: Date): string {
  const seconds = Math.floor(date.getTime() / 1000);
  const text = String(seconds);
  if (!TIMESTAMP.test(text)) throw new InvalidError('webhook timestamp must be a valid date from 1970 on');
  return text;
}

// Header names are matched in any case (Node lowercases them, other sources may not). A header
// given twice is refused rather than guessed at: Node would join the two values with ", ".
function header(headers: Record<string, string | string[] | undefined>, name: string, maxLength: number): string {
  let found: string | undefined;
  for (const [key, value] of Object.entries(headers)) {
    if (key.toLowerCase() !== name || value === undefined) continue;
    for (const one of Array.isArray(value) ? value : [value]) {
      if (found !== undefined) throw new InvalidError(`more than one ${name} header`);
      found = one;
    }
  }
  if (found === undefined || found === '') throw new InvalidError(`missing ${name} header`);
  if (found.length > maxLength) throw new InvalidError(`${name} header is longer than ${maxLength} characters`);
  return found;
}

// The decoded `v1` signatures of the space-separated list; other versions (`v1a`, later ones) and
// entries that are not base64 of a SHA-256 HMAC are skipped, as a receiver that does not know
// them must.
function v1Signatures(list: string): Buffer[] {
  const entries = list.split(' ').filter((entry) => entry !== '');
  if (entries.length > MAX_SIGNATURES) throw new InvalidError(`webhook-signature header lists more than ${MAX_SIGNATURES} signatures`);
  const found: Buffer[] = [];
  for (const entry of entries) {
    const comma = entry.indexOf(',');
    if (comma < 0 || entry.slice(0, comma) !== 'v1') continue;
    const encoded = entry.slice(comma + 1);
    const bytes = Buffer.from(encoded, 'base64');
    if (bytes.length === SIGNATURE_BYTES && bytes.toString('base64') === encoded) found.push(bytes);
  }
  return found;
}
