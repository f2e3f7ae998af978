// Pre-tokenised rpm versions: `rpmVersionKey(v)` is a string whose code-unit order is exactly
// `rpmvercmp` order. Tokens (see rpm-vercmp.ts): `~` < end of string < `^` < letters < digits.
import { encodeDigits } from './order-key.js';
import { isAsciiAlpha, isAsciiDigit, type Evr } from './rpm-vercmp.js';

const T_TILDE = '\u0001';
const T_END = '\u0002';
const T_CARET = '\u0003';
const T_ALPHA = '\u0004';
const ALPHA_END = '\u0001';
const T_NUM = '\u0005';

/**
 * The order key of one rpm version or release string; equal keys mean `rpmvercmp` returns 0.
 *
 * @example
 * rpmVersionKey('1.0~rc1') < rpmVersionKey('1.0'); // true
 * rpmVersionKey('2_0') === rpmVersionKey('2.0'); // true
 */
export function rpmVersionKey(v: string): string {
  let out = '';
  const n = v.length;
  let i = 0;
  while (i < n) {
    const c = v.charCodeAt(i);
    if (c === 0x7e) {
      out += T_TILDE;
      i++;
    } else if (c === 0x5e) {
      out += T_CARET;
      i++;
    } else if (isAsciiDigit(c)) {
      const start = i;
      while (i < n && isAsciiDigit(v.charCodeAt(i))) i++;
      out += T_NUM + encodeDigits(v, start, i);
    } else if (isAsciiAlpha(c)) {
      const start = i;
      while (i < n && isAsciiAlpha(v.charCodeAt(i))) i++;
      out += T_ALPHA + v.slice(start, i) + ALPHA_END;
    } else {
      i++;
    }
  }
  return out + T_END;
}

/**
 * The order key of a full EVR (`rpm.labelCompare` order): epoch, version, then release; a
 * missing release sorts before any release.
 *
 * @example
 * rpmEvrKey({ epoch: '0', version: '1.2', release: '3.el9' }) < rpmEvrKey({ epoch: '1', version: '0', release: '1' }); // true
 */
export function rpmEvrKey(evr: Evr): string {
  const epoch = rpmVersionKey(evr.epoch === '' ? '0' : evr.epoch);
  const release = evr.release === undefined ? '' : rpmVersionKey(evr.release);
  return epoch + rpmVersionKey(evr.version) + release;
}
