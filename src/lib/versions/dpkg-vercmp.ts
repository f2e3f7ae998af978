// dpkg's version order, ported from lib/dpkg/version.c (`verrevcmp`, `dpkg_version_compare`),
// on syntactically valid versions only (lib/dpkg/parsehelp.c `parseversion`): dpkg itself
// refuses to compare the others (`dpkg --compare-versions 1.0- lt 1` is an error), and apt's
// `debVS.CmpVersion` agrees with dpkg on every valid version.
//
// The comparison walks both strings in place with `charCodeAt`: no part is cut out, no object
// is built, no number is parsed (a digit run of any length compares by its length after
// leading zeros, then digit by digit), so comparing raw strings stays close to apt's C++
// (docs/matching.md, Benchmarks).
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

// Where `checkVersion` found the parts of the last version it checked: two numbers handed
// back without allocating a `DebVersionBounds` per comparison.
let foundColon = -1;
let foundHyphen = -1;

/** `debVersionBounds` without the result object: the bounds land in `foundColon`/`foundHyphen`. */
function checkVersion(v: string): void {
  const n = v.length;
  if (n === 0) throw invalid(v, 'empty version', 0);
  let colon = -1;
  let hyphen = -1;
  for (let i = 0; i < n; i++) {
    const c = v.charCodeAt(i);
    if ((c - 0x21) >>> 0 > 0x7e - 0x21) throw invalid(v, 'blank, control or non-ASCII character', i);
    if (c === 0x2d) hyphen = i;
    else if (c === 0x3a && colon < 0) colon = i;
  }
  if (colon >= 0) {
    if (colon === 0) throw invalid(v, 'empty epoch', 0);
    for (let i = 0; i < colon; i++) if (!isAsciiDigit(v.charCodeAt(i))) throw invalid(v, 'epoch is not a number', i);
    let digits = colon;
    for (let i = 0; i < colon && v.charCodeAt(i) === 0x30; i++) digits--;
    if (digits > 10 || (digits === 10 && v.slice(colon - 10, colon) > '2147483647')) throw invalid(v, 'epoch too big', 0);
    if (colon === n - 1) throw invalid(v, 'nothing after the epoch colon', colon);
  }
  const start = colon + 1;
  const end = hyphen >= 0 ? hyphen : n;
  if (hyphen === n - 1) throw invalid(v, 'empty revision', hyphen);
  if (end === start) throw invalid(v, 'empty upstream version', start);
  foundColon = colon;
  foundHyphen = hyphen;
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
  checkVersion(v);
  return { colon: foundColon, hyphen: foundHyphen };
}

const END = -1;
const HYPHEN = 0x2d;

/** dpkg's `order()` of a character that is not a digit: `~` first, then letters, then the rest. */
function order(c: number): number {
  if (c === 0x7e) return -1;
  return isAsciiAlpha(c) ? c : c + 256;
}

/** The index of the last `-` of `v`, or -1. */
function lastHyphen(v: string): number {
  for (let i = v.length - 1; i >= 0; i--) if (v.charCodeAt(i) === HYPHEN) return i;
  return -1;
}

function hasHyphen(v: string, from: number): boolean {
  for (let i = from; i < v.length; i++) if (v.charCodeAt(i) === HYPHEN) return true;
  return false;
}

// Where the upstream versions ended, when `verrevcmp` compared them to a tie with
// `toLastHyphen` set: handed back without allocating.
let upstreamEndA = 0;
let upstreamEndB = 0;

/**
 * dpkg's `verrevcmp` on `a[ai, ae)` and `b[bi, be)`: the sign of the result is the order. Past
 * the common prefix, each character is read once, into `ca`/`cb` (`END` past the end of the
 * part). With `toLastHyphen`, the parts are upstream versions running to their string's last
 * `-`, which is looked for only if the comparison meets a `-` (most comparisons end before).
 */
function verrevcmp(a: string, ai: number, ae: number, b: string, bi: number, be: number, toLastHyphen: boolean, same: number): number {
  // Identical leading characters decide nothing: skip them (the first `same` are known to be
  // identical; never past a `-` that may end one upstream version only), then step back to the
  // start of the digit run they may end in, as a number is compared whole.
  const from = ai;
  ai += same;
  bi += same;
  while (ai < ae && bi < be) {
    const c = a.charCodeAt(ai);
    if (c !== b.charCodeAt(bi) || (c === HYPHEN && toLastHyphen)) break;
    ai++;
    bi++;
  }
  while (ai > from && isAsciiDigit(a.charCodeAt(ai - 1))) {
    ai--;
    bi--;
  }
  let aLast = -2;
  let bLast = -2;
  let ca = ai < ae ? a.charCodeAt(ai) : END;
  let cb = bi < be ? b.charCodeAt(bi) : END;
  for (;;) {
    // The non-digit runs, character by character; where one run has ended (at a digit or at
    // the end of the part) it weighs 0, between `~` and everything else.
    for (;;) {
      if (toLastHyphen) {
        if (ca === HYPHEN && ai === (aLast === -2 ? (aLast = lastHyphen(a)) : aLast)) {
          ca = END;
          ae = ai;
        }
        if (cb === HYPHEN && bi === (bLast === -2 ? (bLast = lastHyphen(b)) : bLast)) {
          cb = END;
          be = bi;
        }
      }
      const aRun = ca !== END && !isAsciiDigit(ca);
      const bRun = cb !== END && !isAsciiDigit(cb);
      if (!aRun && !bRun) break;
      if (ca !== cb) return (aRun ? order(ca) : 0) - (bRun ? order(cb) : 0);
      ca = ++ai < ae ? a.charCodeAt(ai) : END;
      cb = ++bi < be ? b.charCodeAt(bi) : END;
    }
    if (ca === END && cb === END) {
      upstreamEndA = ae;
      upstreamEndB = be;
      return 0;
    }
    // The digit runs as numbers of any size: leading zeros skipped, then the longer run wins,
    // then the first differing digit.
    while (ca === 0x30) ca = ++ai < ae ? a.charCodeAt(ai) : END;
    while (cb === 0x30) cb = ++bi < be ? b.charCodeAt(bi) : END;
    let firstDiff = 0;
    for (;;) {
      const aDigit = isAsciiDigit(ca);
      const bDigit = isAsciiDigit(cb);
      if (!aDigit || !bDigit) {
        if (aDigit) return 1;
        if (bDigit) return -1;
        break;
      }
      if (firstDiff === 0) firstDiff = ca - cb;
      ca = ++ai < ae ? a.charCodeAt(ai) : END;
      cb = ++bi < be ? b.charCodeAt(bi) : END;
    }
    if (firstDiff !== 0) return firstDiff;
  }
}

/**
 * Upstream version, then revision, of `a` and `b` from `ai`/`bi` (just past the epoch). Close
 * versions (one release apart) share a long prefix: it is read once, across the hyphen, and
 * when neither string has a `-` after it, the last `-` in it ends both upstream versions.
 */
function compareAfterEpoch(a: string, ai: number, b: string, bi: number): number {
  const al = a.length;
  const bl = b.length;
  let k = 0;
  let dash = -1;
  while (ai + k < al && bi + k < bl) {
    const c = a.charCodeAt(ai + k);
    if (c !== b.charCodeAt(bi + k)) break;
    if (c === HYPHEN) dash = k;
    k++;
  }
  if (dash >= 0 && !hasHyphen(a, ai + k) && !hasHyphen(b, bi + k)) {
    return verrevcmp(a, ai + dash + 1, al, b, bi + dash + 1, bl, false, k - dash - 1);
  }
  // Without a `-` in the common prefix, it can be skipped in the upstream versions too.
  const r = verrevcmp(a, ai, al, b, bi, bl, true, dash < 0 ? k : 0);
  if (r !== 0) return r;
  const ae = upstreamEndA;
  const be = upstreamEndB;
  return verrevcmp(a, ae < al ? ae + 1 : al, al, b, be < bl ? be + 1 : bl, bl, false, 0);
}

/** Epochs `a[0, ae)` and `b[0, be)` (digits only) as numbers of any size. */
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

/** The order of two valid versions whose epoch colons (or -1) are known. */
function compareFrom(a: string, ac: number, b: string, bc: number): -1 | 0 | 1 {
  let r = ac < 0 && bc < 0 ? 0 : compareEpochs(a, ac < 0 ? 0 : ac, b, bc < 0 ? 0 : bc);
  if (r === 0) r = compareAfterEpoch(a, ac + 1, b, bc + 1);
  return r < 0 ? -1 : r > 0 ? 1 : 0;
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
  checkVersion(a);
  const ac = foundColon;
  checkVersion(b);
  if (a === b) return 0;
  return compareFrom(a, ac, b, foundColon);
}

/** The index of the epoch colon of a valid version, or -1. */
function colonOf(v: string): number {
  // A valid epoch is digits only, so the colon, if any, follows the leading digits.
  let i = 0;
  const n = v.length;
  while (i < n && isAsciiDigit(v.charCodeAt(i))) i++;
  return i > 0 && i < n && v.charCodeAt(i) === 0x3a ? i : -1;
}

/**
 * Same as `compareDebVersions` on versions already known to be valid (checked once when they
 * were stored), skipping the check; on an invalid version the result is unspecified.
 *
 * @example
 * compareValidDebVersions('1.2.3-1', '1.2.3-1+deb12u1'); // -1
 */
export function compareValidDebVersions(a: string, b: string): -1 | 0 | 1 {
  if (a === b) return 0;
  return compareFrom(a, colonOf(a), b, colonOf(b));
}
