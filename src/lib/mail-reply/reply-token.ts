// Reply addresses for task notifications: `vigil+t.<taskId>.<mac>@tasks.example.org`. A reply is
// attached to a task only when the address carries a MAC made with Vigil's key, so nobody can
// aim mail at a task by guessing its id. Everything is lowercase because some MTAs lowercase
// local parts; reading is case-insensitive for the same reason.
import { createHmac, timingSafeEqual } from 'node:crypto';
import { InvalidError } from '../../core/errors.js';

export interface ReplyBase {
  /** The mailbox's local part, e.g. `vigil`. */
  local: string;
  /** The domain, e.g. `tasks.example.org`. */
  domain: string;
}

/**
 * What a reply address names. `not-ours`: another mailbox or domain, or the base address without a
 * token; `malformed`: under the base but not a task token; `bad-signature`: a task token whose MAC
 * was not made with the key (forged, altered or made with a retired key).
 */
export type ReadReplyAddress = { taskId: string } | { error: 'not-ours' | 'malformed' | 'bad-signature' };

// RFC 4648 base32 alphabet, lowercase: letters and 2–7 survive case folding and need no quoting.
const BASE32 = 'abcdefghijklmnopqrstuvwxyz234567';
const MAC_BYTES = 10; // 80 bits: 16 base32 characters, no padding
const MAC_DOMAIN = 'vigil-reply-v1:';
const MIN_KEY_BYTES = 16;
const MAX_LOCAL_PART = 64; // RFC 5321 section 4.5.3.1.1

// Task ids are UUIDs from core/ids.ts (lowercase hex). The address carries the 32 hex digits
// without dashes, which leaves room for a longer base local part within 64 characters.
const CANONICAL_ID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
const TAG = /^t\.([0-9a-f]{32})\.([a-z2-7]{16})$/;
const BASE_LOCAL = /^[a-z0-9](?:[a-z0-9_-]|\.(?!\.))*(?<!\.)$/i;
const BASE_DOMAIN = /^[a-z0-9](?:[a-z0-9-]*[a-z0-9])?(?:\.[a-z0-9](?:[a-z0-9-]*[a-z0-9])?)*$/i;

/**
 * The address a notification about `taskId` asks people to reply to. Throws `InvalidError` for a
 * task id that is not a canonical id, a key shorter than 16 bytes, a base that is not a plain
 * dot-atom address, or a local part that would pass 64 characters.
 *
 * @example
 * replyAddress(key, '0193a5f2-7c1e-7b3a-9f00-1c2d3e4f5a6b', { local: 'vigil', domain: 'tasks.example.org' });
 * // 'vigil+t.0193a5f27c1e7b3a9f001c2d3e4f5a6b.nfnhrfzlnkl4zq5t@tasks.example.org'
 */
export function replyAddress(key: Buffer, taskId: string, base: ReplyBase): string {
  checkKey(key);
  if (!CANONICAL_ID.test(taskId)) throw new InvalidError('task id is not a canonical id', { taskId });
  if (!BASE_LOCAL.test(base.local)) throw new InvalidError('reply base local part must be letters, digits, dots, hyphens or underscores');
  if (!BASE_DOMAIN.test(base.domain)) throw new InvalidError('reply base domain is not a host name', { domain: base.domain });
  const local = `${base.local.toLowerCase()}+t.${taskId.replaceAll('-', '')}.${mac(key, taskId)}`;
  if (local.length > MAX_LOCAL_PART) {
    throw new InvalidError(`reply address local part is ${local.length} characters, over the ${MAX_LOCAL_PART} allowed`, { base: base.local });
  }
  return `${local}@${base.domain.toLowerCase()}`;
}

/**
 * The task a reply address names, when its MAC was made with `key`; otherwise why not.
 * Case-insensitive; the id comes back canonical (lowercase, with dashes).
 *
 * @example
 * readReplyAddress(key, 'VIGIL+T.0193A5F27C1E7B3A9F001C2D3E4F5A6B.NFNHRFZLNKL4ZQ5T@Tasks.Example.org', base);
 * // { taskId: '0193a5f2-7c1e-7b3a-9f00-1c2d3e4f5a6b' }
 * readReplyAddress(key, 'alice@example.org', base); // { error: 'not-ours' }
 */
export function readReplyAddress(key: Buffer, address: string, base: ReplyBase): ReadReplyAddress {
  checkKey(key);
  const folded = address.trim().toLowerCase();
  const at = folded.lastIndexOf('@');
  if (at < 0) return { error: 'not-ours' };
  const local = folded.slice(0, at);
  const domain = folded.slice(at + 1);
  const prefix = `${base.local.toLowerCase()}+`;
  if (domain !== base.domain.toLowerCase() || !local.startsWith(prefix)) return { error: 'not-ours' };

  const tag = TAG.exec(local.slice(prefix.length));
  if (!tag) return { error: 'malformed' };
  const hex = tag[1]!;
  const taskId = `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
  const given = Buffer.from(tag[2]!, 'ascii');
  const expected = Buffer.from(mac(key, taskId), 'ascii');
  // Both are 16 ASCII characters here (TAG fixes the length), as timingSafeEqual requires.
  return timingSafeEqual(given, expected) ? { taskId } : { error: 'bad-signature' };
}

function checkKey(key: Buffer): void {
  if (key.length < MIN_KEY_BYTES) throw new InvalidError(`reply key must be at least ${MIN_KEY_BYTES} bytes`);
}

function mac(key: Buffer, taskId: string): string {
  const digest = createHmac('sha256', key)
    .update(MAC_DOMAIN + taskId)
    .digest();
  return base32(digest.subarray(0, MAC_BYTES));
}

/** RFC 4648 base32 of whole 5-byte groups (so no padding), lowercase. */
function base32(bytes: Buffer): string {
  let out = '';
  let bits = 0;
  let value = 0;
  for (const byte of bytes) {
    value = (value << 8) | byte;
    bits += 8;
    while (bits >= 5) {
      out += BASE32[(value >>> (bits - 5)) & 31];
      bits -= 5;
    }
    value &= (1 << bits) - 1;
  }
  return out;
}
