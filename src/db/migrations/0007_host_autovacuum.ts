// The CVE host list and the CVE page count exposed hosts on the (eval_key, site_id) index.
// PostgreSQL reads the index alone only for the table pages its visibility map marks
// all-visible, and every report updates its host's row, clearing the mark of that page until the
// next vacuum. With the default threshold (20 % of rows changed) most pages of `host` lose it
// between passes and the count falls back to reading the whole table; vacuuming after 1 % keeps
// most of them marked. SQLite has no such map.
import { PostgresAdapter, sql, type Kysely } from 'kysely';

const isPostgres = (db: Kysely<unknown>) => db.getExecutor().adapter instanceof PostgresAdapter;

export async function up(db: Kysely<unknown>): Promise<void> {
  if (isPostgres(db)) await sql`alter table host set (autovacuum_vacuum_scale_factor = 0.01)`.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  if (isPostgres(db)) await sql`alter table host reset (autovacuum_vacuum_scale_factor)`.execute(db);
}
