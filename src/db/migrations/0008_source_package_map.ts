// Binary → source package names from Debian and Ubuntu archive indexes (feeds of format
// debian-index), read by release when the evaluator is built; and each feed's mapping count.
import type { Kysely } from 'kysely';

export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('source_package_map')
    .addColumn('release', 'text', (c) => c.notNull())
    .addColumn('binary', 'text', (c) => c.notNull())
    .addColumn('feed_id', 'text', (c) => c.notNull().references('feed.feed_id'))
    .addColumn('source', 'text', (c) => c.notNull())
    // Release first: the evaluator loads one release's names in binary order.
    .addPrimaryKeyConstraint('source_package_map_pk', ['release', 'binary', 'feed_id'])
    .execute();
  // A refresh replaces one feed's rows.
  await db.schema.createIndex('source_package_map_feed_idx').on('source_package_map').column('feed_id').execute();
  await db.schema
    .alterTable('feed')
    .addColumn('mapping_count', 'integer', (c) => c.notNull().defaultTo(0))
    .execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.alterTable('feed').dropColumn('mapping_count').execute();
  await db.schema.dropTable('source_package_map').execute();
}
