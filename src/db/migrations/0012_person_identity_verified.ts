// Whether a person's identifiers (certificate DN, Check-in subject, e-mail) are vouched for:
// set by a federation administrator or the GOCDB import, as opposed to typed in by an NGI,
// site or VO officer. The GOCDB import matches people only on vouched identifiers, so that an
// officer cannot make a record carrying someone else's identity and have it inherit their
// roles (issue 9, hole 6).
import { sql, type Kysely } from 'kysely';

export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .alterTable('person')
    .addColumn('is_identity_verified', 'integer', (c) => c.notNull().defaultTo(0))
    .execute();
  // Existing rows: vouched for when imported from GOCDB, or created by the system (CLI, demo)
  // or by someone who holds federation-admin now. Anything else (an officer's record) stays
  // unverified until a federation administrator confirms it.
  await sql`update person set is_identity_verified = 1
    where gocdb_key is not null
       or person_id in (select e.object_id from audit_event e
                         where e.action = 'person.create' and e.object_type = 'person'
                           and (e.actor_id is null
                                or e.actor_id in (select ra.person_id from role_assignment ra
                                                   where ra.role = 'federation-admin' and ra.scope_type = 'federation')))`.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.alterTable('person').dropColumn('is_identity_verified').execute();
}
