// Review of quarantined reports: who released or rejected each, when, into which site, and why
// a rejected one was refused.
import type { Kysely } from 'kysely';

const COLUMNS = ['reviewed_by', 'reviewed_at', 'released_site_id', 'reject_reason'] as const;

export async function up(db: Kysely<unknown>): Promise<void> {
  // One column per statement: SQLite's ALTER TABLE adds one at a time.
  await db.schema.alterTable('report_quarantine').addColumn('reviewed_by', 'text').execute();
  await db.schema.alterTable('report_quarantine').addColumn('reviewed_at', 'text').execute();
  await db.schema
    .alterTable('report_quarantine')
    .addColumn('released_site_id', 'text', (c) => c.references('site.site_id'))
    .execute();
  await db.schema.alterTable('report_quarantine').addColumn('reject_reason', 'text').execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  for (const column of [...COLUMNS].reverse()) await db.schema.alterTable('report_quarantine').dropColumn(column).execute();
}
