// "Which hosts have CVE X" counts hosts per site by evaluation: an index that answers it alone;
// host lists page in host-name order.
import type { Kysely } from 'kysely';

export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema.createIndex('host_eval_site_idx').on('host').columns(['eval_key', 'site_id']).execute();
  await db.schema.dropIndex('host_eval_idx').execute();
  await db.schema.createIndex('host_hostname_idx').on('host').columns(['hostname', 'host_id']).execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropIndex('host_hostname_idx').execute();
  await db.schema.createIndex('host_eval_idx').on('host').column('eval_key').execute();
  await db.schema.dropIndex('host_eval_site_idx').execute();
}
