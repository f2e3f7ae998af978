// Errors the databases raise that callers answer in their own words.

/** Did the database refuse a row for breaking a unique constraint? (PostgreSQL 23505; SQLite's
 *  SQLITE_CONSTRAINT_UNIQUE.) A check-then-write can lose such a race; the constraint decides. */
export function isUniqueViolation(err: unknown): boolean {
  const code = (err as { code?: unknown } | undefined)?.code;
  return code === '23505' || code === 'SQLITE_CONSTRAINT_UNIQUE';
}
