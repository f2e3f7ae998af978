// Query fragments over identity's accounts for the modules that show them (the registry's people
// list says whether a person can sign in). Identity owns the `account` table: other modules read
// it only through what this file exports (issue 9 §3). It imports nothing from another module, so
// the registry can use it while identity uses the registry's fragments, without an import cycle.
import type { Expression } from 'kysely';
import type { Executor } from '../../db/database.js';

/** How many local accounts the person `personId` refers to has (0 or 1), as a scalar sub-select
 *  correlated to the outer query: `.select((eb) => accountCount(db, eb.ref('person.person_id')).as('has_account'))`. */
export const accountCount = (db: Executor, personId: Expression<string>) =>
  db
    .selectFrom('account')
    .where('account.person_id', '=', personId)
    .select((e) => e.fn.countAll<number>().as('c'));
