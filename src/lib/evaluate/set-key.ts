// Identity of a package list without building a giant string: V8 hashes strings longer than
// 16,383 characters by their length alone, so a Map keyed by whole lists degrades into linear
// scans. One 32-bit FNV-1a lane over the fields (plus the length) picks a bucket; a
// field-by-field comparison against the stored list makes the match exact, so a collision
// costs one comparison, never a wrong result. Callers that store lists (the service hashes
// each set once at ingest) pass that id instead and skip this.
import type { InstalledPackage } from './types.js';

/**
 * A 32-bit hash of a package list, order-sensitive, with the list's length (as a string).
 *
 * @example
 * hashPackageList([{ name: 'bash', version: '0:5.1.8-6.el9', arch: 'x86_64' }]); // e.g. '1bd3f0a2:1'
 */
export function hashPackageList(packages: readonly InstalledPackage[]): string {
  let h = 0x811c9dc5 ^ packages.length;
  for (let i = 0; i < packages.length; i++) {
    const p = packages[i] as InstalledPackage;
    h = mix(mix(mix(h, p.name), p.version), p.arch);
  }
  return `${(h >>> 0).toString(16)}:${packages.length}`;
}

function mix(h: number, s: string): number {
  for (let j = 0; j < s.length; j++) h = Math.imul(h ^ s.charCodeAt(j), 0x01000193);
  return Math.imul(h ^ 0x1f, 0x01000193);
}

/** Whether two package lists are identical, entry by entry. */
export function samePackageList(a: readonly InstalledPackage[], b: readonly InstalledPackage[]): boolean {
  if (a === b) return true;
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) {
    const x = a[i] as InstalledPackage;
    const y = b[i] as InstalledPackage;
    if (x.name !== y.name || x.version !== y.version || x.arch !== y.arch) return false;
  }
  return true;
}
