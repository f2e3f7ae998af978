// Parsing the version strings hosts report: `rpm -qa --queryformat
// '%{EPOCH}:%{VERSION}-%{RELEASE}'` (epoch `(none)` when unset), the Pakiti client's rpm lines
// (`(none):` already turned into `0:`), and dpkg-query's full Debian versions.
import { InvalidError } from '../../core/errors.js';
import { debVersionBounds } from './dpkg-vercmp.js';
import { isAsciiDigit, type Evr } from './rpm-vercmp.js';

/** The parts of a dpkg version. */
export interface DebVersion {
  readonly epoch: number;
  readonly upstream: string;
  /** Empty when the version has no revision. */
  readonly revision: string;
}

function checkPrintable(s: string, what: string): void {
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c <= 0x20 || c === 0x7f) throw new InvalidError(`invalid ${what} '${s}': blank or control character at position ${i + 1}`, { position: i + 1 });
  }
}

/**
 * Parses an rpm `epoch:version-release` as rpm's own `parseEVR` splits it: a leading run of
 * digits before `:` is the epoch (`(none)` or none at all means 0), the release follows the
 * last `-`.
 *
 * @example
 * parseRpmEvr('(none):2.34-100.el9_4.2'); // { epoch: '0', version: '2.34', release: '100.el9_4.2' }
 * parseRpmEvr('1:1.1.1k-12.el8_9'); // { epoch: '1', version: '1.1.1k', release: '12.el8_9' }
 */
export function parseRpmEvr(s: string): Evr {
  if (s.length === 0) throw new InvalidError('invalid rpm version: empty', { position: 1 });
  checkPrintable(s, 'rpm version');
  let rest = s;
  let epoch = '0';
  if (s.startsWith('(none):')) {
    rest = s.slice(7);
  } else {
    let i = 0;
    while (i < s.length && isAsciiDigit(s.charCodeAt(i))) i++;
    if (s.charCodeAt(i) === 0x3a) {
      epoch = i === 0 ? '0' : s.slice(0, i);
      rest = s.slice(i + 1);
    }
  }
  const dash = rest.lastIndexOf('-');
  const version = dash >= 0 ? rest.slice(0, dash) : rest;
  const release = dash >= 0 ? rest.slice(dash + 1) : undefined;
  if (version === '')
    throw new InvalidError(`invalid rpm version '${s}': empty version at position ${s.length - rest.length + 1}`, { position: s.length - rest.length + 1 });
  if (release === '') throw new InvalidError(`invalid rpm version '${s}': empty release at position ${s.length}`, { position: s.length });
  return { epoch, version, release };
}

/**
 * Formats an EVR the way the Pakiti client sends it (`epoch:version-release`, epoch always
 * present).
 *
 * @example
 * formatRpmEvr({ epoch: '0', version: '2.34', release: '100.el9' }); // '0:2.34-100.el9'
 */
export function formatRpmEvr(evr: Evr): string {
  return `${evr.epoch}:${evr.version}${evr.release === undefined ? '' : `-${evr.release}`}`;
}

/**
 * Splits a dpkg version into epoch, upstream version and revision; throws `InvalidError` for
 * a version dpkg refuses.
 *
 * @example
 * parseDebVersion('1:9.2p1-2+deb12u2'); // { epoch: 1, upstream: '9.2p1', revision: '2+deb12u2' }
 */
export function parseDebVersion(s: string): DebVersion {
  const { colon, hyphen } = debVersionBounds(s);
  const end = hyphen >= 0 ? hyphen : s.length;
  return {
    epoch: colon > 0 ? Number(s.slice(0, colon)) : 0,
    upstream: s.slice(colon + 1, end),
    revision: hyphen >= 0 ? s.slice(hyphen + 1) : '',
  };
}

/** One installed package as a host reports it. */
export interface ReportedPackage {
  readonly name: string;
  readonly version: string;
  readonly arch: string;
}

/**
 * Parses one package line of a Pakiti report or of `rpm -qa`/`dpkg-query` output in the
 * `name<TAB>version<TAB>arch` shape (tabs or spaces, as the Pakiti server accepts both).
 * An rpm `(none):` epoch becomes `0:`.
 *
 * @example
 * parsePackageLine('openssl-libs\t1:3.0.7-27.el9\tx86_64'); // { name: 'openssl-libs', version: '1:3.0.7-27.el9', arch: 'x86_64' }
 */
export function parsePackageLine(line: string): ReportedPackage {
  const fields = line.trim().split(/[ \t]+/);
  if (fields.length !== 3) throw new InvalidError(`invalid package line '${line.slice(0, 200)}': expected 3 fields, found ${fields.length}`);
  const [name, raw, arch] = fields as [string, string, string];
  const version = raw.startsWith('(none):') ? `0:${raw.slice(7)}` : raw;
  return { name, version, arch };
}
