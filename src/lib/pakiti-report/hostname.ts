// Host names as reports carry them: `hostname -f` of the reporting host. Hosts are keyed on the
// name, and the name goes into views, CSV exports, mails and logs, so only RFC 1123 names pass.
import { InvalidError } from '../../core/errors.js';

/** One RFC 1123 label: letters, digits and `-`, 1 to 63 characters, no `-` at either end. */
const LABEL = /^[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?$/i;

/**
 * Whether `name` is an RFC 1123 host name (RFC 1123 §2.1, RFC 1035 §2.3.4): dot-separated
 * labels, at most 253 characters in all, any letter case. A single label (`wn1`) passes, as
 * `uname -n` gives; a trailing root dot, `_`, blanks and anything non-ASCII do not (IDNs travel
 * as `xn--` labels).
 *
 * @example
 * isHostname('wn042.grid.example.org'); // true
 * isHostname('WN1'); // true
 * isHostname('-wn1.example.org'); // false
 * isHostname('wn_1.example.org'); // false
 */
export function isHostname(name: string): boolean {
  return name.length <= 253 && name.split('.').every((label) => LABEL.test(label));
}

/**
 * Throws `InvalidError` naming `field` unless `name` is an RFC 1123 host name (see `isHostname`).
 *
 * @example
 * checkHostname('wn1.example.org', 'host header'); // passes
 * checkHostname('=cmd|x', 'host header'); // throws: host header '=cmd|x' is not a valid host name …
 */
export function checkHostname(name: string, field: string): void {
  if (isHostname(name)) return;
  const shown = JSON.stringify(name.length > 80 ? `${name.slice(0, 80)}…` : name);
  throw new InvalidError(`${field} ${shown} is not a valid host name (RFC 1123: dot-separated labels of letters, digits and '-', at most 253 characters)`, {
    field: 'host',
  });
}
