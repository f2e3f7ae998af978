// Issue 11, items 2 and 3. Exceptions to a CVE the CSIRT has tagged take effect only once the
// CSIRT accepts them (or a tag level it lets through at once); risk tags keep a history of
// every change, so re-tagging never silently moves the tagging time (the SEC03 clock).
import { sql, type Kysely } from 'kysely';

export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .alterTable('finding_exception')
    .addColumn('status', 'text', (c) => c.notNull().defaultTo('accepted'))
    .execute();
  await db.schema.alterTable('finding_exception').addColumn('reviewed_by', 'text').execute();
  await db.schema.alterTable('finding_exception').addColumn('reviewed_at', 'text').execute();
  await db.schema.alterTable('finding_exception').addColumn('review_reason', 'text').execute();
  // Existing exceptions: those to a CVE tagged today were made without the CSIRT's review, which
  // a tagged CVE now needs: they wait for it (the CSIRT sees them pending at once). The others
  // stay in effect, as accepted.
  await sql`update finding_exception set status = 'pending'
    where revoked_at is null and cve_id in (select cve_id from cve_tag)`.execute(db);
  await db.schema.createIndex('finding_exception_status_idx').on('finding_exception').columns(['status', 'created_at']).execute();

  await db.schema
    .createTable('cve_tag_change')
    .addColumn('change_id', 'text', (c) => c.primaryKey())
    .addColumn('cve_id', 'text', (c) => c.notNull())
    .addColumn('arch', 'text', (c) => c.notNull())
    /** tag | edit | untag */
    .addColumn('action', 'text', (c) => c.notNull())
    .addColumn('tag_before', 'text')
    .addColumn('tag_after', 'text')
    .addColumn('reason_before', 'text')
    .addColumn('reason_after', 'text')
    .addColumn('changed_by', 'text', (c) => c.notNull())
    .addColumn('changed_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('cve_tag_change_cve_idx').on('cve_tag_change').columns(['cve_id', 'changed_at']).execute();
  // Each tag in place starts its history with its tagging.
  await sql`insert into cve_tag_change (change_id, cve_id, arch, action, tag_before, tag_after, reason_before, reason_after, changed_by, changed_at)
    select 'migrated:' || cve_id || ':' || tag || ':' || arch, cve_id, arch, 'tag', null, tag, null, reason, tagged_by, tagged_at from cve_tag`.execute(db);

  // Tag levels whose exceptions take effect without review (the CSIRT's policy; none at first).
  await db.schema
    .createTable('exception_auto_accept')
    .addColumn('tag', 'text', (c) => c.primaryKey())
    .addColumn('set_by', 'text', (c) => c.notNull())
    .addColumn('set_at', 'text', (c) => c.notNull())
    .execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable('exception_auto_accept').execute();
  await db.schema.dropTable('cve_tag_change').execute();
  await db.schema.dropIndex('finding_exception_status_idx').execute();
  for (const column of ['review_reason', 'reviewed_at', 'reviewed_by', 'status']) {
    await db.schema.alterTable('finding_exception').dropColumn(column).execute();
  }
}
