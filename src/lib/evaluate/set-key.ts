// Identity of a package list without building a giant string: V8 hashes strings longer than
// 16,383 characters by their length alone, so a Map keyed by whole lists degrades into linear
// scans. Two 32-bit FNV-1a lanes over the fields pick a bucket; a field-by-field comparison
// against the stored list makes the match exact.
import type { InstalledPackage } from './types.js';

/**
 * A 64-bit hash (as a string) of a package list, order-sensitive.
 *
 * @example
 * hashPackageList([{ name: 'bash', version: '0:5.1.8-6.el9', arch: 'x86_64' }]); // e.g. '1bd3f0a2:9c01e5d7:1'
 */
export function hashPackageList(packages: readonly InstalledPackage[]): string {
  lanes[0] = 0x811c9dc5;
  lanes[1] = 0x01000193 ^ packages.length;
  for (let i = 0; i < packages.length; i++) {
    const p = packages[i] as InstalledPackage;
    mix(p.name);
    mix(p.version);
    mix(p.arch);
  }
  return `${(lanes[0] >>> 0).toString(16)}:${(lanes[1] >>> 0).toString(16)}:${packages.length}`;
}

const lanes = new Int32Array(2);

function mix(s: string): void {
  let h1 = lanes[0] as number;
  let h2 = lanes[1] as number;
  for (let j = 0; j < s.length; j++) {
    const c = s.charCodeAt(j);
    h1 = Math.imul(h1 ^ c, 0x01000193);
    h2 = Math.imul(h2 ^ c, 0x5bd1e995);
  }
  lanes[0] = Math.imul(h1 ^ 0x1f, 0x01000193);
  lanes[1] = Math.imul(h2 ^ 0x1f, 0x5bd1e995);
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
