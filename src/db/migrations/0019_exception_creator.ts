// Issue 11, item 2 (review): the person who recorded an exception may not accept it. The row kept
// only a label (a username, or "Name (token abc)"), which differs between a person's session and
// their tokens: the creator's person id is kept beside it, null for a system actor. Existing rows
// take it from their `exception.create` audit event; a row without one compares labels.
import { sql, type Kysely } from 'kysely';

export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema.alterTable('finding_exception').addColumn('created_by_person_id', 'text').execute();
  const events = await sql<{ actor_id: string; after_json: string | null }>`select actor_id, after_json from audit_event
    where action = 'exception.create' and actor_id is not null`.execute(db);
  for (const event of events.rows) {
    let exceptionId: unknown;
    try {
      exceptionId = (JSON.parse(event.after_json ?? 'null') as { exceptionId?: unknown } | null)?.exceptionId;
    } catch {
      continue;
    }
    if (typeof exceptionId !== 'string') continue;
    await sql`update finding_exception set created_by_person_id = ${event.actor_id}
      where exception_id = ${exceptionId} and created_by_person_id is null`.execute(db);
  }
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.alterTable('finding_exception').dropColumn('created_by_person_id').execute();
}
