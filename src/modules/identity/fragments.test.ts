// Identity's query fragments that other modules read accounts through (fragments.ts).
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { createServices, type Services } from '../../server/services.js';
import { testDatabase, type TestDb } from '../../../test/support/db.js';
import { admin } from '../../../test/support/seed.js';
import { accountCount } from './index.js';

let db: TestDb;
let s: Services;
let withAccount: string;
let without: string;

before(async () => {
  db = await testDatabase();
  s = createServices(db, { sessionTtlHours: 1, loginMaxFailures: 5, loginWindowMinutes: 15 });
  withAccount = (await s.people.createPerson(admin, { name: 'Ada Lovelace', email: 'ada@example.org' })).personId;
  without = (await s.people.createPerson(admin, { name: 'Kari Nordmann', email: 'kari@example.org' })).personId;
  await s.identity.createAccount(admin, { personId: withAccount, username: 'ada', password: 'a long enough password' });
});
after(() => db.close());

test('accountCount counts the accounts of the person of the outer row', async () => {
  const rows = await db.db
    .selectFrom('person')
    .select((eb) => ['person.person_id', accountCount(db.db, eb.ref('person.person_id')).as('n')])
    .execute();

  const n = new Map(rows.map((r) => [r.person_id, Number(r.n)]));
  assert.equal(n.get(withAccount), 1);
  assert.equal(n.get(without), 0);
});

test("the people list and a person's page say who has a local account", async () => {
  const page = await s.people.listPeople(admin, { limit: 50, offset: 0, order: 'asc' }, {});

  assert.deepEqual(page.items.map((p) => [p.name, p.hasAccount]).sort(), [
    ['Ada Lovelace', true],
    ['Kari Nordmann', false],
  ]);
  assert.equal((await s.people.getPerson(admin, without)).hasAccount, false);
  assert.equal((await s.people.getPerson(admin, withAccount)).hasAccount, true);
});
