// Login throttling keyed per (account, address) with an account-wide back-off: an account
// bucket row records until when further attempts on the account wait (exponential, capped).
import { sql, type Kysely } from 'kysely';

export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema.alterTable('login_failure').addColumn('blocked_until', 'text').execute();
  // Buckets of the old scheme (`user:` locked an account for everyone) have no meaning now.
  await sql`delete from login_failure`.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.alterTable('login_failure').dropColumn('blocked_until').execute();
}
