// Pre-tokenised dpkg versions: `debVersionKey(v)` is a string whose code-unit order is exactly
// dpkg's order. A part (upstream or revision) is a list of (non-digit run, number) pairs; the
// run's characters are mapped to dpkg's `order()` weights, shifted so that `~` (1) < end of run
// (2) < letters (their codes) < other characters (code + 128, still one byte per character).
import { debVersionBounds } from './dpkg-vercmp.js';
import { encodeDigits, encodeLength } from './order-key.js';
import { isAsciiAlpha, isAsciiDigit } from './rpm-vercmp.js';

const RUN_END = '\u0002';
// The end of a part: the (empty run, 0) pair dpkg pads a shorter part with, plus the start of
// one more empty run, enough to decide against any pair the other part still has.
const PART_END = RUN_END + encodeLength(0) + RUN_END;
const ZERO_PAIR = RUN_END + encodeLength(0);

function weight(c: number): string {
  if (c === 0x7e) return '\u0001';
  if (isAsciiAlpha(c)) return String.fromCharCode(c);
  return String.fromCharCode(c + 128);
}

function partKey(v: string, start: number, end: number): string {
  let out = '';
  let i = start;
  while (i < end) {
    while (i < end && !isAsciiDigit(v.charCodeAt(i))) out += weight(v.charCodeAt(i++));
    const digits = i;
    while (i < end && isAsciiDigit(v.charCodeAt(i))) i++;
    out += RUN_END + encodeDigits(v, digits, i);
  }
  // A part that is only zeros equals the empty part: drop the (empty run, 0) pair.
  if (out === ZERO_PAIR) out = '';
  return out + PART_END;
}

/**
 * The order key of a dpkg version; throws `InvalidError` for a version dpkg refuses.
 *
 * @example
 * debVersionKey('1.0~rc1-1') < debVersionKey('1.0-1'); // true
 * debVersionKey('0:1.0') === debVersionKey('1.0-0'); // true
 */
export function debVersionKey(v: string): string {
  const { colon, hyphen } = debVersionBounds(v);
  const end = hyphen >= 0 ? hyphen : v.length;
  const epoch = encodeDigits(v, 0, Math.max(colon, 0));
  const revision = hyphen >= 0 ? partKey(v, hyphen + 1, v.length) : PART_END;
  return epoch + partKey(v, colon + 1, end) + revision;
}
