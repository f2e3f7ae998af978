import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createServices } from './services.js';
import { seedDemoIfEmpty } from './demo.js';
import { ROLES } from '../core/roles.js';
import { testDatabase } from '../../test/support/db.js';

// Issue 9, hole 10: a demo account holding two roles lets a browser test pass on the wrong one
// (the CSIRT account was also federation admin).
test('every demo account holds exactly one role grant, and together they cover every role', async () => {
  const db = await testDatabase();
  const s = createServices(db, { sessionTtlHours: 1, loginMaxFailures: 5, loginWindowMinutes: 15 });

  const demo = await seedDemoIfEmpty(s, 'demo-password-123');

  const usernames = [demo!.username, ...demo!.otherAccounts];
  const held = new Map<string, string[]>();
  for (const username of usernames) {
    const personId = await s.identity.personOfAccount(username);
    const actor = await s.identity.actorForPerson(personId!, username);
    held.set(
      username,
      actor.grants.map((g) => `${g.role}@${g.scopeType}`),
    );
  }
  for (const [username, grants] of held) assert.equal(grants.length, 1, `${username} holds ${grants.join(', ')}`);
  assert.deepEqual([...held.values()].map((g) => g[0]!.split('@')[0]).sort(), [...ROLES].sort());
  assert.deepEqual(held.get('csirt'), ['csirt@federation']);
  assert.deepEqual(held.get('site-admin'), ['site-admin@site']);
  await db.close();
});
