// Transaction-scoped advisory locks on PostgreSQL: two transactions that each read what the other
// writes (under READ COMMITTED neither sees the other's uncommitted rows) take the same lock, so
// the second waits for the first to commit and then reads its rows. SQLite has one writer (every
// transaction begins immediate, database.ts): nothing to do there.
import { createHash } from 'node:crypto';
import { PostgresAdapter, sql } from 'kysely';
import type { Executor } from './database.js';

/** Lock namespaces: the first key of pg_advisory_xact_lock(int, int), one per kind of object. */
export const LOCK_NAMESPACE = {
  /** A CVE's exceptions against its tags (exceptions.ts, exception-review.ts). */
  cveExceptions: 0x5649_4345, // "VICE"
  /** A task type and priority's deadline rule (tasks/deadlines.ts): one current version. */
  deadlineRule: 0x5644_4c52, // "VDLR"
} as const;

/** A stable 32-bit key for a text (the second key of the lock); distinct texts may share one, which only makes them wait for each other. */
const keyOf = (text: string) => createHash('sha256').update(text).digest().readInt32BE(0);

/**
 * Takes the lock on `key` in `namespace` until the transaction `trx` ends (commit or rollback).
 * Must run inside a transaction; a no-op on SQLite.
 */
export async function lockForTransaction(trx: Executor, namespace: number, key: string): Promise<void> {
  if (!(trx.getExecutor().adapter instanceof PostgresAdapter)) return;
  await sql`select pg_advisory_xact_lock(${namespace}::int4, ${keyOf(key)}::int4)`.execute(trx);
}
