// Bounds on the report quarantine (issue 9): each held report records its sender (the client
// address, IPv6 by /64) and its stored size, and is kept gzip-compressed in `report_gz` instead
// of as JSON text, so limits per sender and in total can be checked from indexed columns.
import { gunzipSync, gzipSync } from 'node:zlib';
import { PostgresAdapter, sql, type Kysely } from 'kysely';

const isPostgres = (db: Kysely<unknown>) => db.getExecutor().adapter instanceof PostgresAdapter;

interface Schema {
  report_quarantine: { quarantine_id: string; report_json: string; report_gz: Buffer | null; size_bytes: number; sender: string };
}

export async function up(db: Kysely<unknown>): Promise<void> {
  const blob = isPostgres(db) ? sql`bytea` : sql`blob`;
  // One column per statement (SQLite). `report_gz` may not be declared NOT NULL without a
  // default on SQLite; every row gets one below and every new row is written with one.
  await db.schema
    .alterTable('report_quarantine')
    .addColumn('sender', 'text', (c) => c.notNull().defaultTo(''))
    .execute();
  await db.schema
    .alterTable('report_quarantine')
    .addColumn('size_bytes', 'integer', (c) => c.notNull().defaultTo(0))
    .execute();
  await db.schema.alterTable('report_quarantine').addColumn('report_gz', blob).execute();
  const q = db as unknown as Kysely<Schema>;
  // Row by row: a held report may be 15 MB of JSON.
  for (const { quarantine_id } of await q.selectFrom('report_quarantine').select('quarantine_id').execute()) {
    const row = await q.selectFrom('report_quarantine').select('report_json').where('quarantine_id', '=', quarantine_id).executeTakeFirstOrThrow();
    const gz = gzipSync(row.report_json);
    await q
      .updateTable('report_quarantine')
      .set({ report_gz: gz, size_bytes: gz.length, report_json: '' })
      .where('quarantine_id', '=', quarantine_id)
      .execute();
  }
  await db.schema.createIndex('report_quarantine_sender_idx').on('report_quarantine').columns(['sender', 'received_at']).execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  const q = db as unknown as Kysely<Schema>;
  for (const { quarantine_id } of await q.selectFrom('report_quarantine').select('quarantine_id').execute()) {
    const row = await q.selectFrom('report_quarantine').select('report_gz').where('quarantine_id', '=', quarantine_id).executeTakeFirstOrThrow();
    if (row.report_gz)
      await q
        .updateTable('report_quarantine')
        .set({ report_json: gunzipSync(row.report_gz).toString('utf8') })
        .where('quarantine_id', '=', quarantine_id)
        .execute();
  }
  await db.schema.dropIndex('report_quarantine_sender_idx').execute();
  for (const column of ['report_gz', 'size_bytes', 'sender']) await db.schema.alterTable('report_quarantine').dropColumn(column).execute();
}
