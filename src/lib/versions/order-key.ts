// Building blocks of the order-preserving keys: a version turned into a string whose plain
// UTF-16 comparison (`<`) gives the package manager's order, so the hot path compares native
// strings and can use them as cache keys.

/** Encodes a length so that longer lengths sort later, for any length. */
export function encodeLength(n: number): string {
  let out = '';
  while (n >= 0xfffe) {
    out += '\uffff';
    n -= 0xfffe;
  }
  return out + String.fromCharCode(n + 1);
}

/**
 * Encodes a run of ASCII digits `s[start, end)` as a number of any size: leading zeros dropped,
 * length first, then the digits.
 */
export function encodeDigits(s: string, start: number, end: number): string {
  while (start < end && s.charCodeAt(start) === 0x30) start++;
  return encodeLength(end - start) + s.slice(start, end);
}

/**
 * Compares two order keys.
 *
 * @example
 * compareKeys(rpmVersionKey('1.0'), rpmVersionKey('1.0~rc1')); // 1
 */
export function compareKeys(a: string, b: string): -1 | 0 | 1 {
  return a < b ? -1 : a > b ? 1 : 0;
}
