// rpm's version order, ported from rpmio/rpmvercmp.c (rpm 4.18): segments are maximal runs of
// ASCII digits or ASCII letters; every other character separates segments, except `~` (sorts
// before everything, even the end of the string) and `^` (sorts after the end of the string but
// before any other segment). Numeric segments beat alphabetic ones, compare by value (leading
// zeros ignored, any length), alphabetic ones by byte order.

const TILDE = 0x7e;
const CARET = 0x5e;

/** ASCII digit (rpm's `risdigit`, locale-independent). */
export function isAsciiDigit(c: number): boolean {
  return c >= 0x30 && c <= 0x39;
}

/** ASCII letter (rpm's `risalpha`). */
export function isAsciiAlpha(c: number): boolean {
  return (c >= 0x41 && c <= 0x5a) || (c >= 0x61 && c <= 0x7a);
}

function isSeparator(c: number): boolean {
  return !isAsciiDigit(c) && !isAsciiAlpha(c) && c !== TILDE && c !== CARET;
}

/**
 * Compares two rpm version (or release) strings exactly as `rpmvercmp` does. Works on the raw
 * strings without allocating; see `rpmVersionKey` for the pre-tokenised form.
 *
 * @example
 * rpmvercmp('1.0~rc1', '1.0'); // -1
 * rpmvercmp('1.0^git1', '1.0'); // 1
 * rpmvercmp('10.0001', '10.1'); // 0
 */
export function rpmvercmp(a: string, b: string): -1 | 0 | 1 {
  if (a === b) return 0;
  const la = a.length;
  const lb = b.length;
  let i = 0;
  let j = 0;
  while (i < la || j < lb) {
    while (i < la && isSeparator(a.charCodeAt(i))) i++;
    while (j < lb && isSeparator(b.charCodeAt(j))) j++;
    const ca = i < la ? a.charCodeAt(i) : -1;
    const cb = j < lb ? b.charCodeAt(j) : -1;

    if (ca === TILDE || cb === TILDE) {
      if (ca !== TILDE) return 1;
      if (cb !== TILDE) return -1;
      i++;
      j++;
      continue;
    }
    if (ca === CARET || cb === CARET) {
      if (ca === -1) return -1;
      if (cb === -1) return 1;
      if (ca !== CARET) return 1;
      if (cb !== CARET) return -1;
      i++;
      j++;
      continue;
    }
    if (ca === -1 || cb === -1) break;

    if (isAsciiDigit(ca)) {
      if (!isAsciiDigit(cb)) return 1;
      // Skip leading zeros, then the longer run wins, then the first differing digit.
      while (i < la && a.charCodeAt(i) === 0x30) i++;
      while (j < lb && b.charCodeAt(j) === 0x30) j++;
      let ei = i;
      let ej = j;
      while (ei < la && isAsciiDigit(a.charCodeAt(ei))) ei++;
      while (ej < lb && isAsciiDigit(b.charCodeAt(ej))) ej++;
      if (ei - i !== ej - j) return ei - i > ej - j ? 1 : -1;
      for (; i < ei; i++, j++) {
        const d = a.charCodeAt(i) - b.charCodeAt(j);
        if (d !== 0) return d > 0 ? 1 : -1;
      }
    } else {
      if (!isAsciiAlpha(cb)) return -1;
      // strcmp over the two letter runs: first difference, else the shorter run is smaller.
      for (;;) {
        const xa = i < la && isAsciiAlpha(a.charCodeAt(i)) ? a.charCodeAt(i) : 0;
        const xb = j < lb && isAsciiAlpha(b.charCodeAt(j)) ? b.charCodeAt(j) : 0;
        if (xa !== xb) return xa > xb ? 1 : -1;
        if (xa === 0) break;
        i++;
        j++;
      }
    }
  }
  if (i >= la && j >= lb) return 0;
  return i >= la ? -1 : 1;
}

/** An rpm epoch-version-release; `release` is undefined when the string had none. */
export interface Evr {
  readonly epoch: string;
  readonly version: string;
  readonly release: string | undefined;
}

/**
 * Full EVR order as `rpm.labelCompare` computes it: epoch (a missing epoch is `0`), then
 * version, then release; a missing release sorts before any release.
 *
 * @example
 * compareRpmEvr({ epoch: '1', version: '1.0', release: '1' }, { epoch: '0', version: '9', release: '1' }); // 1
 */
export function compareRpmEvr(a: Evr, b: Evr): -1 | 0 | 1 {
  const e = rpmvercmp(a.epoch === '' ? '0' : a.epoch, b.epoch === '' ? '0' : b.epoch);
  if (e !== 0) return e;
  const v = rpmvercmp(a.version, b.version);
  if (v !== 0) return v;
  if (a.release === undefined || b.release === undefined) {
    if (a.release === b.release) return 0;
    return a.release === undefined ? -1 : 1;
  }
  return rpmvercmp(a.release, b.release);
}
