// dpkg's version order, ported from lib/dpkg/version.c (`verrevcmp`, `dpkg_version_compare`),
// on syntactically valid versions only (lib/dpkg/parsehelp.c `parseversion`): dpkg itself
// refuses to compare the others (`dpkg --compare-versions 1.0- lt 1` is an error), and apt's
// `debVS.CmpVersion` agrees with dpkg on every valid version.
import { InvalidError } from '../../core/errors.js';
import { isAsciiAlpha, isAsciiDigit } from './rpm-vercmp.js';

/** Where the parts of a dpkg version sit in its string. */
export interface DebVersionBounds {
  /** Index of the epoch colon, or -1 (epoch 0). */
  readonly colon: number;
  /** Index of the revision hyphen (the last `-`), or -1 (empty revision). */
  readonly hyphen: number;
}

function invalid(v: string, why: string, at: number): InvalidError {
  return new InvalidError(`invalid dpkg version '${v}': ${why} at position ${at + 1}`, { version: v, position: at + 1 });
}

/**
 * Checks a dpkg version and finds its parts. What dpkg's `parseversion` treats as an error is
 * an error here; what it only warns about (a version not starting with a digit, characters
 * outside Debian Policy's set) is accepted and compared as dpkg does. Non-ASCII, control
 * characters and blanks are refused: dpkg's order for them depends on the platform's `char`
 * signedness, and no package manager produces them.
 *
 * @example
 * debVersionBounds('1:9.2p1-2+deb12u2'); // { colon: 1, hyphen: 7 }
 * debVersionBounds('1.0-'); // throws InvalidError: empty revision at position 4
 */
export function debVersionBounds(v: string): DebVersionBounds {
  const n = v.length;
  if (n === 0) throw invalid(v, 'empty version', 0);
  let colon = -1;
  let hyphen = -1;
  for (let i = 0; i < n; i++) {
    const c = v.charCodeAt(i);
    if (c <= 0x20 || c >= 0x7f) throw invalid(v, 'blank, control or non-ASCII character', i);
    if (c === 0x3a && colon < 0) colon = i;
    else if (c === 0x2d) hyphen = i;
  }
  if (colon >= 0) {
    if (colon === 0) throw invalid(v, 'empty epoch', 0);
    for (let i = 0; i < colon; i++) if (!isAsciiDigit(v.charCodeAt(i))) throw invalid(v, 'epoch is not a number', i);
    let digits = colon;
    for (let i = 0; i < colon && v.charCodeAt(i) === 0x30; i++) digits--;
    if (digits > 10 || (digits === 10 && v.slice(colon - 10, colon) > '2147483647')) throw invalid(v, 'epoch too big', 0);
    if (colon === n - 1) throw invalid(v, 'nothing after the epoch colon', colon);
  }
  if (hyphen >= 0 && hyphen < colon) hyphen = -1;
  const start = colon + 1;
  const end = hyphen >= 0 ? hyphen : n;
  if (hyphen === n - 1) throw invalid(v, 'empty revision', hyphen);
  if (end === start) throw invalid(v, 'empty upstream version', start);
  return { colon, hyphen };
}

/** dpkg's `order()`: `~` first, then the end of a part (and digits), letters, then the rest. */
export function dpkgCharOrder(c: number): number {
  if (c < 0 || isAsciiDigit(c)) return 0;
  if (isAsciiAlpha(c)) return c;
  if (c === 0x7e) return -1;
  return c + 256;
}

/** dpkg's `verrevcmp` on `a[ai, ae)` and `b[bi, be)`. */
export function verrevcmp(a: string, ai: number, ae: number, b: string, bi: number, be: number): number {
  while (ai < ae || bi < be) {
    let firstDiff = 0;
    for (;;) {
      const ca = ai < ae ? a.charCodeAt(ai) : -1;
      const cb = bi < be ? b.charCodeAt(bi) : -1;
      if (!((ca >= 0 && !isAsciiDigit(ca)) || (cb >= 0 && !isAsciiDigit(cb)))) break;
      const d = dpkgCharOrder(ca) - dpkgCharOrder(cb);
      if (d !== 0) return d;
      ai++;
      bi++;
    }
    while (ai < ae && a.charCodeAt(ai) === 0x30) ai++;
    while (bi < be && b.charCodeAt(bi) === 0x30) bi++;
    while (ai < ae && bi < be && isAsciiDigit(a.charCodeAt(ai)) && isAsciiDigit(b.charCodeAt(bi))) {
      if (firstDiff === 0) firstDiff = a.charCodeAt(ai) - b.charCodeAt(bi);
      ai++;
      bi++;
    }
    if (ai < ae && isAsciiDigit(a.charCodeAt(ai))) return 1;
    if (bi < be && isAsciiDigit(b.charCodeAt(bi))) return -1;
    if (firstDiff !== 0) return firstDiff;
  }
  return 0;
}

function compareEpochs(a: string, ae: number, b: string, be: number): number {
  let ai = 0;
  let bi = 0;
  while (ai < ae && a.charCodeAt(ai) === 0x30) ai++;
  while (bi < be && b.charCodeAt(bi) === 0x30) bi++;
  if (ae - ai !== be - bi) return ae - ai - (be - bi);
  for (; ai < ae; ai++, bi++) {
    const d = a.charCodeAt(ai) - b.charCodeAt(bi);
    if (d !== 0) return d;
  }
  return 0;
}

/**
 * Compares two dpkg versions as `dpkg --compare-versions` does; throws `InvalidError` for a
 * version dpkg refuses.
 *
 * @example
 * compareDebVersions('1:0.9', '2.0'); // 1
 * compareDebVersions('1.0~rc1', '1.0'); // -1
 * compareDebVersions('1.0', '1.0-0'); // 0
 */
export function compareDebVersions(a: string, b: string): -1 | 0 | 1 {
  const pa = debVersionBounds(a);
  const pb = debVersionBounds(b);
  return compareDebBounded(a, pa, b, pb);
}

/** Same as `compareDebVersions`, skipping the check of versions already known to be valid. */
export function compareValidDebVersions(a: string, b: string): -1 | 0 | 1 {
  const ca = a.indexOf(':');
  const cb = b.indexOf(':');
  return compareDebBounded(a, { colon: ca, hyphen: a.lastIndexOf('-') }, b, { colon: cb, hyphen: b.lastIndexOf('-') });
}

/** `compareDebVersions` on versions already checked by `debVersionBounds`. */
export function compareDebBounded(a: string, pa: DebVersionBounds, b: string, pb: DebVersionBounds): -1 | 0 | 1 {
  let r = compareEpochs(a, Math.max(pa.colon, 0), b, Math.max(pb.colon, 0));
  if (r === 0) {
    const aEnd = pa.hyphen >= 0 ? pa.hyphen : a.length;
    const bEnd = pb.hyphen >= 0 ? pb.hyphen : b.length;
    r = verrevcmp(a, pa.colon + 1, aEnd, b, pb.colon + 1, bEnd);
    if (r === 0) r = verrevcmp(a, pa.hyphen >= 0 ? aEnd + 1 : a.length, a.length, b, pb.hyphen >= 0 ? bEnd + 1 : b.length, b.length);
  }
  return r < 0 ? -1 : r > 0 ? 1 : 0;
}
