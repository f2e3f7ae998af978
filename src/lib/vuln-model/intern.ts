// String interning: feeds and reports repeat the same package names, versions and CVE ids
// hundreds of thousands of times; one copy of each keeps memory flat and Map lookups cheap.

/** A string pool. */
export interface Interner {
  (s: string): string;
  readonly size: number;
}

/**
 * Creates a string pool; `intern(s)` returns the pooled copy of `s`.
 *
 * @example
 * const intern = createInterner(); intern('openssl') === intern(['open', 'ssl'].join('')); // true
 */
export function createInterner(): Interner {
  const pool = new Map<string, string>();
  const intern = (s: string): string => {
    const hit = pool.get(s);
    if (hit !== undefined) return hit;
    pool.set(s, s);
    return s;
  };
  Object.defineProperty(intern, 'size', { get: () => pool.size });
  return intern as Interner;
}
