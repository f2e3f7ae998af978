// Whether the database takes writes: a server that can read but not write (a read-only SQLite
// file or file system, a PostgreSQL standby or `default_transaction_read_only`) is not ready.
import { sql } from 'kysely';
import type { Db } from './database.js';

/**
 * Writes one row and rolls the write back: throws the database's own error (SQLite
 * `SQLITE_READONLY`, PostgreSQL 25006 "read-only transaction") when writes are refused. The row
 * is one of the migration table's, which every migrated database has; no other table is
 * touched and nothing is left behind.
 *
 * @example
 * await checkWritable(handle.db); // throws on a read-only database
 */
export async function checkWritable(db: Db): Promise<void> {
  const trx = await db.startTransaction().execute();
  try {
    await sql`update kysely_migration set name = name where name = (select min(name) from kysely_migration)`.execute(trx);
  } finally {
    await trx.rollback().execute();
  }
}
