// Value normalisation for GOCDB PI fields: the PI spells the same thing several ways (GOCDB PI documentation:
// TRUE/FALSE for site flags, Y/N for service flags, IDs with and without the `G0` suffix).
import type { CertificationStatus } from './types.js';

/**
 * Trims text; empty or whitespace-only becomes undefined (GOCDB renders empty values as `<X/>`).
 *
 * @example clean('  NGI_ALPINA ') // 'NGI_ALPINA'; clean('') // undefined
 */
export function clean(value: string | undefined): string | undefined {
  const v = value?.trim();
  return v ? v : undefined;
}

/**
 * Canonical GOCDB key: numeric IDs become `<digits>G0` (so `14`, `014` and `14G0` are one
 * entity); any other key is kept as it is, trimmed.
 *
 * @example canonicalKey('14') // '14G0'; canonicalKey('14g0') // '14G0'; canonicalKey('ab') // 'ab'
 */
export function canonicalKey(value: string | undefined): string | undefined {
  const v = clean(value);
  if (v === undefined) return undefined;
  const m = /^0*(\d+)(?:G0)?$/i.exec(v);
  return m ? `${m[1]}G0` : v;
}

const TRUE = new Set(['true', 'y', 'yes', '1']);
const FALSE = new Set(['false', 'n', 'no', '0']);

/**
 * Reads a GOCDB flag in any of its spellings, case-insensitively; undefined when absent or
 * unrecognised.
 *
 * @example parseFlag('TRUE') // true; parseFlag('n') // false; parseFlag('maybe') // undefined
 */
export function parseFlag(value: string | undefined): boolean | undefined {
  const v = clean(value)?.toLowerCase();
  if (v === undefined) return undefined;
  if (TRUE.has(v)) return true;
  if (FALSE.has(v)) return false;
  return undefined;
}

/**
 * Lowercases and trims an e-mail field (which may hold a comma-separated list).
 *
 * @example cleanEmail(' CSIRT@Example.ORG ') // 'csirt@example.org'
 */
export function cleanEmail(value: string | undefined): string | undefined {
  return clean(value)?.toLowerCase();
}

const STATUSES: readonly CertificationStatus[] = ['candidate', 'uncertified', 'certified', 'suspended', 'closed'];

/**
 * Maps CERTIFICATION_STATUS to one of the five GOCDB statuses, or undefined when unknown.
 *
 * @example certificationStatus('Certified') // 'certified'; certificationStatus('Retired') // undefined
 */
export function certificationStatus(value: string | undefined): CertificationStatus | undefined {
  const v = clean(value)?.toLowerCase();
  return STATUSES.find((s) => s === v);
}

/**
 * PRODUCTION_INFRASTRUCTURE to a production flag: `Production` is true; `Test` and the historic
 * `PPS` (pre-production) and `SC` (service challenge) are false; anything else undefined.
 *
 * @example productionFlag('Production') // true; productionFlag('Test') // false
 */
export function productionFlag(value: string | undefined): boolean | undefined {
  const v = clean(value)?.toLowerCase();
  if (v === 'production') return true;
  if (v === 'test' || v === 'pps' || v === 'sc') return false;
  return undefined;
}

/**
 * Scope tags from any mix of `<SCOPE>` texts, each possibly comma-separated; deduplicated in
 * first-seen order.
 *
 * @example scopeList(['EGI', 'wlcg, tier2', 'EGI']) // ['EGI', 'wlcg', 'tier2']
 */
export function scopeList(values: readonly string[]): string[] {
  const out: string[] = [];
  for (const value of values) {
    for (const part of value.split(',')) {
      const s = part.trim();
      if (s && !out.includes(s)) out.push(s);
    }
  }
  return out;
}

/**
 * Splits a COUNTRY_CODE value: a two-letter code is upper-cased; the older dialect puts the
 * country name there, which is returned as `country` instead.
 *
 * @example countryFields('ch') // { countryCode: 'CH' }; countryFields('Switzerland') // { country: 'Switzerland' }
 */
export function countryFields(value: string | undefined): { countryCode?: string; country?: string } {
  const v = clean(value);
  if (v === undefined) return {};
  return /^[A-Za-z]{2}$/.test(v) ? { countryCode: v.toUpperCase() } : { country: v };
}
