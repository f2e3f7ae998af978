// "Which hosts have CVE X" counts hosts per site by evaluation: an index that answers it alone.
import type { Kysely } from 'kysely';

export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema.createIndex('host_eval_site_idx').on('host').columns(['eval_key', 'site_id']).execute();
  await db.schema.dropIndex('host_eval_idx').execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.createIndex('host_eval_idx').on('host').column('eval_key').execute();
  await db.schema.dropIndex('host_eval_site_idx').execute();
}
