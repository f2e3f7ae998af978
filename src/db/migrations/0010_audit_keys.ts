// Keyed audit chain (issue 9): the head records where HMAC-SHA256 links start (the events before
// it keep their plain SHA-256 links) and a MAC sealing that point; signed checkpoints of the head.
// Both are filled by the running code, which holds the keys; the migration has none.
import type { Kysely } from 'kysely';

export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema.alterTable('audit_head').addColumn('keyed_from', 'integer').execute();
  await db.schema.alterTable('audit_head').addColumn('keyed_prev_hash', 'text').execute();
  await db.schema.alterTable('audit_head').addColumn('keyed_seal', 'text').execute();

  await db.schema
    .createTable('audit_checkpoint')
    .addColumn('checkpoint_id', 'text', (c) => c.primaryKey())
    .addColumn('seq', 'integer', (c) => c.notNull())
    .addColumn('head_hash', 'text', (c) => c.notNull())
    .addColumn('at', 'text', (c) => c.notNull())
    .addColumn('key_id', 'text', (c) => c.notNull())
    // The exact signed text and its signature (base64); the columns above repeat what it says.
    .addColumn('statement', 'text', (c) => c.notNull())
    .addColumn('signature', 'text', (c) => c.notNull())
    .addUniqueConstraint('audit_checkpoint_key_seq_uq', ['key_id', 'seq'])
    .execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable('audit_checkpoint').execute();
  await db.schema.alterTable('audit_head').dropColumn('keyed_seal').execute();
  await db.schema.alterTable('audit_head').dropColumn('keyed_prev_hash').execute();
  await db.schema.alterTable('audit_head').dropColumn('keyed_from').execute();
}
